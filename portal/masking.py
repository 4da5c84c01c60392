"""Mask personal data (身份证号, 手机号, 银行账号, 详细住址, 自然人姓名) in anything the public can reach.

Rules, following the usual practice of published 行政处罚决定书:

- 身份证号: keep the 6-digit region code and the last 4 characters, mask the
  birth date and sequence: 411602198705123414 -> 411602********3414; the
  15-digit form keeps 前6后3 (its last 3 are the sequence, the birth date is
  masked): 410102870512123 -> 410102******123.
- 手机号: keep 前3后4, separators and +86 stay: +86 138-1234-5678 -> +86 138-****-5678.
  Landlines are left alone in free text (they are mostly the departments' own
  published numbers); a natural person's 联系电话 field is masked whatever it holds.
- 银行账号 (16-21 digits, grouped or not; 12-15 digits after 账号/银行…): every digit
  but the last 4 becomes *: 6228481198765432170 -> ***************2170. Any
  longer run of digits (an ID glued to a phone number) is masked the same way.
- 详细住址: keep the region, 街道/乡 and the road, street, village or group,
  mask the house number and everything finer: 七一路18号3号楼2单元301室 -> 七一路**号***,
  黎庄村二组36号 -> 黎庄村二组**号; a building/unit/room chain without a road
  (润园小区3号楼2单元301室) becomes 润园小区***.
- 姓名: keep the surname (compound surnames included), each other character
  becomes 某: 张三 -> 张某, 李小明 -> 李某某, 欧阳小明 -> 欧阳某某.

Never masked: dates (20260312), amounts (50000元), 统一社会信用代码 (the check
character of GB 32100 tells them from ID and account numbers), 发文字号
(川综执罚决字〔2026〕第0312号) and article numbers. An 18-character string is
an ID only if its region and birth date are plausible (python-stdnum: ``stdnum.cn.ric``
for the birth date and the county table, ``stdnum.cn.uscc`` for credit codes); a valid ID check digit
wins over a valid credit-code check character, and a plausible ID with a wrong
check digit is still masked, because typos do not make personal data public.
Text may be HTML (rich-text bodies): attributes are masked like text, so a
tel: link cannot leak the number it dials.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

__all__ = [
    "COMPOUND_SURNAMES", "mask_address", "mask_id_number", "mask_names_in_text", "mask_penalty_fields",
    "mask_person_name", "mask_phone", "mask_text",
]

_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")
# A number must not continue a longer code on either side (ASCII or full-width letters and digits);
# Chinese characters around it are fine: 身份证号411602198705123414手机.
_ALNUM = r"0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_BEFORE = rf"(?<![{_ALNUM}])"
_AFTER = rf"(?![{_ALNUM}])"
# Numbers followed by 元/万元 or a decimal part are money: 13800000000元 stays.
_NOT_MONEY = r"(?!\.\d)(?!\s*[元万亿])"
# An 11-digit count of 万 or 亿 yuan exceeds any real amount, so only 元 protects a mobile-shaped number.
_NOT_MONEY_PHONE = r"(?!\.\d)(?!\s*元)"
_SEP = r"[ \u00a0-]"

_ID_RE = re.compile(rf"{_BEFORE}(\d{{17}}[\dXxｘＸ]|\d{{15}}){_AFTER}")
# 6228481198765432170, 6217 0024 3001 2345 678; the length rules are in _replace_bank.
_BANK_RE = re.compile(
    rf"{_BEFORE}(\d{{4}}(?:[ \u00a0]\d{{4}}){{3}}(?:[ \u00a0]\d{{1,4}}){{0,2}}|\d{{12,}}){_AFTER}{_NOT_MONEY}"
)
# 13812345678, 138 1234 5678, 138-1234-5678, +86 13812345678, （+86）138..., 8613812345678,
# and the same in full-width digits pasted from Word: １３８１２３４５６７８.
_PHONE_RE = re.compile(
    rf"{_BEFORE}((?:[(（]?[+＋]?[8８][6６][)）]?{_SEP}?)?)"
    rf"([1１][3-9３-９]\d{_SEP}?\d{{4}}{_SEP}?\d{{4}}){_AFTER}{_NOT_MONEY_PHONE}"
)
_BANK_WORDS = ("账号", "帐号", "账户", "帐户", "卡号", "银行", "开户", "支行", "分行", "营业部", "信用社")

# 住址: a road/street/village/group word, then the house number and its finer parts.
#   交通路156号院3号楼2单元502室 -> 交通路**号***    新民街西段118号 -> 新民街西段**号
# The word before the number is what tells 七一路18号 from 〔2018〕18号 and 第0312号.
_HOUSE = r"\d+(?:[-－]\d+)?号(?:之[一二三四五六七八九十\d]+)?"
_FINER = r"(?:院)?(?:[\dA-Za-z一二三四五六七八九十零〇]+(?:号楼|号院|号|楼|栋|幢|座|单元|层|室|户))*"
_ADDRESS_RE = re.compile(rf"(路|街|道|巷|弄|胡同|村|组|里|段|庄|屯)({_HOUSE})({_FINER})")
# Building chains without a road; a bare "3栋" or "3层" is a quantity in 违法建设 cases, so it stays.
_BUILDING_RE = re.compile(
    r"(?<!\d)(?:\d+号楼(?:\d+单元)?(?:\d+[层楼])?(?:\d+[室户号])?"
    r"|\d+[栋幢座](?:\d+单元(?:\d+[层楼])?(?:\d+[室户号])?|\d+[室户])"
    r"|\d+单元\d+[层楼]?\d*[室户号])"
)

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯 长孙 宇文 轩辕 端木 独孤 南宫 西门 百里 "
    "呼延 闻人 万俟 澹台 公冶 太史 申屠 钟离 宗政 濮阳 淳于 单于 拓跋 第五 左丘 东郭 赫连 司空".split()
)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_ORG_KINDS = {"organisation", "organization", "法人或其他组织", "法人", "其他组织", "个体工商户"}
_PARTY_KEYS = ("party_name", "party_id_number", "party_address", "party_phone", "legal_representative")


def _looks_like_id(s: str) -> bool:
    """Return True if s has a known county code and a real birth date where an ID number has them.

    Both come from python-stdnum (``stdnum.cn.ric``): the birth date as ``get_birth_date`` reads it
    (a 15-digit number is read as its 18-digit form, born 19xx), the region from stdnum's table of
    county codes.  stdnum's own ``get_birth_place`` also wants the code to have existed in the birth
    year; that is not asked here, because a county re-coded after the person's birth (411602 川汇区
    dates from 2000) re-numbered its residents, and such an ID must be masked all the same.
    """
    s = s.translate(_FULLWIDTH).upper()
    long_form = s if len(s) == 18 else s[:6] + "19" + s[6:] + "0"
    try:
        born = ric.get_birth_date(long_form)
    except (ValidationError, ValueError):
        return False
    return born.year >= 1900 and bool(_county(long_form[:6]))


@functools.cache
def _county(code: str) -> str:
    """Return the county of a 6-digit region code in stdnum's table ("" when unknown)."""
    info = {key: value for _part, props in numdb.get("cn/loc").info(code) for key, value in props.items()}
    return info.get("county", "")


def _id_check_ok(s: str) -> bool:
    """Return True if an 18-character ID number carries its GB 11643 check character (stdnum.cn.ric)."""
    s = s.translate(_FULLWIDTH).upper()
    return len(s) == 18 and s[:17].isdigit() and s.isascii() and ric.calc_check_digit(s) == s[17]


def _credit_code_ok(s: str) -> bool:
    """Return True if s is an 18-character 统一社会信用代码 with a correct check character (stdnum.cn.uscc)."""
    return uscc.is_valid(s.translate(_FULLWIDTH))


def _is_id_number(s: str) -> bool:
    """Return True if a 15/18-character number is to be treated as a personal ID number."""
    # An all-digit credit code can have an ID's shape (124116198705121030); its check decides.
    if not _looks_like_id(s):
        return False
    return len(s) == 15 or _id_check_ok(s) or not _credit_code_ok(s)


def _mask_id(s: str) -> str:
    return s[:6] + "*" * 8 + s[-4:] if len(s) == 18 else s[:6] + "*" * 6 + s[-3:]


def _mask_digits(s: str, keep_last: int) -> str:
    """Return s with every digit but the last keep_last replaced by *, separators kept."""
    total = sum(c.isdigit() for c in s)
    out, seen = [], 0
    for c in s:
        if c.isdigit():
            seen += 1
            out.append(c if seen > total - keep_last else "*")
        else:
            out.append(c)
    return "".join(out)


def _replace_id(m: re.Match) -> str:
    s = m.group(1)
    return _mask_id(s) if _is_id_number(s) else s


def _replace_bank(m: re.Match) -> str:
    s = m.group(1)
    digits = sum(c.isdigit() for c in s)
    before = m.string[max(0, m.start() - 16):m.start()]
    in_bank_context = any(w in before for w in _BANK_WORDS)
    if digits < 16 and not in_bank_context:
        return s
    if digits == 18 and _credit_code_ok(s) and not in_bank_context:
        return s  # an all-digit 统一社会信用代码 of an older company
    # Longer than any account: numbers typed without a separator (ID + phone), masked all the same.
    return _mask_digits(s, 4)


def _replace_phone(m: re.Match) -> str:
    prefix, number = m.group(1), m.group(2)
    out, seen = [], 0
    for c in number:
        if c.isdigit():
            seen += 1
            out.append("*" if 4 <= seen <= 7 else c)
        else:
            out.append(c)
    return prefix + "".join(out)


def _replace_address(m: re.Match) -> str:
    return m.group(1) + "**号" + ("***" if m.group(3) else "")


def _mask_plain(text: str) -> str:
    text = _ID_RE.sub(_replace_id, text)
    text = _BANK_RE.sub(_replace_bank, text)
    text = _PHONE_RE.sub(_replace_phone, text)
    text = _ADDRESS_RE.sub(_replace_address, text)
    return _BUILDING_RE.sub("***", text)


def mask_text(text: str, keep: Iterable[str] = ()) -> str:
    """Return text with ID numbers, mobile numbers, bank accounts and house numbers masked.

    ``keep`` lists strings to leave exactly as they are (an organisation's
    name, credit code and registered address). HTML is masked as it stands,
    attributes included, so a tel: link or an alt text cannot leak a number.
    Masking is idempotent: masking masked text changes nothing.
    """
    if not text:
        return text
    kept = sorted({k for k in keep if k}, key=len, reverse=True)
    splitter = re.compile("(" + "|".join(map(re.escape, kept)) + ")") if kept else None
    pieces = splitter.split(text) if splitter else [text]
    # split() with a capturing group puts the kept strings at the odd positions.
    return "".join(piece if i % 2 else _mask_plain(piece) for i, piece in enumerate(pieces))


def mask_person_name(name: str) -> str:
    """Return a natural person's name with the surname kept and every other character replaced by 某.

    张三 -> 张某, 李小明 -> 李某某, 欧阳小明 -> 欧阳某某; a remark after the name
    stays: 訾海燕（经营者） -> 訾某某（经营者）; 买买提·艾力 -> 买某某·某某.
    """
    name = (name or "").strip()
    core, remark = re.match(r"([^（(]*)(.*)", name, re.S).groups()
    core = core.strip()
    if not core:
        return name
    if not _CJK_RE.search(core):
        return core[0] + "***" + remark
    surname = 2 if len(core) >= 3 and core[:2] in COMPOUND_SURNAMES else 1
    rest = "".join(c if c in "·•・．." else "某" for c in core[surname:]) or "某"
    return core[:surname] + rest + remark


def _name_core(name: str) -> str:
    return re.split(r"[（(]", name or "", maxsplit=1)[0].strip()


def mask_names_in_text(text: str, names: Iterable[str]) -> str:
    """Return text with every occurrence of each given person's name replaced by its masked form.

    Longer names are replaced first, so 李小明 is not half-masked through 李小.
    One-character "names" are ignored: replacing 张 everywhere would mangle the text.
    """
    if not text:
        return text
    table = {core: mask_person_name(core) for core in map(_name_core, names) if len(core) >= 2}
    if not table:
        return text
    pattern = re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))
    return pattern.sub(lambda m: table[m.group(0)], text)


def mask_id_number(value: str) -> str:
    """Return a person's ID number field masked: 前6后4 for an ID number, only the last 4 kept for anything else."""
    masked = mask_text(value)
    if masked != value or not value:
        return masked
    if len(value) <= 4:
        return "*" * len(value)
    return re.sub(r"[0-9A-Za-z]", "*", value[:-4]) + value[-4:]


def mask_phone(value: str) -> str:
    """Return a person's phone field masked: 138****5678 for a mobile, only the last 4 digits for a landline."""
    masked = mask_text(value)
    return masked if masked != value else _mask_digits(value, 4)


def mask_address(value: str) -> str:
    """Return a person's address field masked: the part from the house number on becomes **号***.

    Falls back to cutting at the first digit when no road word precedes it:
    某某花园18 -> 某某花园***. An address without digits is not detailed and stays.
    """
    masked = mask_text(value)
    if masked != value:
        return masked
    m = re.search(r"\d", value or "")
    return value[:m.start()] + "***" if m else value


def mask_penalty_fields(fields: dict, party_kind: str) -> dict:
    """Return a copy of a penalty decision's fields fit for the public.

    For a natural person (自然人, and any unknown kind, to be safe) the name is
    masked everywhere it occurs, and the ID, phone and address fields are
    masked. For an organisation the name, the credit code (unless it is in
    fact a personal ID number), the registered address and the legal
    representative's name stay, as they are public in the credit registers,
    while personal data elsewhere (the representative's mobile or ID) is masked. Every other string value is treated as free text (HTML allowed);
    non-string values are copied as they are.
    """
    out = dict(fields)
    is_org = party_kind in _ORG_KINDS
    get = lambda key: fields.get(key) or ""  # noqa: E731
    if is_org:
        names: list[str] = []
        keep = [get("party_name"), get("party_address")]
        if mask_text(get("party_id_number")) == get("party_id_number"):
            keep.append(get("party_id_number"))
        out.update(party_id_number=mask_text(get("party_id_number")), party_phone=mask_text(get("party_phone")))
    else:
        names, keep = [get("party_name"), get("legal_representative")], []
        out.update(
            party_name=mask_person_name(get("party_name")),
            party_id_number=mask_id_number(get("party_id_number")),
            party_address=mask_address(get("party_address")),
            party_phone=mask_phone(get("party_phone")),
            legal_representative=mask_person_name(get("legal_representative")) if get("legal_representative") else "",
        )
    for key, value in fields.items():
        if key not in _PARTY_KEYS and isinstance(value, str):
            out[key] = mask_text(mask_names_in_text(value, names), keep=keep)
    # Only keys the caller gave come back, so a partial dict is not padded with blanks.
    return {key: out[key] for key in fields}
