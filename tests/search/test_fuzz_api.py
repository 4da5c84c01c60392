"""Thousands of random and hostile queries at /api/search/ (a fifth of them on CI, see tests/fuzzing.py): never
a server error, never a leak."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.models import Scope
from tests.conftest import refreshed
from tests.fuzzing import examples
from tests.search.worlds import SCOPE_PAGES

pytestmark = pytest.mark.django_db

HIDDEN = [title for title, scope, _owner, _secret in SCOPE_PAGES if scope != Scope.PUBLIC]
SYNTAX = ['"', "“", "”", "「", "*", "NEAR(", "NEAR", ")", "(", "AND", "OR", "NOT", "|", "&&", "-", "--", "^", ":",
          "：", "{title_seg body_seg}:", "标题:", "文号:", "部门:", "类别:", "有效性:", "年份:", "title:", "\\", "%",
          "_", "'", "';", "DROP TABLE searchidx_doc;", "\x00", "\u200b", "\ufeff", "＂", "《", "》", "〔2018〕",
          "<script>", "&amp;", "1e308", "-1", "9" * 30]
WORDS = ["联席会议", "执法联席", "纪要", "城管", "住建局", "公开", "共享", "内部", "不予共享", "第一条", "现行有效",
         "已废止", "2021", "周政办字〔2018〕18号", "食品安全法", "责令改正"]
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
PIECE = st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), TEXT)
QUERY = st.one_of(TEXT, st.lists(PIECE, max_size=12).map(" ".join), st.lists(PIECE, max_size=8).map("".join),
                  st.text(max_size=3000).filter(lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)))
VALUE = st.one_of(st.just(""), st.sampled_from(["laws", "法律法规规章和规范性文件", "城管", "ZFA", "已废止", "现行有效",
                                                "2021", "2018-2022", "relevance", "date", "date_asc", "1", "0", "-5",
                                                "999999999999", "abc"]), TEXT)


@pytest.fixture
def scope_world(module_scope_world, db):
    """Return {title: page} for one regulation of every scope (built once for the module, see
    ``module_transaction`` in tests/conftest.py; fresh copies for each test)."""
    return refreshed(module_scope_world)


@pytest.fixture
def departments(module_departments, db):
    """Return the module's departments A and B (those of ``scope_world``)."""
    return refreshed(module_departments)


@pytest.fixture
def site_tree(module_site_tree, db):
    """Return the module's (home, laws section) (those of ``scope_world``)."""
    return refreshed(module_site_tree)


@settings(max_examples=examples(2000), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(q=QUERY, category=VALUE, department=VALUE, validity=VALUE, year=VALUE, sort=VALUE, page=VALUE)
def test_random_and_hostile_queries_never_fail_or_leak(client, scope_world, q, category, department, validity,
                                                        year, sort, page):
    response = client.get("/api/search/", {"q": q, "category": category, "department": department,
                                           "validity": validity, "year": year, "sort": sort, "page": page})
    assert response.status_code == 200, response.content[:500]
    data = json.loads(response.content)
    assert data["count"] >= len(data["results"]) >= 0
    shown = json.dumps(data, ensure_ascii=False)
    assert not [title for title in HIDDEN if title in shown]


@pytest.mark.parametrize("query_string", ["q=%ff%fe%00", "q=%E8%81", "q=" + "%22" * 500, "q[]=x&q=y&page[]=2",
                                          "category=%00&year=%ff", "q=" + "a" * 20000, "page=1e9&per_page=1e9",
                                          "q=%F0%9F%98%80%F0%9F%98%80", "sort=&page=&per_page="])
def test_malformed_query_strings_are_answered(client, scope_world, query_string):
    assert client.get(f"/api/search/?{query_string}").status_code == 200
    assert client.get(f"/search/?{query_string}").status_code == 200
    assert client.get(f"/api/search/suggest/?{query_string}").status_code == 200
