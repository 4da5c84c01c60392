"""Wagtail's own search (admin page search, choosers, ``Page.objects.search()``) in Chinese.

Wagtail's database backends hand text to SQLite FTS5 (``unicode61``) or PostgreSQL
``to_tsvector``, which both take a run of Chinese characters for one word: the title
建立综合行政执法联席会议制度 is a single token, so 执法联席 finds nothing.  This backend segments with
the portal's jieba segmenter before Wagtail's code sees the text — stored text as search-mode
tokens (``segment_for_fts``), queries as the tokens that find them (``analyze_query``) — and
leaves everything else (filters, ordering, facets, permissions) to Wagtail.

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}

Like ``wagtail.search.backends.database`` this module picks the engine from the database:
SQLite with FTS5 → ``ChineseSQLiteSearchBackend``; PostgreSQL → ``ChinesePostgresSearchBackend``
(same segmentation; ``make test`` runs the admin search tests on both, see scripts/test_postgres.sh);
anything else → Wagtail's fallback (``icontains``, which finds Chinese substrings anyway).  Each
engine's classes are built on first use, because django-modelsearch's SQLite module can only be
imported when the database is SQLite.

The admin page search and the choosers call ``autocomplete()``, which in Wagtail only looks at
the title.  Here it also looks at the body, so an editor finds a page by a word of its text.

After switching to this backend (or changing the dictionary), rebuild Wagtail's index:
``manage.py reindex`` does it together with the portal's own index (or ``manage.py update_index``).
"""

from __future__ import annotations

import functools

from django.db import connection
from modelsearch.query import And, Boost, MatchAll, Not, Or, Phrase, PlainText, SearchQuery

from search.segment import analyze_query, segment_for_fts

# A query that matches nothing: what is left of a query made only of punctuation (" * NEAR( -).
NOTHING = Not(MatchAll())


def _is_nothing(query: SearchQuery) -> bool:
    return isinstance(query, Not) and isinstance(query.subquery, MatchAll)


def segment_query(query: SearchQuery) -> SearchQuery:
    """Return ``query`` with its words replaced by index tokens, ready for Wagtail's compilers.

    Worked example: PlainText("执法联席 会议制度", operator="or") →
    Or([PlainText("执法 联席", "and"), PlainText("会议 制度", "and")]): the pieces of one typed word
    must all match (AND), whatever the operator between the words.  Phrase("联席会议") →
    Phrase("联席 会议 联席会议"), the search-mode tokens as stored.  A word with nothing indexable
    (punctuation, engine syntax) is dropped; a query with nothing left matches nothing.
    """
    if isinstance(query, PlainText):
        words = [list(analyze_query(word).leaves) for word in query.query_string.split()]
        words = [w for w in words if w]
        if not words:
            return NOTHING
        if query.operator.lower() == "and" or len(words) == 1:
            return PlainText(" ".join(t for w in words for t in w), operator="and")
        return Or([PlainText(" ".join(w), operator="and") for w in words])
    if isinstance(query, Phrase):
        tokens = analyze_query(query.query_string).phrase
        return Phrase(" ".join(tokens)) if tokens else NOTHING
    if isinstance(query, And | Or):
        parts = [segment_query(q) for q in query.subqueries]
        kept = [p for p in parts if not _is_nothing(p)]
        if not kept:
            return NOTHING
        return kept[0] if len(kept) == 1 else type(query)(kept)
    if isinstance(query, Not):
        inner = segment_query(query.subquery)
        return MatchAll() if _is_nothing(inner) else Not(inner)
    if isinstance(query, Boost):
        inner = segment_query(query.subquery)
        return inner if _is_nothing(inner) else Boost(inner, query.boost)
    return query  # MatchAll, Fuzzy (trigram matching of the original text) …


class SegmentingIndexerMixin:
    """An ``ObjectIndexer`` whose field values are stored as jieba search-mode tokens."""

    _depth = 0

    def prepare_value(self, value):
        # prepare_value recurses into lists and dicts: segment the joined text once, at the top.
        if self._depth:
            return super().prepare_value(value)
        self._depth += 1
        try:
            text = super().prepare_value(value)
        finally:
            self._depth -= 1
        return segment_for_fts(text) if text else text


class SegmentingQueryCompilerMixin:
    """A query compiler that segments the query before compiling it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query = segment_query(self.query)


# --- SQLite ----------------------------------------------------------------------------------------

@functools.cache
def _sqlite_backend_class():
    """Return the SQLite FTS5 backend with segmentation (imported only on SQLite: django-modelsearch
    defines its SQLite index model only when the database is SQLite)."""
    from modelsearch.backends.database.sqlite import sqlite as sqlite_backend  # defines a model only on SQLite

    class ChineseSQLiteObjectIndexer(SegmentingIndexerMixin, sqlite_backend.ObjectIndexer):
        pass

    class ChineseSQLiteIndex(sqlite_backend.SQLiteIndex):
        def add_items(self, model, objs):
            """``SQLiteIndex.add_items`` (django-modelsearch 1.3, pinned in requirements.in; tests/search/test_modelsearch_version.py) with the segmenting indexer."""
            if not model.get_search_fields():
                return
            indexers = [ChineseSQLiteObjectIndexer(obj, self.backend) for obj in objs]
            if not indexers:
                return
            content_type_pk = sqlite_backend.get_content_type_pk(model)
            data = {i.id: (i.title, i.autocomplete, i.body) for i in indexers}
            entries = self.entries.filter(content_type_id=content_type_pk)
            indexed = frozenset(entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True))
            for object_id in indexed:
                title, autocomplete, body = data[object_id]
                entries.filter(object_id=object_id).update(title=title, autocomplete=autocomplete, body=body)
            self.entries.bulk_create([
                sqlite_backend.IndexEntry(content_type_id=content_type_pk, object_id=object_id, title=title,
                                          autocomplete=autocomplete, body=body)
                for object_id, (title, autocomplete, body) in data.items() if object_id not in indexed
            ])
            self._refresh_title_norms()

    class ChineseSQLiteSearchQueryCompiler(SegmentingQueryCompilerMixin, sqlite_backend.SQLiteSearchQueryCompiler):
        pass

    class ChineseSQLiteAutocompleteQueryCompiler(SegmentingQueryCompilerMixin,
                                                 sqlite_backend.SQLiteAutocompleteQueryCompiler):
        # Title (autocomplete) and body: editors look pages up by any word of their text too.
        FTS_TABLE_FIELDS = ["autocomplete", "title", "body"]

    class ChineseSQLiteSearchBackend(sqlite_backend.SQLiteSearchBackend):
        query_compiler_class = ChineseSQLiteSearchQueryCompiler
        autocomplete_query_compiler_class = ChineseSQLiteAutocompleteQueryCompiler
        index_class = ChineseSQLiteIndex

    return ChineseSQLiteSearchBackend


# --- PostgreSQL --------------------------------------------------------------------------------------

@functools.cache
def _postgres_backend_class():
    """Return the PostgreSQL backend with the same segmentation (imported only on PostgreSQL)."""
    # Only on PostgreSQL: the SQLite and PostgreSQL backends of django-modelsearch are loaded by vendor.
    from django.db.models import F
    from django.db.models.sql import InsertQuery
    from modelsearch.backends.database.postgres import postgres as pg

    class ChinesePostgresObjectIndexer(SegmentingIndexerMixin, pg.ObjectIndexer):
        pass

    class ChinesePostgresIndex(pg.PostgresIndex):
        def add_items(self, model, objs):
            """``PostgresIndex.add_items`` (django-modelsearch 1.3, pinned in requirements.in; tests/search/test_modelsearch_version.py) with the segmenting indexer."""
            if not model.get_search_fields():
                return
            indexers = [ChinesePostgresObjectIndexer(obj, self.backend) for obj in objs]
            if not indexers:
                return
            content_type_pk = pg.get_content_type_pk(model)
            compiler = InsertQuery(pg.IndexEntry).get_compiler(connection=self.write_connection)
            rows, params = [], []
            for indexer in indexers:
                params.extend((content_type_pk, indexer.id))
                sqls = []
                for name in ("title", "autocomplete", "body"):
                    value = compiler.prepare_value(pg.IndexEntry._meta.get_field(name), getattr(indexer, name))
                    sql, value_params = value.as_sql(compiler, self.write_connection)
                    sqls.append(sql)
                    params.extend(value_params)
                params.extend((indexer.title_text, indexer.body_text))
                rows.append(f"(%s, %s, {sqls[0]}, {sqls[1]}, {sqls[2]}, 1.0, %s, %s)")
            table = pg.IndexEntry._meta.db_table
            with self.write_connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm, "
                    f"title_text, body_text) (VALUES {', '.join(rows)}) ON CONFLICT (content_type_id, object_id) "
                    "DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete, "
                    "body = EXCLUDED.body, title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                    params)
            self._refresh_title_norms()

    class ChinesePostgresSearchQueryCompiler(SegmentingQueryCompilerMixin, pg.PostgresSearchQueryCompiler):
        pass

    class ChinesePostgresAutocompleteQueryCompiler(SegmentingQueryCompilerMixin,
                                                   pg.PostgresAutocompleteQueryCompiler):
        def get_index_vectors(self, search_query):
            # Title (autocomplete) and body, as on SQLite: editors look pages up by any word of their text too.
            return [(F("index_entries__autocomplete"), 1.0), (F("index_entries__title"), 1.0),
                    (F("index_entries__body"), 1.0)]

    class ChinesePostgresSearchBackend(pg.PostgresSearchBackend):
        query_compiler_class = ChinesePostgresSearchQueryCompiler
        autocomplete_query_compiler_class = ChinesePostgresAutocompleteQueryCompiler
        index_class = ChinesePostgresIndex

    return ChinesePostgresSearchBackend


def backend_class():
    """Return the backend class for the default database (see the module docstring)."""
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists  # SQLite only

        if fts5_available() and fts_table_exists():
            return _sqlite_backend_class()
    elif connection.vendor == "postgresql":
        return _postgres_backend_class()
    from modelsearch.backends.database.fallback import DatabaseSearchBackend  # neither FTS5 nor PostgreSQL

    return DatabaseSearchBackend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """Return the Chinese-aware backend for the default database."""
    return backend_class()(params)
