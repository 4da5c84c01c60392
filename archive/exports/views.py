"""Downloads of document pages: PDF, Word, plain text (.txt), XLSX/CSV, mounted under /archive/export/.

Every download asks portal.walls.access.can_view, as the page itself does, and refuses with the
Chinese 404 (a refusal must not confirm that something exists). Anyone who is not signed-in
staff gets records with personal data masked, as on every public output.

A regulation read with ``?date=`` (the text in force on a date) links here with the same
``?date=``, and the download (PDF, Word, text) is that version, so that what is saved is what was on screen.
"""
from urllib.parse import quote

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from archive.exports import formats as export
from archive.recycle import in_recycle_bin
from archive.versions import text_in_force
from portal import params
from portal.models import (
    DiscretionStandardPage,
    InterpretationPage,
    NewsPage,
    RegulationPage,
    SharedInfoPage,
    StatisticsPage,
)
from portal.walls.access import can_view, is_staff_member

NOT_FOUND = "该文件不存在，或您没有查看权限。"
WRONG_KIND = "该文件没有这种格式的下载。"
PDF_CACHE_SECONDS = 3600

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}


def _document_classes():

    return SharedInfoPage, NewsPage, InterpretationPage


def visible_document(request, page_id: int, kind=None):
    """Return the live document page the visitor may see (of ``kind`` if given); raise Http404 otherwise."""
    page = Page.objects.live().filter(pk=page_id).first()
    if page is None:
        raise Http404(NOT_FOUND)
    page = page.specific
    if not isinstance(page, _document_classes()) or in_recycle_bin(page) or not can_view(request.user, page):
        raise Http404(NOT_FOUND)
    if kind is not None and not isinstance(page, kind):
        raise Http404(WRONG_KIND)
    return page


def version_shown(request, page):
    """Return (page object, revision id) of what the page shows for the request's ``?date=``.

    A regulation with a published version in force on that date: that version (its page
    object, as archive's on_serve_page hook serves it); a date before the first version,
    or any other page: the live page; a malformed date raises ``portal.params.BadParameter``. The version must be visible to the user too
    (an older version may have had a narrower 共享范围), as SharedInfoPage.serve requires.
    """

    if isinstance(page, RegulationPage) and request.GET.get("date"):
        params.require_date(request.GET["date"])  # a malformed date: 400
        version = text_in_force(page, request.GET["date"]).version
        if version is not None:
            if not can_view(request.user, version.object):
                raise Http404(NOT_FOUND)
            return version.object, version.revision_id
    return page, page.live_revision_id


def _download(data: bytes, page, suffix: str, masked: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES[suffix])
    # The file's name is the title as this visitor reads it: masked for the public, like the file.
    response["Content-Disposition"] = _disposition(export.export_filename(page, suffix, masked))
    response["X-Robots-Tag"] = "noindex"
    # Shared and internal documents must not sit in a shared cache.
    response["Cache-Control"] = "private, max-age=0" if getattr(page, "scope", "public") != "public" else "max-age=300"
    return response


def _disposition(filename: str) -> str:

    ascii_name = filename.encode("ascii", "ignore").decode() or "document." + filename.rsplit(".", 1)[-1]
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@require_GET
def export_pdf(request, page_id: int):
    live = visible_document(request, page_id)
    page, revision_id = version_shown(request, live)
    masked = not is_staff_member(request.user)
    stamp = live.last_published_at.isoformat() if live.last_published_at else ""
    key = f"archive:export:pdf:{live.pk}:{revision_id}:{stamp}:{int(masked)}"
    data = cache.get(key)
    if data is None:
        data = export.page_pdf(page, masked=masked)
        cache.set(key, data, PDF_CACHE_SECONDS)
    return _download(data, page, "pdf", masked)


@require_GET
def export_docx(request, page_id: int):

    page, _ = version_shown(request, visible_document(request, page_id, RegulationPage))
    masked = not is_staff_member(request.user)
    return _download(export.regulation_docx(page, masked), page, "docx", masked)


@require_GET
def export_txt(request, page_id: int):
    page, _ = version_shown(request, visible_document(request, page_id, RegulationPage))
    masked = not is_staff_member(request.user)
    return _download(export.regulation_text(page, masked), page, "txt", masked)


def _table(request, page_id: int, fmt: str, kind_name: str):

    masked = not is_staff_member(request.user)
    if kind_name == "discretion":
        page = visible_document(request, page_id, DiscretionStandardPage)
        header, rows = export.discretion_table(page, masked)
        sheet = "裁量基准"
    else:
        page = visible_document(request, page_id, StatisticsPage)
        header, rows = export.statistics_table(page, masked)
        sheet = "统计数据"
    if fmt == "xlsx":
        title = export.export_filename(page, "xlsx", masked).removesuffix(".xlsx")
        return _download(export.table_xlsx(title, header, rows, sheet=sheet), page, "xlsx", masked)
    return _download(export.table_csv(header, rows), page, "csv", masked)


@require_GET
def export_discretion(request, page_id: int, fmt: str):
    return _table(request, page_id, fmt, "discretion")


@require_GET
def export_statistics(request, page_id: int, fmt: str):
    return _table(request, page_id, fmt, "statistics")
