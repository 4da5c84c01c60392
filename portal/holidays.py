"""The 节假日安排 the bureau enters, layered over chinesecalendar: importing a notice, listing and showing years.

``lib.workdays`` counts working days on chinesecalendar's data and on the stored years it gets
from ``load_stored_years`` (``connect()`` registers it at startup and forgets the loaded years
whenever an arrangement is saved or deleted). Importing goes in two steps, so that the command can
show what it will store before it stores anything:

1. ``plan_import(text)`` reads the notice (``lib.holiday_notice``) and checks it against what is
   known: a year chinesecalendar has must agree with it day by day (then there is nothing to
   import); a year already stored is replaced only when asked (``replace=True``); a day another
   stored arrangement names is an overlap. Every refusal is an ``ImportRefused`` with Chinese
   reasons, and nothing is written.
2. ``save_import(plan)`` stores the arrangement and its days in one transaction, the notice's text
   whole.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from importlib import metadata

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from lib import workdays
from lib.holiday_notice import Arrangement, NoticeError, disagreements, parse_notice
from portal.models.holidays import HolidayArrangement, HolidayArrangementDay

__all__ = [
    "ImportPlan", "ImportRefused", "WARN_FROM_MONTH", "arrangement_warning", "connect", "correct_days", "day_lines",
    "describe", "load_stored_years", "overview", "parse_day_lines", "plan_import", "save_import", "show_year",
]

WEEKDAYS = "一二三四五六日"
MAX_LISTED = 10  # disagreeing days listed in a refusal; the rest are counted
WARN_FROM_MONTH = 11  # the notice for next year usually comes out in October-December


class ImportRefused(ValueError):
    """The notice cannot be stored; ``problems`` are the Chinese reasons."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("未导入：\n" + "\n".join(f"- {p}" for p in self.problems))


@dataclass
class ImportPlan:
    """What importing a notice would do: store ``arrangement`` (replacing ``existing``), or nothing."""

    arrangement: Arrangement
    text: str
    existing: HolidayArrangement | None = None
    nothing_to_do: str = ""  # why nothing would change, when nothing would


# --- the registry of lib.workdays ---------------------------------------------------------------------

def load_stored_years() -> list[workdays.StoredYear]:
    """Return every stored arrangement as ``workdays.StoredYear`` ([] before the tables are migrated)."""
    try:
        with transaction.atomic():  # a savepoint: on PostgreSQL a failed query would spoil the caller's transaction
            arrangements = {a.pk: a for a in HolidayArrangement.objects.all()}
            days = list(HolidayArrangementDay.objects.all())
    except DatabaseError:  # before `migrate` has created the tables: nothing is stored yet
        return []
    by_year: dict[int, tuple[dict, dict]] = {a.year: ({}, {}) for a in arrangements.values()}
    for day in days:
        holidays, worked = by_year[arrangements[day.arrangement_id].year]
        (worked if day.kind == HolidayArrangementDay.Kind.WORKDAY else holidays)[day.date] = day.name
    return [workdays.StoredYear(a.year, *by_year[a.year], a.source) for a in arrangements.values()]


def _forget(**kwargs) -> None:
    workdays.forget_stored_years()


def connect() -> None:
    """Give ``lib.workdays`` the stored years, and have it read them afresh after every change."""
    workdays.set_stored_years_loader(load_stored_years)
    for model in (HolidayArrangement, HolidayArrangementDay):
        post_save.connect(_forget, sender=model, dispatch_uid=f"holidays-forget-save-{model.__name__}")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"holidays-forget-delete-{model.__name__}")


# --- importing -------------------------------------------------------------------------------------------

def _fmt(day: datetime.date) -> str:
    return f"{day:%Y-%m-%d}（{WEEKDAYS[day.weekday()]}）"


def _runs(days) -> str:
    """Return the days as runs of consecutive days: "2027-02-05（五）至2027-02-12（五）、2027-05-01（六）"."""
    runs: list[list[datetime.date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return "、".join(_fmt(r[0]) if len(r) == 1 else f"{_fmt(r[0])}至{_fmt(r[-1])}" for r in runs)


def _reference(year: int):
    """Return the working status known for a day apart from the ``year`` being imported (None: nothing known).

    chinesecalendar's years are known day by day; of the other stored arrangements only the days
    they name are (a notice may make a day of the neighbouring year a holiday or a working day).
    """
    named = {d.date: d.kind == HolidayArrangementDay.Kind.WORKDAY
             for d in HolidayArrangementDay.objects.exclude(arrangement__year=year)}

    def status(day: datetime.date) -> bool | None:
        if day.year in workdays.builtin_years():
            return workdays.is_working_day(day)
        return named.get(day)

    return status


def _same_days(existing: HolidayArrangement, arrangement: Arrangement) -> bool:
    stored = {(d.date, d.kind, d.name) for d in existing.days.all()}
    given = {(d, HolidayArrangementDay.Kind.HOLIDAY, n) for d, n in arrangement.holidays.items()}
    given |= {(d, HolidayArrangementDay.Kind.WORKDAY, n) for d, n in arrangement.workdays.items()}
    return stored == given


def plan_import(text: str, year: int | None = None, today: datetime.date | None = None,
                replace: bool = False) -> ImportPlan:
    """Read the notice and check it against what is known; raise ImportRefused, write nothing."""
    try:
        arrangement = parse_notice(text, year=year, today=today or timezone.localdate())
    except NoticeError as exc:
        raise ImportRefused(exc.problems) from exc
    found = disagreements(arrangement, _reference(arrangement.year))
    if found:
        shown = found[:MAX_LISTED] + ([f"……共{len(found)}天不一致"] if len(found) > MAX_LISTED else [])
        raise ImportRefused([f"通知与已有的节假日数据不一致（{arrangement.year}年）：", *shown])
    if arrangement.year in workdays.builtin_years():
        return ImportPlan(arrangement, text, nothing_to_do=(
            f"{arrangement.year}年的安排已内置于 chinesecalendar，且与通知逐日一致，无需导入。"))
    existing = HolidayArrangement.objects.filter(year=arrangement.year).first()
    if existing is not None and not replace:
        if _same_days(existing, arrangement):
            return ImportPlan(arrangement, text, existing, nothing_to_do=(
                f"{arrangement.year}年的安排已于{timezone.localtime(existing.imported_at):%Y-%m-%d %H:%M}导入，"
                "日期完全相同，无需再次导入（如需更新原文或文号，请加 --replace）。"))
        raise ImportRefused([f"{arrangement.year}年已有导入的安排（{existing.source}，"
                             f"{timezone.localtime(existing.imported_at):%Y-%m-%d %H:%M}导入），与本通知不同；"
                             "如确需以本通知更正，请加 --replace。"])
    days = [*arrangement.holidays, *arrangement.workdays]
    taken = (HolidayArrangementDay.objects.filter(date__in=days).exclude(arrangement__year=arrangement.year)
             .select_related("arrangement").order_by("date"))
    if taken:
        raise ImportRefused([f"{_fmt(d.date)}已列入{d.arrangement.year}年的安排（{d.name}{d.get_kind_display()}），"
                             "安排相互重叠。" for d in taken])
    return ImportPlan(arrangement, text, existing)


def save_import(plan: ImportPlan, user=None, by: str = "") -> HolidayArrangement:
    """Store the planned arrangement (replacing the year's old one) in one transaction and return it."""
    if plan.nothing_to_do:
        raise ImportRefused([plan.nothing_to_do])
    a = plan.arrangement
    fields = {"title": a.title, "doc_number": a.doc_number, "issued_on": a.issued_on, "source_text": plan.text,
              "imported_at": timezone.now(), "imported_by": user,
              "imported_by_name": by or (user.get_username() if user else "")}
    try:
        with transaction.atomic():
            stored, _ = HolidayArrangement.objects.update_or_create(year=a.year, defaults=fields)
            stored.days.all().delete()
            HolidayArrangementDay.objects.bulk_create(
                [HolidayArrangementDay(arrangement=stored, date=d, kind=HolidayArrangementDay.Kind.HOLIDAY, name=n)
                 for d, n in a.holidays.items()]
                + [HolidayArrangementDay(arrangement=stored, date=d, kind=HolidayArrangementDay.Kind.WORKDAY, name=n)
                   for d, n in a.workdays.items()])
    except IntegrityError as exc:  # another import took one of the days meanwhile
        raise ImportRefused([f"保存失败，安排与同时导入的其他安排重叠：{exc}"]) from exc
    finally:
        workdays.forget_stored_years()
    return stored


def arrangement_warning(today: datetime.date) -> str:
    """Return the administrators' warning that a year's arrangement is missing ("" when nothing is missing).

    The current year's is always checked; next year's from 1 November, when its notice is due.
    """
    years = [today.year] + ([today.year + 1] if today.month >= WARN_FROM_MONTH else [])
    for year in years:
        if workdays.year_arrangement(year) is None:
            return (f"尚未录入{year}年节假日安排：{year}年的共享时限和各项工作日期限目前只能按"
                    f"{workdays.ESTIMATE_RULE}预计。国务院办公厅发布《关于{year}年部分节假日安排的通知》后，"
                    "请将通知全文导入：python manage.py holidays import 通知全文.txt")
    return ""


# --- what the command shows -------------------------------------------------------------------------------

def describe(arrangement: Arrangement) -> list[str]:
    """Return the lines showing what an arrangement holds, item by item, and the notes on its text."""
    head = arrangement.title
    if arrangement.doc_number:
        head += f"（{arrangement.doc_number}）"
    if arrangement.issued_on:
        head += f"，{arrangement.issued_on:%Y-%m-%d}成文"
    lines = [head, f"{arrangement.year}年：放假{len(arrangement.holidays)}天，调休上班{len(arrangement.workdays)}天。"]
    for item in arrangement.items:
        text = f"  {item.name}：放假 {_runs(item.holidays)}，共{len(item.holidays)}天"
        if item.workdays:
            text += f"；调休上班 {_runs(item.workdays)}"
        lines.append(text)
    lines += [f"  注意：{note}" for note in arrangement.notes]
    return lines


def _by_name(days: dict[datetime.date, str]) -> dict[str, list[datetime.date]]:
    grouped: dict[str, list[datetime.date]] = {}
    for day, name in sorted(days.items()):
        grouped.setdefault(name, []).append(day)
    return grouped


def show_year(year: int) -> list[str]:
    """Return the lines describing the arrangement in use for ``year`` and where it comes from."""
    known = workdays.year_arrangement(year)
    if known is None:
        return [f"{year}年尚无节假日安排：chinesecalendar 没有该年数据，也未导入国务院办公厅的通知。",
                "导入方法：python manage.py holidays import 通知全文.txt"]
    if known.source == "chinesecalendar":
        lines = [f"{year}年节假日安排：来自 chinesecalendar {_package_version()} 内置数据。"]
    else:
        stored = HolidayArrangement.objects.filter(year=year).first()
        if stored is None:  # deleted since the registry was read
            workdays.forget_stored_years()
            return show_year(year)
        who = f"，导入人：{stored.imported_by_name}" if stored.imported_by_name else ""
        lines = [f"{year}年节假日安排：{stored.title}（{stored.source}），"
                 f"{timezone.localtime(stored.imported_at):%Y-%m-%d %H:%M}导入{who}。"]
    workdays_by_name = _by_name(known.workdays)
    for name, days in _by_name(known.holidays).items():
        text = f"  {name}：放假 {_runs(days)}，共{len(days)}天"
        if name in workdays_by_name:
            text += f"；调休上班 {_runs(workdays_by_name.pop(name))}"
        lines.append(text)
    for name, days in workdays_by_name.items():
        lines.append(f"  {name}：调休上班 {_runs(days)}")
    return lines


def _package_version() -> str:
    try:
        return metadata.version("chinesecalendar")
    except metadata.PackageNotFoundError:
        return ""


def overview() -> list[str]:
    """Return the lines listing every year known: chinesecalendar's range and each stored arrangement."""
    years = workdays.builtin_years()
    lines = [f"chinesecalendar {_package_version()}：{years.start}年至{years.stop - 1}年（内置）"]
    kinds = HolidayArrangementDay.Kind
    counted = HolidayArrangement.objects.annotate(
        holiday_count=Count("days", filter=Q(days__kind=kinds.HOLIDAY)),
        workday_count=Count("days", filter=Q(days__kind=kinds.WORKDAY)))
    for stored in counted:
        who = f"，{stored.imported_by_name}" if stored.imported_by_name else ""
        line = (f"{stored.year}年：{stored.source}，放假{stored.holiday_count}天，调休上班{stored.workday_count}天"
                f"（{timezone.localtime(stored.imported_at):%Y-%m-%d %H:%M}导入{who}）")
        if stored.year in years:
            line += "；chinesecalendar 已内置该年，以内置数据为准"
        lines.append(line)
    last = workdays.calendar_range()[1]
    lines.append(f"工作日可计算至{last:%Y-%m-%d}。")
    return lines


# --- correcting a stored year in the admin --------------------------------------------------------------

KIND_WORDS = {"放假": HolidayArrangementDay.Kind.HOLIDAY, "上班": HolidayArrangementDay.Kind.WORKDAY,
              "调休上班": HolidayArrangementDay.Kind.WORKDAY}


def day_lines(stored: HolidayArrangement) -> str:
    """Return the stored days as the admin's editable text: one "2027-01-01 放假 元旦" a line."""
    return "\n".join(f"{d.date:%Y-%m-%d} {'上班' if d.kind == HolidayArrangementDay.Kind.WORKDAY else '放假'} {d.name}"
                     for d in stored.days.order_by("date"))


def parse_day_lines(text: str, year: int) -> tuple[dict[datetime.date, str], dict[datetime.date, str]]:
    """Read the admin's lines into ({day off: name}, {make-up working day: name}); raise ImportRefused.

    The checks are the import's: a plausible date (the year or a day of its neighbours), a day named
    once only, a make-up working day that is a weekend, no day of another stored arrangement, and
    agreement with chinesecalendar's years.
    """
    problems: list[str] = []
    holidays: dict[datetime.date, str] = {}
    worked: dict[datetime.date, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 3 or parts[1] not in KIND_WORDS:
            problems.append(f"第{number}行“{line}”格式不对，应为“日期 放假/上班 节日”，如“{year}-01-01 放假 元旦”。")
            continue
        try:
            day = datetime.date.fromisoformat(parts[0])
        except ValueError:
            problems.append(f"第{number}行：“{parts[0]}”不是有效日期（格式为 YYYY-MM-DD）。")
            continue
        if abs(day.year - year) > 1:
            problems.append(f"第{number}行：{_fmt(day)}不属于{year}年或相邻年份。")
            continue
        if day in holidays or day in worked:
            problems.append(f"第{number}行：{_fmt(day)}重复出现，安排相互重叠。")
            continue
        if KIND_WORDS[parts[1]] == HolidayArrangementDay.Kind.WORKDAY:
            if day.weekday() < 5:
                problems.append(f"第{number}行：{_fmt(day)}是工作日，不是需要调休上班的周末。")
                continue
            worked[day] = parts[2]
        else:
            holidays[day] = parts[2]
    if not holidays and not problems:
        problems.append("没有任何放假日期。")
    if problems:
        raise ImportRefused(problems)
    taken = (HolidayArrangementDay.objects.filter(date__in=[*holidays, *worked]).exclude(arrangement__year=year)
             .select_related("arrangement").order_by("date"))
    problems = [f"{_fmt(d.date)}已列入{d.arrangement.year}年的安排（{d.name}{d.get_kind_display()}），安排相互重叠。"
                for d in taken]
    reference = _reference(year)
    for day in sorted({*holidays, *worked}):
        known = reference(day)
        mine = day in worked or (day.weekday() < 5 and day not in holidays)
        if known is not None and known != mine:
            problems.append(f"{_fmt(day)}：此处为{'上班' if mine else '休息'}，已有数据为{'上班' if known else '休息'}。")
    if problems:
        raise ImportRefused(problems)
    return holidays, worked


def correct_days(stored: HolidayArrangement, holidays: dict[datetime.date, str], worked: dict[datetime.date, str],
                 by: str) -> None:
    """Replace the stored year's days with the checked ones in one transaction, recording who and when."""
    kinds = HolidayArrangementDay.Kind
    try:
        with transaction.atomic():
            stored.changed_at, stored.changed_by_name = timezone.now(), by
            stored.save()
            stored.days.all().delete()
            HolidayArrangementDay.objects.bulk_create(
                [HolidayArrangementDay(arrangement=stored, date=d, kind=kinds.HOLIDAY, name=n) for d, n in holidays.items()]
                + [HolidayArrangementDay(arrangement=stored, date=d, kind=kinds.WORKDAY, name=n)
                   for d, n in worked.items()])
    except IntegrityError as exc:  # another arrangement took one of the days meanwhile
        raise ImportRefused([f"保存失败，安排与同时保存的其他安排重叠：{exc}"]) from exc
    finally:
        workdays.forget_stored_years()
