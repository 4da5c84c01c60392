"""Category browsers of the staff portal: per category, the live items a user may see, filtered and paginated.

``parse_filters()`` turns a query string into ``BrowseFilters`` (values it does not
understand are dropped, each with a Chinese notice); ``browse()`` applies them to
what ``portal.walls.access`` lets the user see. Abolished and expired documents stay out
unless asked for, as on the public lists.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from portal import params
from portal.models.departments import Department
from portal.models.metadata import Category, Scope, SharedInfoPage, Validity, archived_q
from portal.walls.access import visible_q

PAGE_SIZE = 20
MAX_TEXT = 100
TRUTHY = {"1", "on", "true", "yes", "是"}
# 不予共享 never reaches the front end, so it is no filter choice either.
SCOPE_CHOICES = [(Scope.PUBLIC, "公开"), (Scope.SHARED, "共享"), (Scope.INTERNAL, "部门内部")]


def category_or_none(value: str) -> str | None:
    """Return the category code for a code (``penalties``) or its Chinese label; None when unknown."""
    value = (value or "").strip()
    if value in Category.values:
        return value
    return next((code for code, label in Category.choices if label == value), None)


@dataclass
class BrowseFilters:
    """The filters of a category browser, normalised; ``notices`` say what was ignored."""

    text: str = ""
    department: Department | None = None
    validity: str = ""
    year: int | None = None
    scope: str = ""
    include_abolished: bool = False
    notices: list[str] = field(default_factory=list)

    def as_query(self) -> dict[str, str]:
        """Return the filters as query-string parameters (for pagination links)."""
        params = {"q": self.text, "department": self.department.code if self.department else "",
                  "validity": self.validity, "year": str(self.year or ""), "scope": self.scope,
                  "include_abolished": "1" if self.include_abolished else ""}
        return {k: v for k, v in params.items() if v}


def parse_filters(get) -> BrowseFilters:
    """Return the filters read from a QueryDict.

    A department, validity or scope that means nothing is ignored with a notice; a year, or a department
    written as a number, that is not a number in range raises ``portal.params.BadParameter`` (answered 400).
    """
    filters = BrowseFilters()
    filters.text = " ".join((get.get("q") or "").split())[:MAX_TEXT]
    raw = (get.get("department") or "").strip()[:MAX_TEXT]
    if raw:
        by_id = Q(pk__in=[])
        if raw.isdigit():  # any script's digits: meant as the department's id, which must then be a valid one
            by_id = Q(pk=params.require_int(raw, "部门编号"))
        department = Department.objects.filter(Q(code=raw.upper()) | Q(name=raw) | Q(short_name=raw) | by_id).first()
        if department is None:
            filters.notices.append(f"没有找到部门“{raw[:20]}”，已显示全部部门。")
        filters.department = department
    raw = (get.get("validity") or "").strip()[:MAX_TEXT]
    if raw:
        code = raw if raw in Validity.values else next((c for c, label in Validity.choices if label == raw), "")
        if not code:
            filters.notices.append(f"有效性“{raw[:20]}”无法识别（可选：现行有效、尚未生效、已修订、已废止），已忽略。")
        filters.validity = code
    filters.year = params.require_year(get.get("year"))
    raw = (get.get("scope") or "").strip()[:MAX_TEXT]
    if raw:
        code = next((c for c, label in SCOPE_CHOICES if raw in (c, label)), "")
        if not code:
            filters.notices.append(f"共享范围“{raw[:20]}”无法识别（可选：公开、共享、部门内部），已忽略。")
        filters.scope = code
    filters.include_abolished = (get.get("include_abolished") or "").strip().lower() in TRUTHY
    return filters


def visible_items(user, category: str) -> QuerySet:
    """Return the live items of ``category`` the user may see, newest first (no other filter)."""
    return (SharedInfoPage.objects.live().filter(visible_q(user), category=category)
            .select_related("department").order_by("-publish_date", "-formed_date", "-pk"))


def _year_expression():
    return ExtractYear(Coalesce("publish_date", "formed_date"))


def apply_filters(qs: QuerySet, filters: BrowseFilters) -> QuerySet:
    """Return ``qs`` narrowed by the filters."""
    for word in filters.text.split():
        qs = qs.filter(Q(title__icontains=word) | Q(doc_number__icontains=word) | Q(keywords__icontains=word)
                       | Q(index_number__icontains=word) | Q(summary__icontains=word))
    if filters.department:
        qs = qs.filter(department=filters.department)
    if filters.validity:
        qs = qs.filter(validity=filters.validity)
    if filters.year:
        qs = qs.annotate(item_year=_year_expression()).filter(item_year=filters.year)
    if filters.scope:
        qs = qs.filter(scope=filters.scope)
    if not filters.include_abolished and filters.validity != Validity.ABOLISHED:
        qs = qs.exclude(archived_q())
    return qs


def browse(user, category: str, filters: BrowseFilters, page_number=None, per_page: int = PAGE_SIZE) -> Page:
    """Return one page of the category's visible items under the filters; past the end gives the last page."""
    qs = apply_filters(visible_items(user, category), filters)
    return Paginator(qs, per_page).get_page(page_number)


def category_counts(user) -> dict[str, int]:
    """Return, per category code, how many current items the user may see (every category, zeros included)."""
    rows = (SharedInfoPage.objects.live().filter(visible_q(user)).exclude(archived_q())
            .order_by().values("category").annotate(n=Count("pk")))  # order_by(): treebeard orders by path
    counts = dict.fromkeys(Category.values, 0)
    counts.update({row["category"]: row["n"] for row in rows if row["category"] in counts})
    return counts


def filter_choices(user, category: str) -> dict[str, list]:
    """Return the choices of the filter menus: departments and years that occur among the visible items."""
    qs = visible_items(user, category)
    department_ids = set(qs.values_list("department_id", flat=True))
    years = sorted({y for y in qs.annotate(item_year=_year_expression()).values_list("item_year", flat=True) if y},
                   reverse=True)
    return {"departments": list(Department.objects.filter(pk__in=department_ids)), "years": years,
            "validities": list(Validity.choices), "scopes": SCOPE_CHOICES}
