"""Mask personal data (身份证号, 手机号, 银行账号, 详细住址, 自然人姓名) in anything the public can reach.

Rules, following the usual practice of published 行政处罚决定书:

- 身份证号: keep the 6-digit region code and the last 4 characters, mask the
  birth date and sequence: 370306198705123411 -> 370306********3411; the
  15-digit form keeps 前6后3 (its last 3 are the sequence, the birth date is
  masked): 370306870512123 -> 370306******123.
- 手机号: keep 前3后4, separators and +86 stay: +86 138-1234-5678 -> +86 138-****-5678.
  Landlines are left alone in free text (they are mostly the departments' own
  published numbers); a natural person's 联系电话 field is masked whatever it holds.
- 银行账号 (16-21 digits, grouped or not; 12-15 digits after 账号/银行…): every digit
  but the last 4 becomes *: 6228481198765432170 -> ***************2170. Any
  longer run of digits (an ID glued to a phone number) is masked the same way.
- 详细住址: keep the region, 街道/乡 and the road, street, village or group,
  mask the house number and everything finer: 丝绸路街道某路18号3号楼2单元301室 -> 丝绸路街道某路**号***,
  某村二组36号 -> 某村二组**号; a building/unit/room chain without a road
  (润园小区3号楼2单元301室) becomes 润园小区***.
- 姓名: keep the surname (compound surnames included), each other character
  becomes 某: 张三 -> 张某, 李小明 -> 李某某, 欧阳小明 -> 欧阳某某.

Never masked: dates (20260312), amounts (50000元), 统一社会信用代码 (the check
character of GB 32100 tells them from ID and account numbers), 发文字号
(周综执罚决字〔2026〕第0312号) and article numbers. An 18-character string is
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

from lib.personal_names import COMPOUND_SURNAMES, is_organisation_name, names_after_role_words

__all__ = [
    "COMPOUND_SURNAMES", "PARTY_FIELDS", "contains_personal_data", "mask_address", "mask_for_public",
    "mask_html_for_public", "mask_id_number", "mask_names_in_text", "mask_penalty_fields", "mask_person_name",
    "mask_phone", "mask_text", "page_texts", "person_names", "personal_data_found", "public_masker",
]

_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")
# A number must not continue a longer code on either side (ASCII or full-width letters and digits);
# Chinese characters around it are fine: 身份证号370306198705123411手机.
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
#   某路156号院3号楼2单元502室 -> 某路**号***    某街西段118号 -> 某街西段**号
# The word before the number is what tells 某路18号 from 〔2018〕18号 and 第0312号.
_HOUSE = r"\d+(?:[-－]\d+)?号(?:之[一二三四五六七八九十\d]+)?"
_FINER = r"(?:院)?(?:[\dA-Za-z一二三四五六七八九十零〇]+(?:号楼|号院|号|楼|栋|幢|座|单元|层|室|户))*"
_ADDRESS_RE = re.compile(rf"(路|街|道|巷|弄|胡同|村|组|里|段|庄|屯)({_HOUSE})({_FINER})")
# Building chains without a road; a bare "3栋" or "3层" is a quantity in 违法建设 cases, so it stays.
_BUILDING_RE = re.compile(
    r"(?<!\d)(?:\d+号楼(?:\d+单元)?(?:\d+[层楼])?(?:\d+[室户号])?"
    r"|\d+[栋幢座](?:\d+单元(?:\d+[层楼])?(?:\d+[室户号])?|\d+[室户])"
    r"|\d+单元\d+[层楼]?\d*[室户号])"
)

_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_ORG_KINDS = {"organisation", "organization", "法人或其他组织", "法人", "其他组织", "个体工商户"}
_PARTY_KEYS = ("party_name", "party_id_number", "party_address", "party_phone", "legal_representative")


def _looks_like_id(s: str) -> bool:
    """Return True if s has a known county code and a real birth date where an ID number has them.

    Both come from python-stdnum (``stdnum.cn.ric``): the birth date as ``get_birth_date`` reads it
    (a 15-digit number is read as its 18-digit form, born 19xx), the region from stdnum's table of
    county codes.  stdnum's own ``get_birth_place`` also wants the code to have existed in the birth
    year; that is not asked here, because a county re-coded after the person's birth (370812 兖州区
    dates from 2013) re-numbered its residents, and such an ID must be masked all the same.
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


# --- the one privacy rule: what the public reads of a page -----------------------------------------
#
# Every public channel (the page, its print view and PDF, lists, search results and suggestions,
# feeds, the Wagtail API, exports and their file names) asks ``mask_for_public`` — or, for a whole
# rendered page, ``mask_html_for_public`` — and nothing else. Staff views keep the full text.

PARTY_FIELDS = ("party_name", "legal_representative", "party_id_number", "party_address", "party_phone")
_TEXT_FIELD_TYPES = ("CharField", "TextField", "RichTextField")
_NOT_SHOWN = ("slug", "path", "url_path", "draft_title", "content_type", "source_digest", "translation_key")


def _strings(value) -> Iterable[str]:
    """Yield every string inside a StreamField's raw data (nested dicts and lists)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def page_texts(page) -> dict[str, str]:
    """Return every text of a page by field name: title, summary, body and the type's own text fields.

    A StreamField (a regulation's articles, a discretion table, a workflow's steps) is given as the
    strings it holds, one per line; rich text as its stored HTML.
    """
    texts = {}
    for field in page._meta.concrete_fields:
        value = getattr(page, field.attname, None)
        kind = field.get_internal_type()
        if kind in _TEXT_FIELD_TYPES and isinstance(value, str) and value and field.name not in _NOT_SHOWN:
            texts[field.name] = value
        elif kind == "JSONField" and hasattr(value, "raw_data"):
            texts[field.name] = "\n".join(_strings(list(value.raw_data)))
    return texts


def _is_penalty(page) -> bool:
    return hasattr(page, "party_kind") and hasattr(page, "party_name")


def _party_is_natural_person(page) -> bool:
    return page.party_kind not in _ORG_KINDS


def person_names(page, texts: Iterable[str] = ()) -> list[str]:
    """Return the names of the natural persons a page is about, to be masked wherever it names them.

    The page type says which of its fields hold a party (``person_name_fields``: 当事人, 申请人,
    检查对象, 投诉人…); a penalty decision's 当事人类型 says whether the party is a natural person,
    elsewhere the name itself does (``is_organisation_name``). Names after a role word in any of
    the page's texts or the given ``texts`` (举报人程秀兰, 经营者：孙立红) are added.
    """
    names: list[str] = []
    if _is_penalty(page):
        if _party_is_natural_person(page):
            names += [page.party_name or "", page.legal_representative or ""]
    else:
        for name in getattr(page, "person_name_fields", ()):
            value = getattr(page, name, "") or ""
            if value and not is_organisation_name(value):
                names.append(value)
    names += names_after_role_words([*page_texts(page).values(), *texts])
    return [name for name in dict.fromkeys(_name_core(n) for n in names) if len(name) >= 2]


def _keep(page) -> list[str]:
    """Return what an organisation's penalty decision publishes as it is: its name, address and credit code."""
    if not _is_penalty(page) or _party_is_natural_person(page):
        return []
    keep = [page.party_name or "", page.party_address or ""]
    if mask_text(page.party_id_number or "") == (page.party_id_number or ""):
        keep.append(page.party_id_number or "")
    return keep


def mask_for_public(page, texts: dict[str, str]) -> dict[str, str]:
    """Return the given texts of a page (title, summary, body, field values …) as the public may read them.

    The natural persons the page is about (``person_names``) are masked wherever named (张三 → 张某);
    ID, mobile and bank numbers and house numbers are masked in every text of every page type.
    A penalty decision's party fields, given by their field name (``party_phone`` or
    ``detail:party_phone``), follow the 当事人 rules of ``mask_penalty_fields``; for an organisation
    its name, registered address and credit code stay. Keys come back as given; non-strings unchanged.
    """
    mask = public_masker(page, [v for v in texts.values() if isinstance(v, str)])
    out = {key: mask(value) for key, value in texts.items()}
    if _is_penalty(page):
        party = {name: getattr(page, name) or "" for name in PARTY_FIELDS}
        roles = {key: key.removeprefix("detail:") for key in texts if key.removeprefix("detail:") in PARTY_FIELDS}
        party.update({field: texts[key] for key, field in roles.items() if isinstance(texts[key], str)})
        masked = mask_penalty_fields(party, page.party_kind)
        out.update({key: masked[field] for key, field in roles.items()})
    return out


def public_masker(page, texts: Iterable[str] = ()):
    """Return a function that masks any text of ``page`` as the public reads it (names looked up once).

    For the many small texts of one page (a regulation's articles, a table's cells): its persons'
    names (``person_names``, with names after role words in ``texts``) and every number masked.
    """
    names, keep = person_names(page, texts), _keep(page)

    def mask(text):
        return mask_text(mask_names_in_text(text, names), keep=keep) if isinstance(text, str) and text else text

    return mask


def mask_html_for_public(page, html: str) -> str:
    """Return a whole rendered page (or PDF source) of ``page`` with its personal data masked for the public.

    Used on top of the per-field masking, so that no template — a StreamField block, a breadcrumb,
    the <title> — can show what the fields' masking hid. Idempotent, like ``mask_text``.
    """
    return public_masker(page)(html)


def contains_personal_data(page, texts: dict[str, str] | None = None) -> bool:
    """Return True if the public would read any of the page's texts (or the given ones) masked."""
    return bool(personal_data_found(page, texts))


def personal_data_found(page, texts: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Return (field name, masked text) for each text of the page that the public reads masked.

    The 保密审查 shows these before an item goes public: what was found, as the public will read it.
    """
    texts = page_texts(page) if texts is None else texts
    masked = mask_for_public(page, texts)
    return [(key, masked[key]) for key, value in texts.items() if isinstance(value, str) and masked[key] != value]
