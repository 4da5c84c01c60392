"""Working days on the Chinese official calendar, and the deadlines of the sharing directive.

The directive wants enforcement information shared the day it is formed, at
most 5 working days later; penalty data asked for by a department is due in 3
working days. Holidays and make-up working days (调休) come from the
``chinesecalendar`` package, whose data ends with the last year its release
had. The State Council announces each year's arrangement late in the year
before and a package release follows weeks or months later, so the years the
package lacks can be entered in the portal from the notice (``python manage.py
holidays import``, see ``portal.holidays``). They reach this module through a
small registry, which keeps it free of Django: the Django layer registers a
loader (``set_stored_years_loader``) returning the stored years as
``StoredYear``; it is called on first need, again after
``forget_stored_years()`` (the models' save signals call it) and at the latest
every ``RELOAD_SECONDS`` (an import made by another process). chinesecalendar's
data wins for the years it has.

Past every known year nobody knows where the holidays fall, yet deadlines must
still be shown: they are estimated (预计) on weekends alone (``ESTIMATE_RULE``;
no holiday is guessed, not even the fixed-date ones: the notice decides how
元旦 joins the weekend and which weekends are worked), and a deadline counted
on any estimated day is an ``EstimatedDate`` — a ``date``
that ``estimated()`` recognises, for the screens, exports and the API to mark
it 预计. Before chinesecalendar's first year (2004) nothing is estimated:
``CalendarOutOfRange``.

Counting rule (the one of 行政处罚法 and the procedure laws: 期间开始之日不计算在内):
``add_working_days(start, n)`` is the n-th working day *after* ``start``.
Information formed on Monday 2026-03-02 is due by the 5th working day after,
Monday 2026-03-09. Information formed on a holiday or weekend starts counting
at the next working day, which is day 1: formed on 2024-10-01 (国庆) it is
due 2024-10-12, the make-up Saturday that is the 5th working day after.
``n = 0`` means "today if it is a working day, else the next working day".
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from chinese_calendar import Holiday as _Holiday
from chinese_calendar import constants as _cc

__all__ = [
    "ACCEPTANCE_REPLY_DAYS", "CalendarOutOfRange", "ESTIMATE_RULE", "EstimatedDate",
    "PENALTY_REQUEST_DAYS", "RELOAD_SECONDS", "SHARING_DAYS", "STATUS_LABELS", "StoredYear", "TRANSFER_DAYS",
    "acceptance_reply_deadline", "add_working_days", "builtin_years", "calendar_range", "deadline_status",
    "estimate_note", "estimated", "forget_stored_years", "holidays_between", "is_known", "is_working_day", "penalty_request_deadline",
    "set_stored_years_loader", "sharing_deadline", "stored_years", "stored_years_fixed", "transfer_deadline",
    "working_days_between", "year_arrangement",
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
# chinesecalendar names its holidays in English; these are the notices' names.
_CHINESE_NAMES = {
    _Holiday.new_years_day.value: "元旦", _Holiday.spring_festival.value: "春节",
    _Holiday.tomb_sweeping_day.value: "清明节", _Holiday.labour_day.value: "劳动节",
    _Holiday.dragon_boat_festival.value: "端午节", _Holiday.mid_autumn_festival.value: "中秋节",
    _Holiday.national_day.value: "国庆节", _Holiday.anti_fascist_70th_day.value: "抗战胜利70周年纪念日",
}
RELOAD_SECONDS = 300  # how long an import made by another process may go unseen here
# Past every known arrangement a day is estimated on weekends alone (issue 17: "computed on weekends
# alone and marked 预计"). Even the fixed-date holidays are left to the notice: it decides the days off
# around them and the make-up weekends that pay for them, which an estimate would get wrong either way.
ESTIMATE_RULE = "周末（周六、周日休息，周一至周五上班，不计法定节假日和调休）"


@dataclass(frozen=True)
class StoredYear:
    """A year's arrangement entered in the portal from the State Council's notice.

    ``holidays`` and ``workdays`` map days off and make-up working days to the festival's name; they may
    include days of the neighbouring years the notice names (2023's 元旦 began on 2022-12-31).
    """

    year: int
    holidays: Mapping[date, str]
    workdays: Mapping[date, str]
    source: str = ""  # the notice's 文号 or title


@dataclass
class _Registry:
    years: dict[int, StoredYear] = field(default_factory=dict)
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: dict[date, str] = field(default_factory=dict)
    loaded_at: float = 0.0

    @classmethod
    def of(cls, years: Iterable[StoredYear]) -> _Registry:
        registry = cls(loaded_at=time.monotonic())
        for stored in sorted(years, key=lambda y: y.year):
            if _FIRST_YEAR <= stored.year <= _LAST_YEAR:
                continue  # chinesecalendar's data wins for the years it has
            registry.years[stored.year] = stored
            registry.holidays.update(stored.holidays)
            registry.workdays.update(stored.workdays)
        return registry


_loader: Callable[[], Iterable[StoredYear]] | None = None
_registry: _Registry | None = None
_fixed = False  # inside stored_years_fixed(): no loading, no expiry
_lock = threading.Lock()


def set_stored_years_loader(loader: Callable[[], Iterable[StoredYear]] | None) -> None:
    """Register the function that returns the stored years (the Django layer's, at startup)."""
    global _loader
    _loader = loader
    forget_stored_years()


def forget_stored_years() -> None:
    """Drop the stored years read so far: the next date past chinesecalendar's data reads them afresh."""
    global _registry
    if not _fixed:
        _registry = None


def _stored() -> _Registry:
    global _registry
    registry = _registry
    if registry is not None and (_fixed or time.monotonic() - registry.loaded_at < RELOAD_SECONDS):
        return registry
    with _lock:
        if _registry is registry:
            _registry = _Registry.of(_loader() if _loader else ())
        return _registry


def stored_years() -> dict[int, StoredYear]:
    """Return the stored years in use (the ones chinesecalendar lacks), by year."""
    return dict(_stored().years)


@contextmanager
def stored_years_fixed(years: Iterable[StoredYear]) -> Iterator[None]:
    """Compute with exactly these stored years (none for ``[]``) inside the block, whatever the loader has."""
    global _registry, _fixed
    saved = _registry, _fixed
    _registry, _fixed = _Registry.of(years), True
    try:
        yield
    finally:
        _registry, _fixed = saved


def builtin_years() -> range:
    """Return the years chinesecalendar has data for."""
    return range(_FIRST_YEAR, _LAST_YEAR + 1)


def year_arrangement(year: int) -> StoredYear | None:
    """Return the arrangement in use for ``year``: chinesecalendar's (source "chinesecalendar"), a stored one, or None."""
    if _FIRST_YEAR <= year <= _LAST_YEAR:
        def named(days: Mapping[date, str]) -> dict[date, str]:
            return {d: _CHINESE_NAMES.get(name, name) for d, name in sorted(days.items()) if d.year == year}
        return StoredYear(year, named(_HOLIDAYS), named(_MAKE_UP_WORKDAYS), "chinesecalendar")
    return _stored().years.get(year)


class CalendarOutOfRange(ValueError):
    """A date before chinesecalendar's first year: no arrangement is known and none is estimated."""

    def __init__(self, day: date):
        self.day = day
        super().__init__(f"法定节假日数据自{_FIRST_YEAR}年起，无法计算此前的工作日（{day.isoformat()}）")


class EstimatedDate(date):
    """A date counted, at least in part, on days past every known arrangement: 预计, not certain.

    It is a ``date`` (callers compare, format and store it as one); ``estimated(value)`` tells it
    apart. Arithmetic on it keeps the class: a day computed from an estimate is an estimate too.
    """

    estimated = True


def estimated(value) -> bool:
    """Return True for a date this module estimated (see EstimatedDate)."""
    return isinstance(value, EstimatedDate)


def estimate_note(day: date) -> str:
    """Return, in Chinese, why a date counted to ``day`` is 预计 and how it was counted."""
    return (f"预计：{day.year}年节假日安排尚未导入，仅按{ESTIMATE_RULE}推算；"
            "导入国务院办公厅节假日安排通知后按正式安排计算。")


def calendar_range() -> tuple[date, date]:
    """Return the first and last date whose working-day status is known; later ones are estimated.

    From 1 January of chinesecalendar's first year to 31 December of the last year known without a
    gap: chinesecalendar's, then the stored years that follow it.
    """
    last = _LAST_YEAR
    years = _stored().years
    while last + 1 in years:
        last += 1
    return date(_FIRST_YEAR, 1, 1), date(last, 12, 31)


def _as_date(d: date) -> date:
    # datetime is a subclass of date (comparing one with a date raises TypeError), and so is EstimatedDate,
    # whose class would make every date counted from it an estimate: count on plain dates.
    return d if type(d) is date else date(d.year, d.month, d.day)


def _status(d: date) -> tuple[bool, bool]:
    """Return (is a working day, is an estimate) for a plain date; raise CalendarOutOfRange before the data."""
    if _FIRST_YEAR <= d.year <= _LAST_YEAR:
        if d in _MAKE_UP_WORKDAYS:
            return True, False
        return d.weekday() < 5 and d not in _HOLIDAYS, False
    if d.year < _FIRST_YEAR:
        raise CalendarOutOfRange(d)
    stored = _stored()
    if d in stored.workdays:
        return True, False
    if d in stored.holidays:
        return False, False
    if d.year in stored.years:
        return d.weekday() < 5, False
    return d.weekday() < 5, True


def is_working_day(d: date) -> bool:
    """Return True if ``d`` is a working day: Monday-Friday outside official holidays, or a make-up day (调休).

    Past every known year the answer is estimated (``is_known`` says whether it is). Raises
    CalendarOutOfRange before chinesecalendar's first year.
    """
    return _status(_as_date(d))[0]


def is_known(d: date) -> bool:
    """Return True if the working status of ``d`` comes from an official arrangement, False if estimated."""
    return not _status(_as_date(d))[1]


def add_working_days(start: date, n: int) -> date:
    """Return the n-th working day after ``start`` (start itself not counted); for n=0, start or the next working day.

    Examples: (2024-09-27 Fri, 5) -> 2024-10-10, counting 9-29 (make-up Sunday),
    9-30, 10-08, 10-09, 10-10; (2024-10-01 holiday, 5) -> 2024-10-12 (make-up
    Saturday). When a day counted (or, for n=0, looked at) is past every known
    arrangement the result is an ``EstimatedDate``. Raises ValueError for negative
    n and CalendarOutOfRange before the calendar's data.
    """
    if n < 0:
        raise ValueError(f"工作日数不能为负数：{n}")
    day = _as_date(start)
    guessed = False
    if n == 0:
        while True:
            working, guess = _status(day)
            guessed |= guess
            if working:
                break
            day += timedelta(days=1)
    while n:
        day += timedelta(days=1)
        working, guess = _status(day)
        guessed |= guess
        if working:
            n -= 1
    return EstimatedDate(day.year, day.month, day.day) if guessed else day


def working_days_between(a: date, b: date) -> int:
    """Return the number of working days in (a, b], negative if b is before a; 0 when a == b.

    It is the inverse of add_working_days: working_days_between(s, add_working_days(s, n)) == n
    for every n >= 1. Example: (2025-09-30, 2025-10-09) -> 1, the whole 国庆 break lies between.
    Past every known arrangement the count is estimated like the days it counts.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -working_days_between(b, a)
    # Check both ends even when the interval is empty, so a "today" before the data is reported.
    _status(a)
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        if _status(day)[0]:
            count += 1
    return count


def holidays_between(a: date, b: date) -> list[str]:
    """Return the names of the official holidays among the days in (a, b], in order, each once.

    Only known arrangements name holidays (chinesecalendar's, then the stored years); an estimated
    day never does. Example: (2025-09-30, 2025-10-10) -> ["国庆节", "中秋节"] (2025's 中秋 fell on 10-06).
    """
    a, b = _as_date(a), _as_date(b)
    names: list[str] = []
    day = a
    while day < b:
        day += timedelta(days=1)
        if day.year < _FIRST_YEAR:
            continue
        if day.year <= _LAST_YEAR:
            name = _HOLIDAYS.get(day)
            name = _CHINESE_NAMES.get(name, name) if name is not None and day not in _MAKE_UP_WORKDAYS else None
        else:
            name = _stored().holidays.get(day)
        for part in (name or "").split("、"):
            if part and part not in names:
                names.append(part)
    return names


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
