"""The embedded engine: SQLite FTS5 over jieba-segmented text, no server needed.

Tables (prefix ``searchidx``):

* ``searchidx_doc`` — one row per IndexDoc: original title/body/number (for display and snippets),
  metadata for filters and facets, ``title_key``/``doc_number_key`` for exact-match ranking, and the
  segmented columns ``*_seg``.  The segmented text is stored here and only here:
* ``searchidx_fts`` — an *external-content* FTS5 table over those ``*_seg`` columns: it keeps the
  inverted index only, reading text back from ``searchidx_doc`` if ever needed (``rebuild``).
  Triggers keep it in step with every insert, update and delete of ``searchidx_doc``.
  (SQLite ≥ 3.43 could use a contentless table with ``contentless_delete=1``; 3.40 cannot delete
  from a contentless table without the original values, which we would have to store anyway.)
* ``searchidx_key`` — a narrow copy, by rowid, of the columns filters, facets and ordering read
  (scope, category, department, validity, year, date, the exact-match keys), kept by the same
  triggers.  A search touches every match's row: in ``searchidx_doc`` those columns sit behind
  the long body in the row's overflow pages, so reading them there cost about 7 µs per match
  (200 ms for a common word over 135,000 documents); here they are a few dozen bytes.
* ``searchidx_meta`` — the dictionary fingerprint the index was built with, and the schema version.

Ranking, best first: exact 发文字号 match; title that *is* the query (see ``title_key``); then
``-bm25`` with column weights title 10, 文号 5, keywords 3, body 1, multiplied by the validity weight
(现行有效 1, 尚未生效 0.9, 已修订 0.6, 已废止 0.5); ties by newer date.  The service's ranking options
(``Query``): ``any_group`` — the groups OR-ed, documents covering more of them first (one MATCH
subquery per group gives the coverage); ``penalty`` — after the exact tiers and coverage, articles
and rows that punish (``base.penalty_level``: a 法律责任 / 罚则 chapter, 违反…规定…处…罚款) before
the rest; ``collapse`` — one hit per page (``page_id``), placed by its best member, its own page hit
shown with up to ``CHILDREN_PER_HIT`` best articles/rows beneath, counts and facets in documents.

A search is one SQL statement: the matches (FTS5 MATCH, filters, scope, phrase checks, ``bm25``)
are found once into a temporary table, then counted grouped by the facet fields and ranked for the
requested page (SQLite keeps the best ``offset + limit`` while it sorts).  Then one query fetches
the stored fields and text of the page of hits.  Quoted phrases are checked against
the original text (see ``fts5_query.phrase_conditions``).

A backend that opens its own file shares that connection between threads under a lock; given a
connection (Django's), it uses it from the calling thread only, as Django does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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
    Sort,
    doc_number_key,
    penalty_level,
    title_key,
)
from search.backends.fts5_query import compile_match, group_exprs, phrase_conditions, squash
from search.query import Query
from search.segment import normalize, segment_for_fts, segment_many, segmenter_info
from search.snippets import highlight, highlight_terms, make_snippet

COLUMN_WEIGHTS = {"title_seg": 10.0, "doc_number_seg": 5.0, "keywords_seg": 3.0, "body_seg": 1.0}
VALIDITY_WEIGHTS = {"现行有效": 1.0, "尚未生效": 0.9, "已修订": 0.6, "已废止": 0.5}
STORED = ("doc_id", "page_id", "url", "title", "doc_number", "category", "department", "validity", "scope",
          "owner_department", "date", "year", "extra")
SCHEMA_VERSION = "2"
# The narrow copy of what filters, facets and ordering read (see ``{prefix}_key`` in the docstring).
KEY_COLUMNS = ("page_id", "category", "department", "validity", "year", "scope", "owner_department", "date",
               "doc_number_key", "title_key")


def _escape_like(value: str) -> str:
    """Return ``value`` with the LIKE wildcards %, _ and the escape character \\ escaped."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(value: str) -> str:
    """Return a LIKE pattern (ESCAPE '\\') matching ``value`` anywhere."""
    return "%" + _escape_like(value) + "%"


def _penalty(doc_id: str | None, body: str | None, extra: str | None) -> int:
    """Return the ``penalty_level`` of an article or row (a whole page is never a penalty provision)."""
    if not doc_id or "#" not in doc_id:
        return 0
    chapter = ""
    if extra and any(word in extra for word in PENALTY_CHAPTERS):
        chapter = (json.loads(extra) or {}).get("chapter") or ""
    return penalty_level(body, chapter)


def facet_choices(filters: Filters) -> dict[str, list]:
    """Return the values chosen in the UI for each facet field (an empty list: no choice)."""
    return {"category": list(filters.categories), "department": list(filters.departments),
            "validity": list(filters.validities), "year": [int(y) for y in filters.years]}


def _passes(row: tuple, choices: dict[str, list], but: str | None = None) -> bool:
    """Return True when a row of FACET_FIELDS values passes every facet choice (except ``but``'s)."""
    return all(not values or row[FACET_FIELDS.index(name)] in values for name, values in choices.items() if name != but)


def _facet(groups: list[tuple], name: str, choices: dict[str, list] | None = None) -> list[tuple[Any, int]]:
    """Return (value, count) pairs of one facet, most frequent first, from the match counts grouped
    by every facet field (rows of FACET_FIELDS values then the count).

    Multi-select: a facet counts the matches that pass every other facet's choice, not its own, so
    choosing one department still shows the others' counts (Elasticsearch's post_filter)."""
    column = FACET_FIELDS.index(name)
    counts: Counter = Counter()
    for row in groups:
        if row[column] not in (None, "") and _passes(row, choices or {}, but=name):
            counts[row[column]] += row[-1]
    return sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))


class FTS5Backend(SearchBackend):
    """SQLite FTS5 backend on a given ``sqlite3.Connection`` or on a database file of its own."""

    name = "fts5"

    def __init__(self, connection: sqlite3.Connection | None = None, path: str | Path | None = None,
                 prefix: str = "searchidx"):
        if (connection is None) == (path is None):
            raise ValueError("FTS5Backend 需要 connection 或 path 二者之一")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", prefix):
            raise ValueError(f"表名前缀不合法：{prefix!r}")  # it becomes part of SQL statements
        self._owns_connection = connection is None
        if connection is None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
        self.conn = connection
        self.t = prefix
        self._lock = threading.RLock()
        self.ensure_schema()

    # -- schema --------------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the tables and triggers if they are missing (idempotent, cheap)."""
        t, seg = self.t, ", ".join(COLUMN_WEIGHTS)
        new_seg = ", ".join(f"new.{c}" for c in COLUMN_WEIGHTS)
        old_seg = ", ".join(f"old.{c}" for c in COLUMN_WEIGHTS)
        keys, new_keys = ", ".join(KEY_COLUMNS), ", ".join(f"new.{c}" for c in KEY_COLUMNS)
        statements = [
            f"""CREATE TABLE IF NOT EXISTS {t}_doc (
                rowid INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, page_id INTEGER, url TEXT,
                title TEXT, doc_number TEXT, body TEXT, keywords TEXT, category TEXT, department TEXT,
                validity TEXT, scope TEXT, owner_department TEXT, date TEXT, year INTEGER, extra TEXT,
                title_key TEXT, title_norm TEXT, doc_number_key TEXT, content_hash TEXT,
                title_seg TEXT, doc_number_seg TEXT, keywords_seg TEXT, body_seg TEXT)""",
            f"CREATE INDEX IF NOT EXISTS {t}_doc_page ON {t}_doc(page_id)",
            f"CREATE INDEX IF NOT EXISTS {t}_doc_date ON {t}_doc(date)",
            f"CREATE INDEX IF NOT EXISTS {t}_doc_number ON {t}_doc(doc_number_key)",
            f"""CREATE VIRTUAL TABLE IF NOT EXISTS {t}_fts USING fts5({seg}, content='{t}_doc',
                content_rowid='rowid', tokenize="unicode61 remove_diacritics 0 tokenchars '.%'")""",
            f"CREATE TABLE IF NOT EXISTS {t}_meta (key TEXT PRIMARY KEY, value TEXT)",
            f"CREATE TABLE IF NOT EXISTS {t}_key (rowid INTEGER PRIMARY KEY, {', '.join(KEY_COLUMNS)})",
            f"""CREATE TRIGGER IF NOT EXISTS {t}_doc_key_ai AFTER INSERT ON {t}_doc BEGIN
                INSERT INTO {t}_key(rowid, {keys}) VALUES (new.rowid, {new_keys}); END""",
            f"""CREATE TRIGGER IF NOT EXISTS {t}_doc_key_ad AFTER DELETE ON {t}_doc BEGIN
                DELETE FROM {t}_key WHERE rowid = old.rowid; END""",
            f"""CREATE TRIGGER IF NOT EXISTS {t}_doc_key_au AFTER UPDATE ON {t}_doc BEGIN
                DELETE FROM {t}_key WHERE rowid = old.rowid;
                INSERT INTO {t}_key(rowid, {keys}) VALUES (new.rowid, {new_keys}); END""",
            f"""CREATE TRIGGER IF NOT EXISTS {t}_doc_ai AFTER INSERT ON {t}_doc BEGIN
                INSERT INTO {t}_fts(rowid, {seg}) VALUES (new.rowid, {new_seg}); END""",
            f"""CREATE TRIGGER IF NOT EXISTS {t}_doc_ad AFTER DELETE ON {t}_doc BEGIN
                INSERT INTO {t}_fts({t}_fts, rowid, {seg}) VALUES ('delete', old.rowid, {old_seg}); END""",
            f"""CREATE TRIGGER IF NOT EXISTS {t}_doc_au AFTER UPDATE ON {t}_doc BEGIN
                INSERT INTO {t}_fts({t}_fts, rowid, {seg}) VALUES ('delete', old.rowid, {old_seg});
                INSERT INTO {t}_fts(rowid, {seg}) VALUES (new.rowid, {new_seg}); END""",
        ]
        with self._write():
            for sql in statements:
                self.conn.execute(sql)
            if self._meta("schema") != SCHEMA_VERSION:  # an index built before the key table: fill it
                self.conn.execute(f"INSERT OR REPLACE INTO {t}_key(rowid, {keys}) SELECT rowid, {keys} FROM {t}_doc")
                self.conn.execute(f"INSERT OR REPLACE INTO {t}_meta VALUES ('schema', ?)", (SCHEMA_VERSION,))

    @contextlib.contextmanager
    def _write(self):
        """Run the block in a SAVEPOINT: its own transaction, or nested in the caller's (Django atomic)."""
        with self._lock:
            self.conn.execute("SAVEPOINT searchidx_write")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK TO searchidx_write")
                raise
            finally:
                self.conn.execute("RELEASE searchidx_write")

    def _meta(self, key: str) -> str | None:
        row = self.conn.execute(f"SELECT value FROM {self.t}_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- writing -------------------------------------------------------------------------------

    def index_documents(self, docs: Iterable[IndexDoc]) -> int:
        """Add or replace the documents; return how many rows changed (unchanged ones are skipped).

        A document whose fields and dictionary fingerprint hash to the stored ``content_hash`` is not
        segmented again, so a full reindex after a small edit costs little.
        """
        fingerprint = segmenter_info()["dictionary"]
        docs = list(docs)
        hashes = {d.id: self._content_hash(d, fingerprint) for d in docs}
        with self._lock:
            known = dict(self.conn.execute(
                f"SELECT doc_id, content_hash FROM {self.t}_doc WHERE doc_id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(hashes)),)).fetchall())
        todo = list({d.id: d for d in docs if known.get(d.id) != hashes[d.id]}.values())
        bodies = segment_many([d.body for d in todo])
        rows = []
        for doc, body_seg in zip(todo, bodies, strict=True):
            rows.append((
                doc.id, doc.page_id, doc.url, doc.title, doc.doc_number, doc.body, doc.keywords, doc.category,
                doc.department, doc.validity, doc.scope, doc.owner_department,
                doc.date.isoformat() if doc.date else None, doc.year, json.dumps(doc.extra, ensure_ascii=False),
                title_key(doc.title), normalize(doc.title), doc_number_key(doc.doc_number), hashes[doc.id],
                segment_for_fts(doc.title), segment_for_fts(doc.doc_number), segment_for_fts(doc.keywords), body_seg,
            ))
        columns = (STORED[:5] + ("body", "keywords") + STORED[5:] + ("title_key", "title_norm", "doc_number_key",
                   "content_hash") + tuple(COLUMN_WEIGHTS))
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        with self._write():
            if not self.conn.execute(f"SELECT 1 FROM {self.t}_doc LIMIT 1").fetchone():
                self.conn.execute(f"INSERT OR REPLACE INTO {self.t}_meta VALUES ('dictionary', ?)", (fingerprint,))
            self.conn.executemany(
                f"INSERT INTO {self.t}_doc ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
                f"ON CONFLICT(doc_id) DO UPDATE SET {updates}", rows)
        return len(rows)

    @staticmethod
    def _content_hash(doc: IndexDoc, fingerprint: str) -> str:
        fields = [fingerprint, *(str(getattr(doc, f)) for f in IndexDoc.__dataclass_fields__ if f != "extra")]
        fields.append(json.dumps(doc.extra, sort_keys=True, ensure_ascii=False, default=str))
        return hashlib.sha1("\x1f".join(fields).encode()).hexdigest()

    def delete_documents(self, ids: Iterable[str]) -> int:
        """Remove the documents with these ids; return how many rows were deleted."""
        with self._write():
            cur = self.conn.execute(f"DELETE FROM {self.t}_doc WHERE doc_id IN (SELECT value FROM json_each(?))",
                                    (json.dumps(list(ids)),))
        return cur.rowcount

    def delete_page(self, page_id: int) -> int:
        """Remove the page's own document and its article/row documents; return how many went."""
        with self._write():
            cur = self.conn.execute(f"DELETE FROM {self.t}_doc WHERE page_id = ?", (page_id,))
        return cur.rowcount

    def clear(self) -> None:
        """Drop every document and forget the dictionary fingerprint (set again by the next index run)."""
        with self._write():
            self.conn.execute(f"DELETE FROM {self.t}_doc")
            self.conn.execute(f"DELETE FROM {self.t}_key")
            self.conn.execute(f"INSERT INTO {self.t}_fts({self.t}_fts) VALUES ('delete-all')")
            self.conn.execute(f"DELETE FROM {self.t}_meta WHERE key = 'dictionary'")

    def optimize(self) -> None:
        """Merge the FTS5 b-tree segments into one (FTS5 'optimize'): ~5 % smaller, fewer pages per term."""
        with self._write():
            self.conn.execute(f"INSERT INTO {self.t}_fts({self.t}_fts) VALUES ('optimize')")

    # -- reading -------------------------------------------------------------------------------

    def _where(self, query: Query | None, filters: Filters, facets: bool = True) -> tuple[list[str], list[Any]]:
        """Return SQL conditions on alias ``d`` and their parameters: UI filters (the facet choices
        only with ``facets``), typed field filters and — always — the sharing-scope restriction."""
        where: list[str] = []
        params: list[Any] = []

        def add(condition: str, *values: Any) -> None:
            where.append(condition)
            params.extend(values)

        chosen = list(facet_choices(filters).items()) if facets else []
        for column, values in (*chosen, ("page_id", filters.page_ids)):
            if values:
                add(f"d.{column} IN ({', '.join('?' * len(values))})", *values)
        if filters.date_from:
            add("d.date >= ?", filters.date_from.isoformat())
        if filters.date_to:
            add("d.date <= ?", filters.date_to.isoformat())
        allowed = list(filters.allowed_scopes) or ["\x00"]  # an empty tuple allows nothing
        owner_only = list(OWNER_ONLY_SCOPES)
        add(f"d.scope IN ({', '.join('?' * len(allowed))}) AND (d.scope NOT IN ({', '.join('?' * len(owner_only))}) "
            f"OR (d.owner_department = ? AND d.owner_department <> '') OR ?)",
            *allowed, *owner_only, filters.viewer_department or "\x00", int(bool(filters.all_departments)))
        for name, values in (query.filters if query else {}).items():
            conds, values_sql = [], []
            for value in values:
                if name == "doc_number":
                    conds.append("d.doc_number_key LIKE ? ESCAPE '\\'")
                    values_sql.append(_like(doc_number_key(value)))
                elif name == "department":
                    for alias in sorted(synonyms.expand(value)):
                        conds.append("d.department LIKE ? ESCAPE '\\'")
                        values_sql.append(_like(alias))
                elif name == "category":
                    conds.append("d.category LIKE ? ESCAPE '\\'")
                    values_sql.append(_like(CATEGORY_LABELS.get(value, value)))
                elif name == "validity":
                    conds.append("d.validity = ?")
                    values_sql.append(VALIDITY_LABELS.get(value, value))
                elif name == "year":
                    first, _, last = value.partition("-")
                    conds.append("d.year BETWEEN ? AND ?")
                    values_sql += [int(first), int(last or first)]
            if conds:
                add("(" + " OR ".join(conds) + ")", *values_sql)
        return where, params

    def search(self, query: Query, filters: Filters | None = None, sort: Sort = "relevance", offset: int = 0,
               limit: int = 20, facets: Iterable[str] = ()) -> SearchResults:
        """Run the query now: count, one page of hits with snippets, and facet counts (see base).

        Relevance order: exact 发文字号, then a title that is the query, then score (``-bm25`` ×
        validity weight), then newer date.  Without query terms the score is the validity weight.
        Date order: dated documents first, by date, then score.  Ties by index order (rowid).
        """
        filters = filters or Filters()
        facets = list(facets)
        for name in facets:
            if name not in FACET_FIELDS:
                raise ValueError(f"不支持的分面字段：{name}")
        match, exclude = compile_match(query)
        if query.has_terms and not match:
            return SearchResults(0, [], {f: [] for f in facets}, list(query.notices))
        # The facet choices select the hits (``sel``), not the matches: the facets count past them.
        where, params = self._where(query, filters, facets=False)
        choices = facet_choices(filters)
        chosen = [(f"d.{name} IN ({', '.join('?' * len(values))})", values) for name, values in choices.items() if values]
        sel = " AND ".join(c for c, _v in chosen) or "1"
        sel_params = [v for _c, values in chosen for v in values]
        t = self.t
        if exclude:
            where.append(f"d.rowid NOT IN (SELECT rowid FROM {t}_fts WHERE {t}_fts MATCH ?)")
            params.append(exclude)
        # In the fallback a quoted phrase is one concept among others, never a condition on all.
        checks, check_params = phrase_conditions(dataclasses.replace(query, groups=[]) if query.any_group else query,
                                                 alias="x")
        needs_text = bool(checks) or query.collapse or query.penalty
        text_join = f" JOIN {t}_doc x ON x.rowid = d.rowid" if needs_text else ""
        where += checks
        params += check_params
        condition = " AND ".join(where)
        joined = query.joined_text()
        number_key = doc_number_key(joined) if joined else ""
        validity = " ".join(f"WHEN '{label}' THEN {weight}" for label, weight in VALIDITY_WEIGHTS.items())
        weight = f"(CASE d.validity {validity} ELSE 1.0 END)"
        weights = ", ".join(str(w) for w in COLUMN_WEIGHTS.values())
        undated = "(d.date IS NULL OR d.date = '')"

        def matches(columns: str, column_params: list[Any], ranked: bool) -> tuple[str, list[Any]]:
            """SELECT ``columns`` (alias ``m.bm``: the bm25 score) of every visible match, and its parameters."""
            if not match:
                return (f"SELECT {columns} FROM (SELECT 1.0 AS bm) AS m, {t}_key d{text_join} WHERE {condition}",
                        [*column_params, *params])
            bm = f"-bm25({t}_fts, {weights})" if ranked else "0.0"
            found = (f"SELECT {columns} FROM (SELECT rowid AS rid, {bm} AS bm FROM {t}_fts WHERE {t}_fts MATCH ?) AS m "
                     f"JOIN {t}_key d ON d.rowid = m.rid{text_join} WHERE {condition}")
            # A document whose 发文字号 is exactly the query joins the matches even when its text does
            # not match (周政办字[2018]第18号 typed with 第, or brackets the segmenter drops); it scores 0.
            by_number = (f"SELECT {columns} FROM (SELECT 0.0 AS bm) AS m, {t}_key d{text_join} "
                         f"WHERE d.doc_number_key = ? AND d.doc_number_key <> '' AND NOT EXISTS "
                         f"(SELECT 1 FROM {t}_fts WHERE {t}_fts MATCH ? AND rowid = d.rowid) AND {condition}")
            if not any(c.isdigit() for c in number_key):  # a 发文字号 always has its year and number
                return found, [*column_params, match, *params]
            return (f"{found} UNION ALL {by_number}",
                    [*column_params, match, *params, *column_params, number_key, match, *params])

        fields = ", ".join(FACET_FIELDS)
        tier, tier_params = "0", []
        if match and joined:
            tier = "((d.doc_number_key = ? AND d.doc_number_key <> '') * 2 + (d.title_key = ?))"
            tier_params = [number_key or "\x00", title_key(joined) or "\x00"]
        # The fallback (any group matches): how many of the query's groups a document covers, and which.
        cover, mask, cover_params = "0", "0", []
        if query.any_group and match:
            parts = [(f"(d.rowid IN (SELECT rowid FROM {t}_fts WHERE {t}_fts MATCH ?))", i, expr)
                     for i, expr in group_exprs(query)]
            cover = "(" + " + ".join(p for p, _i, _e in parts) + ")"
            mask = "(" + " + ".join(f"{p} * {1 << i}" for p, i, _e in parts) + ")"
            cover_params = [e for _p, _i, e in parts] * 2
        # A 怎么罚 question: provisions that punish first (see ``penalty_level``); never the whole law.
        pen = "searchidx_penalty(x.doc_id, x.body, x.extra)" if query.penalty else "0"
        gkey = "COALESCE(d.page_id, -d.rowid)" if query.collapse else "d.rowid"
        is_page = "(instr(x.doc_id, '#') = 0)" if query.collapse else "1"
        inner, inner_params = matches(f"d.rowid AS rid, m.bm * {weight} AS score, {tier} AS tier, {undated} AS undated, "
                                      f"d.date AS date, {cover} AS cover, {mask} AS mask, {pen} AS pen, "
                                      f"{gkey} AS gkey, {is_page} AS is_page, ({sel}) AS sel, "
                                      f"{', '.join(f'd.{f}' for f in FACET_FIELDS)}",
                                      [*tier_params, *cover_params, *sel_params], ranked=True)
        if sort in ("date", "date_desc", "date_asc"):
            order = f"undated, date {'ASC' if sort == 'date_asc' else 'DESC'}, score DESC, rid"
        else:
            order = "tier DESC, cover DESC, pen DESC, score DESC, undated, date DESC, rid"
        # One statement: the matches are found (MATCH, scope, phrase checks, bm25) once, kept in a
        # temporary table, then counted by facet values (documents, not articles, when collapsed)
        # and ranked for the requested page.  Collapsed, a page is one of documents: each document's
        # best member decides its place, and its members up to CHILDREN_PER_HIT (and its own page
        # hit) come back beneath it.
        nulls = ", ".join("NULL" for _ in FACET_FIELDS)
        offset, limit = max(0, int(offset)), max(0, int(limit))
        if query.any_group and match and int(query.min_cover) > 1:  # the fallback's least coverage
            inner = f"SELECT * FROM ({inner}) WHERE cover >= {int(query.min_cover)}"
        if query.collapse:
            sql = (f"WITH hits AS MATERIALIZED ({inner}), "
                   f"ranked AS MATERIALIZED (SELECT *, ROW_NUMBER() OVER (PARTITION BY gkey ORDER BY {order}) AS rn "
                   f"FROM hits WHERE sel), "
                   f"lead AS (SELECT gkey AS g, ROW_NUMBER() OVER (ORDER BY {order}) AS pos FROM ranked WHERE rn = 1 "
                   f"ORDER BY {order} LIMIT ? OFFSET ?) "
                   f"SELECT 0, {fields}, COUNT(DISTINCT gkey), NULL, NULL, NULL, NULL, NULL FROM hits GROUP BY {fields} "
                   f"UNION ALL SELECT 2, {nulls}, COUNT(DISTINCT gkey), NULL, NULL, NULL, NULL, NULL FROM hits WHERE sel "
                   f"UNION ALL SELECT 1, {nulls}, r.rid, r.score, r.mask, l.pos, r.rn, r.is_page FROM lead l "
                   f"JOIN ranked r ON r.gkey = l.g WHERE r.rn <= ? OR r.is_page")
            sql_params = inner_params + [limit, offset, CHILDREN_PER_HIT + 1]
        else:
            sql = (f"WITH hits AS MATERIALIZED ({inner}) "
                   f"SELECT 0, {fields}, COUNT(*), NULL, NULL, NULL, NULL, NULL FROM hits GROUP BY {fields} UNION ALL "
                   f"SELECT * FROM (SELECT 1, {nulls}, rid, score, mask, 0, 1, 1 FROM hits WHERE sel ORDER BY {order} "
                   f"LIMIT ? OFFSET ?)")
            sql_params = inner_params + [limit, offset]
        width = len(FACET_FIELDS)
        with self._lock:
            self.conn.create_function("searchidx_squash", 1, squash, deterministic=True)
            self.conn.create_function("searchidx_penalty", 3, _penalty, deterministic=True)
            result = self.conn.execute(sql, sql_params).fetchall()
            groups = [row[1 : width + 2] for row in result if row[0] == 0]
            totals = [row[width + 1] for row in result if row[0] == 2]
            members = [row[width + 1 :] for row in result if row[0] == 1]
            rows = self._rows([m[0] for m in members])
        terms = highlight_terms(query)
        group_ids = [i for i, _expr in group_exprs(query)] if query.any_group else []

        def make_hit(rowid: int, score: float, covered: int | None) -> Hit:
            fields = dict(zip(STORED, rows[rowid][: len(STORED)], strict=True))
            body = rows[rowid][len(STORED)]
            fields["id"] = fields.pop("doc_id")
            fields["extra"] = json.loads(fields["extra"] or "{}")
            fields["date"] = dt.date.fromisoformat(fields["date"]) if fields["date"] else None
            return Hit(score=score, id=fields["id"], fields=fields, snippet=make_snippet(body or "", terms),
                       title_html=highlight(fields["title"] or "", terms), text=body or "",
                       covered=tuple(i for i in group_ids if int(covered or 0) >> i & 1) if query.any_group else None)

        hits = []
        if query.collapse:
            by_pos: dict[int, list[tuple]] = {}
            for member in members:
                by_pos.setdefault(member[3], []).append(member)
            for pos in sorted(by_pos):
                group = sorted(by_pos[pos], key=lambda m: m[4])  # best member first
                parent = next((m for m in group if m[5]), group[0])
                hit = make_hit(parent[0], group[0][1], parent[2])
                if hit.covered is not None:  # a document covers what any of its members covers
                    hit.covered = tuple(i for i in group_ids if any(int(m[2] or 0) >> i & 1 for m in group))
                hit.children = [make_hit(m[0], m[1], m[2]) for m in group if m is not parent][:CHILDREN_PER_HIT]
                hits.append(hit)
            count = totals[0] if totals else 0
        else:
            hits = [make_hit(m[0], m[1], m[2]) for m in members]
            count = sum(g[-1] for g in groups if _passes(g, choices))
        return SearchResults(count, hits, {name: _facet(groups, name, choices) for name in facets}, list(query.notices))

    def _rows(self, rowids: list[int]) -> dict[int, tuple]:
        """Return rowid -> (stored fields…, body) for one page of hits."""
        columns = ", ".join(f"d.{c}" for c in STORED)
        sql = f"SELECT d.rowid, {columns}, d.body FROM {self.t}_doc d WHERE d.rowid IN (SELECT value FROM json_each(?))"
        return {row[0]: row[1:] for row in self.conn.execute(sql, (json.dumps(rowids),))}

    def suggest(self, prefix: str, filters: Filters | None = None, limit: int = 10) -> list[str]:
        """Return visible titles starting with ``prefix`` first, then titles containing it."""
        key = normalize(prefix or "").strip()[:50]
        if not key:
            return []
        where, params = self._where(None, filters or Filters())
        sql = (f"SELECT d.title, MIN(d.title_norm NOT LIKE ? ESCAPE '\\') AS inner_match FROM {self.t}_doc d "
               f"WHERE d.title_norm LIKE ? ESCAPE '\\' AND {' AND '.join(where)} "
               f"GROUP BY d.title ORDER BY inner_match, length(d.title), d.title LIMIT ?")
        with self._lock:
            rows = self.conn.execute(sql, [_escape_like(key) + "%", _like(key)] + params + [max(0, int(limit))]).fetchall()
        return [title for title, _inner in rows]

    def stats(self) -> dict[str, Any]:
        """Return backend name, document count, SQLite version, segmenter and fingerprints."""
        info = segmenter_info()
        with self._lock:
            count = self.conn.execute(f"SELECT COUNT(*) FROM {self.t}_doc").fetchone()[0]
            built_with = self._meta("dictionary")
        return {"backend": self.name, "documents": count, "sqlite_version": sqlite3.sqlite_version,
                "segmenter": info["engine"], "dictionary": info["dictionary"], "index_dictionary": built_with,
                "needs_rebuild": bool(count) and built_with != info["dictionary"]}

    def close(self) -> None:
        """Close the connection if this backend opened it."""
        if self._owns_connection:
            self.conn.close()
