"""Tests of lib.workdays against the real chinesecalendar data, across 春节 and 国庆 2024-2026.

Every expected date below was counted by hand on a calendar of the State
Council holiday notices and checked against chinese_calendar.is_workday.
The module is Django-free: these tests run with no stored years (``stored_years_fixed([])``)
unless a test gives some.
"""
from __future__ import annotations

import datetime
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.workdays import (
    STATUS_LABELS,
    CalendarOutOfRange,
    EstimatedDate,
    StoredYear,
    acceptance_reply_deadline,
    add_working_days,
    builtin_years,
    calendar_range,
    deadline_status,
    estimate_note,
    estimated,
    holidays_between,
    is_known,
    is_working_day,
    penalty_request_deadline,
    sharing_deadline,
    stored_years_fixed,
    transfer_deadline,
    working_days_between,
)


@pytest.fixture(autouse=True)
def _no_stored_years():
    with stored_years_fixed([]):
        yield

MAKE_UP_WORKDAYS = [  # 调休上班的周末
    date(2024, 2, 4), date(2024, 2, 18),  # 春节 2024
    date(2024, 9, 29), date(2024, 10, 12),  # 国庆 2024
    date(2025, 1, 26), date(2025, 2, 8),  # 春节 2025
    date(2025, 9, 28), date(2025, 10, 11),  # 国庆 2025
    date(2026, 2, 14), date(2026, 2, 28),  # 春节 2026
    date(2026, 9, 20), date(2026, 10, 10),  # 国庆 2026
]
WEEKDAY_HOLIDAYS = [
    date(2024, 2, 12), date(2024, 2, 16), date(2024, 10, 1), date(2024, 10, 7),
    date(2025, 1, 28), date(2025, 2, 4), date(2025, 10, 1), date(2025, 10, 8),
    date(2026, 2, 16), date(2026, 2, 23), date(2026, 10, 1), date(2026, 10, 7),
]


@pytest.mark.parametrize("day", MAKE_UP_WORKDAYS)
def test_make_up_weekend_is_a_working_day(day):
    assert day.weekday() >= 5
    assert is_working_day(day)


@pytest.mark.parametrize("day", WEEKDAY_HOLIDAYS)
def test_official_holiday_on_a_weekday_is_not_a_working_day(day):
    assert day.weekday() < 5
    assert not is_working_day(day)


def test_ordinary_weekend_and_weekday():
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert is_working_day(date(2026, 3, 9))  # Monday
    assert is_working_day(datetime.datetime(2026, 3, 9, 17, 30))  # a datetime counts as its date
    assert is_working_day(date(2024, 2, 9))  # 除夕 2024 was not an official holiday


@pytest.mark.parametrize("formed, due", [
    # 春节 2024 (2-10..2-17 off, Sun 2-4 and Sun 2-18 worked)
    (date(2024, 2, 2), date(2024, 2, 8)),  # Fri -> 2-4(Sun), 5, 6, 7, 8
    (date(2024, 2, 8), date(2024, 2, 21)),  # Thu -> 2-9, 2-18(Sun), 19, 20, 21
    # 国庆 2024 (10-1..10-7 off, Sun 9-29 and Sat 10-12 worked)
    (date(2024, 9, 27), date(2024, 10, 10)),  # Fri -> 9-29(Sun), 9-30, 10-8, 9, 10
    # 春节 2025 (1-28..2-4 off, Sun 1-26 and Sat 2-8 worked)
    (date(2025, 1, 24), date(2025, 2, 7)),  # Fri -> 1-26(Sun), 1-27, 2-5, 6, 7
    (date(2025, 1, 27), date(2025, 2, 10)),  # Mon -> 2-5, 6, 7, 2-8(Sat), 2-10
    # 国庆 2025 (10-1..10-8 off, Sun 9-28 and Sat 10-11 worked)
    (date(2025, 9, 26), date(2025, 10, 10)),  # Fri -> 9-28(Sun), 29, 30, 10-9, 10
    (date(2025, 9, 30), date(2025, 10, 14)),  # Tue -> 10-9, 10, 10-11(Sat), 13, 14
    # 春节 2026 (2-15..2-23 off, Sat 2-14 and Sat 2-28 worked)
    (date(2026, 2, 12), date(2026, 2, 26)),  # Thu -> 2-13, 2-14(Sat), 24, 25, 26
    # 国庆 2026 (9-25..9-27 中秋, 10-1..10-7 off, Sun 9-20 and Sat 10-10 worked)
    (date(2026, 9, 18), date(2026, 9, 24)),  # Fri -> 9-20(Sun), 21, 22, 23, 24
    (date(2026, 9, 24), date(2026, 10, 9)),  # Thu -> 9-28, 29, 30, 10-8, 9
])
def test_sharing_deadline_is_five_working_days_after_formation(formed, due):
    assert sharing_deadline(formed) == due
    assert working_days_between(formed, due) == 5


@pytest.mark.parametrize("formed, due", [
    (date(2024, 2, 12), date(2024, 2, 22)),  # 春节 Monday: 2-18(Sun) is day 1
    (date(2024, 10, 1), date(2024, 10, 12)),  # 国庆 day: 10-8 is day 1, the make-up Saturday day 5
    (date(2025, 1, 25), date(2025, 2, 7)),  # ordinary Saturday before 春节 2025
    (date(2026, 2, 16), date(2026, 2, 28)),  # 春节 2026: 2-24..2-27, then the make-up Saturday
    (date(2026, 10, 5), date(2026, 10, 13)),  # 国庆 2026: 10-8, 9, 10(Sat), 12, 13
])
def test_formation_on_a_holiday_counts_from_the_next_working_day(formed, due):
    assert not is_working_day(formed)
    assert sharing_deadline(formed) == due


def test_penalty_request_is_due_in_three_working_days_even_on_a_make_up_sunday():
    assert penalty_request_deadline(date(2024, 2, 7)) == date(2024, 2, 18)  # 2-8, 2-9, 2-18(Sun)
    assert penalty_request_deadline(date(2025, 9, 29)) == date(2025, 10, 10)  # 9-30, 10-9, 10-10


def test_transfer_and_acceptance_deadlines():
    assert transfer_deadline(date(2024, 9, 30)) == date(2024, 10, 9)  # 10-8, 10-9
    assert acceptance_reply_deadline(date(2025, 1, 24)) == date(2025, 2, 7)


def test_zero_working_days_is_the_same_day_or_the_next_working_day():
    assert add_working_days(date(2026, 3, 9), 0) == date(2026, 3, 9)
    assert add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 27), 0) == date(2025, 9, 28)  # Saturday -> make-up Sunday


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 9), -1)


def test_working_days_between_skips_the_holiday_and_is_antisymmetric():
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert working_days_between(date(2025, 10, 9), date(2025, 9, 30)) == -1
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 8)) == 0  # Fri -> Sun


def test_calendar_range_matches_the_library_data():
    first, last = calendar_range()
    assert first == date(2004, 1, 1)
    assert last.month == 12 and last.day == 31 and last.year >= 2026
    assert is_working_day(last) in (True, False)


def test_days_before_the_data_raise_a_clear_chinese_error():
    with pytest.raises(CalendarOutOfRange, match="法定节假日数据自2004年起，无法计算此前的工作日（2003-12-31）"):
        is_working_day(date(2003, 12, 31))
    with pytest.raises(ValueError):  # CalendarOutOfRange is a ValueError, views can catch either
        sharing_deadline(date(2003, 12, 30))


@pytest.mark.parametrize("day, working", [
    (date(2027, 1, 1), True),  # 元旦 by law, but only the notice says how it is taken: weekends alone
    (date(2027, 1, 4), True),
    (date(2027, 1, 9), False),  # an ordinary Saturday
    (date(2027, 1, 10), False),  # an ordinary Sunday
    (date(2028, 5, 2), True),  # 劳动节 is not guessed either
    (date(2028, 10, 3), True),  # nor 国庆节
    (date(2028, 10, 7), False),  # a Saturday
    (date(2027, 2, 8), True),  # 春节 2027 is lunar: not estimated
])
def test_days_past_every_known_year_are_estimated_on_weekends_alone(day, working):
    assert is_working_day(day) is working
    assert not is_known(day)


def test_deadline_running_into_the_unknown_year_is_an_estimate_not_an_error():
    last = date(builtin_years()[-1], 12, 31)
    within = sharing_deadline(last - timedelta(days=10))
    assert is_known(within) and not estimated(within) and type(within) is date
    # Formed on Monday 2026-12-28: 12-29, 30, 31 known, then 2027 on weekends alone: 01-01 (a Friday), 01-04.
    due = sharing_deadline(date(2026, 12, 28))
    assert due == date(2027, 1, 4)
    assert estimated(due) and isinstance(due, date)
    assert "预计：2027年节假日安排尚未导入，仅按周末" in estimate_note(due)
    # Counting on from an estimate back inside the known years gives a plain, exact date.
    assert not estimated(add_working_days(EstimatedDate(2026, 12, 1), 1))
    assert working_days_between(date(2026, 12, 28), due) == 5


def test_a_stored_year_makes_the_same_deadline_exact():
    year_2027 = StoredYear(2027, {date(2027, 1, 1): "元旦", date(2027, 1, 4): "虚构的假日"}, {})
    with stored_years_fixed([year_2027]):
        due = sharing_deadline(date(2026, 12, 28))
    assert (due, estimated(due)) == (date(2027, 1, 6), False)


def test_done_items_are_judged_by_the_day_they_were_done():
    due = date(2025, 10, 10)
    assert deadline_status(due, date(2025, 10, 10), today=date(2026, 1, 5)) == "on_time"
    assert deadline_status(due, date(2025, 9, 26), today=date(2026, 1, 5)) == "on_time"
    assert deadline_status(due, date(2025, 10, 11), today=date(2026, 1, 5)) == "late"


def test_open_items_are_overdue_due_soon_or_pending():
    due = sharing_deadline(date(2025, 9, 26))  # 2025-10-10
    assert deadline_status(due, None, today=date(2025, 10, 11)) == "overdue"
    assert deadline_status(due, None, today=date(2025, 10, 10)) == "due_soon"  # due today
    assert deadline_status(due, None, today=date(2025, 10, 9)) == "due_soon"  # 1 working day left
    # On 9-30 the whole holiday lies ahead: 10-9 and 10-10 are 2 working days left.
    assert deadline_status(due, None, today=date(2025, 9, 30)) == "pending"
    assert deadline_status(due, None, today=date(2025, 9, 30), warn_days=2) == "due_soon"


def test_every_status_has_a_chinese_label():
    assert STATUS_LABELS == {"on_time": "按时", "late": "逾期办结", "overdue": "逾期",
                             "due_soon": "即将到期", "pending": "未到期"}


_days = st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31))  # estimated past the data


@given(start=_days, n=st.integers(min_value=0, max_value=40))
def test_add_working_days_lands_on_a_working_day_and_between_inverts_it(start, n):
    due = add_working_days(start, n)
    assert is_working_day(due)
    assert due >= start
    if n >= 1 or is_working_day(start):
        assert working_days_between(start, due) == n
        assert working_days_between(due, start) == -n
    if n >= 1:
        assert due > start
        # No working day is skipped: the day before `due` is still n-1 working days from start.
        assert working_days_between(start, due - datetime.timedelta(days=1)) == n - 1


def test_a_stored_year_extends_the_calendar_and_chinesecalendar_wins_for_its_own_years():
    year_2027 = StoredYear(2027, {date(2027, 1, 1): "元旦", date(2027, 2, 10): "春节"}, {date(2027, 1, 31): "春节"})
    year_2026 = StoredYear(2026, {date(2026, 3, 9): "不存在的假日"}, {})  # chinesecalendar has 2026: ignored
    with stored_years_fixed([year_2027, year_2026]):
        assert calendar_range()[1] == date(2027, 12, 31)
        assert is_working_day(date(2027, 1, 31))  # a stored make-up Sunday
        assert not is_working_day(date(2027, 2, 10)) and is_working_day(date(2027, 2, 11))
        assert is_working_day(date(2026, 3, 9))
        # 12-29, 30, 31, then 2027-01-01 off and the weekend: 01-04, 01-05.
        assert sharing_deadline(date(2026, 12, 28)) == date(2027, 1, 5)
        assert sharing_deadline(date(2027, 1, 28)) == date(2027, 2, 3)  # 01-29, 01-31 (Sun), 02-01, 02, 03


def test_holidays_between_names_the_official_holidays_crossed_each_once_never_a_guess():
    assert holidays_between(date(2025, 9, 30), date(2025, 10, 10)) == ["国庆节", "中秋节"]
    assert holidays_between(date(2026, 3, 2), date(2026, 3, 9)) == []
    assert holidays_between(date(2026, 10, 9), date(2026, 10, 10)) == []  # a make-up Saturday is no holiday
    with stored_years_fixed([]):
        assert holidays_between(date(2026, 12, 28), date(2027, 1, 4)) == []  # 2027 unknown: nothing guessed
    year_2027 = StoredYear(2027, {date(2027, 1, 1): "元旦", date(2027, 2, 10): "春节"}, {date(2027, 1, 31): "春节"})
    with stored_years_fixed([year_2027]):
        assert holidays_between(date(2026, 12, 28), date(2027, 2, 12)) == ["元旦", "春节"]
