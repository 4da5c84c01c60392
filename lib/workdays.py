"""Working days on the Chinese official calendar, and the deadlines of the sharing directive.

The directive wants enforcement information shared the day it is formed, at
most 5 working days later; penalty data asked for by a department is due in 3
working days. Holidays and make-up working days (调休) come from the
``chinesecalendar`` package, whose data ends with the last year the State
Council has announced. Past that year nobody knows where the holidays fall,
so every function here raises ``CalendarOutOfRange`` instead of guessing.

Counting rule (the one of 行政处罚法 and the procedure laws: 期间开始之日不计算在内):
``add_working_days(start, n)`` is the n-th working day *after* ``start``.
Information formed on Monday 2026-03-02 is due by the 5th working day after,
Monday 2026-03-09. Information formed on a holiday or weekend starts counting
at the next working day, which is day 1: formed on 2024-10-01 (国庆) it is
due 2024-10-12, the make-up Saturday that is the 5th working day after.
``n = 0`` means "today if it is a working day, else the next working day".
"""
from __future__ import annotations

import datetime
from datetime import date, timedelta

from chinese_calendar import constants as _cc

__all__ = [
    "ACCEPTANCE_REPLY_DAYS", "CalendarOutOfRange", "PENALTY_REQUEST_DAYS", "SHARING_DAYS", "STATUS_LABELS",
    "TRANSFER_DAYS", "acceptance_reply_deadline", "add_working_days", "calendar_range", "deadline_status",
    "is_working_day", "penalty_request_deadline", "sharing_deadline", "transfer_deadline", "working_days_between",
]

SHARING_DAYS = 5  # 周政办字〔2018〕18号 二（四）5：自信息形成当日内互通，最长不超过5个工作日
PENALTY_REQUEST_DAYS = 3  # 二（四）5：综合行政执法部门须在3个工作日内提供相关行政处罚数据材料
TRANSFER_DAYS = 2  # 二（四）3：相关行政管理部门移送证据材料（（1）（2））、综合行政执法部门移送其他违法行为，均为2个工作日内
ACCEPTANCE_REPLY_DAYS = 5  # 二（四）3：应在5个工作日内书面告知移送部门是否受理

ON_TIME, LATE, OVERDUE, DUE_SOON, PENDING = "on_time", "late", "overdue", "due_soon", "pending"
STATUS_LABELS = {
    ON_TIME: "按时",
    LATE: "逾期办结",
    OVERDUE: "逾期",
    DUE_SOON: "即将到期",
    PENDING: "未到期",
}

# The library itself accepts any date of the years it has holiday data for
# (chinese_calendar.utils._validate_date); mirror that range instead of
# hard-coding 2004-2026, so upgrading the package extends ours.
_FIRST_YEAR = min(_cc.holidays).year
_LAST_YEAR = max(_cc.holidays).year
_HOLIDAYS = _cc.holidays
_MAKE_UP_WORKDAYS = _cc.workdays


class CalendarOutOfRange(ValueError):
    """A date outside the years for which chinesecalendar has official holiday data."""

    def __init__(self, day: date):
        self.day = day
        first, last = calendar_range()
        if day > last:
            message = (f"法定节假日数据仅覆盖至{last.year}年，无法计算此后的工作日，"
                       f"请升级 chinesecalendar 数据（{day.isoformat()}）")
        else:
            message = f"法定节假日数据自{first.year}年起，无法计算此前的工作日（{day.isoformat()}）"
        super().__init__(message)


def calendar_range() -> tuple[date, date]:
    """Return the first and last date whose working-day status is known (1 Jan to 31 Dec of the data's years)."""
    return date(_FIRST_YEAR, 1, 1), date(_LAST_YEAR, 12, 31)


def _as_date(d: date) -> date:
    # datetime is a subclass of date; comparing one with a date raises TypeError.
    return d.date() if isinstance(d, datetime.datetime) else d


def is_working_day(d: date) -> bool:
    """Return True if ``d`` is a working day: Monday-Friday outside official holidays, or a make-up day (调休).

    Raises CalendarOutOfRange outside ``calendar_range()``.
    """
    d = _as_date(d)
    if not _FIRST_YEAR <= d.year <= _LAST_YEAR:
        raise CalendarOutOfRange(d)
    if d in _MAKE_UP_WORKDAYS:
        return True
    return d.weekday() < 5 and d not in _HOLIDAYS


def add_working_days(start: date, n: int) -> date:
    """Return the n-th working day after ``start`` (start itself not counted); for n=0, start or the next working day.

    Examples: (2024-09-27 Fri, 5) -> 2024-10-10, counting 9-29 (make-up Sunday),
    9-30, 10-08, 10-09, 10-10; (2024-10-01 holiday, 5) -> 2024-10-12 (make-up
    Saturday). Raises ValueError for negative n and CalendarOutOfRange when the
    count runs past the calendar's data.
    """
    if n < 0:
        raise ValueError(f"工作日数不能为负数：{n}")
    day = _as_date(start)
    if n == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    while n:
        day += timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """Return the number of working days in (a, b], negative if b is before a; 0 when a == b.

    It is the inverse of add_working_days: working_days_between(s, add_working_days(s, n)) == n
    for every n >= 1. Example: (2025-09-30, 2025-10-09) -> 1, the whole 国庆 break lies between.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -working_days_between(b, a)
    # Validate both ends even when the interval is empty, so a "today" past the data is reported.
    is_working_day(a)
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def sharing_deadline(formed: date) -> date:
    """Return 应共享日期: the 5th working day after 信息形成日期 (sharing the same day is the norm)."""
    return add_working_days(formed, SHARING_DAYS)


def penalty_request_deadline(asked: date) -> date:
    """Return the date by which penalty data asked for by a department must be provided (3 working days)."""
    return add_working_days(asked, PENALTY_REQUEST_DAYS)


def transfer_deadline(discovered: date) -> date:
    """Return the date by which a matter outside one's competence must be transferred (2 working days)."""
    return add_working_days(discovered, TRANSFER_DAYS)


def acceptance_reply_deadline(received: date) -> date:
    """Return the date by which the receiving department must answer whether it accepts a transfer (5 working days)."""
    return add_working_days(received, ACCEPTANCE_REPLY_DAYS)


def deadline_status(due: date, done: date | None, today: date, warn_days: int = 1) -> str:
    """Return the status key of a deadline: "on_time", "late", "overdue", "due_soon" or "pending".

    Done items are judged by when they were done (on or before ``due`` is on
    time), whatever today is. Open items are overdue once today is past
    ``due``; "due_soon" when at most ``warn_days`` working days are left
    (due today counts as 0 left). ``STATUS_LABELS`` gives the Chinese labels.
    """
    due, today = _as_date(due), _as_date(today)
    if done is not None:
        return ON_TIME if _as_date(done) <= due else LATE
    if today > due:
        return OVERDUE
    if working_days_between(today, due) <= warn_days:
        return DUE_SOON
    return PENDING
