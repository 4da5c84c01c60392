"""Discretion lookup: type a 违法行为, get the matching rows of the discretion standards, each citable.

Finding goes through the one search service (``search.service``), which segments the query
with jieba (so 占道 finds 占道经营), enforces the sharing scope and ranks by BM25; every row
of a ``DiscretionStandardPage`` is a document of its own there. The rows found are then read
from the pages themselves (again through ``portal.walls.access``) so that 裁量阶次 and 裁量幅度 are
shown as the standard has them now, grouped by standard and 违法行为.

When the words of a query do not all occur in one row (渣土车遗撒: no row says 车), the lookup
asks again for rows holding any of its words of two or more characters, and says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from portal.models.metadata import archived_q
from portal.models.regulations import DiscretionStandardPage
from portal.walls.access import visible_q
from search import service

MAX_QUERY = 100
MAX_ROWS = 100  # the search service's largest page
HINT = "请输入违法行为的名称或其中的词语，例如：占道经营、乱张贴、渣土遗撒；只输入一部分（如“占道”）也可以。"
NOTHING_TO_FIND = "未能从“{query}”中识别出检索词。" + HINT
NOT_FOUND = "没有找到与“{query}”相符的违法行为。可以换一个说法，或只输入其中的关键词（如“占道”“张贴”）。"
RELAXED = "没有同时包含全部检索词的违法行为，以下是包含“{terms}”之一的结果，请核对后引用。"
TOO_LONG = "检索词过长，只按前 {n} 个字查找。"
TOO_MANY = "找到的裁量基准行超过 {n} 项，只显示最相关的 {n} 项，请输入更具体的违法行为。"
UNAVAILABLE = "检索服务暂时不可用，请稍后再试，或直接打开裁量基准页面查阅。"

# search.indexing gives each discretion row the id "page:<page id>#row-<block id>".
_ROW_ID = re.compile(r"^page:(\d+)#(row-[0-9A-Za-z-]+)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def _one_line(text) -> str:
    return _SPACES.sub(" ", str(text or "")).strip()


@dataclass
class RowMatch:
    """One row of a discretion standard, as found: where it is and how to cite it."""

    standard: DiscretionStandardPage
    number: int  # 第N项, counted from 1 like the standard's own table
    anchor: str  # row-<block id>, the id of the row on the standard's page
    violation: str
    legal_basis: str
    penalty_basis: str
    level: str
    range: str
    conditions: str

    @property
    def url(self) -> str:
        return f"{self.standard.url}#{self.anchor}"

    @property
    def reference(self) -> str:
        """Return the short reference: 《标准标题》（文号）第N项."""
        number = f"（{self.standard.doc_number}）" if self.standard.doc_number else ""
        return f"《{self.standard.title}》{number}第{self.number}项"

    @property
    def citation(self) -> str:
        """Return the text to paste into a case file: reference, 违法行为, 裁量阶次 and 裁量幅度 on one line."""
        return (f"{self.reference}　违法行为：{_one_line(self.violation)}；"
                f"违法情节/裁量阶次：{_one_line(self.level)}；处罚标准/裁量幅度：{_one_line(self.range)}")


@dataclass
class ViolationGroup:
    """The matching rows of one standard that concern the same 违法行为 (its 裁量阶次 in the standard's order)."""

    standard: DiscretionStandardPage
    violation: str
    violation_html: str
    rows: list[RowMatch] = field(default_factory=list)


@dataclass
class LookupResult:
    query: str
    groups: list[ViolationGroup] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    hint: str = ""  # shown instead of results when there was nothing to look for
    unavailable: bool = False

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


def clean_query(raw) -> tuple[str, list[str]]:
    """Return the query as it will be looked up (control characters dropped, spaces folded, cut short) and notices."""
    text = _SPACES.sub(" ", _CONTROL.sub(" ", raw if isinstance(raw, str) else str(raw or ""))).strip()
    if len(text) > MAX_QUERY:
        return text[:MAX_QUERY], [TOO_LONG.format(n=MAX_QUERY)]
    return text, []


def _row_hits(user, text: str):
    """Return (row ids in rank order as (page id, anchor), the service's SearchPage)."""
    # The rows themselves, every word in one row: lookup() relaxes to any word with its own notice.
    found = service.search(user, text, category="discretion", per_page=MAX_ROWS, collapse=False, fallback=False)
    rows = []
    for result in found.results:
        match = _ROW_ID.match(result.id) if result.kind == "row" else None
        if match:
            rows.append((int(match.group(1)), match.group(2)))
    return rows, found


def lookup(user, raw_query) -> LookupResult:
    """Return the discretion rows matching ``raw_query`` that ``user`` may see, grouped by standard and 违法行为.

    Never raises for any input: an empty or meaningless query gives a hint, an unreachable
    search engine sets ``unavailable``.
    """
    text, notices = clean_query(raw_query)
    result = LookupResult(query=text, notices=notices)
    if not text:
        result.hint = HINT
        return result
    query = service.analyse_query(text)
    if not query.has_terms:
        result.notices += [n for n in query.notices if n not in result.notices]
        result.hint = NOTHING_TO_FIND.format(query=text[:20])
        return result
    try:
        rows, found = _row_hits(user, text)
        result.notices += found.query_notices
        terms = query.highlight_terms
        if not rows and len(query.words) > 1:
            rows, _ = _row_hits(user, query.any_words_query())
            if rows:
                result.notices.append(RELAXED.format(terms="”“".join(query.words)))
                terms = list(dict.fromkeys([*terms, *query.words]))
    except service.SearchUnavailable:
        result.unavailable = True
        result.notices.append(UNAVAILABLE)
        return result
    if found.count > MAX_ROWS:
        result.notices.append(TOO_MANY.format(n=MAX_ROWS))
    result.groups = _groups(user, rows, terms, service.highlight)
    if not result.groups:
        result.notices.append(NOT_FOUND.format(query=text[:20]))
    return result


def _groups(user, rows: list[tuple[int, str]], terms: list[str], highlight) -> list[ViolationGroup]:
    """Read the rows found from their pages (only pages the user may see) and group them."""
    page_ids = {page_id for page_id, _ in rows}
    standards = {p.pk: p for p in DiscretionStandardPage.objects.live().filter(visible_q(user), pk__in=page_ids)}
    by_anchor: dict[tuple[int, str], RowMatch] = {}
    for page_id, standard in standards.items():
        for number, block in enumerate(standard.rows, start=1):
            value = block.value
            by_anchor[(page_id, f"row-{block.id}")] = RowMatch(
                standard=standard, number=number, anchor=f"row-{block.id}", violation=value.get("violation") or "",
                legal_basis=value.get("legal_basis") or "", penalty_basis=value.get("penalty_basis") or "",
                level=value.get("level") or "", range=value.get("standard") or "",
                conditions=value.get("conditions") or "")
    groups: dict[tuple[int, str], ViolationGroup] = {}
    for key in rows:  # best rank first: a group stands where its best row stands
        row = by_anchor.get(key)
        if row is None:  # the index is ahead of (or behind) the page: show only what the page has now
            continue
        group_key = (row.standard.pk, _one_line(row.violation))
        if group_key not in groups:
            groups[group_key] = ViolationGroup(row.standard, row.violation, highlight(row.violation, terms))
        if all(r.anchor != row.anchor for r in groups[group_key].rows):
            groups[group_key].rows.append(row)
    for group in groups.values():
        group.rows.sort(key=lambda r: r.number)
    return list(groups.values())


def directory(user) -> list[tuple[DiscretionStandardPage, list[str]]]:
    """Return each current standard the user may see with its distinct 违法行为, in the standard's order."""
    standards = (DiscretionStandardPage.objects.live().filter(visible_q(user)).exclude(archived_q())
                 .order_by("title", "pk"))
    return [(s, list(dict.fromkeys(_one_line(b.value.get("violation")) for b in s.rows if b.value.get("violation"))))
            for s in standards]
