"""Request parameters read one way everywhere: ids, numbers, years, months and dates, or a Chinese refusal.

Why one helper: ``str.isdigit()`` says yes to '²' and '٣', which ``int()`` refuses (ValueError, HTTP 500)
or reads as 3; an integer past 2**63-1 overflows SQLite (OverflowError, HTTP 500); ``int()`` of a
5,000-digit string raises too; a date in 9999 overflows the first date arithmetic done on it.  Every
view therefore reads its numeric, date and id parameters through the functions below, which accept
only ASCII digits, within a range the database and the calendar can hold.

Two kinds of answer:

* ``int_param`` / ``year_param`` / ``month_param`` / ``date_param`` return the value or None, for
  callers that decide themselves (a plain function, a form's initial value);
* ``require_*`` return None for an absent value and raise ``BadParameter`` for a malformed one: the
  request cannot be answered as asked, and ``BadParameterMiddleware`` answers it 400 with the
  exception's Chinese message; ``id_or_404`` raises Http404 (Chinese) for an id that cannot exist,
  the answer a missing object gets, so a URL reveals nothing.

``AdminParameterMiddleware`` does the same at the door of Wagtail's own admin views, whose filters and
admin API read ids and dates with ``int()`` and Django's date fields: an id past SQLite's integers in a
multiple-choice filter (``?group=``), an admin API ``?offset=`` of 30 digits, a ``?timestamp_from=0001-01-01``
(midnight in Asia/Shanghai is before the year 1 in UTC) or a revision id of 5,000 digits in the revisions
compare URL (a regular expression of digits there, not ``<int:>``) would each be a 500.

``IdConverter`` is the ``<id:…>`` path converter: ASCII digits up to 2**63-1, longer ones do not match
(404).  Django's ``<int:…>`` matches any length of digits.
"""
from __future__ import annotations

import datetime
import re

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import render

MAX_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL's bigint hold
YEAR_MIN, YEAR_MAX = 1900, 2100  # the years the portal's documents and calendars can name
ECHO_LENGTH = 20  # characters of a refused value repeated in its message

_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})", re.ASCII)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)

ID_NOT_FOUND = "所请求的内容不存在，或您没有查看权限。"

# Query parameters of Wagtail's admin views that are ids or counts (filters, the admin API, bulk actions) …
ADMIN_INTEGER_PARAMETERS = frozenset({
    "offset", "limit", "child_of", "descendant_of", "ancestor_of", "id", "owner", "edited_by", "site",
    "collection_id", "user", "group", "locked_by", "requested_by", "workflow", "task", "usage_count_min",
    "usage_count_max",
})
# … an id or a name ("portal.regulationpage" in the page search): a value of digits must be an id in range …
ADMIN_ID_OR_NAME_PARAMETERS = frozenset({"content_type", "object_type"})
# … and dates: the two halves of a date-range filter (``<field>_from``, ``<field>_to``) and the aging report's.
ADMIN_DATE_SUFFIXES = ("_from", "_to")
ADMIN_DATE_PARAMETERS = frozenset({"last_published_at"})


class BadParameter(Exception):
    """A request parameter that is malformed or out of range; ``message`` says so in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def echo(value) -> str:
    """Return the start of a refused value for a message (at most ECHO_LENGTH characters, no control ones)."""
    text = "".join(c if c.isprintable() else "�" for c in str(value).strip()[:ECHO_LENGTH])
    return text + ("…" if len(str(value).strip()) > ECHO_LENGTH else "")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


# --- values or None ----------------------------------------------------------------------------------

def int_param(value, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """Return the integer ``value`` writes in ASCII digits within [minimum, maximum], else None.

    Spaces around the digits are allowed; a sign, '²', '٣', '1e9', '1_000' or an empty value are not.
    """
    text = _text(value)
    if not _DIGITS.fullmatch(text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):
        return None  # before int(): int() of thousands of digits raises
    number = int(digits)
    return number if minimum <= number <= maximum else None


def year_param(value, *, minimum: int = YEAR_MIN, maximum: int = YEAR_MAX) -> int | None:
    """Return the four-digit year ``value`` names within [minimum, maximum], else None."""
    text = _text(value).removesuffix("年")
    return int_param(text, minimum=minimum, maximum=maximum) if len(text) == 4 else None


def month_param(value) -> tuple[int, int] | None:
    """Return (year, month) of "2026-10" or "2026-1" (years YEAR_MIN–YEAR_MAX), else None."""
    match = _MONTH.fullmatch(_text(value))
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return (year, month) if YEAR_MIN <= year <= YEAR_MAX and 1 <= month <= 12 else None


def date_param(value) -> datetime.date | None:
    """Return the date of an ISO YYYY-MM-DD ``value`` (years YEAR_MIN–YEAR_MAX), else None."""
    match = _DATE.fullmatch(_text(value))
    if not match or not YEAR_MIN <= int(match.group(1)) <= YEAR_MAX:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:  # 2026-02-30
        return None


# --- values, None when absent, BadParameter when malformed -------------------------------------------

def require_int(value, label: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """Return the integer of ``value``, None when it is empty; raise BadParameter when it is not one in range."""
    if not _text(value):
        return None
    number = int_param(value, minimum=minimum, maximum=maximum)
    if number is None:
        raise BadParameter(f"{label}“{echo(value)}”无效：应为 {minimum} 至 {maximum} 之间的整数（阿拉伯数字）。")
    return number


def require_year(value, label: str = "年份", *, minimum: int = YEAR_MIN, maximum: int = YEAR_MAX) -> int | None:
    """Return the year of ``value``, None when it is empty; raise BadParameter when it is not a year in range."""
    if not _text(value):
        return None
    year = year_param(value, minimum=minimum, maximum=maximum)
    if year is None:
        raise BadParameter(f"{label}“{echo(value)}”无效：应为 {minimum} 至 {maximum} 之间的四位数字年份，如 2025。")
    return year


def require_month(value, label: str = "月份") -> tuple[int, int] | None:
    """Return (year, month) of ``value``, None when it is empty; raise BadParameter when it is not a month."""
    if not _text(value):
        return None
    month = month_param(value)
    if month is None:
        raise BadParameter(f"{label}“{echo(value)}”无效：应按 2026-10 的格式填写（{YEAR_MIN}—{YEAR_MAX} 年）。")
    return month


def require_date(value, label: str = "日期") -> datetime.date | None:
    """Return the date of ``value``, None when it is empty; raise BadParameter when it is not a date in range."""
    if not _text(value):
        return None
    date = date_param(value)
    if date is None:
        raise BadParameter(f"{label}“{echo(value)}”无效：应为“年-月-日”格式的日期，如 2026-11-02"
                           f"（{YEAR_MIN}—{YEAR_MAX} 年）。")
    return date


def id_or_404(value, message: str = ID_NOT_FOUND) -> int:
    """Return the id written in ``value``; raise Http404 (``message``) when no object can have it."""
    number = int_param(value)
    if number is None:
        raise Http404(message)
    return number


# --- the answers -----------------------------------------------------------------------------------

def bad_request(request, message: str):
    """Return the 400 answer to a malformed parameter: JSON under /api/, the admin's frame in the admin,
    else the site's 400 page."""
    from django.urls import reverse  # the URLconf imports this module (the converter)

    path = request.path
    if path.startswith("/api/"):
        return JsonResponse({"message": message}, status=400, json_dumps_params={"ensure_ascii": False})
    if path.startswith(reverse("wagtailadmin_home")) and request.user.is_authenticated:
        return render(request, "portal/admin/bad_request.html",
                      {"page_title": "参数无效", "header_title": "参数无效", "message": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def bad_request_view(request, exception=None):
    """handler400: Django's own 400s (a request it could not read) on the portal's Chinese page."""
    return render(request, "400.html", {"message": "请求无法识别，请检查网址或重新填写。"}, status=400)


class BadParameterMiddleware:
    """Answer a BadParameter raised by a view (or while its response renders) with ``bad_request``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadParameter):
            return bad_request(request, exception.message)
        return None


def admin_parameter_problem(query) -> str:
    """Return the Chinese refusal of the first malformed id, count or date in an admin query, else ""."""
    for name, values in query.lists():
        for value in values:
            if not _text(value) or (name, value) == ("id", "all"):  # an empty filter; the bulk actions' id=all
                continue
            digits = _text(value).isdigit()  # of any script: read as a number
            integer = name in ADMIN_INTEGER_PARAMETERS or (name in ADMIN_ID_OR_NAME_PARAMETERS and digits)
            if integer and int_param(value, minimum=0) is None:
                return f"参数 {echo(name)} 的值“{echo(value)}”无效：应为 0 至 {MAX_ID} 之间的整数（阿拉伯数字）。"
            is_date = name in ADMIN_DATE_PARAMETERS or name.endswith(ADMIN_DATE_SUFFIXES)
            if is_date and date_param(_text(value)[:10]) is None:
                return (f"参数 {echo(name)} 的值“{echo(value)}”无效：应为“年-月-日”格式的日期，如 2026-11-02"
                        f"（{YEAR_MIN}—{YEAR_MAX} 年）。")
    return ""


def admin_path_names_no_object(path: str) -> bool:
    """Return True when a URL keyword argument of the admin ``path`` is a number no database id can be."""
    from django.urls import Resolver404, resolve  # the URLconf imports this module (the converter)

    try:
        match = resolve(path)
    except Resolver404:
        return False
    for value in match.kwargs.values():
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            return True
        if isinstance(value, str) and value.isdigit() and int_param(value, minimum=0) is None:
            return True
    return False


class AdminParameterMiddleware:
    """Before an admin view: answer 400 (Chinese) a malformed id, count or date parameter, and 404 a URL id
    no object can have."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import reverse  # the URLconf imports this module (the converter)

        if request.path.startswith(reverse("wagtailadmin_home")):
            problem = admin_parameter_problem(request.GET)
            if problem:
                return bad_request(request, problem)
            if admin_path_names_no_object(request.path_info):
                raise Http404(ID_NOT_FOUND)
        return self.get_response(request)


class IdConverter:
    """``<id:name>``: an object id of ASCII digits that the database can hold (at most 2**63-1)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the pattern does not match: 404
        return number

    def to_url(self, value) -> str:
        return str(value)


# --- form fields choosing records by id -----------------------------------------------------------------

def is_storable_id(value) -> bool:
    """Return True for an id in ASCII digits that SQLite and PostgreSQL can hold (no '٣', nothing past MAX_ID)."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 19 and int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A choice of one record by id: an id no database can hold is an invalid choice, not a server error.

    Django's own field looks any posted value up, and an integer past 2**63-1 overflows SQLite (OverflowError).
    """

    def to_python(self, value):
        if value not in self.empty_values and not is_storable_id(value):
            raise forms.ValidationError("所选项不存在，请重新选择。", code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Like ``IdChoiceField`` for several records."""

    def _check_values(self, value):
        if any(not is_storable_id(v) for v in value):
            raise forms.ValidationError("所选项不存在，请重新选择。", code="invalid_choice")
        return super()._check_values(value)

