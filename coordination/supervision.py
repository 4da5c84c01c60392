"""The supervision overview of 区编办 and 区政府法制办: open and overdue items of the four working systems.

三（二）: 区编办、区政府法制办等部门要对全区综合行政执法工作加强监督检查，强化责任追究。 The overview counts, per
department and per system, the time limits not yet kept (未办结) and those among them already past (逾期):

- 联席会议 (二（四）1): the 交办事项 of issued minutes, due on the minutes' date;
- 案件移送 (二（四）3): the sender's 2 working days to send, the receiver's 5 to answer;
- 首问负责 (二（四）4): matters classified for transfer, sent by the case-transfer rules;
- 信息共享 (二（四）5): each item's sharing clock (最长不超过5个工作日) and the requests for penalty data
  (3个工作日) or to consult and copy materials.

The items are those of ``cooperation.statistics`` and ``sharing.deadlines``; a limit that cannot be
computed (before the holiday data) is open but never overdue. Open disputes and accountability cases
are counted alongside. Only 区编办、区政府法制办 staff and superusers open it (portal.walls.coordination).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from cooperation import limits
from cooperation.statistics import Tracked, complaint_items, request_items, task_items, transfer_items
from coordination.disputes import OPEN as OPEN_DISPUTES
from coordination.models import AccountabilityCase, Dispute
from portal.models import Department
from sharing.deadlines import supervision_report

SYSTEMS = [
    ("meetings", "联席会议", "二（四）1：交办事项"),
    ("transfers", "案件移送", "二（四）3：2个工作日内移送，5个工作日内答复"),
    ("complaints", "首问负责", "二（四）4：按照案件移送制度办理"),
    ("sharing", "信息共享", "二（四）5：信息互通及行政处罚数据、查阅复制请求"),
]


@dataclass
class Cell:
    open: int = 0
    overdue: int = 0


@dataclass
class Row:
    department: str
    order: int
    cells: dict[str, Cell] = field(default_factory=lambda: {key: Cell() for key, _, _ in SYSTEMS})

    @property
    def in_order(self) -> list[Cell]:
        return [self.cells[key] for key, _, _ in SYSTEMS]

    @property
    def overdue(self) -> int:
        return sum(c.overdue for c in self.cells.values())


@dataclass
class Overview:
    today: datetime.date
    rows: list[Row]
    totals: Row
    open_disputes: int
    open_cases: int

    @property
    def systems(self) -> list[tuple[str, str, str]]:
        return SYSTEMS


def sharing_items(today: datetime.date) -> list[Tracked]:
    """Return the sharing clock of every shared item and the information requests, as tracked limits."""
    items = [Tracked(report.department.display_name, f"{row.formed:%Y-%m}", row.due, row.shared,
                     report.department.sort_order)
             for report in supervision_report(today=today).departments for row in report.rows]
    return items + request_items()


def overview(today: datetime.date | None = None) -> Overview:
    """Return the overview: one row per department (in the list's order), a total row, and the open records."""
    today = today or timezone.localdate()
    rows = {d.display_name: Row(d.display_name, d.sort_order) for d in Department.objects.all()}
    totals = Row("合计", 0)
    sources = {"meetings": task_items(), "transfers": transfer_items(), "complaints": complaint_items(),
               "sharing": sharing_items(today)}
    for key, items in sources.items():
        for item in items:
            if item.done is not None:
                continue
            row = rows.setdefault(item.department, Row(item.department, item.order))
            late = limits.status_of(item.due, None, today) == "overdue"
            for target in (row.cells[key], totals.cells[key]):
                target.open += 1
                target.overdue += int(late)
    ordered = sorted(rows.values(), key=lambda r: (r.order, r.department))
    return Overview(today, ordered, totals,
                    open_disputes=Dispute.objects.filter(status__in=OPEN_DISPUTES).count(),
                    open_cases=AccountabilityCase.objects.filter(status=AccountabilityCase.Status.OPEN).count())
