"""Period filters of a statistics table: pick the rows from one period to another.

A statistics page draws its chart and prints its table from the same rows;
``select_periods`` narrows those rows when the first column names periods
(1月 … 12月, 第一季度, 2024年, 2025-03 …). A table of departments or
channels has no periods and is always shown whole. Values that name no
period of the table are ignored with a Chinese notice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# A row label that names a period: a year, a month, a quarter, a half year, or a year-month date.
PERIOD_LABEL = re.compile(
    r"^\s*(?:\d{4}\s*年?\s*)?(?:"
    r"\d{1,2}\s*月(?:份)?|第?[一二三四1-4]\s*季度|[上下]半年|全年"
    r")\s*$"
    r"|^\s*\d{4}\s*年?\s*$"
    r"|^\s*\d{4}[-/.]\d{1,2}\s*$"
)
MIN_PERIODS = 2
MAX_ECHO = 20


@dataclass
class PeriodSelection:
    """The rows to chart and tabulate (header row first) and the period filter's state."""

    rows: list[list]
    periods: list[str] = field(default_factory=list)  # every period of the table, in order ([] = no filter)
    start: str = ""
    end: str = ""
    notices: list[str] = field(default_factory=list)

    @property
    def is_filtered(self) -> bool:
        return bool(self.start or self.end)

    @property
    def label(self) -> str:
        """Return the chosen range as words, e.g. "3月至6月" ("" when the whole table is shown)."""
        if not self.is_filtered:
            return ""
        first, last = self.start or self.periods[0], self.end or self.periods[-1]
        return first if first == last else f"{first}至{last}"


def period_labels(rows) -> list[str]:
    """Return the first-column labels of the data rows when every one names a period, else []."""
    labels = [str(row[0]).strip() if row else "" for row in rows[1:]]
    if len(labels) < MIN_PERIODS or not all(PERIOD_LABEL.match(label) for label in labels):
        return []
    return labels


def _echo(value: str) -> str:
    return value if len(value) <= MAX_ECHO else value[:MAX_ECHO] + "…"


def select_periods(rows, start: str | None = None, end: str | None = None) -> PeriodSelection:
    """Return the header row and the data rows from period ``start`` to ``end`` (both included, either optional).

    A value that is not a period of the table is ignored with a notice; a range
    given backwards is turned round.
    """
    rows = [list(row) for row in rows or []]
    periods = period_labels(rows)
    selection = PeriodSelection(rows=rows, periods=periods)
    start, end = (" ".join(str(v or "").split())[:100] for v in (start, end))
    if not (start or end):
        return selection
    if not periods:
        selection.notices.append("本表不是按期间排列的数据，不能按期间筛选，已显示全部数据。")
        return selection
    positions = {}
    for name, value in (("start", start), ("end", end)):
        if not value:
            continue
        if value in periods:
            positions[name] = periods.index(value)
        else:
            which = "起始" if name == "start" else "截止"
            selection.notices.append(f"本表没有“{_echo(value)}”这一期间，已忽略{which}期间。")
    first, last = positions.get("start", 0), positions.get("end", len(periods) - 1)
    if first > last:
        first, last = last, first
        selection.notices.append("起始期间晚于截止期间，已对调。")
    if "start" in positions or "end" in positions:
        selection.start, selection.end = periods[first], periods[last]
        selection.rows = [rows[0], *rows[1 + first: 2 + last]]
    return selection
