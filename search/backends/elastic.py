"""The Elasticsearch 8 / OpenSearch 2.x engine: the same interface and ranking as FTS5.

One backend for both engines: the mapping and every query are built once with ``elasticsearch.dsl``
and sent as JSON through a thin client adapter (``search.backends.clients``: elasticsearch-py for
Elasticsearch 8, opensearch-py for OpenSearch), which alone knows what differs between them.

Indices and the alias
    Documents live in a versioned index (``portal-v3``) reached through the alias ``portal``.
    ``rebuild`` fills a new version while the old one keeps answering, then moves the alias in one
    atomic ``_aliases`` call and drops the old index: a reindex never shows an empty or half-built
    index.  While it runs, the new index also carries the alias ``portal-next``, and every write
    (a page published meanwhile) goes to both, so the swap loses nothing.

Text
    The application segments (``search.segment``), exactly as for FTS5; the cluster only splits
    the ``*_seg`` fields on whitespace.  No analysis plugin is needed.

Query (``build_search`` — a pure function, tested with ``to_dict()`` without a cluster)
    bool: ``filter`` = sharing scope (always) + UI filters + typed field filters, so counts and
    facets never include an invisible document; ``must`` = one clause per AND group of the query;
    ``must_not`` = exclusions.  A typed word is a sloppy phrase of its leaves (FTS5's NEAR), a
    quoted phrase the exact token sequence or a tight sloppy phrase; BM25 over
    title^10 / doc_number^5 / keywords^3 / body.  Exact 发文字号 and "the title is the query" are
    constant-score ``should`` clauses with boosts far above any BM25 score, and a
    ``function_score`` multiplies by the validity weight (已废止 × 0.5 …).  Facets are terms
    aggregations of the same request, hence under the same filters.  "Contains" filters
    (部门:, 文号:, suggestions) are phrase queries on single-character subfields (``*.chars``), never
    leading-wildcard queries.

Failures
    Connection errors, timeouts and cluster errors become ``SearchUnavailable``; the caller
    shows a Chinese notice and queues index updates (``search.sync``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from elasticsearch.dsl import A, Q, Search

from search import synonyms
from search.backends.base import (
    CATEGORY_LABELS,
    CHILDREN_PER_HIT,
    FACET_FIELDS,
    OWNER_ONLY_SCOPES,
    PENALTY_CHAPTERS,
    VALIDITY_LABELS,
    Filters,
    Hit,
    IndexDoc,
    SearchBackend,
    SearchResults,
    SearchUnavailable,
    Sort,
    doc_number_key,
    term_variants,
    title_key,
)
from search.backends.clients import ElasticsearchClient, EngineClient, EngineError, IndexNotFound, connect
from search.backends.fts5_query import squash
from search.documents import FIELD_BOOSTS, SearchDocument, index_body
from search.query import Query, Term
from search.segment import QueryTokens, normalize, segment_for_fts, segment_many, segmenter_info
from search.snippets import highlight, highlight_terms, make_snippet

# Far above any BM25 score (a title^10 match scores tens): these decide the order before BM25 does.
DOC_NUMBER_BOOST = 100_000
TITLE_IS_QUERY_BOOST = 10_000
VALIDITY_WEIGHTS = {"现行有效": 1.0, "尚未生效": 0.9, "已修订": 0.6, "已废止": 0.5}
STORED_FIELDS = ("doc_id", "page_id", "url", "title", "doc_number", "category", "department", "validity", "scope",
                 "owner_department", "date", "year", "extra")
FACET_SIZE = 200
EXCLUDED_SOURCE = ["*_seg", "*_squash", "content_hash"]  # indexed for matching, never read back
# The mapping's version: "2" added parent_id / kind / chapter (collapse, penalty ranking).  An index
# built with another needs a rebuild (``stats()["needs_rebuild"]``, ``manage.py reindex``): its strict
# mapping refuses the new fields.
SCHEMA_VERSION = "3"  # "3": the *.chars subfields of the "contains" filters, auto-expanded replicas
COVER_BOOST = 1_000  # per concept covered, in the fallback: above BM25, below the title/doc-number boosts
PENALTY_WEIGHTS = (3.0, 1.5)  # a 法律责任 / 违反…规定…罚款 provision; one naming a 罚款
CARDINALITY_PRECISION = 40_000  # exact document counts up to this many documents (the engine's maximum)
BULK_CHUNK = 500
# A scripted upsert (painless, stock in both engines): an unchanged document (same content_hash) is
# left alone, a changed or new one replaced whole.
UPSERT_SCRIPT = ("if (ctx.op == 'create' || ctx._source.content_hash != params.doc.content_hash) "
                 "{ ctx._source.clear(); ctx._source.putAll(params.doc); } else { ctx.op = 'noop'; }")


def _all_fields(term: Term) -> list[str]:
    """Return the boosted fields a term searches: only the title for 标题:, else all four."""
    if term.field == "title":
        return [f"title_seg^{FIELD_BOOSTS['title_seg']}"]
    return [f"{name}^{boost}" for name, boost in FIELD_BOOSTS.items()]


def _phrase(fields: list[str], tokens: Iterable[str], slop: int) -> Q:
    return Q("multi_match", query=" ".join(tokens), fields=fields, type="phrase", slop=slop, tie_breaker=0.3)


def tokens_clause(tokens: QueryTokens, phrase: bool, fields: list[str], verified: bool) -> Q:
    """Return the clause for one analysed word or phrase (mirrors ``fts5_query._tokens_expr``).

    Word 执法联席 → the leaves 执法 联席 as a phrase with slop = the NEAR window.
    Phrase "联席会议" → the exact search-mode tokens (slop 0), or the leaves close together.
    """
    if len(tokens.leaves) == 1 and (not phrase or len(tokens.phrase) <= 1):
        return Q("multi_match", query=tokens.leaves[0], fields=fields, type="most_fields")
    if not phrase:
        return _phrase(fields, tokens.leaves, tokens.window)
    exact = _phrase(fields, tokens.phrase, 0)
    if len(tokens.leaves) == 1:
        return Q("bool", should=[exact, Q("multi_match", query=tokens.leaves[0], fields=fields, type="most_fields")],
                 minimum_should_match=1)
    window = len(tokens.phrase) + len(tokens.leaves) if verified else max(0, len(tokens.phrase) - len(tokens.leaves))
    return Q("bool", should=[exact, _phrase(fields, tokens.leaves, window)], minimum_should_match=1)


def term_clause(term: Term, expand: bool = True, verified: bool = False) -> Q | None:
    """Return the clause of one query term with its synonyms (OR), or None when nothing is indexable."""
    fields = _all_fields(term)
    parts = [tokens_clause(v, term.phrase, fields, verified) for v in term_variants(term, expand)]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q("bool", should=parts, minimum_should_match=1)


def _contains(field: str, value: str) -> Q:
    """Return "the field contains ``value``": adjacent characters of its single-character subfield."""
    return Q("match_phrase", **{f"{field}.chars": value})


def scope_clause(filters: Filters) -> Q:
    """Return the sharing-scope restriction: open scopes for all who may see them, 部门内部 / 不予共享
    only for the owning department (or every department, for a superuser)."""
    allowed = list(filters.allowed_scopes)
    open_scopes = [s for s in allowed if s not in OWNER_ONLY_SCOPES]
    owner_scopes = [s for s in allowed if s in OWNER_ONLY_SCOPES]
    shoulds = []
    if open_scopes:
        shoulds.append(Q("terms", scope=open_scopes))
    if owner_scopes and filters.all_departments:
        shoulds.append(Q("terms", scope=owner_scopes))
    elif owner_scopes and filters.viewer_department:
        shoulds.append(Q("bool", filter=[Q("terms", scope=owner_scopes),
                                         Q("term", owner_department=filters.viewer_department)]))
    if not shoulds:
        return Q("bool", must_not=[Q("match_all")])  # nothing is visible
    return Q("bool", should=shoulds, minimum_should_match=1)


def facet_clauses(filters: Filters) -> dict[str, Q]:
    """Return {facet field: its filter} of the facet values chosen in the UI."""
    chosen = (("category", filters.categories), ("department", filters.departments),
              ("validity", filters.validities), ("year", [int(y) for y in filters.years]))
    return {field: Q("terms", **{field: list(values)}) for field, values in chosen if values}


def filter_clauses(query: Query | None, filters: Filters, facets: bool = True) -> list[Q]:
    """Return the filter clauses: scope, UI filters (exact values; the facet choices only with
    ``facets``) and typed field filters."""
    clauses = [scope_clause(filters)]
    if facets:
        clauses += facet_clauses(filters).values()
    if filters.page_ids:
        clauses.append(Q("terms", page_id=list(filters.page_ids)))
    if filters.date_from or filters.date_to:
        bounds = {}
        if filters.date_from:
            bounds["gte"] = filters.date_from.isoformat()
        if filters.date_to:
            bounds["lte"] = filters.date_to.isoformat()
        clauses.append(Q("range", date=bounds))
    for name, values in (query.filters if query else {}).items():
        alternatives = []
        for value in values:
            if name == "doc_number":
                alternatives.append(_contains("doc_number_key", doc_number_key(value)))
            elif name == "department":
                alternatives += [_contains("department", alias) for alias in sorted(synonyms.expand(value))]
            elif name == "category":
                alternatives.append(_contains("category", CATEGORY_LABELS.get(value, value)))
            elif name == "validity":
                alternatives.append(Q("term", validity=VALIDITY_LABELS.get(value, value)))
            elif name == "year":
                first, _, last = value.partition("-")
                alternatives.append(Q("range", year={"gte": int(first), "lte": int(last or first)}))
        if alternatives:
            clauses.append(alternatives[0] if len(alternatives) == 1 else
                           Q("bool", should=alternatives, minimum_should_match=1))
    return clauses


def _verified(group: list[Term]) -> bool:
    return len(group) == 1 and group[0].phrase


def parent_id(doc: IndexDoc) -> str:
    """Return the key that groups a document with its articles/rows: its page, else its own id."""
    return str(doc.page_id) if doc.page_id is not None else doc.id


def group_clauses(query: Query) -> list[tuple[int, Q]]:
    """Return (index in ``query.groups``, clause) of every group with something indexable."""
    out = []
    for i, group in enumerate(query.groups):
        alternatives = [c for c in (term_clause(t, verified=_verified(group)) for t in group) if c is not None]
        if alternatives:
            out.append((i, alternatives[0] if len(alternatives) == 1 else
                        Q("bool", should=alternatives, minimum_should_match=1)))
    return out


def text_clauses(query: Query) -> tuple[list[Q], list[Q]]:
    """Return (must clauses, one per AND group; must_not clauses, one per exclusion).

    With ``query.any_group`` (the fallback) the one must clause is a bool that any group satisfies,
    each group a named (``g<index>``: ``matched_queries`` says which a hit covers) constant score of
    ``COVER_BOOST`` so that covering more concepts ranks first, plus the group's BM25 score.
    """
    groups = group_clauses(query)
    must = [clause for _i, clause in groups]
    if query.any_group and len(groups) > 1:
        should = [Q("constant_score", filter=clause, boost=COVER_BOOST, _name=f"g{i}") for i, clause in groups]
        least = max(1, min(int(query.min_cover), len(groups)))
        if least > 1:  # at least that many concepts covered; the groups' BM25 added as before
            must = [Q("bool", should=should, minimum_should_match=least),
                    Q("bool", should=[clause for _i, clause in groups], minimum_should_match=1)]
        else:
            must = [Q("bool", should=should + [clause for _i, clause in groups], minimum_should_match=1)]
    must_not = []
    for term in query.excluded:
        if term.phrase:
            if squash(term.text):
                must_not.append(squashed_phrase(term))
        else:
            clause = term_clause(term, expand=False)
            if clause is not None:
                must_not.append(clause)
    return must, must_not


def squashed_phrase(term: Term) -> Q:
    """Return "the phrase's characters follow each other in the original text" (title only for 标题:)."""
    return Q("match_phrase", **{"title_squash" if term.field == "title" else "text_squash": squash(term.text)})


def phrase_checks(query: Query) -> list[Q]:
    """Return the filters that check each quoted phrase standing alone in its group in the original
    text (mirrors ``fts5_query.phrase_conditions``): the sloppy token phrase finds and scores the
    candidates, this keeps those where the phrase really is written."""
    return [squashed_phrase(group[0]) for group in query.groups if _verified(group) and squash(group[0].text)]


def _sort(sort: Sort) -> list:
    if sort in ("date", "date_desc"):
        return [{"date": {"order": "desc", "missing": "_last"}}, "_score"]
    if sort == "date_asc":
        return [{"date": {"order": "asc", "missing": "_last"}}, "_score"]
    return ["_score", {"date": {"order": "desc", "missing": "_last"}}]


def build_search(query: Query, filters: Filters | None = None, sort: Sort = "relevance", offset: int = 0,
                 limit: int = 20, facets: Iterable[str] = (), index: str = "portal") -> Search | None:
    """Return the elasticsearch-dsl ``Search`` for one page of results (None: nothing can match).

    Runs nothing: ``.to_dict()`` is the request body.
    """
    filters = filters or Filters()
    must, must_not = text_clauses(query)
    if query.has_terms and not must:
        return None
    shoulds = []
    joined = query.joined_text() if must else ""
    if must:
        title_is_query = title_key(joined) if joined else ""
        text = Q("bool", must=must,
                 should=[Q("constant_score", filter=Q("term", title_key=title_is_query), boost=TITLE_IS_QUERY_BOOST)]
                 if title_is_query else [])
        number = doc_number_key(joined) if joined else ""
        # A document whose 发文字号 is exactly the query matches even when its text does not
        # (typed with 第, or with brackets the segmenter drops).
        main = (Q("bool", should=[text, Q("constant_score", filter=Q("term", doc_number_key=number),
                                          boost=DOC_NUMBER_BOOST)], minimum_should_match=1)
                if number else text)
        shoulds.append(main)
    # Multi-select facets: the facet choices are a post_filter (hits and count), and each facet counts
    # under every choice but its own.  Scope and every other filter stay in the query: no facet,
    # count or aggregation ever sees an invisible document.
    chosen = facet_clauses(filters)
    core = Q("bool", must=shoulds or [Q("match_all")],
             filter=filter_clauses(query, filters, facets=False) + phrase_checks(query), must_not=must_not)
    # The validity weights exclude each other (one validity per document), so multiplying them
    # with the penalty weight is the same as taking the first validity weight that applies.
    functions = [{"filter": Q("term", validity=label).to_dict(), "weight": weight}
                 for label, weight in VALIDITY_WEIGHTS.items() if weight != 1.0]
    if query.penalty:
        functions += [{"filter": clause.to_dict(), "weight": weight}
                      for clause, weight in zip(penalty_clauses(), PENALTY_WEIGHTS, strict=True)]
    scored = Q("function_score", query=core, score_mode="multiply" if query.penalty else "first",
               boost_mode="multiply", functions=functions)
    offset, limit = max(0, int(offset)), max(0, int(limit))
    search = (Search(index=index).query(scored).sort(*_sort(sort)).source(excludes=EXCLUDED_SOURCE)
              .extra(track_total_hits=True, track_scores=True, from_=offset, size=limit))
    if chosen:
        search = search.post_filter(Q("bool", filter=list(chosen.values())))
    if query.collapse:
        # One hit per document (its best member), its best articles/rows as inner hits; the count
        # and every facet count documents (cardinality of parent_id), not articles.
        search = search.extra(collapse={"field": "parent_id", "inner_hits": {
            "name": "children", "size": CHILDREN_PER_HIT + 1, "sort": _sort(sort),
            "_source": {"excludes": EXCLUDED_SOURCE}}})
        search.aggs.bucket("documents", _under(list(chosen.values()))).metric(
            "documents", A("cardinality", field="parent_id", precision_threshold=CARDINALITY_PRECISION))
    for name in facets:
        if name not in FACET_FIELDS:
            raise ValueError(f"不支持的分面字段：{name}")
        others = [clause for field, clause in chosen.items() if field != name]
        bucket = search.aggs.bucket(name, _under(others)).bucket("values", A("terms", field=name, size=FACET_SIZE))
        if query.collapse:
            bucket.metric("documents", A("cardinality", field="parent_id", precision_threshold=CARDINALITY_PRECISION))
    return search


def _under(clauses: list[Q]) -> A:
    """Return a filter aggregation that keeps the matches passing ``clauses`` (all of them, or none)."""
    return A("filter", Q("bool", filter=clauses) if clauses else Q("match_all"))


def penalty_clauses() -> tuple[Q, Q]:
    """Return the filters of a strong and of a weak penalty provision (mirrors ``penalty_level``):
    an article/row in a 法律责任 / 罚则 chapter or saying 违反…规定…罚款; one naming a 罚款 or 处罚."""
    member = Q("terms", kind=["article", "row"])
    strong = Q("bool", filter=[member], should=[
        *(_contains("chapter", word) for word in PENALTY_CHAPTERS),
        Q("bool", filter=[Q("match", body_seg="违反"), Q("match", body_seg="规定"), Q("match", body_seg="罚款")])],
        minimum_should_match=1)
    weak = Q("bool", filter=[member], should=[Q("match", body_seg="罚款"), Q("match", body_seg="处罚")],
             minimum_should_match=1)
    return strong, weak


def build_suggest(prefix: str, filters: Filters | None = None, limit: int = 10, index: str = "portal") -> Search:
    """Return the ``Search`` for titles starting with (boosted) or containing ``prefix``."""
    key = normalize(prefix or "").strip()[:50]
    text = Q("bool", should=[Q("prefix", title_norm={"value": key, "boost": 2.0}), _contains("title_norm", key)],
             minimum_should_match=1)
    return (Search(index=index).query(Q("bool", must=[text], filter=filter_clauses(None, filters or Filters())))
            .source(["title", "title_norm"]).extra(size=max(0, int(limit)) * 5))


def collapsed(top: Hit, members: list[Hit], group_ids: list[int] | None) -> Hit:
    """Return one document's hit from its collapse group: the page's own hit when it matched (else the
    best member), the best other articles/rows beneath it, and the concepts any member covers."""
    members = members or [top]
    parent = next((m for m in members if "#" not in m.id and (m.fields.get("extra") or {}).get("kind", "page") == "page"),
                  top)
    parent.score = max(top.score, parent.score)
    parent.children = [m for m in members if m.id != parent.id][:CHILDREN_PER_HIT]
    if group_ids is not None:
        covered = {i for m in [top, *members] for i in (m.covered or ())}
        parent.covered = tuple(i for i in group_ids if i in covered)
    return parent


def _unavailable(func: Callable) -> Callable:
    """Turn the adapter's ``EngineError`` into ``SearchUnavailable``.

    After a connection failure the backend stays "down" for ``cooldown`` seconds and fails at once,
    so that an unreachable cluster costs one timeout, not one per request (publishing, the search
    page and the rest of the site stay fast); the first call after that tries again.
    """

    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):

        if time.monotonic() < self._down_until:
            raise SearchUnavailable(f"{self.product_label} 暂不可用（稍后自动重试）")
        try:
            return func(self, *args, **kwargs)
        except (IndexNotFound, SearchUnavailable):
            raise
        except EngineError as exc:
            # Unreachable (connection refused, timeout, TLS), overloaded (429) or failing (5xx): cool down.
            if exc.unreachable or (exc.status or 500) >= 500 or exc.status == 429:
                self._down_until = time.monotonic() + self.cooldown
            raise SearchUnavailable(f"{self.product_label} {'不可用' if exc.unreachable else '出错'}：{exc}") from exc

    return wrapper


class BulkFailed(EngineError):
    """Some actions of a bulk request failed (their first error is the message)."""


class ElasticsearchBackend(SearchBackend):
    """Elasticsearch 8 or OpenSearch 2.x behind the alias ``index`` (versioned indices ``<index>-v<N>``).

    ``product`` chooses the client ("elasticsearch" or "opensearch"); ``client`` may instead be an
    ``EngineClient`` (or a raw elasticsearch-py client, wrapped) made by the caller.
    """

    name = "elasticsearch"

    def __init__(self, url: str | None = None, index: str = "portal", client=None, timeout: float = 5.0,
                 refresh: bool | str = "wait_for", cooldown: float = 15.0, product: str = "elasticsearch"):
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", index):
            raise ValueError(f"索引名不合法：{index!r}")
        if client is None:
            # Several nodes of one cluster may be named, comma-separated: the client spreads requests
            # over them and skips a node that is down.
            client = connect(product, url, timeout)
        elif not isinstance(client, EngineClient):
            client = ElasticsearchClient(client)
        self.client: EngineClient = client
        self.name = client.product
        self.product_label = {"opensearch": "OpenSearch"}.get(client.product, "Elasticsearch")
        self.alias = index
        self.next_alias = f"{index}-next"
        self.refresh = refresh
        self.cooldown = cooldown
        self._down_until = 0.0

    # -- index management ----------------------------------------------------------------------

    def _versioned(self) -> dict[str, set[str]]:
        """Return {versioned index: its aliases} in one request."""
        return {name: aliases for name, aliases in self.client.aliases(f"{self.alias}-v*").items()
                if re.fullmatch(rf"{re.escape(self.alias)}-v\d+", name)}

    def _indices(self, alias: str) -> list[str]:
        return sorted(name for name, aliases in self._versioned().items() if alias in aliases)

    def _versions(self) -> list[int]:
        return sorted(int(name.rsplit("-v", 1)[1]) for name in self._versioned())

    def _create_version(self) -> str:
        version = max(self._versions(), default=0) + 1
        name = f"{self.alias}-v{version}"
        body = index_body()
        body["mappings"]["_meta"] = {"dictionary": segmenter_info()["dictionary"], "schema": SCHEMA_VERSION}
        self.client.create_index(name, body)
        return name

    @_unavailable
    def ensure_index(self) -> None:
        """Create the first version behind the alias when there is none (idempotent)."""
        if not self._indices(self.alias):
            name = self._create_version()
            self.client.update_aliases([{"add": {"index": name, "alias": self.alias}}])

    def drop_indices(self) -> None:
        """Delete every version of this alias, each by its name (``action.destructive_requires_name``)."""
        for name in sorted(self._versioned()):
            self.client.delete_index(name)

    # -- writing -------------------------------------------------------------------------------

    @staticmethod
    def _content_hash(doc: IndexDoc) -> str:
        fields = [str(getattr(doc, f)) for f in IndexDoc.__dataclass_fields__ if f != "extra"]
        fields.append(json.dumps(doc.extra, sort_keys=True, ensure_ascii=False, default=str))
        return hashlib.sha1("\x1f".join(fields).encode()).hexdigest()

    @staticmethod
    def to_source(doc: IndexDoc, body_seg: str | None = None) -> dict[str, Any]:
        """Return the ``_source`` of one document (segmenting here unless ``body_seg`` is given)."""
        return SearchDocument(
            doc_id=doc.id, page_id=doc.page_id, url=doc.url, title=doc.title, doc_number=doc.doc_number,
            body=doc.body, keywords=doc.keywords, category=doc.category, department=doc.department,
            validity=doc.validity, scope=doc.scope, owner_department=doc.owner_department,
            date=doc.date.isoformat() if doc.date else None, year=doc.year, extra=doc.extra,
            parent_id=parent_id(doc), kind=(doc.extra or {}).get("kind") or "page",
            chapter=(doc.extra or {}).get("chapter") or "",
            title_key=title_key(doc.title), title_norm=normalize(doc.title), doc_number_key=doc_number_key(doc.doc_number),
            content_hash=ElasticsearchBackend._content_hash(doc),
            title_seg=segment_for_fts(doc.title), doc_number_seg=segment_for_fts(doc.doc_number),
            keywords_seg=segment_for_fts(doc.keywords),
            body_seg=segment_for_fts(doc.body) if body_seg is None else body_seg,
            title_squash=squash(doc.title),
            text_squash=[squash(doc.title), squash(doc.doc_number), squash(doc.keywords), squash(doc.body)],
        ).to_dict(skip_empty=False)

    def _sources(self, docs: list[IndexDoc]) -> list[tuple[IndexDoc, dict]]:
        bodies = segment_many([d.body for d in docs])
        return [(doc, self.to_source(doc, body_seg)) for doc, body_seg in zip(docs, bodies, strict=True)]

    def _upserts(self, sources: list[tuple[IndexDoc, dict]]) -> list[dict]:
        """Return the bulk lines: per document, a scripted upsert to the live alias and one to the next."""
        lines: list[dict] = []
        for doc, source in sources:
            script = {"script": {"source": UPSERT_SCRIPT, "lang": "painless", "params": {"doc": source}},
                      "scripted_upsert": True, "upsert": {}}
            for alias in (self.alias, self.next_alias):
                lines += [{"update": {"_index": alias, "_id": doc.id, "require_alias": True, "retry_on_conflict": 3}},
                          script]
        return lines

    def _bulk(self, lines: list[dict], refresh) -> list[dict]:
        """Send one bulk request; return its items (one per action, in order)."""
        if not lines:
            return []
        return self.client.bulk(lines, refresh)["items"]

    @staticmethod
    def _missing_alias(item: dict) -> bool:
        error = item.get("error") or {}
        return item.get("status") == 404 or "index_not_found" in str(error.get("type", ""))

    @_unavailable
    def index_documents(self, docs: Iterable[IndexDoc]) -> int:
        """Add or replace the documents, each batch of ``BULK_CHUNK`` in one bulk request; return how many
        were written (new or changed: a document whose ``content_hash`` is unchanged is skipped)."""
        docs = list({d.id: d for d in docs}.values())
        written = 0
        for start in range(0, len(docs), BULK_CHUNK):
            written += self._upsert_batch(self._sources(docs[start:start + BULK_CHUNK]))
        return written

    def _upsert_batch(self, sources: list[tuple[IndexDoc, dict]], first: bool = True) -> int:
        lines = self._upserts(sources)
        items = [next(iter(item.values())) for item in self._bulk(lines, self.refresh)]
        live, nxt = items[0::2], items[1::2]
        if first and any(self._missing_alias(item) for item in live):
            self.ensure_index()  # the very first write: no index yet
            return self._upsert_batch(sources, first=False)
        failed = [item for item in live if item.get("error")] + [
            item for item in nxt if item.get("error") and not self._missing_alias(item)]
        if failed:
            raise BulkFailed(f"{len(failed)} 个文档写入失败：{failed[0]['error']}", status=failed[0].get("status"))
        return sum(item.get("result") in ("created", "updated") for item in live)

    @_unavailable
    def replace_page(self, page_id: int, docs: Iterable[IndexDoc]) -> int:
        """Make the page's documents exactly ``docs``: upsert them (unchanged ones are skipped), then
        remove the page's others.  Readers never see the page missing.  Returns how many were written."""
        docs = list({d.id: d for d in docs}.values())
        written = self.index_documents(docs) if docs else 0
        stale = Q("bool", filter=[Q("term", page_id=int(page_id))], must_not=[Q("ids", values=[d.id for d in docs])]
                  if docs else [])
        self._delete_where(stale)
        return written

    @_unavailable
    def delete_documents(self, ids: Iterable[str]) -> int:
        """Remove the documents with these ids; return how many went."""
        ids = list(ids)
        if not ids:
            return 0
        return self._delete_where(Q("ids", values=ids))

    @_unavailable
    def delete_page(self, page_id: int) -> int:
        """Remove every document of one page; return how many went."""
        return self._delete_where(Q("term", page_id=int(page_id)))

    def _delete_where(self, clause: Q) -> int:
        """Delete matches from the live index and, during a rebuild, the next one, in one request.

        Returns how many went (during a rebuild, counted in both indices)."""
        try:
            response = self.client.delete_by_query(f"{self.alias},{self.next_alias}", clause.to_dict(),
                                                   refresh=bool(self.refresh))
        except IndexNotFound:
            return 0
        return response.get("deleted", 0)

    @_unavailable
    def clear(self) -> None:
        """Point the alias at a new, empty version and drop the old ones."""
        self.rebuild([])

    @_unavailable
    def rebuild(self, docs: Iterable[IndexDoc], progress: Callable[[int], None] | None = None,
                batch: int = 2000) -> int:
        """Fill a new index version with ``docs``, then swap the alias to it atomically.

        Searches keep using the old version until the swap; writes made meanwhile reach both.
        Returns the number of documents written.
        """
        name = self._create_version()
        self.client.update_aliases([{"add": {"index": name, "alias": self.next_alias}}])
        written = 0
        try:
            pending: list[IndexDoc] = []

            def flush():
                nonlocal written
                if pending:
                    for start in range(0, len(pending), BULK_CHUNK):
                        chunk = self._sources(pending[start:start + BULK_CHUNK])
                        lines = [line for doc, source in chunk
                                 for line in ({"index": {"_index": name, "_id": doc.id}}, source)]
                        items = [next(iter(item.values())) for item in self._bulk(lines, False)]
                        failed = [item for item in items if item.get("error")]
                        if failed:
                            raise BulkFailed(f"{len(failed)} 个文档写入失败：{failed[0]['error']}")
                        written += len(items)
                    if progress:
                        progress(len(pending))
                    pending.clear()

            for doc in docs:
                pending.append(doc)
                if len(pending) >= batch:
                    flush()
            flush()
            self.client.refresh(name)
        except BaseException:
            self.client.delete_index(name)
            raise
        old = self._indices(self.alias)
        actions = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        actions += [{"add": {"index": name, "alias": self.alias}}, {"remove": {"index": name, "alias": self.next_alias}}]
        self.client.update_aliases(actions)
        for o in old:
            self.client.delete_index(o)
        return written

    # -- reading -------------------------------------------------------------------------------

    @_unavailable
    def search(self, query: Query, filters: Filters | None = None, sort: Sort = "relevance", offset: int = 0,
               limit: int = 20, facets: Iterable[str] = ()) -> SearchResults:
        """Run the query now: count, one page of hits with snippets, facets (see base)."""

        facets = list(facets)
        search = build_search(query, filters, sort, offset, limit, facets, index=self.alias)
        empty = SearchResults(0, [], {f: [] for f in facets}, list(query.notices))
        if search is None:
            return empty
        try:
            response = self.client.search(self.alias, search.to_dict())
        except IndexNotFound:
            return empty  # no index yet: nothing was ever indexed
        terms = highlight_terms(query)
        group_ids = [i for i, _c in group_clauses(query)] if query.any_group else []

        def make_hit(raw: dict) -> Hit:
            source = raw.get("_source", {})
            fields = {name: source.get(name) for name in STORED_FIELDS}
            fields["id"] = fields.pop("doc_id") or raw["_id"]
            fields["extra"] = fields["extra"] or {}
            fields["date"] = dt.date.fromisoformat(fields["date"]) if fields["date"] else None
            body = source.get("body") or ""
            named = set(raw.get("matched_queries") or ())
            return Hit(score=float(raw.get("_score") or 0.0), id=fields["id"], fields=fields,
                       snippet=make_snippet(body, terms), title_html=highlight(fields["title"] or "", terms),
                       text=body, covered=tuple(i for i in group_ids if f"g{i}" in named) if query.any_group else None)

        hits = []
        for raw in response["hits"]["hits"]:
            hit = make_hit(raw)
            if query.collapse:
                members = [make_hit(r) for r in raw.get("inner_hits", {}).get("children", {}).get("hits", {})
                           .get("hits", [])]
                hit = collapsed(hit, members, group_ids if query.any_group else None)
            hits.append(hit)
        aggregations = response.get("aggregations", {})
        facet_counts = {}
        for name in facets:
            buckets = aggregations.get(name, {}).get("values", {}).get("buckets", [])
            pairs = [(b["key"], b["documents"]["value"] if query.collapse and "documents" in b else b["doc_count"])
                     for b in buckets if b["key"] not in (None, "")]
            facet_counts[name] = sorted(pairs, key=lambda item: (-item[1], str(item[0])))
        count = response["hits"]["total"]["value"]
        if query.collapse and "documents" in aggregations:
            count = aggregations["documents"]["documents"]["value"]
        return SearchResults(count, hits, facet_counts, list(query.notices))

    @_unavailable
    def suggest(self, prefix: str, filters: Filters | None = None, limit: int = 10) -> list[str]:
        """Return visible titles starting with ``prefix`` first, then titles containing it."""

        key = normalize(prefix or "").strip()[:50]
        if not key or limit <= 0:
            return []
        try:
            response = self.client.search(self.alias, build_suggest(key, filters, limit, self.alias).to_dict())
        except IndexNotFound:
            return []
        titles = {h["_source"].get("title") or "": h["_source"].get("title_norm") or "" for h in response["hits"]["hits"]}
        ranked = sorted((t for t in titles if t), key=lambda t: (not titles[t].startswith(key), len(t), t))
        return ranked[:limit]

    @_unavailable
    def stats(self) -> dict[str, Any]:
        """Return backend name, document count, live index version and the segmenter facts."""

        info = segmenter_info()
        indices = self._indices(self.alias)
        count, built_with, schema = 0, None, SCHEMA_VERSION
        if indices:
            try:
                count = self.client.count(self.alias)
                mapping = self.client.get_mapping(indices[0])[indices[0]]["mappings"]
                built_with = mapping.get("_meta", {}).get("dictionary")
                schema = mapping.get("_meta", {}).get("schema")
            except IndexNotFound:
                pass
        return {"backend": self.name, "documents": count, "index": indices[0] if indices else None,
                "segmenter": info["engine"], "dictionary": info["dictionary"], "index_dictionary": built_with,
                "needs_rebuild": bool(count) and (built_with != info["dictionary"] or schema != SCHEMA_VERSION)}

    def close(self) -> None:
        """Close the client's connections."""
        try:
            self.client.close()
        except Exception:  # noqa: BLE001 - closing must never fail a caller
            pass
