"""The archive of abolished and expired documents, and the daily re-derivation of 有效性.

A document belongs to the archive when it is 已废止 or its 废止日期 has come, whether or not
``expire_documents`` has run yet today: the listing asks the dates, not only the flag.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from wagtail.log_actions import log

from portal import params
from portal.models import Category, Department, SharedInfoPage
from portal.models.metadata import archived_q, derive_validity
from portal.walls.access import filter_visible

EXPIRE_ACTION = "archive.validity"


def archived_documents(user, today=None) -> QuerySet:
    """Return the live archived documents the user may see, with ``archive_year`` annotated.

    The year is that of the 废止日期, else of the 发布日期, else of the 信息形成日期.
    """
    qs = filter_visible(user, SharedInfoPage.objects.live().filter(archived_q(today)))
    return qs.annotate(
        archive_year=Coalesce(ExtractYear("abolished_date"), ExtractYear("publish_date"), ExtractYear("formed_date"))
    )


@dataclass
class ArchiveFilters:
    """The filters of the archive listing read from GET, and notices for the values ignored."""

    year: int | None = None
    category: str | None = None
    department: Department | None = None
    query: str = ""
    notices: list[str] = field(default_factory=list)

    def as_params(self) -> dict[str, str]:
        """Return the active filters as GET parameters (for pagination links)."""
        params = {}
        if self.year:
            params["year"] = str(self.year)
        if self.category:
            params["category"] = self.category
        if self.department:
            params["department"] = str(self.department.pk)
        if self.query:
            params["q"] = self.query
        return params


def parse_archive_filters(query) -> ArchiveFilters:
    """Return the filters in ``query`` (a QueryDict).

    A category or department that does not exist is dropped with a Chinese notice; a year or department
    id that is not a number in range raises ``portal.params.BadParameter`` (answered 400).
    """
    filters = ArchiveFilters()
    filters.year = params.require_year(query.get("year"))
    raw_category = (query.get("category") or "").strip()
    if raw_category:
        if raw_category in Category.values:
            filters.category = raw_category
        else:
            filters.notices.append(f"主题分类“{raw_category[:20]}”不存在，已忽略。")
    department_id = params.require_int(query.get("department"), "发布机构编号")
    if department_id is not None:
        filters.department = Department.objects.filter(pk=department_id).first()
        if filters.department is None:
            filters.notices.append(f"发布机构“{department_id}”不存在，已忽略。")
    filters.query = (query.get("q") or "").strip()[:100]
    return filters


def filter_archive(qs: QuerySet, filters: ArchiveFilters) -> QuerySet:
    """Return the archived documents narrowed by the filters."""
    if filters.year:
        qs = qs.filter(archive_year=filters.year)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.department:
        qs = qs.filter(department=filters.department)
    if filters.query:
        qs = qs.filter(Q(title__icontains=filters.query) | Q(doc_number__icontains=filters.query))
    return qs


def archive_facets(qs: QuerySet) -> dict[str, list]:
    """Return counts by year (newest first), category and department of the archived documents."""
    years = [
        (row["archive_year"], row["n"])
        for row in qs.order_by().values("archive_year").annotate(n=Count("pk")).order_by("-archive_year")
        if row["archive_year"]
    ]
    labels = dict(Category.choices)
    categories = [
        (row["category"], labels.get(row["category"], row["category"]), row["n"])
        for row in qs.order_by().values("category").annotate(n=Count("pk")).order_by("category")
    ]
    departments = [
        (row["department"], row["department__name"], row["n"])
        for row in qs.order_by().values("department", "department__name").annotate(n=Count("pk"))
        .order_by("department__name")
    ]
    return {"years": years, "categories": categories, "departments": departments}


def expire_documents(user=None) -> list[tuple[SharedInfoPage, str, str]]:
    """Return (page, old validity, new validity) for each page whose 有效性 changed by today's date.

    Re-derives 有效性 of every shareable page with ``derive_validity`` (废止日期 reached →
    已废止, 生效日期 reached → 现行有效) and saves the pages that changed, so a document leaves
    the current lists on its 废止日期 without anyone editing it. Each change is written to the
    page's history (audit log).
    """
    today = timezone.localdate()
    changed = []
    rows = SharedInfoPage.objects.values_list("pk", "effective_date", "abolished_date", "validity")
    stale = [pk for pk, effective, abolished, validity in rows
             if derive_validity(effective, abolished, validity, today) != validity]
    for page in SharedInfoPage.objects.filter(pk__in=stale).specific().iterator():
        old = page.validity
        # SharedInfoPage.save derives 有效性 from the dates itself; clean=False: a record
        # with some other invalid field must still expire.
        page.save(clean=False, update_fields=["validity"])
        if page.validity != old:
            log(instance=page, action=EXPIRE_ACTION, user=user,
                data={"old": old, "new": page.validity, "date": today.isoformat()})
            changed.append((page, old, page.validity))
    return changed
