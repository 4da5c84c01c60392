"""The one entry point of search: every caller (HTML page, JSON API, shell command) comes here.

``search(user, raw_query, …)`` parses the query, turns the viewer's access (``portal.walls.access``)
into the backend's scope filter, adds the filters chosen in the UI, asks the configured backend
for one page of results with facets, masks personal data for the public, and returns a
``SearchPage``.  Nothing here renders HTML except the snippets, which are escaped text with
``<mark>`` around the matches.

``get_backend()`` picks the engine once per process: OpenSearch when ``OPENSEARCH_URL`` is set,
Elasticsearch 8 when ``ELASTICSEARCH_URL`` is (one backend, two clients: ``search.backends.clients``); otherwise SQLite FTS5 inside Django's own database when that is SQLite (so an index
update commits or rolls back with the page), else FTS5 in its own file (``SEARCH_SQLITE_PATH``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.db import IntegrityError, connections, transaction
from django.db.models import F, Sum
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import MAX_QUERY_STRING_LENGTH, normalise_query_string

from citations.index import held_index
from lib.citations import TitleIndex, title_aliases
from lib.masking import mask_for_public, mask_text
from lib.personal_names import looks_like_person_name
from portal import params
from portal.models import Department, RegulationPage
from portal.walls.access import Scope, can_view, is_staff_member, visible_scopes
from search import synonyms
from search.backends.base import (
    CATEGORY_LABELS,
    FACET_FIELDS,
    SCOPE_INTERNAL,
    SCOPE_LABELS,
    VALIDITY_LABELS,
    Filters,
    Hit,
    SearchBackend,
    SearchUnavailable,
)
from search.models import LexiconEntry, QueryCount
from search.query import VALIDITY_ALIASES, Query, Term, parse_query
from search.segment import USERDICT_PATH, normalize, tokens_for_query
from search.snippets import highlight, highlight_terms, make_snippet
from search.understanding.correct import Vocabulary, correct
from search.understanding.lexicon import Lexicon, make_entry
from search.understanding.pinyin import PinyinTitles
from search.understanding.prepare import Prepared, prepare, provision_hit, split_words
from search.understanding.rewrite import fold

log = logging.getLogger(__name__)

NO_RESULTS = "没有找到符合条件的结果。可以减少检索词、去掉引号或筛选条件后再试。"

__all__ = ["QueryAnalysis", "SearchPage", "SearchResult", "SearchUnavailable", "analyse_query", "get_backend",
           "did_you_mean", "highlight", "hot_queries", "log_query", "promotions", "search", "suggest",
           "suggest_entries"]

MAX_RAW_QUERY = 1000  # characters kept from the request; parse_query then uses the first 200
MAX_PER_PAGE = 100
MAX_OFFSET = 10_000  # deeper pages are refused: nobody reads them, and engines cap them anyway
SORTS = {"relevance": "相关度", "date": "日期（新→旧）", "date_asc": "日期（旧→新）"}
PUBLICITY_CATEGORIES = {"news": "新闻", "interpretation": "政策解读"}
ALL_CATEGORIES = {**CATEGORY_LABELS, **PUBLICITY_CATEGORIES}
ABOLISHED = VALIDITY_LABELS["abolished"]
UNAVAILABLE_MESSAGE = "检索服务暂时不可用，请稍后再试。网站其他栏目可正常访问。"
_PERSONAL_DATA_NOTICE = "为保护个人信息，未登录用户不能按身份证号、手机号、银行账号或个人姓名检索，已忽略：{}"
_PERSONAL_DATA_REFUSAL = "为保护个人信息，不能按身份证号、手机号、银行账号或个人姓名检索：{}。请改用事项、文号或单位名称等检索。"
_DIGITS = re.compile(r"\d")
# 12 digits and more: a bank account as short as masking knows one (12-15 digits after 账号), or part of one.
_ACCOUNT_DIGITS = re.compile(r"\d{12,}")
_ARTICLE_TITLE = re.compile(r" 第[一二三四五六七八九十百千零〇]+条(?:之[一二三四五六七八九十]+)?$")
SYNONYM_TTL = 300.0  # seconds: another process's Department edit reaches this one within this time


# --- the engine -----------------------------------------------------------------------------------

_backend: SearchBackend | None = None
_backend_lock = threading.Lock()


def _make_backend() -> SearchBackend:
    if settings.OPENSEARCH_URL or settings.ELASTICSEARCH_URL:
        from search.backends.elastic import ElasticsearchBackend  # only the configured engine's client is loaded

        product = "opensearch" if settings.OPENSEARCH_URL else "elasticsearch"
        return ElasticsearchBackend(settings.OPENSEARCH_URL or settings.ELASTICSEARCH_URL, index=settings.SEARCH_ES_INDEX,
                                    timeout=settings.SEARCH_ES_TIMEOUT, product=product)
    if connections["default"].vendor == "sqlite":
        from search.backends.fts5_django import DjangoFTS5Backend  # only the configured engine is loaded

        return DjangoFTS5Backend("default")
    from search.backends.fts5 import FTS5Backend  # only the configured engine is loaded

    return FTS5Backend(path=settings.SEARCH_SQLITE_PATH)


def get_backend() -> SearchBackend:
    """Return the configured engine, created on first use and shared by the whole process."""
    global _backend
    if _backend is None:
        with _backend_lock:
            if _backend is None:
                _backend = _make_backend()
    return _backend


def reset_backend() -> None:
    """Forget the engine (closing what it opened); the next call builds it from the settings again."""
    global _backend
    with _backend_lock:
        if _backend is not None:
            _backend.close()
        _backend = None


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting in ("ELASTICSEARCH_URL", "OPENSEARCH_URL", "SEARCH_ES_INDEX", "SEARCH_SQLITE_PATH", "DATABASES"):
        reset_backend()


# --- departments: aliases for synonyms and filters -------------------------------------------------

@dataclass(frozen=True)
class _Department:
    name: str
    code: str
    names: frozenset[str]  # normalised full name, short name, code and aliases


_departments: list[_Department] | None = None
_departments_loaded = 0.0
_departments_lock = threading.Lock()


def reload_departments() -> None:
    """Read the departments again and register each one's names as a synonym group.

    Called at first use, after a Department is saved or deleted, and every ``SYNONYM_TTL`` seconds.
    """
    global _departments, _departments_loaded
    rows = []
    for dept in Department.objects.all():
        names = [dept.name, dept.short_name, *dept.alias_list()]
        rows.append(_Department(dept.name, dept.code, frozenset(normalize(n).strip() for n in [*names, dept.code] if n)))
    with _departments_lock:
        synonyms.reset()
        for dept in rows:
            synonyms.add_group(n for n in dept.names if n != normalize(dept.code))
        _departments, _departments_loaded = rows, time.monotonic()


def _known_departments() -> list[_Department]:
    if _departments is None or time.monotonic() - _departments_loaded > SYNONYM_TTL:
        try:
            reload_departments()
        except Exception:  # noqa: BLE001 - no table yet (before migrate): search works without aliases
            log.warning("无法读取部门别名", exc_info=True)
            return _departments or []
    return _departments or []


def department_names() -> list[str]:
    """Return the full names of the departments, in their display order (for filter menus)."""
    return [d.name for d in _known_departments()]


def resolve_department(value: str) -> str | None:
    """Return the full name of the department called ``value`` (full name, short name, alias, code or a
    synonym of one of them), or None.  城管 → 某区综合行政执法局 when that department lists 城管."""
    key = normalize(value or "").strip()
    if not key:
        return None
    departments = _known_departments()
    for candidates in ({key}, synonyms.expand(key)):
        found = {d.name for d in departments if d.names & candidates}
        if len(found) == 1:
            return found.pop()
    partial = {d.name for d in departments if key in normalize(d.name)}
    return partial.pop() if len(partial) == 1 else None


# --- query understanding: held titles, their pinyin, the lexicon with the editors' entries -------------

LEXICON_TTL = 300.0  # seconds: another process's lexicon edit reaches this one within this time
_lexicon: Lexicon | None = None
_lexicon_loaded = 0.0
_pinyin: tuple[TitleIndex, PinyinTitles] | None = None


def reload_lexicon() -> None:
    """Read the editors' enabled lexicon entries again (after one is saved or deleted, and every
    ``LEXICON_TTL`` seconds) and merge them with the file's."""
    global _lexicon, _lexicon_loaded
    entries = [make_entry(e.colloquial, e.terms(), e.field) for e in LexiconEntry.objects.filter(enabled=True)]
    _lexicon, _lexicon_loaded = Lexicon([e for e in entries if e is not None]), time.monotonic()


def _current_lexicon() -> Lexicon:
    global _lexicon
    if _lexicon is None or time.monotonic() - _lexicon_loaded > LEXICON_TTL:
        try:
            reload_lexicon()
        except Exception:  # noqa: BLE001 - no table yet (before migrate): the file's entries alone
            log.warning("无法读取检索词表", exc_info=True)
            _lexicon = _lexicon or Lexicon()
    return _lexicon


def _held_titles() -> TitleIndex | None:
    """Return the citation index's titles of the held laws and 公文 (``citations.index.held_index``)."""
    try:
        return held_index()
    except Exception:  # noqa: BLE001 - no table yet: a cited article is then searched as words
        log.warning("无法读取法规标题索引", exc_info=True)
        return None


def _pinyin_titles(index: TitleIndex | None) -> PinyinTitles | None:
    """Return the pinyin of the public held titles, built again when the held documents change.

    Public titles only: a title spelled out in "已按…查找" must be one every viewer may read.
    """
    global _pinyin
    if index is None:
        return None
    if _pinyin is None or _pinyin[0] is not index:
        titles = RegulationPage.objects.live().filter(scope=Scope.PUBLIC).values_list("title", flat=True)
        _pinyin = (index, PinyinTitles(titles))
    return _pinyin[1]


def prepare_query(raw: str) -> Prepared:
    """Return ``raw`` understood (``search.understanding``): the Query to run and what was done."""
    titles = _held_titles()
    return prepare(raw, titles=titles, pinyin=_pinyin_titles(titles), lexicon=_current_lexicon())


def _pin_provision(prepared: Prepared, results, filters: Filters, per_page: int) -> str:
    """Put the cited article (行政处罚法第32条) first on the page, as the viewer may see it; return
    the sentence saying so, or "" when the viewer may not see it or the index lacks it."""
    provision = prepared.understood.provision
    if provision is None:
        return ""
    try:
        hit = provision_hit(get_backend(), provision, filters)
    except Exception:  # noqa: BLE001 - the jump is a convenience: the results stand without it
        log.exception("定位条文失败：%r", prepared.text[:200])
        return ""
    if hit is None:
        return ""
    rest = [h for h in results.hits if h.id != hit.id]
    page_id = hit.fields.get("page_id")
    for other in rest:  # collapsed: the article leaves the list beneath its law, which it now heads
        other.children = [c for c in other.children if c.id != hit.id]
    # Collapsed counts are documents: the law already counted holds the article.
    same_document = page_id is not None and any(h.fields.get("page_id") == page_id for h in rest)
    if len(rest) == len(results.hits) and not same_document:
        results.count += 1
    results.hits = [hit, *rest][:per_page]
    return f"已定位到“{hit.fields.get('title') or provision.article}”，列为第一条结果。"


# --- access --------------------------------------------------------------------------------------

def filters_for(user) -> Filters:
    """Return the ``Filters`` holding only the viewer's sharing scope (``portal.walls.access`` decides it)."""
    scopes, department_id = visible_scopes(user)
    scopes = [SCOPE_LABELS.get(str(s), str(s)) for s in scopes]
    code = ""
    if department_id is not None:
        # visible_scopes names the scopes visible everywhere, plus the department whose 部门内部
        # items are visible too: the backend expresses that as 部门内部 owned by that department.
        if SCOPE_INTERNAL not in scopes:
            scopes.append(SCOPE_INTERNAL)
        department = getattr(user, "department", None)
        code = department.code if department is not None and department.pk == department_id else ""
        if not code:
            code = Department.objects.filter(pk=department_id).values_list("code", flat=True).first() or ""
    return Filters(allowed_scopes=tuple(scopes),
                   viewer_department=code or None,
                   all_departments=bool(user is not None and user.is_authenticated and user.is_superuser))


def _is_anonymous(user) -> bool:
    """Return True for whoever reads as the public does: not signed in, or signed in without being staff.

    The same test as the pages' (``portal.walls.access.is_staff_member``), so a signed-in account of no
    department sees search results masked exactly as it sees the pages.
    """
    return not is_staff_member(user)


# --- results -------------------------------------------------------------------------------------

@dataclass
class SearchResult:
    """One hit as the viewer may see it: plain title, highlighted title and snippet (escaped HTML)."""

    id: str
    title: str
    title_html: str
    url: str
    doc_number: str
    category: str
    department: str
    validity: str
    date: dt.date | None
    snippet: str
    score: float
    kind: str = "page"  # page, article (of a regulation) or row (of a discretion standard)
    anchor: str = ""  # 第十条 / 第3项
    parent_title: str = ""
    children: list[SearchResult] = field(default_factory=list)  # the document's best articles/rows beneath it
    missing: list[str] = field(default_factory=list)  # in the fallback: the query's concepts this result lacks

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "url": self.url, "doc_number": self.doc_number, "category": self.category,
                "department": self.department, "validity": self.validity,
                "date": self.date.isoformat() if self.date else None, "snippet": self.snippet,
                "score": round(self.score, 4), "kind": self.kind, "anchor": self.anchor,
                "children": [{"title": c.title, "anchor": c.anchor, "kind": c.kind, "url": c.url, "snippet": c.snippet}
                             for c in self.children],
                "missing": list(self.missing)}


@dataclass
class FacetValue:
    value: Any
    count: int
    selected: bool = False


@dataclass
class SearchPage:
    """One page of results with everything a view shows: counts, facets, notices, the filters in force."""

    raw_query: str
    query: Query
    count: int = 0
    results: list[SearchResult] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"
    filters: dict[str, Any] = field(default_factory=dict)  # the UI filters in force, normalised
    took_ms: float = 0.0
    no_results_notice: str = ""  # the "nothing found" advice, also in ``notices`` (callers with advice of their own drop it)
    understood: dict[str, Any] = field(default_factory=dict)  # what query understanding did (see understood_messages)
    missing: list[str] = field(default_factory=list)  # the concepts no shown result covers (the fallback notice)
    fallback: bool = False  # not every concept matched together: ranked by how many each result covers
    corrected_from: str = ""  # the query as typed, when it found nothing and its correction was searched instead
    corrected: str = ""  # that correction (行政处法 → 行政处罚法): the results are the correction's

    @property
    def flat_results(self) -> list[SearchResult]:
        """Return the results each followed by the articles/rows listed beneath it (in page order)."""
        return [r for result in self.results for r in (result, *result.children)]

    @property
    def understood_messages(self) -> list[str]:
        """Return what the service understood of the query, in Chinese (同时检索：违法建设 …)."""
        return list(self.understood.get("messages", []))

    @property
    def query_notices(self) -> list[str]:
        """Return the notices about the query and its filters, without the general "nothing found" advice."""
        return [n for n in self.notices if n != self.no_results_notice]

    @property
    def num_pages(self) -> int:
        return max(1, min(math.ceil(self.count / self.per_page), MAX_OFFSET // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "page": self.page, "num_pages": self.num_pages,
                "results": [r.as_json() for r in self.results], "fallback": self.fallback, "missing": list(self.missing),
                "facets": {name: [{"value": f.value, "count": f.count} for f in values]
                           for name, values in self.facets.items()},
                "notices": list(self.notices), "understood": dict(self.understood),
                "corrected": ({"from": self.corrected_from, "to": self.corrected} if self.corrected else None)}


# --- parameters ----------------------------------------------------------------------------------

def _values(value) -> list[str]:
    """Return the non-empty strings of a parameter given as None, a string or a list of strings."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [str(v).strip()[:100] for v in items if v is not None and str(v).strip()]


def _category(value: str) -> str | None:
    if value in ALL_CATEGORIES:
        return ALL_CATEGORIES[value]
    labels = set(ALL_CATEGORIES.values())
    if value in labels:
        return value
    partial = [label for label in labels if value in label]
    return partial[0] if len(partial) == 1 else None


def _validity(value: str) -> str | None:
    if value in VALIDITY_LABELS:
        return VALIDITY_LABELS[value]
    label = VALIDITY_ALIASES.get(value, value)
    return label if label in VALIDITY_LABELS.values() else None


def _years(value: str) -> list[int] | None:
    match = re.fullmatch(r"([0-9]{4})(?:\s*(?:-|~|至|到)\s*([0-9]{4}))?", value)
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first > last:
        first, last = last, first
    if first < 1900 or last > 2100 or last - first > 200:
        return None
    return list(range(first, last + 1))


def filter_value_covers(name: str, given: str, value) -> bool:
    """Return True when the filter value ``given`` (as typed: code, alias, range) selects the facet
    ``value`` (a label, a department's full name, a year), so a chosen facet can be switched off."""
    if name == "category":
        return _category(given) == value
    if name == "department":
        return resolve_department(given) == value
    if name == "validity":
        return _validity(given) == value
    if name == "year":
        return int(value) in (_years(given) or [])
    return False


def _positive_int(value, default: int, notices: list[str], label: str) -> int:
    if value in (None, ""):
        return default
    text = str(value).strip()
    if text.startswith("-") and params.int_param(text[1:], minimum=0) is not None:
        notices.append(f"{label}应为正整数，已按 {default} 处理。")
        return default
    number = params.int_param(text, minimum=0)
    if number is None:
        notices.append(f"{label}“{params.echo(text)}”无法识别，已按 {default} 处理。")
        return default
    if number < 1:
        notices.append(f"{label}应为正整数，已按 {default} 处理。")
        return default
    return number


# --- personal data (anonymous viewers) -------------------------------------------------------------

def personal_terms(query: Query) -> list[Term]:
    """Return the query terms that look a person up: an ID, phone or account number, or a personal name.

    Decided from the text alone (``lib.masking`` for numbers, ``lib.personal_names`` for
    names shaped like 程秀兰), never from which records exist: an answer that changed when the name
    is a party of some record — public or not — would tell who is in the records.  Anonymous
    visitors see personal data masked, so a search by it would re-identify the person; ``/search/``
    drops these terms with a notice, the Wagtail API (``publicsite.api``) refuses the request.
    """
    terms = query.positive_terms() + list(query.excluded)
    known = _domain_words()
    return [t for t in terms
            if (_DIGITS.search(t.text) and (mask_text(t.text) != t.text or _ACCOUNT_DIGITS.search(t.text)))
            or looks_like_person_name(t.text, known)]


def personal_data_refusal(raw_query: str) -> str:
    """Return the Chinese refusal for a query that looks a person up, or "" when it does not."""
    raw = raw_query if isinstance(raw_query, str) else str(raw_query or "")
    terms = personal_terms(parse_query(raw[:MAX_RAW_QUERY]))
    if not terms:
        return ""
    return _PERSONAL_DATA_REFUSAL.format("、".join(dict.fromkeys(t.text[:20] for t in terms)))


_domain_words_cache: frozenset[str] | None = None


def _domain_words() -> frozenset[str]:
    """Return the words of the portal's domain dictionary (行政许可, 卫健委…): never taken for names."""
    global _domain_words_cache
    if _domain_words_cache is None:
        _domain_words_cache = frozenset(dictionary_terms())
    return _domain_words_cache


def _without_terms(query: Query, dropped: list[Term]) -> Query:
    groups = [[t for t in group if t not in dropped] for group in query.groups]
    return Query(raw=query.raw, groups=[g for g in groups if g], filters=query.filters,
                 excluded=[t for t in query.excluded if t not in dropped], notices=list(query.notices))


def _pages_by_id(page_ids) -> dict[int, Any]:
    """Return {id: specific page} of the live pages among ``page_ids`` (for masking what the hits show)."""
    ids = {int(i) for i in page_ids if i is not None}
    return {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()} if ids else {}


def _mask_hits(hits: list[Hit], terms: list[str]) -> None:
    """Mask personal data in the title and snippet of every hit, for the public (the one privacy rule).

    The snippet is cut again from the masked text, so a highlight can never split a number that
    masking would otherwise have caught.  The names of the persons a page is about are masked
    wherever named (``lib.masking.mask_for_public``).
    """
    pages = _pages_by_id(h.fields.get("page_id") for h in hits)
    for hit in hits:
        title, body = hit.fields.get("title") or "", _snippet_region(hit.text or "", terms)
        page = pages.get(hit.fields.get("page_id"))
        if page is not None:
            masked = mask_for_public(page, {"title": title, "body": body})
            title, body = masked["title"], masked["body"]
        else:  # a page deleted meanwhile: numbers and addresses masked
            title, body = mask_text(title), mask_text(body)
        hit.fields["title"] = title
        hit.title_html = highlight(title, terms)
        snippet = make_snippet(body, terms)
        if body is not hit.text and not snippet.startswith("…") and not hit.text.startswith(body):
            snippet = "…" + snippet
        hit.snippet = snippet


def _is_code_char(ch: str) -> bool:
    """Return True for a character of a number or code: ASCII or full-width letters and digits."""
    return (ch.isascii() and ch.isalnum()) or "\uff10" <= ch <= "\uff5a"


def _snippet_region(text: str, terms: list[str], before: int = 1000, after: int = 1500) -> str:
    """Return the stretch of a long ``text`` around its first match, where the snippet will be cut.

    Masking a whole long record for every hit would cost tens of milliseconds; masking this
    stretch costs little.  Its ends move outwards to a non-alphanumeric character (and 20 more,
    for the 账号/银行 context the masking rules look back for), so no number is cut in two and
    left half-masked.
    """
    if len(text) <= before + after:
        return text
    found = [i for i in (text.find(t) for t in terms if t) if i >= 0]
    first = min(found) if found else 0
    start, end = max(0, first - before), min(len(text), first + after)
    while start > 0 and _is_code_char(text[start - 1]):
        start -= 1
    while end < len(text) and _is_code_char(text[end]):
        end += 1
    return text[max(0, start - 20) : end]


# --- search --------------------------------------------------------------------------------------

def _result(hit: Hit, labels: dict[int, str] | None = None) -> SearchResult:
    f, extra = hit.fields, hit.fields.get("extra") or {}
    kind = extra.get("kind", "page")
    anchor = extra.get("article") or (f"第{extra['row']}项" if kind == "row" and extra.get("row") else "")
    missing = ([label for i, label in labels.items() if i not in hit.covered]
               if labels and hit.covered is not None else [])
    return SearchResult(
        id=hit.id, title=f.get("title") or "", title_html=hit.title_html, url=f.get("url") or "",
        doc_number=f.get("doc_number") or "", category=f.get("category") or "", department=f.get("department") or "",
        validity=f.get("validity") or "", date=f.get("date"), snippet=hit.snippet, score=float(hit.score or 0.0),
        kind=kind, anchor=anchor, parent_title=extra.get("parent_title", ""),
        children=[_result(c) for c in hit.children], missing=list(dict.fromkeys(missing)))


# Fewer AND matches than this (and two concepts or more): rank by concepts covered.
FALLBACK_BELOW = 1
# A query of this many concepts or more (工地 · 夜间施工 · 扰民) asks much of one document: fewer AND matches
# than FEW_FOR_MANY, and it is ranked by concepts covered too (those holding them all stay first).
MANY_CONCEPTS = 3
FEW_FOR_MANY = 3
_FALLBACK_NOTICE = "并非所有检索词都能同时找到，以下按包含检索词的多少排列。"
_FEW_ALL_NOTICE = "只有 {} 条结果包含全部检索词，以下按包含检索词的多少排列。"
_MISSING_NOTICE = "以下结果未包含：{}"
_CORRECTED_NOTICE = "“{1}”未找到结果，已为您显示“{0}”的结果。"


def concept_labels(query: Query) -> dict[int, str]:
    """Return {group index: the words as typed} of the query's concepts (a term with its synonyms and
    lexicon expansions is one concept), as the fallback notice names them."""
    return {i: group[0].text for i, group in enumerate(query.groups) if group}


def _run(query: Query, filters: Filters, sort: str, page: int, per_page: int):
    """Ask the engine for one page; a bug or a locked database becomes ``SearchUnavailable``, never a 500."""
    try:
        return get_backend().search(query, filters, sort=sort, offset=(page - 1) * per_page, limit=per_page,
                                    facets=FACET_FIELDS)
    except SearchUnavailable:
        raise
    except Exception as exc:
        log.exception("检索失败：%r", query.raw[:200])
        raise SearchUnavailable(str(exc)) from exc


def search_ranked(query: Query, filters: Filters, *, sort: str = "relevance", page: int = 1, per_page: int = 20,
                  penalty: bool = False, collapse: bool = True, fallback: bool = True, strict=None):
    """Return (SearchResults, fallback used, the query run) for ``query``: every concept together (AND)
    first; when fewer than ``FALLBACK_BELOW`` documents hold them all (``FEW_FOR_MANY`` for a query of
    ``MANY_CONCEPTS``), a word of several words cut
    into them (``split_words``: found apart, not side by side), all of them again; then, when the query
    has two concepts or more, the documents holding any of them, those covering more concepts first
    (``Hit.covered`` says which).

    ``penalty`` ranks penalty provisions first (a 怎么罚 question); ``collapse`` gives one hit per
    document with its best articles/rows beneath it, counts and facets counting documents; ``strict``
    is the AND answer when the caller has it already (asked with the same arguments).
    """
    ranked = dataclasses.replace(query, penalty=penalty, collapse=collapse)
    results = strict if strict is not None else _run(ranked, filters, sort, page, per_page)
    many = len(concept_labels(query)) >= MANY_CONCEPTS
    if not fallback or results.count >= (FEW_FOR_MANY if many else FALLBACK_BELOW):
        return results, False, query
    least = 1
    split = split_words(query) if results.count < FALLBACK_BELOW else None
    if split is not None:  # the words of 听证要提前几天通知当事人 found apart, all of them first
        apart = dataclasses.replace(split, penalty=penalty, collapse=collapse)
        found = _run(apart, filters, sort, page, per_page)
        if found.count >= FALLBACK_BELOW:
            return found, False, split
        if len(concept_labels(query)) >= 2:
            query, ranked = split, apart
        elif len(concept_labels(split)) >= 3:  # one word typed: never answered by one of its words alone
            query, ranked, least = split, apart, 2
    if len(concept_labels(query)) < 2:
        return results, False, query
    fallback = _run(dataclasses.replace(ranked, any_group=True, min_cover=least), filters, sort, page, per_page)
    if fallback.count <= results.count:
        return results, False, query
    return fallback, True, query


def search(user, raw_query: str = "", *, category=None, department=None, validity=None, year=None,
           include_abolished: bool = False, sort: str = "relevance", page=1, per_page=20,
           collapse: bool = True, fallback: bool = True, autocorrect: bool = True) -> SearchPage:
    """Return one page of results for ``raw_query`` as ``user`` may see them.

    ``category``, ``department``, ``validity`` and ``year`` are the UI filters (a value or a list of
    alternatives; labels, codes and aliases accepted); values that mean nothing are ignored with a
    notice.  已废止 documents are left out unless ``include_abolished`` or a 有效性 filter asks for them.
    Results are one per document with its best articles/rows beneath (``collapse``; off for callers that
    want the articles or rows themselves); when not every concept matches together, the documents
    covering the most of them (``search_ranked``), with a notice naming what no result holds (unless
    ``fallback`` is off, for callers that relax the query their own way).  A query whose words found
    nothing together and that has a near correction (``did_you_mean``: 行政处法 → 行政处罚法) is searched
    as corrected when that finds something, saying so (``corrected``; ``autocorrect`` off searches the
    words as typed: the page's "仍然检索" link).
    Raises ``SearchUnavailable`` when the engine cannot answer (the caller shows a notice).
    """
    started = time.perf_counter()
    raw = raw_query if isinstance(raw_query, str) else str(raw_query or "")
    notices: list[str] = []
    if len(raw) > MAX_RAW_QUERY:
        raw = raw[:MAX_RAW_QUERY]
    _known_departments()  # registers department aliases as synonyms (once, then every few minutes)
    prepared = prepare_query(raw)
    query = prepared.query
    notices += query.notices
    filters = filters_for(user)
    applied: dict[str, Any] = {"category": [], "department": [], "validity": [], "year": [],
                               "include_abolished": bool(include_abolished)}

    for value in _values(category):
        label = _category(value)
        if label:
            filters.categories.append(label)
            applied["category"].append(label)
        else:
            notices.append(f"没有名为“{value}”的类别，已忽略该条件。")
    for value in _values(department):
        name = resolve_department(value)
        if name:
            filters.departments.append(name)
            applied["department"].append(name)
        else:
            notices.append(f"没有找到部门“{value}”，已忽略该条件。")
    for value in _values(validity):
        label = _validity(value)
        if label:
            filters.validities.append(label)
            applied["validity"].append(label)
        else:
            notices.append(f"有效性“{value}”无法识别（可选：现行有效、尚未生效、已修订、已废止），已忽略。")
    for value in _values(year):
        years = _years(value)
        if years:
            filters.years += [y for y in years if y not in filters.years]
            applied["year"].append(value)
        else:
            notices.append(f"年份“{value}”无法识别，应写成 2020 或 2018-2020，已忽略。")
    if not include_abolished and not filters.validities and "validity" not in query.filters:
        # Abolished documents have left the current lists; they are found with 含已废止 or 有效性:已废止.
        filters.validities = [v for v in VALIDITY_LABELS.values() if v != ABOLISHED] + [""]

    sort = str(sort or "relevance")
    if sort not in SORTS:
        notices.append("排序方式无法识别，已按相关度排序。")
        sort = "relevance"
    per_page = min(MAX_PER_PAGE, _positive_int(per_page, 20, notices, "每页条数"))
    page = _positive_int(page, 1, notices, "页码")
    if (page - 1) * per_page >= MAX_OFFSET:
        notices.append(f"最多只能查看前 {MAX_OFFSET} 条结果，请增加检索词或筛选条件。")
        page = MAX_OFFSET // per_page

    if _is_anonymous(user):
        # A lexicon's legal term (束犬链) is a wording of the laws, never a person looked up.
        legal = {normalize(t) for _word, targets in prepared.understood.expansions for t in targets}
        personal = [t for t in personal_terms(query) if normalize(t.text) not in legal]
        if personal:
            notices.append(_PERSONAL_DATA_NOTICE.format("、".join(dict.fromkeys(t.text[:20] for t in personal))))
            query = _without_terms(query, personal)
            if not query.groups and not query.excluded and personal:
                # Nothing left to look for: show nothing rather than browse everything.
                return SearchPage(raw_query=raw, query=query, notices=notices, page=page, per_page=per_page,
                                  sort=sort, filters=applied, took_ms=(time.perf_counter() - started) * 1000)

    strict, _relaxed, _run_query = search_ranked(query, filters, sort=sort, page=page, per_page=per_page,
                                     penalty=prepared.understood.penalty, collapse=collapse, fallback=False)
    if autocorrect and query.has_terms and strict.count == 0:
        corrected = did_you_mean(raw)
        if corrected and corrected != raw.strip():
            again = search(user, corrected, category=category, department=department, validity=validity, year=year,
                           include_abolished=include_abolished, sort=sort, page=page, per_page=per_page,
                           collapse=collapse, fallback=fallback, autocorrect=False)
            if again.count:
                again.raw_query, again.corrected_from, again.corrected = raw, raw, corrected
                again.notices.insert(0, _CORRECTED_NOTICE.format(corrected, raw.strip()))
                again.took_ms = (time.perf_counter() - started) * 1000
                return again
    results, fallback, query = search_ranked(query, filters, sort=sort, page=page, per_page=per_page,
                                      penalty=prepared.understood.penalty, collapse=collapse, fallback=fallback,
                                      strict=strict)
    notices += [n for n in results.notices if n not in notices]
    labels = concept_labels(query) if fallback else {}
    missing: list[str] = []
    if fallback:
        notices.append(_FALLBACK_NOTICE if strict.count == 0 else _FEW_ALL_NOTICE.format(strict.count))
        covered = {i for h in results.hits for i in (h.covered or ())}
        missing = list(dict.fromkeys(label for i, label in labels.items() if i not in covered))
        if missing:
            notices.append(_MISSING_NOTICE.format("、".join(missing)))
    understood = prepared.understood.as_dict()
    pinned = _pin_provision(prepared, results, filters, per_page) if page == 1 and sort == "relevance" else ""
    if pinned:
        understood["messages"].append(pinned)
    no_results = ""
    if query.has_terms and results.count == 0 and not any("忽略" in n for n in notices):
        no_results = NO_RESULTS
        notices.append(no_results)

    terms = highlight_terms(query)
    if _is_anonymous(user):
        _mask_hits([*results.hits, *(c for h in results.hits for c in h.children)], terms)
    selected = {"category": set(applied["category"]), "department": set(applied["department"]),
                "validity": set(applied["validity"]), "year": {y for y in filters.years}}
    facets = {name: [FacetValue(value, count, value in selected[name]) for value, count in results.facets.get(name, [])]
              for name in FACET_FIELDS}
    return SearchPage(raw_query=raw, query=query, count=results.count,
                      results=[_result(h, labels) for h in results.hits],
                      facets=facets, notices=notices, page=page, per_page=per_page, sort=sort, filters=applied,
                      took_ms=(time.perf_counter() - started) * 1000, no_results_notice=no_results,
                      understood=understood, missing=missing, fallback=fallback)


# --- what other apps may ask about a query -------------------------------------------------------------

@dataclass(frozen=True)
class QueryAnalysis:
    """What a query asks for, as the service reads it (for callers that present results their own way)."""

    has_terms: bool
    notices: list[str]
    highlight_terms: list[str]  # the words to mark in results
    words: list[str]  # the query's words of two characters or more, for an "any of these words" retry

    def any_words_query(self) -> str:
        """Return a query asking for any of ``words``, or "" when there is nothing to relax."""
        return " OR ".join(self.words)


def analyse_query(raw_query: str) -> QueryAnalysis:
    """Return how the service parses and segments ``raw_query`` (no search is run)."""
    query = parse_query(raw_query or "")
    words: dict[str, None] = {}
    for term in query.positive_terms():
        for token in tokens_for_query(term.text):
            if len(token) >= 2:
                words.setdefault(token, None)
    return QueryAnalysis(has_terms=query.has_terms, notices=list(query.notices),
                         highlight_terms=highlight_terms(query), words=list(words))


# --- suggestions ---------------------------------------------------------------------------------

_dictionary_terms: list[str] | None = None


def dictionary_terms() -> list[str]:
    """Return the words of the domain dictionary (department names, legal terms), loaded once."""
    global _dictionary_terms
    if _dictionary_terms is None:
        words = [line.split()[0] for line in USERDICT_PATH.read_text(encoding="utf-8").splitlines() if line.split()]
        _dictionary_terms = sorted(set(words), key=lambda w: (len(w), w))
    return _dictionary_terms


def suggest(user, prefix: str, limit: int = 10) -> list[str]:
    """Return up to ``limit`` completions of ``prefix``: visible titles first, then dictionary terms.

    Titles go through the same scope filter as results; for anonymous visitors a penalty
    decision's title is masked, and a prefix that names a person suggests no titles at all.
    """
    key = _suggest_key(prefix)
    limit = max(0, min(int(limit), 20))
    if not key or not limit:
        return []
    titles = _suggested_titles(user, key, limit)
    anonymous = _is_anonymous(user)
    if anonymous and titles:
        titles = _mask_titles(titles)
    found = dict.fromkeys(titles)
    for word in dictionary_terms():
        if len(found) >= limit:
            break
        if word.startswith(key) and word != key:
            found.setdefault(word, None)
    return list(found)[:limit]


def _suggest_key(prefix) -> str:
    text = prefix if isinstance(prefix, str) else str(prefix or "")
    return normalize(re.sub(r"[\x00-\x1f\x7f]", "", text)).strip()[:50]


def _suggested_titles(user, key: str, limit: int) -> list[str]:
    """Return up to ``limit`` titles starting with (then containing) ``key`` that ``user`` may see, unmasked.

    None for an anonymous visitor whose ``key`` names a person (a title list would tell who is in the records).
    """
    _known_departments()
    if _is_anonymous(user) and personal_terms(Query(raw=key, groups=[[Term(key)]])):
        return []
    try:
        # An article's title is its regulation's title + 第X条: the regulation's own title says it.
        return [t for t in get_backend().suggest(key, filters_for(user), limit * 3)
                if not _ARTICLE_TITLE.search(t)][:limit]
    except SearchUnavailable:
        return []
    except Exception:  # noqa: BLE001 - suggestions are a convenience: never an error
        log.exception("检索建议失败：%r", key)
        return []


def _title_urls(user, titles: list[str]) -> dict[str, str]:
    """Return {title: URL} of the live pages so titled that ``user`` may open (the first such page of each)."""
    urls: dict[str, str] = {}
    if not titles:
        return urls
    for page in Page.objects.live().filter(title__in=titles).specific().order_by("pk"):
        if page.title not in urls and can_view(user, page):
            url = page.get_url()
            if url:
                urls[page.title] = url
    return urls


def search_url(text: str) -> str:
    """Return the URL of the search page for ``text`` (a suggestion, a correction, a 热搜词)."""
    return reverse("search") + "?" + urlencode({"q": text})


def suggest_entries(user, prefix: str, limit: int = 10) -> list[dict[str, str]]:
    """Return suggestions for the search boxes as dicts ``{"text", "kind", "url", "hint"}``.

    ``kind`` is ``title`` (a page the viewer may open: ``url`` is the page itself), ``pinyin`` (a held
    public title spelled in pinyin or initials), ``lexicon`` (a colloquial word; ``hint`` names the legal
    terms also searched) or ``term`` (a dictionary word).  Titles pass the same scope filter and masking
    as ``suggest``; every other ``url`` is the search page for the text.
    """
    key = _suggest_key(prefix)
    limit = max(0, min(int(limit), 20))
    if not key or not limit:
        return []
    titles = _suggested_titles(user, key, limit)
    urls = _title_urls(user, titles)
    shown = _mask_titles(titles) if _is_anonymous(user) and titles else titles
    entries: dict[str, dict[str, str]] = {}
    for title, text in zip(titles, shown, strict=True):
        entries.setdefault(text, {"text": text, "kind": "title", "url": urls.get(title) or search_url(text), "hint": ""})
    spelled = _pinyin_titles(_held_titles())
    title = spelled.title_for(key) if spelled is not None and key.isascii() else None
    if title and title not in entries:
        entries[title] = {"text": title, "kind": "pinyin", "url": search_url(title), "hint": f"拼音：{key}"}
    lexicon = _current_lexicon()
    for word in sorted((w for w in lexicon.entries if w.startswith(key)), key=lambda w: (len(w), w)):
        if len(entries) >= limit:
            break
        entries.setdefault(word, {"text": word, "kind": "lexicon", "url": search_url(word),
                                  "hint": "同时检索：" + "、".join(lexicon.entries[word][:3])})
    for word in dictionary_terms():
        if len(entries) >= limit:
            break
        if word.startswith(key) and word != key:
            entries.setdefault(word, {"text": word, "kind": "term", "url": search_url(word), "hint": ""})
    return list(entries.values())[:limit]


def _mask_titles(titles: list[str]) -> list[str]:
    """Return titles as the public may read them (the one privacy rule, page by page)."""
    pages = {}
    for page in Page.objects.filter(title__in=titles).specific():
        pages.setdefault(page.title, page)
    return [mask_for_public(pages[t], {"title": t})["title"] if t in pages else mask_text(t) for t in titles]


# --- 您是不是要找 -----------------------------------------------------------------------------------

FEW_RESULTS = 3  # fewer results than this: the page offers a correction when one is near
_vocabulary: tuple[TitleIndex, Vocabulary] | None = None


def _correction_vocabulary() -> Vocabulary | None:
    """Return the words a correction may propose: the public held titles (and their short forms), the
    dictionary words, the lexicon's colloquial words and their legal terms; built again when the held documents change."""
    global _vocabulary
    index = _held_titles()
    if index is None:
        return None
    if _vocabulary is None or _vocabulary[0] is not index:
        titles = RegulationPage.objects.live().filter(scope=Scope.PUBLIC).values_list("title", flat=True)
        aliases = [alias for title in titles for alias in title_aliases(title)]
        lexicon = _current_lexicon()
        legal = [t for targets in lexicon.entries.values() for t in targets]  # wordings of the held texts
        _vocabulary = (index, Vocabulary.build(aliases, [*dictionary_terms(), *lexicon.entries, *legal]))
    return _vocabulary[1]


def did_you_mean(raw_query: str) -> str:
    """Return the query with its mistyped words corrected (行政处法 → 行政处罚法), or "" when none is.

    Only words every viewer may read are proposed (public titles, dictionary and lexicon words), and a
    query that looks a person up is never rewritten (the correction would name someone).
    """
    raw = raw_query if isinstance(raw_query, str) else str(raw_query or "")
    text = fold(raw[:200]).strip()
    if not text or personal_data_refusal(text):
        return ""
    try:
        vocabulary = _correction_vocabulary()
    except Exception:  # noqa: BLE001 - a correction is a convenience: the results stand without it
        log.exception("纠错词表读取失败")
        return ""
    return correct(text, vocabulary) if vocabulary is not None else ""


# --- 热搜词 (from the query log) and 推荐结果 (editor-chosen, wagtail.contrib.search_promotions) ---------

HOT_DAYS = 30  # 热搜词 are counted over this many days
HOT_LIMIT = 10
_LOGGED_LENGTH = (2, 30)  # characters: shorter says nothing, longer is a pasted passage (or a record)
_SPACES = re.compile(r"\s+")


def loggable_text(raw_query: str) -> str:
    """Return the text a search is counted under, or "" when it must never be logged or shown.

    Never logged: a query holding personal data, by the rules of the search itself (``personal_terms``:
    ID, phone and account numbers, personal names) and by masking (``lib.masking.mask_text``: anything
    it would mask — addresses, plates, numbers in context), and field syntax (文号:…).
    """
    raw = raw_query if isinstance(raw_query, str) else str(raw_query or "")
    text = _SPACES.sub(" ", fold(raw[:200])).strip()
    if not _LOGGED_LENGTH[0] <= len(text) <= _LOGGED_LENGTH[1] or re.search(r"[:：\x00-\x1f\x7f]", text):
        return ""
    if _DIGITS.search(text) and _ACCOUNT_DIGITS.search(text):
        return ""
    if mask_text(text) != text or personal_terms(parse_query(text)):
        return ""
    return text


def log_query(user, raw_query: str, count: int) -> bool:
    """Count one search that found ``count`` results (nothing is counted for none); return True when counted.

    The public's and the staff's searches are counted apart: the public is shown only the public's.
    Never raises: a count is not worth a failed search.
    """
    text = loggable_text(raw_query)
    if not text or count <= 0:
        return False
    audience = QueryCount.PUBLIC if _is_anonymous(user) else QueryCount.STAFF
    day = timezone.localdate()
    try:
        with transaction.atomic():
            updated = QueryCount.objects.filter(text=text, audience=audience, day=day).update(count=F("count") + 1)
            if not updated:
                QueryCount.objects.create(text=text, audience=audience, day=day, count=1)
    except IntegrityError:  # another request created the row meanwhile
        QueryCount.objects.filter(text=text, audience=audience, day=day).update(count=F("count") + 1)
    except Exception:  # noqa: BLE001 - see above
        log.exception("检索词计数失败")
        return False
    return True


def log_search(user, page: SearchPage) -> bool:
    """Count a search shown on the results page for the 热搜词 (``log_query``); return True when counted.

    Counted only when its words, as typed, found results together — not the fallback's partial matches,
    not a correction, not a further page — and when a public visitor's same search finds results too,
    whoever searched: a 热搜词 is shown to others, and words only staff can find (a 部门内部 title, a
    case's details) must not reach them through it (二（四）5: 不得泄露国家秘密、商业秘密和个人隐私).
    """
    if page.page != 1 or page.fallback or page.corrected or page.count <= 0:
        return False
    count = page.count
    if not _is_anonymous(user):
        try:
            public = search(AnonymousUser(), page.raw_query, per_page=1, fallback=False, autocorrect=False)
        except SearchUnavailable:
            return False
        count = 0 if public.fallback else public.count
    return log_query(user, page.raw_query, count)


def hot_queries(user, limit: int = HOT_LIMIT, days: int = HOT_DAYS) -> list[dict[str, Any]]:
    """Return the 热搜词 for ``user``: the most searched queries of the last ``days`` days, as
    ``{"text", "count", "url"}``.

    The public sees the public's searches only; staff see everybody's.  A query that is the title of a
    page the viewer may not open is left out, and each one is checked for personal data again.
    """
    since = timezone.localdate() - dt.timedelta(days=max(1, days) - 1)
    rows = QueryCount.objects.filter(day__gte=since)
    if _is_anonymous(user):
        rows = rows.filter(audience=QueryCount.PUBLIC)
    ranked = (rows.values("text").annotate(total=Sum("count")).order_by("-total", "text")[: limit * 3])
    found = [(r["text"], r["total"]) for r in ranked if loggable_text(r["text"]) == r["text"]]
    pages = list(Page.objects.filter(title__in=[t for t, _ in found]).specific()) if found else []
    visible = {p.title for p in pages if p.live and can_view(user, p)}
    hidden = {p.title for p in pages} - visible
    return [{"text": t, "count": n, "url": search_url(t)} for t, n in found if t not in hidden][:limit]


def promotions(user, raw_query: str) -> list[dict[str, str]]:
    """Return the editors' 推荐结果 for the query as ``{"title", "url", "description"}``, in their order.

    A promoted page is shown only when it is live and the viewer may open it (masked for the public as
    every result is); a promoted external link is shown as the editor wrote it.
    """
    raw = raw_query if isinstance(raw_query, str) else str(raw_query or "")
    text = normalise_query_string(raw[:MAX_QUERY_STRING_LENGTH])
    if not text:
        return []
    picks = SearchPromotion.objects.filter(query__query_string=text).select_related("page").order_by("sort_order", "pk")
    anonymous = _is_anonymous(user)
    out = []
    for pick in picks:
        if pick.page_id:
            page = pick.page.specific
            if not page.live or not can_view(user, page):
                continue
            title = mask_for_public(page, {"title": page.title})["title"] if anonymous else page.title
            url = page.get_url()
            if url:
                out.append({"title": title, "url": url, "description": pick.description})
        elif pick.external_link_url:
            out.append({"title": pick.external_link_text or pick.external_link_url, "url": pick.external_link_url,
                        "description": pick.description})
    return out


def stats() -> dict[str, Any]:
    """Return the engine's facts (for the reindex and search commands)."""
    return get_backend().stats()
