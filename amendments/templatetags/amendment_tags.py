"""The staff notice on a citing page: its citations of provisions changed, renumbered or repealed since.

For staff only (the public, and the page cache it is served from, sees the current text only), and
only of a page the viewer may see; each notice links to the 修订对照 of the two versions.
"""
from django import template

from amendments.services import comparison_url, open_impacts_of

register = template.Library()


@register.inclusion_tag("amendments/notice.html", takes_context=True)
def amendment_notice(context, page):
    request = context.get("request")
    impacts = open_impacts_of(page, getattr(request, "user", None)) if page is not None else []
    return {"items": [(impact, comparison_url(impact.amendment)) for impact in impacts]}
