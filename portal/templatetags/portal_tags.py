"""Template tags of the public site's frame: the main navigation, masked titles, a document's 相关解读."""
from django import template
from wagtail.models import Site

from portal.models import CategoryIndexPage
from portal.models.publicity import interpretations_of
from portal.walls.access import is_staff_member
from publicsite.listing import list_title, with_list_titles

register = template.Library()

# The sections the main navigation names, in order, with the short label it shows.
NAV_SECTIONS = [
    ("news", "新闻动态"),
    ("interpretation", "政策解读"),
    ("laws", "法规库"),
    ("discretion", "裁量标准"),
    ("statistics", "统计数据"),
]


def nav_entries(root, current_path: str = "") -> list[dict]:
    """Return the main navigation under a site root: label, page and whether the current page lies in it.

    A section kind with several section pages is named once, by its first page.
    """

    if root is None:
        return []
    pages = {}
    for section in CategoryIndexPage.objects.live().child_of(root).filter(
        section__in=[code for code, _ in NAV_SECTIONS]
    ).order_by("path"):
        pages.setdefault(section.section, section)
    return [
        {"label": label, "page": pages[code], "current": bool(current_path) and current_path.startswith(pages[code].path)}
        for code, label in NAV_SECTIONS
        if code in pages
    ]


@register.inclusion_tag("portal/includes/site_nav.html", takes_context=True)
def site_nav(context):
    """Render the main navigation of the site the request is for (首页, the main sections, 检索)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    page = context.get("page")
    current_path = getattr(page, "path", "") or ""
    return {
        "request": request,
        "entries": nav_entries(site.root_page if site else None, current_path),
        "home_current": page is not None and site is not None and getattr(page, "pk", None) == site.root_page_id,
        "search_current": request is not None and request.path.startswith("/search/"),
    }


@register.simple_tag(takes_context=True)
def public_title(context, page) -> str:
    """Return a page's title as this visitor may read it: personal data masked unless they are staff.

    For titles of other pages shown in a list or a link ({% public_title item %}); the page being
    served is masked as a whole (portal.models.metadata.masked_for_public).
    """

    request = context.get("request")
    specific = getattr(page, "specific", page)
    return list_title(specific, not is_staff_member(getattr(request, "user", None)))


@register.inclusion_tag("portal/includes/related_interpretations.html", takes_context=True)
def related_interpretations(context, page):
    """Render a document's 相关解读: the interpretations of it this visitor may open (titles masked for the public)."""
    request = context.get("request")
    if request is None or getattr(page, "pk", None) is None:
        return {"interpretations": []}
    return {"request": request, "interpretations": with_list_titles(interpretations_of(page, request), request.user)}
