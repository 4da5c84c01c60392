from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import health
from publicsite import feeds, sitemaps
from publicsite.api import api_router

handler400 = "portal.params.bad_request_view"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("archive/", include("archive.urls")),
    path("cooperation/", include("cooperation.urls")),
    path("staff/", include("staff.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Images only: documents are downloaded through /documents/<id>/<name>, where their access is checked,
    # never straight from MEDIA_ROOT/documents/.
    for folder in ("images", "original_images"):
        urlpatterns += static(f"{settings.MEDIA_URL}{folder}/", document_root=f"{settings.MEDIA_ROOT}/{folder}")

# Feeds, sitemap and API: public content only, the same for every caller.
urlpatterns += [
    path("feeds/<slug:section>/rss/", feeds.SectionRssFeed(), name="feed_rss"),
    path("feeds/<slug:section>/atom/", feeds.SectionAtomFeed(), name="feed_atom"),
    path("sitemap.xml", sitemaps.sitemap, name="sitemap"),
    path("sitemap/", sitemaps.site_map, name="site_map"),  # 网站地图, the HTML one linked from every footer
    path("api/v2/", api_router.urls),
]

urlpatterns += [path("", include("search.urls"))]  # /search/, /api/search/ (before Wagtail's catch-all)
urlpatterns += [path("", include(wagtail_urls))]
