"""What is particular to the embedded SQLite FTS5 engine: storage layout, connections, safety."""

from __future__ import annotations

import sqlite3

import pytest

from search.backends.base import Filters, IndexDoc
from search.backends.fts5 import FTS5Backend
from search.backends.fts5_query import compile_match, fts_string
from search.query import parse_query


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:", isolation_level=None)
    yield connection
    connection.close()


def _doc(n: int, body: str, **fields) -> IndexDoc:
    return IndexDoc(id=f"page:{n}", page_id=n, title=f"文件{n}", body=body, **fields)


def test_fts_table_keeps_no_copy_of_the_text(conn):
    FTS5Backend(connection=conn).index_documents([_doc(1, "建立综合行政执法联席会议制度。")])
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "searchidx_fts_content" not in tables  # external content: the text lives in searchidx_doc only
    assert conn.execute("SELECT body_seg FROM searchidx_doc").fetchone()[0].startswith("建立 综合 行政 执法")


def test_triggers_keep_the_index_in_step_with_plain_sql_deletes(conn):
    backend = FTS5Backend(connection=conn)
    backend.index_documents([_doc(1, "联席会议"), _doc(2, "联席会议纪要")])
    conn.execute("DELETE FROM searchidx_doc WHERE doc_id = 'page:1'")
    conn.execute("INSERT INTO searchidx_fts(searchidx_fts) VALUES ('integrity-check')")
    assert [h.id for h in backend.search(parse_query("联席会议")).hits] == ["page:2"]


def test_the_narrow_key_table_follows_inserts_updates_and_deletes(conn):
    backend = FTS5Backend(connection=conn)
    backend.index_documents([_doc(1, "联席会议", validity="现行有效"), _doc(2, "联席会议纪要")])
    backend.index_documents([_doc(1, "联席会议", validity="已废止")])  # an update (upsert) of page:1
    conn.execute("DELETE FROM searchidx_doc WHERE doc_id = 'page:2'")
    keys = conn.execute("SELECT k.rowid, k.validity FROM searchidx_key k").fetchall()
    docs = conn.execute("SELECT rowid, validity FROM searchidx_doc").fetchall()
    assert keys == docs and [validity for _rowid, validity in keys] == ["已废止"]


def test_an_index_built_before_the_key_table_is_filled_in_when_opened(conn):
    FTS5Backend(connection=conn).index_documents([_doc(1, "联席会议", category="工作制度"), _doc(2, "联席会议纪要")])
    conn.execute("DELETE FROM searchidx_key")  # as a schema-1 index: documents but no key rows
    conn.execute("UPDATE searchidx_meta SET value = '1' WHERE key = 'schema'")
    results = FTS5Backend(connection=conn).search(parse_query("联席会议"), facets=["category"])
    assert results.count == 2 and results.facets["category"] == [("工作制度", 1)]


def test_updates_keep_the_index_consistent(conn):
    backend = FTS5Backend(connection=conn)
    for body in ("第一版：责令改正。", "第二版：没收违法所得。", "第三版：联席会议。"):
        backend.index_documents([_doc(1, body)])
    conn.execute("INSERT INTO searchidx_fts(searchidx_fts) VALUES ('integrity-check')")
    assert backend.search(parse_query("责令改正")).count == 0
    assert backend.search(parse_query("联席会议")).count == 1


def test_writes_inside_an_outer_transaction_roll_back_with_it(conn):
    backend = FTS5Backend(connection=conn)
    conn.execute("BEGIN")
    backend.index_documents([_doc(1, "联席会议")])
    conn.execute("ROLLBACK")
    assert backend.stats()["documents"] == 0


def test_backend_on_a_database_file_of_its_own(tmp_path):
    path = tmp_path / "var" / "search.sqlite3"
    backend = FTS5Backend(path=path)
    backend.index_documents([_doc(1, "信息联络员名单")])
    backend.close()
    reopened = FTS5Backend(path=path)
    assert reopened.search(parse_query("联络员")).count == 1
    reopened.close()


def test_backend_needs_exactly_one_of_connection_or_path(conn, tmp_path):
    with pytest.raises(ValueError):
        FTS5Backend()
    with pytest.raises(ValueError):
        FTS5Backend(connection=conn, path=tmp_path / "x.sqlite3")


def test_index_built_with_another_dictionary_asks_for_a_rebuild(conn):
    backend = FTS5Backend(connection=conn)
    backend.index_documents([_doc(1, "联席会议")])
    conn.execute("UPDATE searchidx_meta SET value = 'userdict-old' WHERE key = 'dictionary'")
    assert backend.stats()["needs_rebuild"] is True
    backend.clear()
    backend.index_documents([_doc(1, "联席会议")])
    assert backend.stats()["needs_rebuild"] is False


def test_user_text_reaches_fts5_only_as_quoted_strings():
    match, exclude = compile_match(parse_query('{title_seg}:x NEAR("a" b) title_seg:罚款 -"警告*" ^执法 OR'))
    assert '"{title_seg}' not in match and "title_seg : " not in match.replace("{title_seg} : ", "")
    assert fts_string('a"b') == '"a""b"'


@pytest.mark.parametrize("raw", ['{body_seg} : 罚款', 'title_seg:罚款', '"a" OR "b" NOT c', "罚款*", '罚款" OR "x'])
def test_fts5_syntax_typed_by_a_user_is_searched_as_text(conn, raw):
    backend = FTS5Backend(connection=conn)
    backend.index_documents([_doc(1, "依法处以罚款。", scope="部门内部", owner_department="乙")])
    # Whatever the syntax, it cannot reach the 部门内部 document of another department.
    assert backend.search(parse_query(raw), Filters(allowed_scopes=("公开", "部门内部"), viewer_department="甲")).count == 0


def test_like_wildcards_in_field_filters_are_literal(conn):
    backend = FTS5Backend(connection=conn)
    backend.index_documents([_doc(1, "罚款", department="区住建局"), _doc(2, "罚款", department="区_建局")])
    assert [h.id for h in backend.search(parse_query("罚款 部门:_建局")).hits] == ["page:2"]
    assert backend.search(parse_query("罚款 部门:%")).count == 0
