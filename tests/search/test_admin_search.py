"""Wagtail's own search (admin page search, choosers, .search()) finds Chinese sub-words."""

from __future__ import annotations

import pytest
from modelsearch.query import And, MatchAll, Not, Or, Phrase, PlainText
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.index import insert_or_update_object

from portal.models import Department, User
from search.wagtail_backend import SegmentingQueryCompilerMixin, backend_class, segment_query
from tests.conftest import refreshed, regulation_factory

TITLE = "建立综合行政执法联席会议制度"


@pytest.fixture
def editor_client(client, departments):
    admin = User.objects.create_superuser("root", password="pw-root-12345", department=departments[0])
    client.force_login(admin)
    return client


@pytest.fixture(scope="module")
def _lianxi(module_site_tree, module_departments):
    """Build ``lianxi`` once for the module (``module_transaction`` in tests/conftest.py)."""
    from django.test import TestCase

    make_regulation = regulation_factory(module_site_tree[1], module_departments)
    with TestCase.captureOnCommitCallbacks(execute=True):
        page = make_regulation(title=TITLE, slug="lianxi", text="第一条 各成员单位按季度报送执法信息。")
        make_regulation(title="城市道路管理办法", slug="roads", text="第一条 规范城市道路的养护。")
    return page


@pytest.fixture
def lianxi(_lianxi, db):
    """Return the page titled 建立综合行政执法联席会议制度 (Wagtail indexes it after the commit)."""
    return refreshed(_lianxi)


@pytest.fixture
def departments(module_departments, db):
    """Return the module's departments A and B (those of ``lianxi``)."""
    return refreshed(module_departments)


@pytest.fixture
def site_tree(module_site_tree, db):
    """Return the module's (home, laws section) (those of ``lianxi``)."""
    return refreshed(module_site_tree)


# --- query segmentation (no database) -------------------------------------------------------------

def test_a_typed_word_becomes_the_tokens_that_find_it():
    query = segment_query(PlainText("执法联席", operator="and"))
    assert isinstance(query, PlainText) and query.query_string == "执法 联席" and query.operator == "and"


def test_the_pieces_of_one_word_stay_together_under_or():
    query = segment_query(PlainText("执法联席 会议制度", operator="or"))
    assert isinstance(query, Or)
    assert [q.query_string for q in query.subqueries] == ["执法 联席", "会议 制度"]
    assert all(q.operator == "and" for q in query.subqueries)


def test_a_phrase_becomes_the_stored_token_sequence():
    assert segment_query(Phrase("联席会议")).query_string == "联席 会议 联席会 联席会议"


@pytest.mark.parametrize("raw", ['"', "*", "(", "( )", "-", "'", "《》"])
def test_a_query_of_punctuation_matches_nothing(raw):
    query = segment_query(PlainText(raw))
    assert isinstance(query, Not) and isinstance(query.subquery, MatchAll)


def test_an_unindexable_word_is_dropped_not_fatal():
    query = segment_query(And([PlainText("执法联席"), PlainText("*")]))
    assert isinstance(query, PlainText) and query.query_string == "执法 联席"


# --- Wagtail's search on the portal's pages -------------------------------------------------------

@pytest.mark.django_db
def test_the_configured_backend_segments_chinese():
    from django.db import connection

    backend = get_search_backend()
    expected = {"sqlite": "ChineseSQLiteSearchBackend", "postgresql": "ChinesePostgresSearchBackend"}[connection.vendor]
    assert isinstance(backend, backend_class()) and type(backend).__name__ == expected
    assert issubclass(backend.query_compiler_class, SegmentingQueryCompilerMixin)
    assert issubclass(backend.autocomplete_query_compiler_class, SegmentingQueryCompilerMixin)


@pytest.mark.django_db
def test_page_search_finds_a_sub_word_of_the_title(lianxi):
    assert [p.title for p in Page.objects.live().search("执法联席")] == [TITLE]
    assert [p.title for p in Page.objects.live().autocomplete("执法联")] == [TITLE]
    assert [p.title for p in Page.objects.live().search('"联席会议"')] == [TITLE]


@pytest.mark.django_db
def test_admin_page_search_finds_a_sub_word_of_the_title_and_of_the_body(editor_client, lianxi):
    for query in ("执法联席", "季度报送"):
        response = editor_client.get("/admin/pages/search/", {"q": query})
        assert response.status_code == 200
        html = response.content.decode()
        assert TITLE in html, query
        assert "城市道路管理办法" not in html, query


@pytest.mark.django_db
def test_admin_choosers_and_snippets_search_in_chinese(editor_client, lianxi, departments):
    response = editor_client.get("/admin/choose-page/search/", {"q": "执法联席"})
    assert response.status_code == 200 and TITLE in response.content.decode()
    for department in departments:  # created outside the on-commit capture: index them here
        insert_or_update_object(department)
    assert list(get_search_backend().search("城乡建设", Department)) == [departments[1]]
    assert list(get_search_backend().autocomplete("执法", Department)) == [departments[0]]


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ['"', '"未闭合', "*", "NEAR(执法", "AND", "OR OR", "-", "title:", "\x00", "%_",
                                 "a" * 300, "执法联席 " * 30])
def test_hostile_admin_queries_never_fail(editor_client, lianxi, raw):
    assert editor_client.get("/admin/pages/search/", {"q": raw}).status_code == 200
