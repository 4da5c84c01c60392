"""Template tags for regulation pages: the version shown for ?date=, versions, the replacement."""
from django import template
from django.urls import reverse
from django.utils import timezone

from archive.permissions import can_review_page
from archive.recycle import in_recycle_bin
from archive.versions import DatedText, published_revision_ids, text_in_force
from portal.models import RegulationPage
from portal.walls.access import can_view

register = template.Library()


def dated_text_for(request, page) -> DatedText:
    """Return (once per request and page) what ``?date=`` asks of this regulation page."""
    cache = request.__dict__.setdefault("_archive_dated_text", {})
    if page.pk not in cache:
        cache[page.pk] = text_in_force(page, request.GET.get("date"))
    return cache[page.pk]


@register.simple_tag
def regulation_version(page, request) -> DatedText:
    """Return the DatedText of ``?date=`` for this page: its banner, notice and version.

    ``{% regulation_version page request as dated %}``: when ``dated.version`` is set the
    page being rendered already *is* that version (archive's on_serve_page hook serves it).
    """
    if request is None:
        return DatedText()
    return dated_text_for(request, page)


@register.simple_tag(takes_context=True)
def export_query(context, page) -> str:
    """Return "?date=YYYY-MM-DD" for the download links of a regulation shown as in force on a date, else "".

    Only when the page shows a version for that date: a bad date or one before the first
    version shows (and downloads) the current text.
    """

    request = context.get("request")
    if request is None or not isinstance(page, RegulationPage) or not request.GET.get("date"):
        return ""
    dated = dated_text_for(request, page)
    return f"?date={dated.date.isoformat()}" if dated.version is not None else ""


@register.simple_tag
def version_count(page) -> int:
    """Return how many published versions the page has."""
    return len(published_revision_ids(page))


@register.simple_tag
def visible_replacement(page, request):
    """Return the page that replaced this one, if it is live, not in the 回收站 and visible."""
    replacement = getattr(page, "replaced_by", None)
    if replacement is None or not replacement.live or in_recycle_bin(replacement):
        return None
    replacement = replacement.specific
    user = getattr(request, "user", None)
    return replacement if can_view(user, replacement) else None


@register.filter
def is_abolished(page) -> bool:
    """Return True when the page is 已废止 or its 废止日期 has come (before expire_documents ran)."""
    if getattr(page, "validity", None) == "abolished":
        return True
    abolished_date = getattr(page, "abolished_date", None)
    return bool(abolished_date and abolished_date <= timezone.localdate())


@register.simple_tag
def admin_compare_url(page, user) -> str:
    """Return the admin 修改前后对照 URL of a regulation the user may review, else ""."""


    page = getattr(page, "specific", page)
    if not isinstance(page, RegulationPage) or in_recycle_bin(page) or not can_review_page(user, page):
        return ""
    return reverse("archive_admin:compare_default", args=[page.pk])
