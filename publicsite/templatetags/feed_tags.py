"""Template tags announcing the feeds in a page's <head>."""
from django import template
from django.urls import NoReverseMatch
from django.utils.html import format_html_join

from portal.models import CategoryIndexPage, InterpretationPage, NewsPage, SharedInfoPage
from publicsite.feeds import SECTIONS, SITE_NEWS_SECTION, feed_url

register = template.Library()


def page_section(page) -> str | None:
    """Return the feed section a page belongs to, or None.

    A category index page names its section; a shareable item belongs to the
    section of its 主题分类 (which is the feed it appears in); news and
    interpretations to theirs; any other page to its parent's section.
    """

    if page is None or not hasattr(page, "specific_class"):
        return None
    if isinstance(page, CategoryIndexPage):
        return page.section
    if isinstance(page, SharedInfoPage):
        return page.category
    if isinstance(page, NewsPage):
        return "news"
    if isinstance(page, InterpretationPage):
        return "interpretation"
    if page.depth > 2:
        parent = page.get_parent()
        parent = parent.specific if parent else None
        if isinstance(parent, CategoryIndexPage):
            return parent.section
    return None


@register.simple_tag(takes_context=True)
def feed_links(context) -> str:
    """Return <link rel="alternate"> tags: the site-wide news feed always, the page's section feeds where it has one."""
    feeds = [(SITE_NEWS_SECTION, "rss")]
    section = page_section(context.get("page"))
    if section in SECTIONS:
        feeds += [(section, "rss"), (section, "atom")]
        if section == SITE_NEWS_SECTION:
            feeds.remove((SITE_NEWS_SECTION, "rss"))
    types = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
    names = {"rss": "RSS", "atom": "Atom"}
    try:
        links = [(types[kind], f"{SECTIONS[name]}（{names[kind]}）", feed_url(name, kind)) for name, kind in feeds]
    except NoReverseMatch:  # the feeds are not routed (e.g. a URLconf under test)
        return ""
    return format_html_join("\n  ", '<link rel="alternate" type="{}" title="{}" href="{}">', links)
