"""Template tags: citations as links for the viewer, 款/项 anchors of an article, 被引用.

- ``{% cite_text text %}`` (``breaks=True``: line breaks as <br>; ``own_bare=True article=label``: a
  law's article line): the text escaped, with the viewer's citation links (citations.rendering).
- ``{% cite_html html %}``: the same inside trusted HTML (a record's body, masked already).
- ``{{ value|article_lines }}``: (anchor, line) of an article block's lines, for ids of 款 and 项.
- ``{% cited_by anchor %}`` / ``{% cited_by label article=True %}``: the 被引用 list of a provision,
  of an article with its 款 and 项, or (anchor "") of the whole document.
"""
from django import template

from citations.rendering import renderer_for
from citations.sources import SILENT_ROLES
from citations.sources import article_lines as _article_lines

register = template.Library()


def _renderer(context):
    return renderer_for(context.get("request"), context.get("page"))


@register.simple_tag(takes_context=True)
def cite_text(context, text, breaks=False, own_bare=False, article=None):
    return _renderer(context).text(text, linebreaks=breaks, own_bare=own_bare, article=article)


@register.simple_tag(takes_context=True)
def cite_html(context, markup):
    return _renderer(context).html(markup)


@register.filter
def article_lines(value):
    return _article_lines(value)


@register.inclusion_tag("citations/cited_by.html", takes_context=True)
def cited_by(context, anchor, article=False, heading="被引用"):
    return {"entries": _renderer(context).cited_by(anchor or "", article=article), "anchor": anchor,
            "heading": heading}


@register.filter
def cites_from(role) -> bool:
    """True when a passage of this role may cite (not a 标题, 发文字号, 落款 … line)."""
    return role not in SILENT_ROLES
