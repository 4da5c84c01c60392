"""The search-box query language, parsed into a small AST that no engine syntax ever leaks into.

    食品 经营许可            both words must match (anywhere in title, 文号, keywords or body)
    "超过规定标准排放"        an exact phrase; also “…”, 「…」, 『…』 and ＂…＂
    罚款 -警告               exclusion: no document that matches 警告
    住建局 OR 城管           either term (OR also written | ; AND is the default and may be written)
    标题:食品安全法          field filters, with ASCII aliases and full-width colon：
    文号:周政办字〔2018〕18号   标题/title  文号/docnum  部门/dept  类别/category
    有效性:现行有效 年份:2020  有效性/validity  年份/year (2020, or a range 2018-2020)

``parse_query`` never raises: whatever it cannot use it drops and explains in ``Query.notices``
(Chinese, ready to show under the search box).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200
MAX_TERMS = 20

# Keys are compared in lower case so that Title: and TITLE: work too.
FIELD_ALIASES = {
    "标题": "title",
    "title": "title",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "docnum": "doc_number",
    "部门": "department",
    "发布机构": "department",
    "dept": "department",
    "类别": "category",
    "分类": "category",
    "category": "category",
    "有效性": "validity",
    "validity": "validity",
    "年份": "year",
    "year": "year",
}
FILTER_FIELDS = ("doc_number", "department", "category", "validity", "year")
VALIDITY_ALIASES = {
    "有效": "现行有效",
    "现行": "现行有效",
    "现行有效": "现行有效",
    "废止": "已废止",
    "已废止": "已废止",
    "失效": "已废止",
    "已失效": "已废止",
    "修订": "已修订",
    "已修订": "已修订",
    "修改": "已修订",
    "未生效": "尚未生效",
    "尚未生效": "尚未生效",
}
# Opening quote -> the closers accepted for it (people mix “ with " when typing).
QUOTES = {'"': '"”', "“": "”\"", "「": "」", "『": "』", "‘": "’", "”": "”\""}

_FIELD_PREFIX = re.compile(
    "(" + "|".join(sorted(map(re.escape, FIELD_ALIASES), key=len, reverse=True)) + r")\s*:\s*", re.IGNORECASE
)
_SEARCHABLE = re.compile(r"[^\W_]")  # a letter, digit or 汉字: something the segmenter can index
_YEAR = re.compile(r"(\d{4})(?:\s*(?:-|~|至|到)\s*(\d{4}))?")


@dataclass(frozen=True)
class Term:
    """One word or phrase of the query.

    ``field`` is None for the default text fields, or "title" for a 标题: term.
    """

    text: str
    phrase: bool = False
    field: str | None = None


@dataclass
class Query:
    """The parsed query: AND of OR-groups of terms, exclusions, field filters and notices."""

    raw: str
    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    # Ranking options the service sets (issue 18); a parsed query has none of them.
    any_group: bool = False  # match documents covering ANY group, ranked by how many they cover
    min_cover: int = 1  # with any_group: a document must cover at least this many groups
    penalty: bool = False  # a 怎么罚 question: penalty provisions rank first
    collapse: bool = False  # one hit per document (page_id), its best articles/rows as children

    @property
    def has_terms(self) -> bool:
        """Return True when at least one positive term must match (else the query only filters)."""
        return bool(self.groups)

    def positive_terms(self) -> list[Term]:
        """Return every positive term, in query order (for highlighting)."""
        return [term for group in self.groups for term in group]

    def joined_text(self) -> str:
        """Return the positive default-field terms run together, or "" when the query has OR/fields.

        Used for "the title *is* the query" and exact 发文字号 matches: typing 中华人民共和国 食品安全法
        or 周政办字〔2018〕18号 gives one string to compare with titles and document numbers.
        """
        if not self.groups or any(len(g) != 1 or g[0].field for g in self.groups):
            return ""
        return "".join(g[0].text for g in self.groups)


def _clean(raw: str) -> str:
    """Return ``raw`` in NFKC form with control and format characters removed, tabs as spaces."""
    text = unicodedata.normalize("NFKC", raw if isinstance(raw, str) else str(raw or ""))
    return "".join(
        " " if ch.isspace() else ch for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )


def _read_value(text: str, pos: int) -> tuple[str, bool, int, bool]:
    """Return (value, is_phrase, next position, quote_was_closed) for the value starting at ``pos``."""
    opener = text[pos]
    if opener in QUOTES:
        closers = QUOTES[opener]
        end = next((i for i in range(pos + 1, len(text)) if text[i] in closers), -1)
        if end == -1:
            return text[pos + 1 :], True, len(text), False
        return text[pos + 1 : end], True, end + 1, True
    end = pos
    while end < len(text) and not text[end].isspace() and not (end > pos and text[end] in QUOTES):
        end += 1
    return text[pos:end], False, end, True


def _add_filter(query: Query, name: str, value: str) -> None:
    """Validate one field filter and add it to ``query.filters`` (or explain in a notice)."""
    value = value.strip()
    if name == "validity":
        value = VALIDITY_ALIASES.get(value, value)
    elif name == "year":
        match = _YEAR.fullmatch(value)
        if not match:
            query.notices.append(f"年份“{value}”无法识别，应写成 年份:2020 或 年份:2018-2020，已忽略。")
            return
        value = f"{match.group(1)}-{match.group(2)}" if match.group(2) else match.group(1)
    query.filters.setdefault(name, [])
    if value not in query.filters[name]:
        query.filters[name].append(value)


def parse_query(raw: str) -> Query:
    """Return the ``Query`` for the text typed in a search box; never raises, whatever the input.

    Worked example: '住建局 OR 城管 "责令 改正" -警告 年份：2020' →
    groups [[住建局, 城管], [责令 改正 (phrase)]], excluded [警告], filters {"year": ["2020"]}.
    OR binds the two terms on either side of it; a field filter never joins an OR group.
    """
    query = Query(raw=raw if isinstance(raw, str) else str(raw or ""))
    text = _clean(query.raw)
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        query.notices.append(f"检索词过长，只使用了前 {MAX_QUERY_LENGTH} 个字符。")
    pos, pending_or, negate_next, term_count, dropped = 0, False, False, 0, []
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        negated, negate_next = negate_next, False
        if text[pos] == "-":
            if pos + 1 >= len(text) or text[pos + 1].isspace():
                pos += 1  # a lone "-" means nothing
                continue
            negated, pos = True, pos + 1
        match = _FIELD_PREFIX.match(text, pos)
        field_name = FIELD_ALIASES[match.group(1).lower()] if match else None
        if match:
            pos = match.end()
            if pos >= len(text):
                query.notices.append(f"“{match.group(1)}:”后面缺少内容，已忽略。")
                break
        value, phrase, pos, closed = _read_value(text, pos)
        if not closed:
            query.notices.append("引号不成对，已把最后一个引号后的内容当作短语。")
        if field_name is None and not phrase and not negated:
            keyword = value.upper()
            if keyword in ("OR", "|", "||"):
                pending_or = True
                continue
            if keyword in ("AND", "&&", "&"):
                continue
            if keyword == "NOT":
                negate_next = True
                continue
        if field_name in FILTER_FIELDS:
            if negated:
                query.notices.append(f"不支持排除“{match.group(1)}”条件，已忽略。")
            elif value.strip():
                _add_filter(query, field_name, value)
            pending_or = False
            continue
        if not _SEARCHABLE.search(value):
            if value.strip():
                dropped.append(value.strip())
            continue
        if term_count >= MAX_TERMS:
            query.notices.append(f"检索词过多，只使用了前 {MAX_TERMS} 个。")
            break
        term_count += 1
        term = Term(value.strip(), phrase, field_name)
        if negated:
            query.excluded.append(term)
        elif pending_or and query.groups:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        pending_or = False
    if dropped:
        shown = "、".join(dict.fromkeys(d[:10] for d in dropped))
        query.notices.append(f"已忽略无法检索的内容：{shown}")
    if query.excluded and not query.groups and not query.filters:
        query.notices.append("只有排除词，没有要查找的内容。")
    return query
