"""Reading the State Council's yearly holiday notice into dates: which days are off, which weekends are worked.

Each autumn 国务院办公厅 publishes 《国务院办公厅关于20XX年部分节假日安排的通知》 (文号
国办发明电〔20XX〕N号). Its arrangement is a list of numbered items, one per festival, in a
wording that has stayed the same for years::

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。
    三、清明节：4月4日放假，与周末连休。
    四、劳动节：5月1日放假，5月2日（星期一）补休。
    一、元旦：2022年12月31日至2023年1月2日放假调休，共3天。

``parse_notice(text)`` reads that text and returns an ``Arrangement``: per item the days off
(``放假`` ranges and ``补休`` days) and the make-up working days (``上班``). It checks what
the text itself allows to check, and refuses the notice with ``NoticeError`` (its message is
Chinese, one line per problem) rather than store a guess:

- no numbered items, items missing from the numbering, or one of the seven festivals of
  《全国年节及纪念日放假办法》 without an item (a partial paste);
- a year that cannot be told, or is implausible (before 2000 or after next year);
- a date that does not exist, lies outside the notice's year (only the late December of the
  year before and the January after may be named, with their year written out), or whose
  weekday in parentheses (（周六）, （星期日）) is not the weekday of that date;
- ``共N天`` that does not match the days of its range;
- a day named twice (two festivals, or off and worked), a make-up working day that is not a
  Saturday or Sunday.

Sentences of an item that carry a date but neither 放假/补休 nor 上班 (2024's 鼓励……安排职工在除夕
（2月9日）休息) are not read as arrangements; they are listed in ``Arrangement.notes`` for the
person importing to see. ``disagreements(arrangement, reference)`` compares the result with
working-day data already known for those dates (chinesecalendar's, in practice).

The module knows nothing of Django: ``portal.holidays`` stores what it returns.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from lib.docnumber import DocNumberError, normalize_doc_number
from lib.lawtext import cn_to_int

__all__ = [
    "FESTIVALS", "MIN_YEAR", "Arrangement", "NoticeError", "NoticeItem", "disagreements", "parse_notice",
]

MIN_YEAR = 2000  # 黄金周 and 调休 in their present form date from the 1999 放假办法
FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
WEEKDAYS = "一二三四五六日"
_WEEKDAY_ALIASES = {"天": 6}

# Full-width ASCII (：（），０-９) and the ideographic space become their half-width forms, one character
# for one, so that every offset into the normalised text is an offset into the original.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_NUMERALS = "一二三四五六七八九十"

_ITEM_RE = re.compile(
    rf"(?<![^\s。])(?P<num>[{_NUMERALS}]{{1,3}})、[ \t]*(?P<name>[\u4e00-\u9fff][\u4e00-\u9fff、 \t]{{0,24}}?)[ \t]*:")
_DATE_RE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日(?:\s*\((?P<note>[^()]*)\))?")
_RANGE_JOIN = re.compile(r"\s*(?:至|到|~|-|—|－)\s*")
_LIST_JOIN = re.compile(r"\s*(?:、|和|及)\s*")
_COUNT_RE = re.compile(rf"(?:共|放假)\s*(?P<n>\d+|[{_NUMERALS}]+)\s*天")
_WEEKDAY_RE = re.compile(r"(?:周|星期|礼拜)(?P<w>[一二三四五六日天])")
_TITLE_YEAR_RE = re.compile(r"关于\s*(\d{4})\s*年\s*部分\s*节假日\s*安排")
_INTRO_YEAR_RE = re.compile(r"现将\s*(\d{4})\s*年")
_DOC_NUMBER_RE = re.compile(r"国办发明电\s*[〔\[(【［﹝]\s*\d{4}\s*[〕\])】］﹞]\s*\d+\s*号")
_SIGNATURE_RE = re.compile(r"国务院办公厅\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CLOSING_RE = re.compile(r"(?:鼓励单位|节假日期间|国务院办公厅\s*\d{4}\s*年)")


class NoticeError(ValueError):
    """The notice text cannot be read as an arrangement; ``problems`` are the Chinese reasons, one each."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("节假日安排通知无法导入：\n" + "\n".join(f"- {p}" for p in self.problems))


@dataclass(frozen=True)
class NoticeItem:
    """One numbered item of the notice: a festival (or two, 国庆节、中秋节) and its days."""

    number: int
    name: str
    text: str  # the item as written in the notice (its lines joined)
    holidays: tuple[datetime.date, ...]
    workdays: tuple[datetime.date, ...]


@dataclass(frozen=True)
class Arrangement:
    """The arrangement of one year as the notice gives it."""

    year: int
    items: tuple[NoticeItem, ...]
    title: str = ""
    doc_number: str = ""
    issued_on: datetime.date | None = None
    notes: tuple[str, ...] = field(default=())

    @cached_property
    def holidays(self) -> dict[datetime.date, str]:
        """Return {day off: festival name}, in date order."""
        return dict(sorted((day, item.name) for item in self.items for day in item.holidays))

    @cached_property
    def workdays(self) -> dict[datetime.date, str]:
        """Return {make-up working day: festival name}, in date order."""
        return dict(sorted((day, item.name) for item in self.items for day in item.workdays))

    def is_working_day(self, day: datetime.date) -> bool:
        """Return whether ``day`` is worked under this arrangement (weekends off unless made up)."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


def _half_width(text: str) -> str:
    return text.translate(_HALF_WIDTH)


def _fmt(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def _find_year(text: str, year: int | None) -> tuple[int | None, list[str]]:
    """Return the notice's year (from its title or first paragraph, or ``year``) and the problems found."""
    found = {int(m.group(1)) for regex in (_TITLE_YEAR_RE, _INTRO_YEAR_RE) for m in regex.finditer(text)}
    if len(found) > 1:
        return None, [f"通知中出现了不同的年份（{'、'.join(f'{y}年' for y in sorted(found))}），无法确定是哪一年的安排。"]
    stated = found.pop() if found else None
    if year is not None and stated is not None and year != stated:
        return None, [f"指定的年份{year}年与通知所写的{stated}年不一致。"]
    if year is None and stated is None:
        return None, ["无法确定年份：通知中没有“关于20XX年部分节假日安排”或“现将20XX年……”字样，请指定年份。"]
    return (year if year is not None else stated), []


def _clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the (start, end) of the clauses of text[start:end], split at commas outside parentheses."""
    spans, depth, begin = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch in ",;" and depth == 0:
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


class _Reader:
    """Reads the dates of one notice, collecting problems instead of stopping at the first."""

    def __init__(self, year: int):
        self.year = year
        self.problems: list[str] = []
        self.weekday_problems: list[str] = []
        self.notes: list[str] = []

    def dates(self, clause: str, as_written: str) -> list[datetime.date]:
        """Return every day a clause names: single dates, lists (、) and ranges (至), in order.

        ``as_written`` is the clause as the notice writes it (same length), quoted in the problems.
        """
        days: list[datetime.date] = []
        previous = None  # (date, year written?) of the previous date of the clause, for "1月1日至3日"
        last_end = None
        for match in _DATE_RE.finditer(clause):
            joined_by = clause[last_end:match.start()] if last_end is not None else None
            in_range = joined_by is not None and _RANGE_JOIN.fullmatch(joined_by) is not None
            carried = previous if joined_by is not None and (in_range or _LIST_JOIN.fullmatch(joined_by)) else None
            day = self._date(match, carried, as_written[match.start():match.end()])
            last_end = match.end()
            if day is None:
                previous = None
                continue
            if in_range and days:
                start = days[-1]
                if day <= start:
                    self.problems.append(f"“{as_written.strip()}”：日期范围的结束日早于或等于开始日。")
                    previous = (day, match.group("y") is not None)
                    continue
                days += [start + datetime.timedelta(days=k) for k in range(1, (day - start).days + 1)]
            else:
                days.append(day)
            previous = (day, match.group("y") is not None)
        return days

    def _date(self, match: re.Match, previous, text: str) -> datetime.date | None:
        if match.group("y"):
            year = int(match.group("y"))
        elif previous is not None and previous[1]:
            year = previous[0].year
        else:
            year = self.year
        if match.group("m"):
            month = int(match.group("m"))
        elif previous is not None:
            month = previous[0].month
        else:
            self.problems.append(f"“{text}”没有写明月份。")
            return None
        try:
            day = datetime.date(year, month, int(match.group("d")))
        except ValueError:
            self.problems.append(f"“{text}”不是有效日期（{year}年）。")
            return None
        if not (day.year == self.year or (day.year == self.year - 1 and day.month == 12)
                or (day.year == self.year + 1 and day.month == 1)):
            self.problems.append(f"“{text}”不在{self.year}年的安排范围内（只能包括上一年12月和下一年1月的日期）。")
            return None
        note = match.group("note") or ""
        for weekday in _WEEKDAY_RE.finditer(note):
            w = weekday.group("w")
            expected = _WEEKDAY_ALIASES.get(w, WEEKDAYS.find(w))
            if expected != day.weekday():
                self.weekday_problems.append(f"“{text.strip()}”：{day.year}年{day.month}月{day.day}日是"
                                             f"星期{WEEKDAYS[day.weekday()]}，不是星期{w}")
        return day

    def item(self, number: int, name: str, body: str, original: str) -> NoticeItem:
        """Read one item; ``body`` is its normalised text, ``original`` the same text as written (same offsets)."""
        holidays: list[datetime.date] = []
        workdays: list[datetime.date] = []
        for sentence in re.finditer(r"[^。]+", body):
            off: list[datetime.date] = []
            count = None
            for start, end in _clause_spans(body, *sentence.span()):
                clause, as_written = body[start:end], original[start:end].strip()
                days = self.dates(clause, original[start:end])
                counted = _COUNT_RE.search(clause)
                if counted:
                    try:
                        count = cn_to_int(counted.group("n"))
                    except ValueError:
                        self.problems.append(f"{name}：“{as_written}”中的天数无法识别。")
                if not days:
                    continue
                if "放假" in clause or "补休" in clause:
                    off += days
                elif "上班" in clause:
                    for day in days:
                        if day.weekday() < 5:
                            self.problems.append(f"{name}：{_fmt(day)}是工作日，不是需要调休上班的周末。")
                    workdays += days
                else:
                    self.notes.append(f"{name}：“{as_written}”含有日期，但既不是放假也不是上班安排，未作为安排读取。")
            if count is not None:
                if not off:
                    self.problems.append(f"{name}：“{original[slice(*sentence.span())].strip()}”"
                                         f"写明共{count}天，但没有读到放假日期。")
                elif count != len(off):
                    self.problems.append(f"{name}：写明共{count}天，但所列放假日期有{len(off)}天"
                                         f"（{_fmt(off[0])}至{_fmt(off[-1])}）。")
            holidays += off
        if not holidays:
            self.problems.append(f"{name}：“{original}”中没有读到放假日期。")
        return NoticeItem(number, name, original, tuple(holidays), tuple(workdays))


def _join_lines(text: str) -> str:
    return re.sub(r"\s*\n\s*", "", text).strip()


def _item_spans(normal: str, original: str) -> list[tuple[int, str, str, str]]:
    """Return (number, name, body, body as written) of every numbered item, their line breaks joined."""
    headers = list(_ITEM_RE.finditer(normal))
    spans = []
    for k, header in enumerate(headers):
        end = headers[k + 1].start() if k + 1 < len(headers) else len(normal)
        if k + 1 == len(headers):  # the last item ends with its paragraph, before the closing text
            body = normal[header.end():end]
            stop = [m.end() for m in re.finditer(r"。[ \t\r]*\n", body)]
            closing = _CLOSING_RE.search(body)
            end = header.end() + min([*stop[:1], *([closing.start()] if closing else []), len(body)])
        number = cn_to_int(header.group("num"))
        name = re.sub(r"\s+", "", header.group("name"))
        spans.append((number, name, _join_lines(normal[header.end():end]), _join_lines(original[header.end():end])))
    return spans


def parse_notice(text: str, year: int | None = None, today: datetime.date | None = None) -> Arrangement:
    """Return the arrangement the notice text gives; raise NoticeError (Chinese) when it cannot be read.

    ``year`` is needed only when the text does not say which year it is for (items pasted on their
    own); ``today`` bounds the plausible years (up to next year), the local date by default.
    """
    if not isinstance(text, str) or not text.strip():
        raise NoticeError(["通知内容为空。"])
    original = text.lstrip("\ufeff")
    normal = _half_width(original)
    spans = _item_spans(normal, original)
    found_year, problems = _find_year(normal, year)
    if not spans:
        problems.insert(0, "没有找到放假安排条目（形如“一、元旦：1月1日放假……”），"
                           "请确认内容是国务院办公厅部分节假日安排通知的正文。")
    if problems:
        raise NoticeError(problems)
    today = today or datetime.date.today()
    if not MIN_YEAR <= found_year <= today.year + 1:
        raise NoticeError([f"年份{found_year}年不合理：只能导入{MIN_YEAR}年至{today.year + 1}年的节假日安排。"])
    reader = _Reader(found_year)
    numbers = [number for number, *_ in spans]
    if numbers != list(range(1, len(numbers) + 1)):
        reader.problems.append(f"条目编号不连续（{'、'.join(_to_cn(n) for n in numbers)}），通知可能没有完整粘贴。")
    items = [reader.item(*span) for span in spans]
    named = {part for item in items for part in item.name.split("、")}
    missing = [f for f in FESTIVALS if f not in named]
    if missing:
        reader.problems.append(f"通知中没有{'、'.join(missing)}的安排，请粘贴通知全文。")
    for part in sorted(named - set(FESTIVALS)):
        reader.notes.append(f"“{part}”不是《全国年节及纪念日放假办法》的七个节日之一，请核对。")
    _check_overlaps(items, reader.problems)
    wrong_weekdays = reader.weekday_problems
    if len(wrong_weekdays) > 3:
        reader.problems.insert(0, f"有{len(wrong_weekdays)}处星期与日期不符，通知可能不是{found_year}年的："
                                  f"{'；'.join(wrong_weekdays[:3])}……")
    elif wrong_weekdays:
        reader.problems[:0] = [f"{p}，请核对年份和日期。" for p in wrong_weekdays]
    if reader.problems:
        raise NoticeError(reader.problems)
    title_match = re.search(r"国务院办公厅关于\s*\d{4}\s*年\s*部分节假日安排的通知", normal)
    doc = _DOC_NUMBER_RE.search(normal)
    doc_number = ""
    if doc:
        try:
            doc_number = normalize_doc_number(doc.group(0))
        except DocNumberError:
            doc_number = ""
    signed = _SIGNATURE_RE.search(normal)
    issued_on = None
    if signed:
        try:
            issued_on = datetime.date(*(int(g) for g in signed.groups()))
        except ValueError:
            issued_on = None
    title = re.sub(r"\s+", "", title_match.group(0)) if title_match else f"国务院办公厅关于{found_year}年部分节假日安排的通知"
    return Arrangement(found_year, tuple(items), title, doc_number, issued_on, tuple(reader.notes))


def _to_cn(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    return ("" if n < 20 else _NUMERALS[n // 10 - 1]) + "十" + (_NUMERALS[n % 10 - 1] if n % 10 else "")


def _check_overlaps(items: list[NoticeItem], problems: list[str]) -> None:
    """Add a problem for every day the items name more than once (two festivals, or off and worked)."""
    seen: dict[datetime.date, str] = {}
    for item in items:
        for kind, days in (("放假", item.holidays), ("上班", item.workdays)):
            for day in days:
                label = f"{item.name}{kind}"
                if day in seen:
                    problems.append(f"{_fmt(day)}重复出现（{seen[day]}、{label}），安排相互重叠。")
                else:
                    seen[day] = label


def disagreements(arrangement: Arrangement,
                  reference: Callable[[datetime.date], bool | None]) -> list[str]:
    """Return, in Chinese, every day whose working status differs from ``reference`` (None: nothing known).

    Checks every day of the notice's year and the days of the neighbouring years it names.
    """
    first = datetime.date(arrangement.year, 1, 1)
    days = [first + datetime.timedelta(days=k) for k in range((datetime.date(arrangement.year + 1, 1, 1) - first).days)]
    days += [d for d in (*arrangement.holidays, *arrangement.workdays) if d.year != arrangement.year]
    found = []
    for day in sorted(set(days)):
        known = reference(day)
        if known is None:
            continue
        mine = arrangement.is_working_day(day)
        if mine != known:
            found.append(f"{_fmt(day)}：通知为{'上班' if mine else '休息'}，已有数据为{'上班' if known else '休息'}")
    return found
