"""The interface every search engine implements, and the records that cross it.

Callers (the index sync, the search service, the reindex command) only ever see ``SearchBackend``,
``IndexDoc``, ``Filters`` and ``SearchResults``; which engine answers is a setting.  A backend
receives text as it was written and segments it itself (``search.segment``), so every engine
indexes the same tokens.

Sharing scope is part of ``Filters`` and every backend must apply it *inside* its query, so that
counts, facets, snippets and suggestions never reveal a document the viewer may not see.
"""

from __future__ import annotations

import abc
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from search import synonyms
from search.query import Query, Term
from search.segment import QueryTokens, analyze_query, normalize

# The index stores the Chinese labels of the portal's choices (portal.models.metadata: Scope,
# Validity, Category), which are also what facets show and what people type after 有效性: / 类别:.
# The stored codes are accepted too and turned into labels (IndexDoc, Filters); the Django
# integration checks that these tables still mirror the model choices.
SCOPE_PUBLIC = "公开"
SCOPE_SHARED = "共享"
SCOPE_INTERNAL = SCOPE_DEPARTMENT = "部门内部"
SCOPE_PRIVATE = "不予共享"
# Visible only to viewers from the owning department, and only when the caller allows the scope.
OWNER_ONLY_SCOPES = (SCOPE_INTERNAL, SCOPE_PRIVATE)
SCOPE_LABELS = {"public": SCOPE_PUBLIC, "shared": SCOPE_SHARED, "internal": SCOPE_INTERNAL, "private": SCOPE_PRIVATE}
VALIDITY_LABELS = {"pending": "尚未生效", "in_force": "现行有效", "revised": "已修订", "abolished": "已废止"}
CATEGORY_LABELS = {
    "laws": "法律法规规章和规范性文件",
    "decisions": "行政许可、备案、确认",
    "penalties": "行政处罚、行政强制",
    "statistics": "统计分析数据",
    "discretion": "行政处罚自由裁量标准",
    "workflows": "执法工作流程",
    "inspections": "监督检查记录、执法工作简报",
    "complaints": "举报投诉信访受理处理情况",
    "other": "其他共享信息",
}

FACET_FIELDS = ("category", "department", "validity", "year")
CHILDREN_PER_HIT = 3  # articles/rows shown beneath their document when results are collapsed
# An article that punishes: 违反本法规定…处…罚款 (or at least names a 罚款), or sits in a 法律责任 / 罚则 chapter.
PENALTY_PATTERN = re.compile(r"违反[^。；]{0,80}规定[^。]{0,200}?处[^。]{0,120}?罚款")
PENALTY_CHAPTERS = ("法律责任", "罚则")


def penalty_level(body: str | None, chapter: str | None = None) -> int:
    """Return 2 for a provision in a 法律责任 chapter or worded 违反…规定…处…罚款, 1 for one naming a
    罚款 (or 处罚), else 0: how strongly it answers a 怎么罚 question."""
    text = body or ""
    if any(word in (chapter or "") for word in PENALTY_CHAPTERS) or PENALTY_PATTERN.search(text):
        return 2
    return 1 if ("罚款" in text or "处罚" in text) else 0


class SearchUnavailable(Exception):
    """The engine cannot answer now (server unreachable, index locked): callers show a notice,
    never an error page, and index updates are queued for a later retry."""
Sort = Literal["relevance", "date", "date_desc", "date_asc"]


@dataclass
class IndexDoc:
    """One searchable unit: a page, one article of a regulation, or one row of a discretion table.

    ``id`` is unique in the index: "page:12", "page:12#第十条" (article), "page:30#row-3" (row).
    Text fields hold the original text; the backend segments them.  ``category``, ``validity`` and
    ``scope`` hold the labels (现行有效, 部门内部 …; codes such as "in_force" are turned into them);
    ``department`` the publishing department's name (shown in facets); ``owner_department`` a
    stable identifier of the owning department (its code), compared with
    ``Filters.viewer_department``.  ``year`` defaults to ``date.year``.
    """

    id: str
    page_id: int | None = None
    url: str = ""
    title: str = ""
    doc_number: str = ""
    body: str = ""
    keywords: str = ""
    category: str = ""
    department: str = ""
    validity: str = ""
    scope: str = SCOPE_PUBLIC
    owner_department: str = ""
    date: dt.date | None = None
    year: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.year is None and self.date is not None:
            self.year = self.date.year
        self.scope = SCOPE_LABELS.get(self.scope, self.scope)
        self.validity = VALIDITY_LABELS.get(self.validity, self.validity)
        self.category = CATEGORY_LABELS.get(self.category, self.category)


@dataclass
class Filters:
    """Exact-value filters chosen in the UI (facets), plus the viewer's sharing-scope restriction.

    Within one field the values are alternatives (OR); fields combine with AND.  The default scope
    restriction shows public documents only: a caller must widen it on purpose.

    A document is visible when its scope is in ``allowed_scopes`` and, for internal / private
    (部门内部 / 不予共享), its ``owner_department`` equals ``viewer_department`` — or, with
    ``all_departments`` (a superuser), whoever owns it.
    """

    categories: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    validities: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page_ids: list[int] = field(default_factory=list)
    allowed_scopes: tuple[str, ...] = (SCOPE_PUBLIC,)
    viewer_department: str | None = None
    all_departments: bool = False

    def __post_init__(self) -> None:
        self.allowed_scopes = tuple(SCOPE_LABELS.get(s, s) for s in self.allowed_scopes)
        self.validities = [VALIDITY_LABELS.get(v, v) for v in self.validities]
        self.categories = [CATEGORY_LABELS.get(c, c) for c in self.categories]


@dataclass
class Hit:
    """One result: score (higher is better), index id, stored fields and a highlighted snippet.

    ``text`` is the original body the snippet was cut from, for callers that must cut it again
    from a transformed text (personal data masked for the public); never shown as it is.
    """

    score: float
    id: str
    fields: dict[str, Any]
    snippet: str = ""
    title_html: str = ""
    text: str = field(default="", repr=False)
    # With ``Query.any_group``: the indexes of the query's groups this document covers.
    covered: tuple[int, ...] | None = None
    # With ``Query.collapse``: the document's best matching articles/rows, best first.
    children: list[Hit] = field(default_factory=list)


@dataclass
class SearchResults:
    """One page of results: the total ``count`` of matches, ``hits`` and ``facets``.

    ``facets`` maps a facet field to (value, count) pairs, most frequent first, computed over all
    matches (not just this page) under the same query, filters and scope.
    """

    count: int
    hits: list[Hit]
    facets: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


class SearchBackend(abc.ABC):
    """What an engine does.  Writes take effect when the method returns (no deferred queue)."""

    name = "base"

    @abc.abstractmethod
    def index_documents(self, docs: Iterable[IndexDoc]) -> int:
        """Add or replace (by ``id``) the given documents; return how many were written.

        Segmentation happens here, in this call, for the whole batch (large batches use all cores).
        """

    @abc.abstractmethod
    def delete_documents(self, ids: Iterable[str]) -> int:
        """Remove the documents with these ids (unknown ids are ignored); return how many went."""

    def delete_page(self, page_id: int) -> int:
        """Remove every document of one page (the page and its articles/rows); return how many went."""
        raise NotImplementedError

    def replace_page(self, page_id: int, docs: Iterable[IndexDoc]) -> int:
        """Make the page's documents exactly ``docs`` (none: remove them all); return how many were written.

        Engines that can do better (skip unchanged documents, never show the page missing) override it."""
        docs = list(docs)
        self.delete_page(page_id)
        return self.index_documents(docs) if docs else 0

    @abc.abstractmethod
    def clear(self) -> None:
        """Remove every document and recreate empty index structures."""

    @abc.abstractmethod
    def search(
        self,
        query: Query,
        filters: Filters | None = None,
        sort: Sort = "relevance",
        offset: int = 0,
        limit: int = 20,
        facets: Iterable[str] = (),
    ) -> SearchResults:
        """Run the query now and return one page of ``SearchResults``.

        A query without positive terms lists every visible document that passes the filters
        (newest first unless sorted otherwise).  ``facets`` names fields from ``FACET_FIELDS``.
        """

    @abc.abstractmethod
    def suggest(self, prefix: str, filters: Filters | None = None, limit: int = 10) -> list[str]:
        """Return up to ``limit`` distinct visible titles that start with (then contain) ``prefix``."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """Return engine facts: backend name, document count, segmenter and dictionary fingerprint,
        and ``needs_rebuild`` (True when the index was built with another dictionary)."""

    def optimize(self) -> None:  # noqa: B027 - optional hook, for engines that can compact
        """Compact the index after a full rebuild (fewer, merged segments: smaller and faster to read)."""

    def close(self) -> None:  # noqa: B027 - optional hook, most engines hold nothing to release
        """Release connections the backend opened itself (not ones it was given)."""


# --- helpers every backend uses the same way -------------------------------------------------

_TITLE_NOISE = re.compile(r"[\s《》〈〉<>\"“”‘’'「」『』]+")
_TITLE_PREFIXES = ("中华人民共和国", "国务院关于")
# A trailing edition note: (2021年修正) (2018-05-24) （试行）.
_TITLE_SUFFIX = re.compile(r"\([^()]*\)$")
_OPEN_BRACKETS = re.compile(r"[〔\[【﹝〘(]")
_CLOSE_BRACKETS = re.compile(r"[〕\]】﹞〙)]")


def title_key(title: str) -> str:
    """Return the comparable core of a title: normalised, no quotes or spaces, no 中华人民共和国 /
    国务院关于 prefix, no trailing edition note.

    中华人民共和国食品安全法(2021-04-29) → 食品安全法, so the query 食品安全法 (or 《食品安全法》) *is* that
    title, while 上海市实施《中华人民共和国食品安全法》办法 → 上海市实施中华人民共和国食品安全法办法 is not.
    """
    key = _TITLE_NOISE.sub("", normalize(title or ""))
    while _TITLE_SUFFIX.search(key):
        key = _TITLE_SUFFIX.sub("", key)
    for prefix in _TITLE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
    return key


def doc_number_key(doc_number: str) -> str:
    """Return a 发文字号 in one spelling: 周政办字〔2018〕第18号 / 周政办字[2018]18号 → 周政办字[2018]18号."""
    key = re.sub(r"\s+", "", normalize(doc_number or ""))
    key = _CLOSE_BRACKETS.sub("]", _OPEN_BRACKETS.sub("[", key))
    return re.sub(r"第(?=\d)", "", key)


def term_variants(term: Term, expand: bool = True) -> list[QueryTokens]:
    """Return the token groups that may match ``term``: the term itself and, for a plain word when
    ``expand`` is on, each of its synonyms (住建局 → 住建局, 住房和城乡建设局, 住建委 …).

    Phrases are never expanded (the user asked for those exact words), nor are exclusions
    (-城管 removes what says 城管, not every text about 城市管理)."""
    texts = [term.text]
    if expand and not term.phrase:
        texts += sorted(synonyms.expand(term.text) - {normalize(term.text)})
    variants = [analyze_query(text) for text in texts]
    return [v for v in variants if v.leaves]
