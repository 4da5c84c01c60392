"""Public views: the archive of abolished documents, 历史版本 and 修订对照 of regulations.

Every view asks portal.walls.access.can_view (or filters with it) and refuses with a 404 whose
page is Chinese (templates/404.html): a refusal must not confirm that something exists.
"""
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from archive.records import archive_facets, archived_documents, filter_archive, parse_archive_filters
from archive.review import review_versions
from archive.versions import visible_versions
from portal import params
from portal.models import RegulationPage
from portal.walls.access import can_view

PAGE_SIZE = 20
NOT_FOUND = "该文件不存在，或您没有查看权限。"
VERSION_NOT_FOUND = "所请求的版本不存在，或您没有查看权限。"


def visible_regulation(request, page_id: int) -> RegulationPage:
    """Return the live regulation the visitor may see; raise Http404 (Chinese) otherwise."""
    page = RegulationPage.objects.live().filter(pk=page_id).first()
    if page is None or not can_view(request.user, page):
        raise Http404(NOT_FOUND)
    return page


def archive_index(request):
    """已废止 and expired documents, browsable by year, category and department."""
    filters = parse_archive_filters(request.GET)
    documents = archived_documents(request.user)
    facets = archive_facets(documents)
    results = filter_archive(documents, filters).select_related("department").order_by(
        "-archive_year", "-abolished_date", "-publish_date", "-pk"
    )
    items = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "archive/archive_index.html", {
        "items": items,
        "filters": filters,
        "facets": facets,
        "query_string": urlencode(filters.as_params()),
    })


def version_list(request, page_id: int):
    """历史版本: each published version with 发布日期, 生效日期 and 修订依据, newest first."""
    page = visible_regulation(request, page_id)
    versions = list(reversed(visible_versions(request.user, page)))
    return render(request, "archive/version_list.html", {
        "page": page,
        "versions": versions,
        "live_revision_id": page.live_revision_id,
    })


def _revision_param(request, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    return params.id_or_404(raw, VERSION_NOT_FOUND) if raw else None


def version_compare(request, page_id: int):
    """修订对照 between two published versions (?from=<revision>&to=<revision>), side by side.

    Without parameters: the version before the current one against the current one.
    """
    page = visible_regulation(request, page_id)
    versions = visible_versions(request.user, page)
    by_id = {v.revision_id: v for v in versions}
    old_id, new_id = _revision_param(request, "from"), _revision_param(request, "to")
    if old_id is None and new_id is None and len(versions) >= 2:
        old_id, new_id = versions[-2].revision_id, versions[-1].revision_id
    if old_id is None or new_id is None:
        if len(versions) < 2:
            return render(request, "archive/version_compare.html", {
                "page": page, "versions": versions, "single": True,
            })
        raise Http404(VERSION_NOT_FOUND)
    if old_id not in by_id or new_id not in by_id:
        raise Http404(VERSION_NOT_FOUND)
    old, new = by_id[old_id], by_id[new_id]
    return render(request, "archive/version_compare.html", {
        "page": page,
        "versions": versions,
        "old": old,
        "new": new,
        "review": review_versions(old.object, new.object),
        "only_changed": request.GET.get("changed") == "1",
    })
