"""Validate and normalise 发文字号 (document numbers) such as 周政办字〔2018〕18号.

Editors paste numbers from Word files, web pages and scans, so the same number
arrives as "周政办字[2018]18号", "周政办字（2018）18号" or "周政办字〔２０１８〕１８号".
The canonical form uses the hexagonal brackets 〔〕 of GB/T 9704 and half-width
digits, so that one document has one spelling for search and de-duplication.
"""
from __future__ import annotations

import re

from lib.lawtext import cn_to_int

__all__ = ["DocNumberError", "doc_number_year", "normalize_doc_number"]

FORMAT_HINT = "发文字号格式不正确，应为“机关代字〔年份〕序号号”，例如：周政办字〔2018〕18号"
MIN_YEAR, MAX_YEAR = 1949, 2100

# Every bracket pair editors use for the year, mapped to 〔〕.
_OPEN = "〔[(（【［﹝〖"
_CLOSE = "〕])）】］﹞〗"
_BRACKETS = str.maketrans({**{c: "〔" for c in _OPEN}, **{c: "〕" for c in _CLOSE}})
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# 机关代字 is Chinese (国发, 周政办字, 京政发) with at most a few Latin letters or
# digits mixed in; it must not start with a digit or contain brackets.
_AGENCY = r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]*"
_DOC_RE = re.compile(rf"^(?P<agency>{_AGENCY})〔(?P<year>\d{{4}})〕(?P<di>第?)(?P<seq>\d+)(?P<hao>号?)$")
# 令 numbers have no year: 主席令第七十号, 国务院令第709号, 中华人民共和国主席令第70号.
_DECREE_RE = re.compile(r"^(?P<issuer>[\u4e00-\u9fff]*令)第(?P<num>[0-9]+|[零〇一二两三四五六七八九十百千万]+)号$")


class DocNumberError(ValueError):
    """Raised for a 发文字号 that cannot be normalised (message is Chinese)."""


def _canonical_chars(s: str) -> str:
    """Return s with brackets made 〔〕, digits half-width and all whitespace removed.

    Whitespace never belongs in a document number: "国发〔2016〕 5 号" -> "国发〔2016〕5号".
    """
    return re.sub(r"\s+", "", s.translate(_BRACKETS).translate(_FULLWIDTH_DIGITS))


def normalize_doc_number(s: str) -> str:
    """Return the canonical 发文字号 ("" for an empty value); raise DocNumberError if malformed.

    Examples: "周政办字[2018]18号", "周政办字（2018）18号" and "周政办字〔２０１８〕１８号"
    all become "周政办字〔2018〕18号"; "国务院令第７０９号" becomes "国务院令第709号".
    """
    if s is None or not s.strip():
        return ""
    text = _canonical_chars(s)
    decree = _DECREE_RE.match(text)
    if decree:
        number = decree.group("num")
        try:
            value = cn_to_int(number)
        except ValueError:
            raise DocNumberError(f"令号“{s.strip()}”中的序号无法识别，例如：国务院令第709号") from None
        if value < 1 or not decree.group("issuer")[:-1]:
            raise DocNumberError(f"令号“{s.strip()}”格式不正确，例如：国务院令第709号")
        return text
    m = _DOC_RE.match(text)
    if not m or not re.search(r"[\u4e00-\u9fff]", m.group("agency")):
        raise DocNumberError(FORMAT_HINT)
    year = int(m.group("year"))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DocNumberError(f"发文字号中的年份{year}不在{MIN_YEAR}—{MAX_YEAR}之间。{FORMAT_HINT}")
    if not m.group("hao"):
        raise DocNumberError(f"发文字号应以“号”结尾。{FORMAT_HINT}")
    seq = int(m.group("seq"))
    if seq < 1:
        raise DocNumberError(f"发文字号中的序号必须大于0。{FORMAT_HINT}")
    if m.group("di"):
        # Decision numbers (处罚决定书、许可决定书文号) are written 第0312号 by the
        # issuing system; the zero-padded serial is the official spelling, keep it.
        return f"{m.group('agency')}〔{year}〕第{m.group('seq')}号"
    # In a 发文字号 leading zeros are a typing habit: 〔2018〕018号 -> 〔2018〕18号.
    return f"{m.group('agency')}〔{year}〕{seq}号"


def doc_number_year(s: str) -> int | None:
    """Return the year of a 发文字号, or None for an empty value, a 令 number or a malformed one.

    Lenient on purpose: it serves listing and sorting, where a bad value must not
    break the page; validation happens in normalize_doc_number() when saving.
    """
    try:
        text = normalize_doc_number(s)
    except DocNumberError:
        return None
    m = _DOC_RE.match(text)
    return int(m.group("year")) if m else None
