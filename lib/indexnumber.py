"""Generate and read 索引号 (index numbers) of government information, e.g. ZHZF/2018-00012.

Format: 机关代码/年份-五位序号. The sequence restarts at 00001 for every
department code and year, as the information-disclosure catalogues do.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["format_index_number", "next_index_number", "parse_index_number"]

MIN_YEAR, MAX_YEAR = 1949, 2100
MAX_SEQ = 99999  # five digits
FORMAT_HINT = "索引号格式不正确，应为“机关代码/年份-五位序号”，例如：ZHZF/2018-00012"

# The code is a department abbreviation (ZHZF) or an organisation code
# (11330000002482870P); "/" and "-" would make the number ambiguous to read back.
_CODE_RE = re.compile(r"[0-9A-Za-z]+")
_INDEX_RE = re.compile(r"^([0-9A-Za-z]+)/(\d{4})-(\d{5})$")


def _check(code: str, year: int, seq: int) -> None:
    """Raise ValueError (Chinese message) unless code, year and seq can form an index number."""
    if not isinstance(code, str) or not _CODE_RE.fullmatch(code):
        raise ValueError(f"机关代码“{code}”不正确：只能由字母和数字组成，例如：ZHZF")
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"年份{year}不在{MIN_YEAR}—{MAX_YEAR}之间")
    if not isinstance(seq, int) or not 1 <= seq <= MAX_SEQ:
        raise ValueError(f"序号{seq}超出范围：应在1—{MAX_SEQ}之间")


def format_index_number(code: str, year: int, seq: int) -> str:
    """Return the index number "CODE/YYYY-NNNNN", e.g. ("ZHZF", 2018, 12) -> "ZHZF/2018-00012"."""
    _check(code, year, seq)
    return f"{code}/{year}-{seq:05d}"


def parse_index_number(s: str) -> tuple[str, int, int]:
    """Return (code, year, seq) from "ZHZF/2018-00012"; raise ValueError (Chinese) if malformed."""
    m = _INDEX_RE.match(s.strip()) if isinstance(s, str) else None
    if not m:
        raise ValueError(FORMAT_HINT)
    code, year, seq = m.group(1), int(m.group(2)), int(m.group(3))
    try:
        _check(code, year, seq)
    except ValueError as exc:
        raise ValueError(f"{FORMAT_HINT}（{exc}）") from None
    return code, year, seq


def next_index_number(code: str, year: int, existing: Iterable[str]) -> str:
    """Return the next free index number for code and year: highest existing seq + 1, from 00001.

    Malformed values and numbers of other codes or years are ignored, so a
    legacy "ZHZF-2018-12" does not block generation. Gaps are not reused:
    after ZHZF/2018-00001 and ZHZF/2018-00007 comes ZHZF/2018-00008, because a
    withdrawn number may still be cited somewhere.
    """
    highest = 0
    for value in existing:
        try:
            other_code, other_year, seq = parse_index_number(value)
        except (ValueError, TypeError, AttributeError):
            continue
        if other_code == code and other_year == year:
            highest = max(highest, seq)
    if highest >= MAX_SEQ:
        raise ValueError(f"{code}/{year} 的索引号已用完（序号上限{MAX_SEQ}）")
    return format_index_number(code, year, highest + 1)
