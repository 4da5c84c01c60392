"""The time limits of the working systems, on the working-day calendar of ``lib.workdays``.

- 联席会议: a 例行会议 every half year (二（四）1: “例行会议每半年召开一次”): ``half_year_of``,
  ``half_year_bounds``, ``half_years`` give the half-years (1 January–30 June, 1 July–31 December)
  a routine meeting is looked for in. Its topics are collected from at least 5 working days before
  the meeting (二（四）1: “办公室于会前5个工作日向各成员单位征集有关议题” — said of the 例行会议
  only; a 专题会议 is called on topics already approved, with no collection window).
  ``topic_window_error(open, meeting)`` accepts an opening date when the meeting
  falls on or after the 5th working day after it: topics opened Monday 2026-06-22
  allow a meeting on Monday 2026-06-29 at the earliest; opened Wednesday
  2026-09-30, the 国庆 break pushes the earliest meeting to 2026-10-13 (the five
  working days are 10-08, 10-09, the make-up Saturday 10-10, 10-12 and 10-13).
- 交办事项: the minutes set a calendar date (完成时限); overdue means today is past it.
- 案件移送: sent within 2 working days of discovery (二（四）3: the related department's
  evidence in （1）（2）, the bureau's other findings in its own （3）); answered within
  5 working days of receipt (二（四）3: “应在5个工作日内书面告知移送部门是否受理”). A transfer discovered on 2025-09-30, the day
  before 国庆, is due 2025-10-10 (10-09 and 10-10 are the two working days after).
  如有特殊情况 the 2 days may be extended (二（四）3（1）, said of a licensed party's breach only): the extension is
  recorded with its reason, in working days after the original date (``MAX_EXTENSION_DAYS`` is the portal's bound;
  the directive says only 可适当延长), and a transfer sent by the extended date is not late.
- 配合取证、认定、鉴定: the related department provides materials and its 书面意见 within 2 working days of the
  bureau's request (``assistance_deadline``; 二（四）3 综合行政执法部门发现违法行为（1）); a 延期 is told in advance.
- 抄告: the bureau's 行政处罚决定 on a transferred case reaches the related department within 2 working days of
  the decision (``penalty_notice_deadline``; 二（四）3（4）).
- 首问负责: a matter for another department goes to it by the case-transfer rules (二（四）4:
  “按照案件移送制度的相关规定办理”), hence within the 2 working days of 二（四）3.
- 信息请求: penalty data within 3 working days (二（四）5); consulting or copying
  materials (二（四）5) has no time limit in the directive: the 5 working days used here
  are the portal's own reminder period, not a rule of the directive.

Every deadline counts with ``lib.workdays``. Past the known holiday arrangements a
deadline is estimated (a ``workdays.EstimatedDate``, 预计); stored in a DateField it becomes a plain
date, and it is not recounted when the year's notice is imported later. Before the calendar's
data (2003 and earlier) a deadline cannot be counted, and ``safe_deadline`` returns None.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from lib.workdays import (
    PENDING,
    STATUS_LABELS,
    CalendarOutOfRange,
    acceptance_reply_deadline,
    add_working_days,
    deadline_status,
    is_working_day,
    penalty_request_deadline,
    transfer_deadline,
    working_days_between,
)

__all__ = [
    "ASSISTANCE_DAYS", "ASSISTANCE_RULE", "MAX_EXTENSION_DAYS", "PENALTY_NOTICE_DAYS", "add_working_days",
    "assistance_deadline", "penalty_notice_deadline",
    "CONSULT_DAYS", "TOPIC_LEAD_DAYS", "UNKNOWN", "acceptance_reply_deadline", "half_year_bounds",
    "half_year_label", "half_year_of", "half_years", "latest_topic_opening", "missing_materials", "request_deadline",
    "safe_deadline", "status_label", "status_of", "topic_window_error",
    "transfer_deadline",
]

TOPIC_LEAD_DAYS = 5  # 二（四）1：办公室于会前5个工作日向各成员单位征集有关议题（例行会议）
CONSULT_DAYS = 5  # 查阅、复制资料：二（四）5 未规定期限，5个工作日是平台自定的提醒期限
ASSISTANCE_DAYS = 2  # 二（四）3 综合行政执法部门发现违法行为（1）：须在2个工作日内提供相关材料，出具书面意见
PENALTY_NOTICE_DAYS = 2  # 二（四）3（4）：行政处罚决定应在2个工作日内…抄告相关行政管理部门
MAX_EXTENSION_DAYS = 10  # 二（四）3（1）只说“可适当延长”；10个工作日是平台自定的上限
# How the portal cites the first item of the bureau's own series in 二（四）3 (the document's anchor 二（四）3（1）-2).
ASSISTANCE_RULE = "二（四）3 综合行政执法部门发现违法行为（1）"
UNKNOWN = "unknown"
_LABELS = {**STATUS_LABELS, UNKNOWN: "期限无法计算"}

# 二（四）3 移送的案件材料（1）—（3）: a 移送函, at least one 案源材料 (现场检查记录 or 举报投诉材料) and the
# evidence (（3）初步证明违法行为事实情况的相关证据材料; 事实清楚、证据齐全; （1）（2）: 将有关证据材料移送) are
# mandatory; （4） other materials are optional. A 鉴定、检测结论 (二（四）3（3）) counts as evidence.
LETTER_KINDS = frozenset({"letter"})
SOURCE_KINDS = frozenset({"inspection", "complaint"})
EVIDENCE_KINDS = frozenset({"evidence", "appraisal"})


def safe_deadline(rule: Callable, *args) -> datetime.date | None:
    """Return ``rule(*args)`` (预计 past the known arrangements), or None before the calendar's data begins."""
    if any(a is None for a in args):
        return None
    try:
        return rule(*args)
    except CalendarOutOfRange:
        return None


def assistance_deadline(received: datetime.date) -> datetime.date:
    """Return the date a related department's materials and 书面意见 are due: 2 working days after the request."""
    return add_working_days(received, ASSISTANCE_DAYS)


def penalty_notice_deadline(decided: datetime.date) -> datetime.date:
    """Return the date the bureau's penalty decision must be 抄告 to the related department: 2 working days after."""
    return add_working_days(decided, PENALTY_NOTICE_DAYS)


def request_deadline(received: datetime.date, kind: str) -> datetime.date:
    """Return the answer deadline of an information request: 3 working days for penalty data, else 5."""
    if kind == "penalty_data":
        return penalty_request_deadline(received)
    return add_working_days(received, CONSULT_DAYS)


def latest_topic_opening(meeting_date: datetime.date) -> datetime.date:
    """Return the last working day topic collection may open for a meeting on ``meeting_date`` (二（四）1).

    That is the latest working day d with working_days_between(d, meeting_date) >= 5: for a
    meeting on Monday 2026-06-29 it is Monday 2026-06-22; for one on 2026-10-13 it is
    2026-09-30, the last working day before 国庆.
    """
    day = meeting_date
    while not (is_working_day(day) and working_days_between(day, meeting_date) >= TOPIC_LEAD_DAYS):
        day -= datetime.timedelta(days=1)
    return day


def topic_window_error(open_date: datetime.date, meeting_date: datetime.date) -> str:
    """Return why topic collection opening on ``open_date`` is too late for the meeting, or "" when it is fine."""
    try:
        if working_days_between(open_date, meeting_date) >= TOPIC_LEAD_DAYS:
            return ""
        latest = latest_topic_opening(meeting_date)
    except CalendarOutOfRange as exc:
        return f"无法核对议题征集期限：{exc}"
    return (f"议题征集应在会议召开前至少{TOPIC_LEAD_DAYS}个工作日开始（二（四）1：办公室于会前5个工作日征集议题）："
            f"{meeting_date:%Y-%m-%d}召开的会议，最迟应于{latest:%Y-%m-%d}开始征集。")


def half_year_of(day: datetime.date) -> tuple[int, int]:
    """Return (year, 1 or 2): the half-year ``day`` falls in (1 = 1 January–30 June, 2 = 1 July–31 December)."""
    return day.year, 1 if day.month <= 6 else 2


def half_year_bounds(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of the half-year."""
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def half_year_label(year: int, half: int) -> str:
    """Return the half-year in words, e.g. “2026年上半年”."""
    return f"{year}年{'上' if half == 1 else '下'}半年"


def half_years(first: datetime.date, last: datetime.date) -> list[tuple[int, int]]:
    """Return the half-years from the one holding ``first`` to the one holding ``last``, in order."""
    year, half = half_year_of(first)
    end = half_year_of(last)
    result = []
    while (year, half) <= end:
        result.append((year, half))
        year, half = (year, 2) if half == 1 else (year + 1, 1)
    return result


def status_of(due: datetime.date | None, done: datetime.date | None, today: datetime.date) -> str:
    """Return the deadline status key of ``lib.workdays.deadline_status``, or "unknown" when it cannot be known.

    A deadline that could not be computed (None) is "unknown" while open; so is an
    open item whose "due soon" check runs past the holiday data.
    """
    if due is None:
        return UNKNOWN
    try:
        return deadline_status(due, done, today)
    except CalendarOutOfRange:
        if done is None and today > due:
            return "overdue"
        return PENDING if done is None else UNKNOWN


def status_label(key: str) -> str:
    """Return the Chinese label of a deadline status key ("" for "")."""
    return _LABELS.get(key, "")


def missing_materials(kinds: Iterable[str]) -> list[str]:
    """Return the Chinese names of the mandatory materials missing from the given material kinds."""
    kinds = set(kinds)
    missing = []
    if not kinds & LETTER_KINDS:
        missing.append("涉嫌违法案件移送函")
    if not kinds & SOURCE_KINDS:
        missing.append("案源材料（现场检查记录或举报投诉材料）")
    if not kinds & EVIDENCE_KINDS:
        missing.append("证据材料（初步证明违法行为事实情况的相关证据材料）")
    return missing
