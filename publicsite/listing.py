"""Listings of pages as a visitor may see them: the section lists, the regulation library's filters, the home page.

``parse_listing_filters()`` turns a query string into ``ListingFilters``; a value it
does not understand is dropped with a Chinese notice, a malformed year is answered 400
(``portal.params``).
``section_listing()`` applies them to what ``portal.walls.access`` lets the visitor see.
By default a list shows what is 现行有效; ``validity=all`` shows every item and
``validity=abolished`` the abolished and expired ones (which otherwise live in /archive/).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from wagtail.models import Page

from lib.masking import mask_for_public
from portal import params
from portal.models.departments import Department
from portal.models.metadata import Category, SharedInfoPage, Validity, archived_q, document_date_expression
from portal.models.publicity import InterpretationPage, NewsPage
from portal.models.regulations import RegulationKind
from portal.walls.access import is_staff_member, visible_q

PUBLICITY_MODELS = {"news": NewsPage, "interpretation": InterpretationPage}
VALIDITY_ALL = "all"
VALIDITY_DEFAULT = Validity.IN_FORCE
# 现行有效 first: it is the default.
VALIDITY_CHOICES = [
    (Validity.IN_FORCE, Validity.IN_FORCE.label),
    *((value, label) for value, label in Validity.choices if value != Validity.IN_FORCE),
    (VALIDITY_ALL, "全部"),
]
MAX_ECHO = 20  # a notice repeats at most this much of what was typed
YEAR_MIN, YEAR_MAX = 1949, 2100


def _echo(value: str) -> str:
    return value if len(value) <= MAX_ECHO else value[:MAX_ECHO] + "…"


@dataclass
class ListingFilters:
    """The filters of a section list, normalised; ``notices`` say what was ignored and why."""

    kind: str = ""  # a RegulationKind value (the regulation library only)
    department: Department | None = None
    validity: str = VALIDITY_DEFAULT  # a Validity value or VALIDITY_ALL
    year: int | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def is_default(self) -> bool:
        return not (self.kind or self.department or self.year) and self.validity == VALIDITY_DEFAULT

    def as_query(self) -> dict[str, str]:
        """Return the filters as query-string parameters, defaults left out (for links)."""
        params = {
            "kind": self.kind,
            "department": self.department.code if self.department else "",
            "validity": "" if self.validity == VALIDITY_DEFAULT else self.validity,
            "year": str(self.year or ""),
        }
        return {key: value for key, value in params.items() if value}

    def query_string(self, **changes) -> str:
        """Return "?…" for these filters with some changed (a value of None drops it); values not understood are left out."""
        params = self.as_query()
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = str(value)
        return "?" + urlencode(params) if params else "?"

    @property
    def page_prefix(self) -> str:
        """Return the start of a pagination link that keeps the filters: "?…&" (to be followed by page=N)."""
        query = self.query_string()
        return query + "&" if query != "?" else "?"


def _choice(raw: str, choices) -> str | None:
    """Return the value of a (value, label) choice given by value or by label, or None."""
    for value, label in choices:
        if raw in (value, label):
            return value
    return None


def _department(raw: str) -> Department | None:
    """Return the department named by code, full name, short name or one of its aliases, or None."""
    found = Department.objects.filter(Q(code__iexact=raw) | Q(name=raw) | Q(short_name=raw)).first()
    if found:
        return found
    candidates = Department.objects.filter(aliases__contains=raw)
    matches = [dept for dept in candidates if raw in dept.alias_list()]
    return matches[0] if len(matches) == 1 else None


def parse_listing_filters(query, section: str) -> ListingFilters:
    """Return the filters read from a QueryDict (or dict) for a list of ``section``.

    An unknown kind, department or validity is ignored with a notice; the list then
    shows what it would show without that value.  A year that is not one (four ASCII
    digits, YEAR_MIN–YEAR_MAX, "2025年" too) raises ``portal.params.BadParameter``,
    answered 400 in Chinese.
    """
    filters = ListingFilters()

    def raw(name: str) -> str:
        return " ".join(str(query.get(name) or "").split())[:100]

    if value := raw("kind"):
        if section != Category.LAWS:
            filters.notices.append("本栏目不按文件类别筛选，已忽略“类别”条件。")
        elif kind := _choice(value, RegulationKind.choices):
            filters.kind = kind
        else:
            filters.notices.append(f"没有“{_echo(value)}”这一文件类别，已忽略该条件。")
    if value := raw("department"):
        filters.department = _department(value)
        if filters.department is None:
            filters.notices.append(f"没有找到发布机构“{_echo(value)}”，已显示全部发布机构的信息。")
    if value := raw("validity"):
        validity = _choice(value, VALIDITY_CHOICES)
        if validity is None:
            filters.notices.append(
                f"有效性“{_echo(value)}”无法识别（可选：现行有效、尚未生效、已修订、已废止、全部），已按现行有效显示。"
            )
        else:
            filters.validity = validity
    filters.year = params.require_year(raw("year"), minimum=YEAR_MIN, maximum=YEAR_MAX)
    return filters


def _validity_q(validity: str) -> Q:
    if validity == VALIDITY_ALL:
        return Q()
    if validity == Validity.ABOLISHED:
        return archived_q()
    # An item whose 废止日期 has passed is abolished even before the daily job re-derives 有效性.
    return Q(validity=validity) & ~archived_q()


def shareable_items(user, filters: ListingFilters | None = None, *, parent=None, categories=None):
    """Return the live shareable items the user may see, filtered, newest first (by ``document_date_expression``:
    发布日期, for regulations then 成文日期 or 生效日期, else 形成日期).

    ``parent`` narrows to the children of one section page, ``categories`` to some of the nine categories.
    """
    filters = filters or ListingFilters()
    qs = SharedInfoPage.objects.live().filter(visible_q(user)).filter(_validity_q(filters.validity))
    if parent is not None:
        qs = qs.child_of(parent)
    if categories:
        qs = qs.filter(category__in=categories)
    if filters.kind:
        qs = qs.filter(regulationpage__regulation_kind=filters.kind)
    if filters.department:
        qs = qs.filter(department=filters.department)
    qs = qs.annotate(list_date=document_date_expression())
    if filters.year:
        year_q = Q(list_date__year=filters.year)
        if categories == [Category.STATISTICS] or getattr(parent, "section", None) == Category.STATISTICS:
            # A statistics report names its 统计期间 (2025年1—12月), often published the next year.
            year_q |= Q(statisticspage__period__contains=f"{filters.year}年")
        qs = qs.filter(year_q)
    return qs.select_related("department").order_by(F("list_date").desc(nulls_last=True), "-first_published_at", "-pk")


def filter_choices(index_page, user) -> dict[str, list[tuple[str, str]]]:
    """Return the choices of a section's filter form: departments and years that have items the user may see."""
    visible = SharedInfoPage.objects.live().child_of(index_page).filter(visible_q(user))
    department_ids = set(visible.values_list("department_id", flat=True))
    departments = [(d.code, d.name) for d in Department.objects.filter(pk__in=department_ids)]
    years = set(
        visible.annotate(y=ExtractYear(document_date_expression())).values_list("y", flat=True)
    )
    if index_page.section == Category.STATISTICS:
        for period in visible.values_list("statisticspage__period", flat=True):
            years.update(int(y) for y in re.findall(r"([0-9]{4})年", period or "") if YEAR_MIN <= int(y) <= YEAR_MAX)
    choices = {
        "departments": departments,
        "years": [(str(y), f"{y}年") for y in sorted((y for y in years if y), reverse=True)],
        "validities": VALIDITY_CHOICES,
    }
    if index_page.section == Category.LAWS:
        choices["kinds"] = list(RegulationKind.choices)
    return choices


def publicity_items(index_page):
    """Return the live news or interpretation pages under a section page, newest first."""
    model = PUBLICITY_MODELS.get(index_page.section)
    if model is None:
        return Page.objects.none()
    return model.objects.live().child_of(index_page).select_related("department").order_by("-date", "-pk")


def list_title(item, public: bool) -> str:
    """Return the title a list shows: for the public, personal data masked (``lib.masking.mask_for_public``)."""
    if public:
        return mask_for_public(item, {"title": item.title})["title"]
    return item.title


def with_list_titles(items, user) -> list:
    """Return the items as a list, each with ``list_title`` set for this visitor."""
    public = not is_staff_member(user)
    items = list(items)
    for item in items:
        item.list_title = list_title(item, public)
    return items


def visible_children(index_page, user):
    """Return the live children of a page that the user may see, newest first, as specific pages."""
    children = Page.objects.live().child_of(index_page)
    # Pages that are not shareable records (news, interpretations) are public.
    shared_ids = SharedInfoPage.objects.child_of(index_page).values("pk")
    # Abolished and expired documents leave the current lists for /archive/.
    current_visible = SharedInfoPage.objects.filter(visible_q(user)).exclude(archived_q()).values("pk")
    children = children.filter(~Q(pk__in=shared_ids) | Q(pk__in=current_visible))
    return children.order_by("-first_published_at", "-pk").specific()


def latest_items(user, limit: int, categories=None):
    """Return the newest live shareable items the user may see that are not abolished, optionally of some categories."""
    filters = ListingFilters(validity=VALIDITY_ALL)
    qs = shareable_items(user, filters, categories=categories).exclude(archived_q())
    return qs[:limit].specific()


def latest_publicity(user, kind: str, limit: int):
    """Return the newest live news or interpretation pages (always public)."""
    return PUBLICITY_MODELS[kind].objects.live().order_by("-date", "-pk")[:limit]
