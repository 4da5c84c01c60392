"""The search service over a world holding a regulation of every scope (tests/search/worlds.py): who
sees what in results, counts, facets and suggestions, the filters, odd queries, and the search command.

The world is built once for the module (``module_transaction`` in tests/conftest.py); every test runs
in a savepoint of its own and gets fresh copies of its pages.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from search import service
from tests.conftest import refreshed
from tests.search.worlds import SCOPE_PAGES, everything_shown

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()
SECRETS = {title: secret for title, _scope, _owner, secret in SCOPE_PAGES}


@pytest.fixture
def scope_world(module_scope_world, db):
    """Return {title: page} for one regulation of every scope, owned by department A or B."""
    return refreshed(module_scope_world)


@pytest.fixture
def departments(module_departments, db):
    """Return the module's departments A and B (those of ``scope_world``)."""
    return refreshed(module_departments)


@pytest.fixture
def site_tree(module_site_tree, db):
    """Return the module's (home, laws section) (those of ``scope_world``)."""
    return refreshed(module_site_tree)


# --- scope ----------------------------------------------------------------------------------------

def visible_titles(user) -> set[str]:
    page = service.search(user, "联席会议", per_page=100)
    return {r.parent_title or r.title for r in page.results}


def test_anonymous_sees_only_public_documents_in_results_counts_and_facets(scope_world):
    page = service.search(ANONYMOUS, "联席会议", per_page=100)
    assert {r.parent_title or r.title for r in page.results} == {"公开的联席会议纪要"}
    assert page.count == len(page.results) == 1  # one document: the page, its two articles beneath it
    assert len(page.flat_results) == 3  # (their titles hold 联席会议)
    assert dict((f.value, f.count) for f in page.facets["department"]) == {"测试区综合行政执法局": 1}
    shown = everything_shown(page, service.suggest(ANONYMOUS, "执法局")) + everything_shown(
        service.search(ANONYMOUS, "", per_page=100), service.suggest(ANONYMOUS, "住建局"))
    leaked = [s for t, s in SECRETS.items() if t != "公开的联席会议纪要" and (s in shown or t in shown)]
    assert not leaked


def test_staff_of_a_never_see_b_internal_or_anything_private(scope_world, staff):
    staff_a, staff_b = staff
    assert visible_titles(staff_a) == {"公开的联席会议纪要", "共享的联席会议纪要", "执法局内部联席会议纪要"}
    assert visible_titles(staff_b) == {"公开的联席会议纪要", "共享的联席会议纪要", "住建局内部联席会议纪要"}
    for secret_title in ("住建局内部联席会议纪要", "执法局不予共享联席会议纪要", "住建局不予共享联席会议纪要"):
        secret = SECRETS[secret_title]
        page = service.search(staff_a, secret, per_page=100)
        assert page.count == 0 and not page.results
        assert all(f.count for values in page.facets.values() for f in values) and not any(page.facets.values())
        shown = everything_shown(service.search(staff_a, "联席会议", per_page=100),
                                 service.suggest(staff_a, "住建局") + service.suggest(staff_a, secret_title[:4]))
        assert secret not in shown and secret_title not in shown
    counts = {f.value: f.count for f in service.search(staff_a, "联席会议").facets["department"]}
    assert counts == {"测试区综合行政执法局": 3}  # 3 documents of A (facets count documents); none of B's


def test_superuser_sees_internal_documents_of_every_department_but_nothing_private(scope_world, superuser):
    titles = visible_titles(superuser)
    assert {"执法局内部联席会议纪要", "住建局内部联席会议纪要"} <= titles
    assert not {"执法局不予共享联席会议纪要", "住建局不予共享联席会议纪要"} & titles


def test_suggestions_offer_visible_titles_then_dictionary_terms(scope_world, staff):
    assert service.suggest(ANONYMOUS, "公开的") == ["公开的联席会议纪要"]
    staff_a = service.suggest(staff[0], "执法局")
    assert "执法局内部联席会议纪要" in staff_a and "执法局不予共享联席会议纪要" not in staff_a
    terms = service.suggest(ANONYMOUS, "行政处")
    assert "行政处罚" in terms
    assert service.suggest(ANONYMOUS, "") == [] and service.suggest(ANONYMOUS, "\x00\x01") == []


# --- filters --------------------------------------------------------------------------------------

def test_department_filter_accepts_short_names_aliases_and_codes(scope_world, departments):
    a, _ = departments
    for given in (a.name, "执法局", "城管", "ZFA"):
        page = service.search(ANONYMOUS, "", department=given)
        assert page.filters["department"] == [a.name], given
        assert page.count == 1 and not page.notices  # A's one public document


def test_facets_count_all_matches_and_filters_narrow_them(scope_world, staff):
    page = service.search(staff[0], "联席会议", year="2021")
    assert page.count == 1 and page.filters["year"] == ["2021"]  # documents, not their articles
    assert [f.value for f in page.facets["year"] if f.selected] == [2021]
    assert service.search(staff[0], "联席会议", year="2021-2022").count == 2
    by_category = service.search(staff[0], "联席会议", category="laws")
    assert by_category.filters["category"] == ["法律法规规章和规范性文件"] and by_category.count == 3


def test_bad_filter_values_are_ignored_with_a_notice(scope_world):
    page = service.search(ANONYMOUS, "联席会议", category="不存在的类别", department="火星局", validity="永远有效",
                          year="二〇二〇", sort="random", page="abc", per_page="-3")
    assert page.count == 1
    assert len(page.notices) == 7
    assert all("已" in n for n in page.notices)
    assert page.sort == "relevance" and page.page == 1 and page.per_page == 20


def test_deep_pages_are_capped(scope_world):
    page = service.search(ANONYMOUS, "联席会议", page=10**9)
    assert page.page == 500 and page.results == [] and any("前 10000 条" in n for n in page.notices)


# --- odd queries ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ['"', "*", "NEAR(", "AND", '"未闭合的引号', "-", "- -", "标题:", "\x00\x1f", "（）",
                                 "a" * 5000, "联席会议 " * 50, "年份:abcd", "文号:%_\\", "' OR 1=1 --"])
def test_odd_queries_give_results_or_a_notice(scope_world, raw):
    page = service.search(ANONYMOUS, raw)
    assert page.count >= 0
    assert len(page.raw_query) <= service.MAX_RAW_QUERY


# --- the shell command ----------------------------------------------------------------------------

def test_the_search_command_prints_results_or_json_as_a_user_may_see_them(scope_world, staff):
    import io
    import json

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("search", "联席会议", stdout=out)
    assert "共 1 条结果" in out.getvalue() and "公开的【联席会议】纪要" not in out.getvalue()
    assert "【联席会议】" in out.getvalue()  # matches bracketed in snippets
    out = io.StringIO()
    call_command("search", "联席会议", "--json", "--user", "staff_a", stdout=out)
    data = json.loads(out.getvalue())
    assert data["count"] == 3 and {"count", "results", "facets", "notices"} <= set(data)  # A's 3 documents
    with pytest.raises(CommandError):
        call_command("search", "联席会议", "--user", "nobody")
