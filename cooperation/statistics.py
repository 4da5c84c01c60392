"""Statistics of the four working systems: counts and on-time rates by department and by month.

The directive prescribes no such statistics; they serve the supervision it gives to
区编办、区政府法制办等部门 (三（二）: 对全区综合行政执法工作加强监督检查，强化责任追究).

Each system yields ``Tracked`` items, one per time limit somebody had to keep:

- 交办事项: the 承办单位, the meeting's month, due the minutes' date, done when reported.
- 案件移送: the sender's 2-working-day limit (month of discovery) and the receiver's
  5-working-day answer (month of sending).
- 首问负责: for matters to transfer, the first department's 2-working-day limit
  (month of receipt), kept when the linked transfer was sent.
- 信息请求: the requested department's limit (month of receipt); withdrawn requests drop out.

A row counts items (总数), those done on time (按时办结) or late (逾期办结), those
open past their limit (逾期未办) and those still open within it (办理中). The
on-time rate is 按时办结 / (办结 + 逾期未办): items whose limit has not yet come
and gone are not judged. Items whose limit cannot be computed (beyond the holiday
data) are counted but never judged.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from cooperation import limits
from cooperation.models import (
    AssignedTask,
    CaseTransfer,
    ComplaintRecord,
    InformationRequest,
    JointMeeting,
    MeetingMinutes,
    MeetingTopic,
)


@dataclass(frozen=True)
class Tracked:
    """One time limit: whose it was, which month it belongs to, when it was due and when it was kept."""

    department: str  # the department's short name (简称), as tables and charts show it
    month: str  # "2026-03"
    due: datetime.date | None
    done: datetime.date | None
    order: int = 0  # the department's sort order, so rows follow the list of member units


@dataclass
class Row:
    label: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    open: int = 0

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def judged(self) -> int:
        return self.done + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """Return the share of judged items kept on time (0-1), or None when nothing is judged yet."""
        return self.on_time / self.judged if self.judged else None

    @property
    def rate_display(self) -> str:
        rate = self.on_time_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass
class Section:
    """The statistics of one working system: counts, and deadline rows by department and by month."""

    key: str
    title: str
    basis: str
    counts: list[tuple[str, int]] = field(default_factory=list)
    by_department: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)

    def chart_table(self) -> list[list]:
        """Return the by-department rows as a table for ``lib.charts.chart_for_table`` (header first)."""
        return [["部门", "按时办结", "逾期办结", "逾期未办"]] + [
            [row.label, row.on_time, row.late, row.overdue] for row in self.by_department]


def _month(day: datetime.date | None) -> str:
    return f"{day:%Y-%m}" if day else "—"


def summarize(items: Iterable[Tracked], key: str, today: datetime.date) -> list[Row]:
    """Return one Row per value of ``key``: by "department" in the departments' order, by "month" in time order."""
    rows: dict[str, Row] = {}
    order: dict[str, int] = {}
    for item in items:
        label = getattr(item, key)
        order.setdefault(label, item.order if key == "department" else 0)
        row = rows.setdefault(label, Row(label))
        row.total += 1
        status = limits.status_of(item.due, item.done, today)
        if status == "on_time":
            row.on_time += 1
        elif status == "late":
            row.late += 1
        elif status == "overdue":
            row.overdue += 1
        elif item.done is None:
            row.open += 1
    return [rows[label] for label in sorted(rows, key=lambda label: (order[label], label))]


def total_row(rows: Iterable[Row]) -> Row:
    total = Row("合计")
    for row in rows:
        for name in ("total", "on_time", "late", "overdue", "open"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def _in_year(qs, field_name: str, year: int | None):
    return qs.filter(**{f"{field_name}__year": year}) if year else qs


def _counts(qs, field_name: str, choices) -> list[tuple[str, int]]:
    found = defaultdict(int)
    for value in qs.values_list(field_name, flat=True):
        found[value] += 1
    return [(label, found[value]) for value, label in choices if found[value]]


def task_items(year: int | None = None) -> list[Tracked]:
    qs = AssignedTask.objects.filter(minutes__status=MeetingMinutes.Status.ISSUED).select_related(
        "responsible_department", "minutes__meeting")
    qs = _in_year(qs, "minutes__meeting__date", year)
    return [Tracked(t.responsible_department.display_name, _month(t.minutes.meeting.date), t.due_date, t.completed_date,
                    t.responsible_department.sort_order) for t in qs]


def transfer_items(year: int | None = None) -> list[Tracked]:
    qs = _in_year(CaseTransfer.objects.select_related("from_department", "to_department"), "discovered_date", year)
    items = []
    for t in qs:
        items.append(Tracked(t.from_department.display_name, _month(t.discovered_date), t.send_due, t.sent_date,
                             t.from_department.sort_order))
        if t.sent_date and t.to_department_id:
            items.append(Tracked(t.to_department.display_name, _month(t.sent_date), t.answer_due, t.answered_date,
                                 t.to_department.sort_order))
    return items


def complaint_items(year: int | None = None) -> list[Tracked]:
    qs = ComplaintRecord.objects.filter(classification=ComplaintRecord.Classification.TRANSFER).select_related(
        "first_department", "transfer")
    qs = _in_year(qs, "received_date", year)
    return [Tracked(r.first_department.display_name, _month(r.received_date), r.transfer_due,
                    r.transfer.sent_date if r.transfer_id else None, r.first_department.sort_order) for r in qs]


def request_items(year: int | None = None) -> list[Tracked]:
    qs = InformationRequest.objects.exclude(status=InformationRequest.Status.WITHDRAWN).select_related(
        "requested_department")
    qs = _in_year(qs, "received_date", year)
    return [Tracked(r.requested_department.display_name, _month(r.received_date), r.due_date, r.answered_date,
                    r.requested_department.sort_order) for r in qs]


def meeting_statistics(year: int | None = None, today: datetime.date | None = None) -> Section:
    today = today or timezone.localdate()
    meetings = _in_year(JointMeeting.objects.all(), "date", year)
    topics = _in_year(MeetingTopic.objects.all(), "meeting__date", year)
    items = task_items(year)
    counts = _counts(meetings, "kind", JointMeeting.Kind.choices) + [
        ("提交议题", topics.count()), ("采纳议题", topics.filter(status=MeetingTopic.Status.ADOPTED).count()),
        ("交办事项", len(items)), ("已办结交办事项", sum(1 for i in items if i.done)),
    ]
    return Section("meetings", "联席会议交办事项", "二（四）1：有关单位落实会议交办的各项工作（时限为会议纪要所定）", counts,
                   summarize(items, "department", today), summarize(items, "month", today))


def transfer_statistics(year: int | None = None, today: datetime.date | None = None) -> Section:
    today = today or timezone.localdate()
    qs = _in_year(CaseTransfer.objects.all(), "discovered_date", year)
    items = transfer_items(year)
    counts = _counts(qs, "status", CaseTransfer.Status.choices) + [
        ("涉嫌犯罪移送司法机关", qs.filter(suspected_crime=True).count())]
    return Section("transfers", "案件移送", "二（四）3：2个工作日内移送；5个工作日内书面告知是否受理",
                   counts, summarize(items, "department", today), summarize(items, "month", today))


def complaint_statistics(year: int | None = None, today: datetime.date | None = None) -> Section:
    today = today or timezone.localdate()
    qs = _in_year(ComplaintRecord.objects.all(), "received_date", year)
    items = complaint_items(year)
    counts = (_counts(qs, "channel", ComplaintRecord.Channel.choices)
              + _counts(qs, "classification", ComplaintRecord.Classification.choices)
              + _counts(qs, "status", ComplaintRecord.Status.choices))
    return Section("complaints", "首问负责", "二（四）4：需要移送的按照案件移送制度办理（二（四）3：2个工作日内移送）", counts,
                   summarize(items, "department", today), summarize(items, "month", today))


def request_statistics(year: int | None = None, today: datetime.date | None = None) -> Section:
    today = today or timezone.localdate()
    qs = _in_year(InformationRequest.objects.all(), "received_date", year)
    items = request_items(year)
    counts = _counts(qs, "kind", InformationRequest.Kind.choices) + _counts(
        qs, "status", InformationRequest.Status.choices)
    return Section("requests", "信息请求", "二（四）5：行政处罚数据材料3个工作日内提供；查阅、复制不得收取费用",
                   counts, summarize(items, "department", today), summarize(items, "month", today))


def all_statistics(year: int | None = None, today: datetime.date | None = None) -> list[Section]:
    """Return the statistics of the four systems, in the directive's order."""
    return [f(year, today) for f in (meeting_statistics, transfer_statistics, complaint_statistics,
                                     request_statistics)]


def available_years() -> list[int]:
    """Return the years that have any record, newest first."""
    years = set()
    for model, name in ((JointMeeting, "date"), (CaseTransfer, "discovered_date"),
                        (ComplaintRecord, "received_date"), (InformationRequest, "received_date")):
        years.update(d.year for d in model.objects.dates(name, "year"))
    return sorted(years, reverse=True)
