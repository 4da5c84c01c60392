"""/sitemap.xml and the 网站地图 (/sitemap/): the pages of the public site, and nothing an anonymous visitor may not open.

Wagtail's own sitemap lists every live page without view restrictions; our
sharing scope is a field it knows nothing about, so it would list shared and
internal records. ``public_pages`` is the deny-by-default selection used here
and by the API: only page types that belong on the public site, and of the
shareable records only those ``portal.walls.access`` shows to an anonymous visitor.
"""
from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps.views import sitemap as django_sitemap_view
from django.shortcuts import render
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

from portal.models import CategoryIndexPage, HomePage, InterpretationPage, NewsPage, SharedInfoPage
from portal.models.metadata import archived_q
from portal.walls.access import visible_q
from publicsite.listing import with_list_titles

# How many pages of a section the 网站地图 names; the section's own list has the rest.
SITE_MAP_CHILDREN = 20


def public_page_types() -> tuple:
    """Return the page models that may appear on the public site (subclasses included)."""

    return (HomePage, CategoryIndexPage, SharedInfoPage, NewsPage, InterpretationPage)


def public_pages(queryset):
    """Return the Page queryset narrowed to live pages an anonymous visitor may open.

    Live, under no Wagtail view restriction, of a public page type, and — for
    shareable records — visible to an anonymous user under ``portal.walls.access``.
    A page type added later stays out until it is added to ``public_page_types``.
    """

    # A subquery on the primary key rather than a join on scope: Wagtail's search
    # (the API's ?search=) accepts filters on indexed Page fields only, and id is one.
    hidden = SharedInfoPage.objects.exclude(visible_q(AnonymousUser())).values("pk")
    return queryset.live().public().type(*public_page_types()).exclude(pk__in=hidden)


class PublicPagesSitemap(Sitemap):
    """The sitemap of the public pages of the requested site; lastmod is the last publication.

    Locations and lastmod come from each page's ``get_sitemap_urls`` (Wagtail's Sitemap).
    """

    def items(self):
        root = self.get_wagtail_site().root_page
        return public_pages(root.get_descendants(inclusive=True)).order_by("path").defer_streamfields()


def sitemap(request):
    """Serve /sitemap.xml for the site the request is for; the same for every visitor."""
    return django_sitemap_view(request, sitemaps={"pages": PublicPagesSitemap(request)})


def site_map_sections(root, limit: int = SITE_MAP_CHILDREN) -> list[dict]:
    """Return the 网站地图 under a site root: each public section with its newest public current pages.

    Each entry: ``page`` (the section), ``children`` (at most ``limit``, titles masked as for the public,
    newest first) and ``count`` (all of them). Exactly what an anonymous visitor may open
    (``public_pages``), whoever asks; abolished documents are left to the archive, as in the section lists.
    """
    anonymous = AnonymousUser()
    archived = SharedInfoPage.objects.filter(archived_q()).values("pk")
    sections = []
    for section in public_pages(Page.objects.child_of(root)).order_by("path").specific():
        children = public_pages(Page.objects.child_of(section)).exclude(pk__in=archived)
        count = children.count()
        newest = children.order_by("-first_published_at", "-pk").specific()[:limit] if count else []
        sections.append({"page": section, "count": count, "children": with_list_titles(newest, anonymous)})
    return sections


def site_map(request):
    """Serve the 网站地图: the public sections and their pages, the same for every visitor (so cacheable)."""
    site = Site.find_for_request(request)
    sections = site_map_sections(site.root_page) if site is not None else []
    return render(request, "publicsite/site_map.html", {"sections": sections, "limit": SITE_MAP_CHILDREN})
