"""The sharing clock of each item: 应共享日期, when it was shared, its status; per department and across departments.

An item is *shared* on the local date of its first publication
(``first_published_at``); 应共享日期 is ``sharing_deadline(信息形成日期)``.
不予共享 items never leave their department, so they have no sharing deadline
and are left out; pages in the 回收站 are left out too. Where no official
holiday arrangement is known yet (a year chinesecalendar lacks and nobody has
imported) 应共享日期 is estimated by ``lib.workdays``: the row is
``estimated``, says 预计 wherever it is shown (dashboard, supervision, exports,
reminders) and its note tells how it was counted. Before the calendar's data
(``CalendarOutOfRange``, 2003 and earlier) the status is ``UNKNOWN`` and the
row says so.

The 更新情况 of a law or 公文 (二（四）5（1）) is an item of its own: each new version published
(``amendments.models.Amendment``) is shared that day, on the owning department's clock from the
更新情况's 信息形成日期 (``amendments.services.update_formed_date``). Its row names the law's page,
with ``what`` = 更新情况.

Views only read the request and call these functions; exports are built here too.
"""
from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from amendments.models import Amendment
from archive.recycle import recycled_pages
from lib.workdays import (
    DUE_SOON,
    LATE,
    ON_TIME,
    OVERDUE,
    PENDING,
    STATUS_LABELS,
    CalendarOutOfRange,
    deadline_status,
    estimate_note,
    estimated,
    holidays_between,
    sharing_deadline,
)
from portal import params
from portal.models import Department
from portal.models.metadata import Scope, SharedInfoPage
from portal.walls.access import can_view

__all__ = [
    "CALENDAR_MISSING", "ESTIMATED", "current_date", "DUE_SOON", "LATE", "ON_TIME", "OVERDUE", "PENDING", "STATUS_ORDER", "UNKNOWN",
    "DeadlineRow", "DepartmentReport", "SupervisionReport", "department_deadline_report", "deadline_row",
    "export_csv", "export_xlsx", "supervises_sharing", "parse_month", "supervision_report", "title_for",
    "estimate_notice",
    "export_csv", "export_xlsx", "supervises_sharing", "parse_month", "supervision_report", "title_for",
]

UNKNOWN = "unknown"
UPDATE = "更新情况"  # what a row of a new version of a law or 公文 shares (二（四）5（1）)
CALENDAR_MISSING = "节假日数据不足，无法计算"
ESTIMATED = "预计"
STATUS_ORDER = [OVERDUE, DUE_SOON, PENDING, LATE, ON_TIME, UNKNOWN]
LABELS = {**STATUS_LABELS, UNKNOWN: CALENDAR_MISSING}
SUPERVISOR_CODES = ("BB", "FZB")  # 区编办、区政府法制办


@dataclass
class DeadlineRow:
    """One item on the sharing clock."""

    page: SharedInfoPage
    formed: datetime.date
    due: datetime.date | None
    shared: datetime.date | None
    status: str
    note: str = ""  # why the status could not be computed, or how an estimated 应共享日期 was counted
    estimated: bool = False  # 应共享日期 is 预计: counted on days no official arrangement is known for yet
    holidays: tuple[str, ...] = ()  # the official holidays the counting span (信息形成日期, 应共享日期] crosses
    what: str = ""  # UPDATE for the 更新情况 of a new version, "" for the item itself

    @property
    def title_suffix(self) -> str:
        """Return what is shown after the item's title: "（更新情况 2026-11-02）" for a new version, else ""."""
        return f"（{self.what} {self.formed:%Y-%m-%d}）" if self.what else ""

    @property
    def holiday_text(self) -> str:
        """Return the holidays counted over, as shown next to 应共享日期: "（含元旦、春节假期）" or ""."""
        return f"（含{'、'.join(self.holidays)}假期）" if self.holidays else ""

    @property
    def status_label(self) -> str:
        return LABELS[self.status]

    @property
    def due_text(self) -> str:
        """Return 应共享日期 as shown in texts and exports: "2027-01-05", "2027-01-05（预计）" or ""."""
        if self.due is None:
            return ""
        return f"{self.due:%Y-%m-%d}" + (f"（{ESTIMATED}）" if self.estimated else "")


def estimate_notice(rows) -> str:
    """Return the notice shown above rows of which some 应共享日期 are 预计 ("" when none is)."""
    guessed = sorted((row for row in rows if row.estimated), key=lambda row: row.due)
    if not guessed:
        return ""
    return f"{len(guessed)} 条信息的应共享日期标为“{ESTIMATED}”，{guessed[0].note.removeprefix(f'{ESTIMATED}：')}"


def _counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


class _RowsByStatus:
    """What both reports say of their rows: the overdue ones, and the 预计 notice if any deadline is estimated."""

    rows: list[DeadlineRow]

    @property
    def overdue(self) -> list[DeadlineRow]:
        return [row for row in self.rows if row.status == OVERDUE]

    @property
    def estimate_notice(self) -> str:
        return estimate_notice(self.rows)


@dataclass
class DepartmentReport(_RowsByStatus):
    """A department's items on the sharing clock, newest 信息形成日期 first, with counts by status."""

    department: object
    month: tuple[int, int] | None
    today: datetime.date
    rows: list[DeadlineRow]
    counts: dict[str, int] = field(init=False)

    def __post_init__(self):
        self.counts = _counts(self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """Return (status key, Chinese label, count) in display order."""
        return [(key, LABELS[key], self.counts[key]) for key in STATUS_ORDER]

    @property
    def due_soon(self) -> list[DeadlineRow]:
        return [row for row in self.rows if row.status == DUE_SOON]

    @property
    def shared_count(self) -> int:
        return self.counts[ON_TIME] + self.counts[LATE]

    @property
    def on_time_rate(self) -> str:
        """Return the share of shared items that were on time, as "87.5%", or "—" when nothing was shared."""
        if not self.shared_count:
            return "—"
        return f"{self.counts[ON_TIME] * 100 / self.shared_count:.1f}%"


@dataclass
class SupervisionReport(_RowsByStatus):
    """Every department's report for the supervisors (区编办、区政府法制办)."""

    month: tuple[int, int] | None
    today: datetime.date
    departments: list[DepartmentReport]

    @property
    def rows(self) -> list[DeadlineRow]:
        return [row for report in self.departments for row in report.rows]

    @property
    def counts(self) -> dict[str, int]:
        return _counts(self.rows)


def current_date() -> datetime.date:
    """Return today's local date: the "today" of every report (tests replace it to stay inside the calendar)."""
    return timezone.localdate()


def parse_month(value: str | None) -> tuple[int, int] | None:
    """Return (year, month) from "2026-10" (or "2026-1"); None for an empty or malformed value."""
    return params.month_param(value)


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def deadline_row(page: SharedInfoPage, today: datetime.date) -> DeadlineRow:
    """Return the item's row: 应共享日期 (预计 past the known arrangements), shared date and status.

    UNKNOWN only before the calendar's data begins (2004).
    """
    return _row(page, page.formed_date, _local_date(page.first_published_at), today)


def _row(page, formed: datetime.date, shared: datetime.date | None, today: datetime.date, what: str = "") -> DeadlineRow:
    try:
        due = sharing_deadline(formed)
    except CalendarOutOfRange as exc:
        return DeadlineRow(page, formed, None, shared, UNKNOWN, str(exc), what=what)
    try:
        status = deadline_status(due, shared, today)
    except CalendarOutOfRange as exc:
        return DeadlineRow(page, formed, due, shared, UNKNOWN, str(exc), what=what)
    crossed = tuple(holidays_between(formed, due))
    if estimated(due):
        return DeadlineRow(page, formed, due, shared, status, estimate_note(due), estimated=True,
                           holidays=crossed, what=what)
    return DeadlineRow(page, formed, due, shared, status, holidays=crossed, what=what)


def update_rows(items, month: tuple[int, int] | None, today: datetime.date) -> list[DeadlineRow]:
    """Return the rows of the 更新情况 shared by publishing new versions of the laws and 公文 among ``items``."""
    amendments = Amendment.objects.filter(law_id__in=items.values("pk")).order_by("-created_at", "-pk")
    if month:
        amendments = amendments.filter(formed_date__year=month[0], formed_date__month=month[1])
    amendments = list(amendments)
    pages = items.in_bulk({a.law_id for a in amendments})
    return [_row(pages[a.law_id], a.formed_date or a.shared_date, a.shared_date, today, UPDATE) for a in amendments]


def _newest_first(rows: list[DeadlineRow]) -> list[DeadlineRow]:
    return sorted(rows, key=lambda row: row.formed, reverse=True)  # stable: the items' own order within a day


def _items(month: tuple[int, int] | None):

    qs = SharedInfoPage.objects.exclude(scope=Scope.PRIVATE).exclude(pk__in=recycled_pages().values("pk"))
    if month:
        qs = qs.filter(formed_date__year=month[0], formed_date__month=month[1])
    return qs.select_related("department").order_by("-formed_date", "-pk")


def department_deadline_report(department, month: tuple[int, int] | None = None,
                               today: datetime.date | None = None) -> DepartmentReport:
    """Return the department's items with 应共享日期 and status; ``month`` narrows to 信息形成日期 in that month."""
    today = today or current_date()
    rows = [deadline_row(page, today) for page in _items(month).filter(department=department)]
    rows += update_rows(_items(None).filter(department=department), month, today)
    return DepartmentReport(department, month, today, _newest_first(rows))


def supervision_report(month: tuple[int, int] | None = None, today: datetime.date | None = None) -> SupervisionReport:
    """Return every department's report (departments without items included, with zero counts)."""

    today = today or current_date()
    by_department: dict[int, list[DeadlineRow]] = {}
    for page in _items(month):
        by_department.setdefault(page.department_id, []).append(deadline_row(page, today))
    for row in update_rows(_items(None), month, today):
        by_department.setdefault(row.page.department_id, []).append(row)
    reports = [DepartmentReport(d, month, today, _newest_first(by_department.get(d.pk, [])))
               for d in Department.objects.order_by("sort_order", "name")]
    return SupervisionReport(month, today, reports)


def supervises_sharing(user) -> bool:
    """Return True for superusers and staff of 区编办 (BB) or 区政府法制办 (FZB), who supervise every department."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    department = getattr(user, "department", None)
    return bool(department and department.code in SUPERVISOR_CODES)


# --- exports -------------------------------------------------------------------------------

SUMMARY_HEADINGS = ["部门", "信息总数", *[LABELS[s] for s in STATUS_ORDER[:-1]], "无法计算", "按时率"]
ITEM_HEADINGS = ["部门", "索引号", "标题", "主题分类", "共享范围", "信息形成日期", "应共享日期", "共享日期", "状态", "说明"]


def _fmt(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def summary_table(report: SupervisionReport) -> list[list]:
    """Return one row per department: counts by status and the on-time rate."""
    return [[r.department.name, r.total, *[r.counts[s] for s in STATUS_ORDER], r.on_time_rate]
            for r in report.departments]


def title_for(user, page) -> str:
    """Return the item's title if the user may see the item, else a placeholder (titles can name persons)."""

    if user is None or can_view(user, page):
        return page.title
    return f"（{page.get_scope_display()}信息，标题不予显示）"


def item_table(report: SupervisionReport, user=None) -> list[list]:
    """Return one row per item: only the metadata of the sharing clock, titles as ``title_for`` the user."""
    return [[row.page.department.name, row.page.index_number or "", title_for(user, row.page) + row.title_suffix,
             row.page.get_category_display(),
             row.page.get_scope_display(), _fmt(row.formed), row.due_text, _fmt(row.shared) or "未共享",
             row.status_label, row.note] for row in report.rows]


def export_name(report: SupervisionReport, extension: str) -> str:
    period = f"{report.month[0]}-{report.month[1]:02d}" if report.month else "全部"
    return f"信息共享时限督查-{period}-{report.today:%Y%m%d}.{extension}"


def export_csv(report: SupervisionReport, user=None) -> bytes:
    """Return the report as CSV in UTF-8 with a BOM, so that Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    period = f"{report.month[0]}年{report.month[1]}月" if report.month else "全部"
    writer.writerow([f"信息共享时限督查（信息形成月份：{period}；统计日期：{report.today:%Y-%m-%d}）"])
    writer.writerow(SUMMARY_HEADINGS)
    writer.writerows(summary_table(report))
    writer.writerow([])
    writer.writerow(ITEM_HEADINGS)
    writer.writerows(item_table(report, user))
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(report: SupervisionReport, user=None) -> bytes:
    """Return the report as an XLSX workbook: sheet 汇总 (per department) and sheet 明细 (per item)."""

    workbook = Workbook()
    summary = workbook.active
    summary.title = "汇总"
    for sheet, headings, rows in (
        (summary, SUMMARY_HEADINGS, summary_table(report)),
        (workbook.create_sheet("明细"), ITEM_HEADINGS, item_table(report, user)),
    ):
        sheet.append(headings)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for column, width in zip("ABCDEFGHIJ", (30, 18, 50, 20, 10, 14, 14, 14, 10, 30), strict=False):
            sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
