"""The search service on the portal's own pages: scope, filters, relevance, masking, notices."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from portal.models import Category, Scope, Validity
from search import service
from search.backends.base import CATEGORY_LABELS, SCOPE_LABELS, VALIDITY_LABELS, SearchUnavailable
from tests.search.worlds import SCOPE_PAGES

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()
SECRETS = {title: secret for title, _scope, _owner, secret in SCOPE_PAGES}


def everything_shown(page: service.SearchPage, suggestions: list[str]) -> str:
    """Return every text a viewer sees of one search: titles, snippets, facets and suggestions."""
    parts = [r.title + r.title_html + r.snippet + r.url for r in page.results]
    parts += [str(f.value) for values in page.facets.values() for f in values]
    return "\n".join(parts + suggestions)


def visible_titles(user) -> set[str]:
    page = service.search(user, "联席会议", per_page=100)
    return {r.parent_title or r.title for r in page.results}


# --- scope -----------------------------------------------------------------------------------------

def test_label_tables_mirror_the_model_choices():
    assert CATEGORY_LABELS == dict(Category.choices)
    assert VALIDITY_LABELS == dict(Validity.choices)
    assert SCOPE_LABELS == dict(Scope.choices)


def test_anonymous_sees_only_public_documents_in_results_counts_and_facets(scope_world):
    page = service.search(ANONYMOUS, "联席会议", per_page=100)
    assert {r.parent_title or r.title for r in page.results} == {"公开的联席会议纪要"}
    assert page.count == len(page.results) == 3  # the page and its two articles (titles hold 联席会议)
    assert dict((f.value, f.count) for f in page.facets["department"]) == {"测试区综合行政执法局": 3}
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
    assert counts == {"测试区综合行政执法局": 9}  # 3 pages of A × (page + 2 articles); none of B's


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


# --- relevance on real texts -----------------------------------------------------------------------

def test_phrase_copied_from_an_article_finds_that_article_first(food_laws):
    law = food_laws["中华人民共和国食品安全法"]
    article = next(a for a in law.articles() if a["label"] == "第三十四条")
    phrase = article["text"].split("：")[-1].split("；")[0][:20]
    page = service.search(ANONYMOUS, phrase)
    assert page.results[0].url.endswith("#第三十四条") and page.results[0].parent_title == law.title
    assert "<mark>" in page.results[0].snippet


def test_short_title_finds_the_national_law_first(food_laws):
    page = service.search(ANONYMOUS, "食品安全法")
    assert page.results[0].title == "中华人民共和国食品安全法"
    assert page.results[0].kind == "page"


def test_synonym_query_finds_the_aliased_departments_documents(make_regulation, departments):
    a, b = departments  # A lists 城管 among its aliases
    make_regulation(title="占道经营整治方案", slug="a-plan", department=a, text="第一条 开展占道经营专项整治。")
    make_regulation(title="物业管理办法", slug="b-rule", department=b, text="第一条 规范物业服务活动。")
    page = service.search(ANONYMOUS, "城管", per_page=50)
    titles = {r.parent_title or r.title for r in page.results}
    assert "占道经营整治方案" in titles and "物业管理办法" not in titles
    assert {f.value for f in page.facets["department"]} == {a.name}


def test_sub_word_of_a_title_finds_its_page(make_regulation):
    make_regulation(title="建立综合行政执法联席会议制度", slug="lianxi", text="第一条 各成员单位按季度报送信息。")
    page = service.search(ANONYMOUS, "执法联席")
    assert page.results[0].title == "建立综合行政执法联席会议制度"
    assert "<mark>执法联席</mark>" in page.results[0].title_html


def test_exact_document_number_ranks_first_whatever_its_spelling(make_regulation):
    make_regulation(title="关于协作配合的通知", slug="notice", doc_number="周政办字〔2018〕18号",
                    text="第一条 建立协作配合机制。")
    make_regulation(title="引用文件的办法", slug="quoting", text="第一条 依照周政办字〔2018〕18号通知执行。")
    for typed in ("周政办字〔2018〕18号", "周政办字[2018]第18号", "文号:周政办字〔2018〕18号"):
        assert service.search(ANONYMOUS, typed).results[0].title == "关于协作配合的通知", typed


# --- filters ---------------------------------------------------------------------------------------

def test_department_filter_accepts_short_names_aliases_and_codes(scope_world, departments):
    a, _ = departments
    for given in (a.name, "执法局", "城管", "ZFA"):
        page = service.search(ANONYMOUS, "", department=given)
        assert page.filters["department"] == [a.name], given
        assert page.count == 3 and not page.notices


def test_abolished_documents_are_left_out_unless_asked_for(make_regulation):
    make_regulation(title="现行的占道管理办法", slug="current", text="第一条 规范占道经营。")
    make_regulation(title="废止的占道管理办法", slug="old", text="第一条 规范占道经营。",
                    abolished_date=datetime.date(2020, 1, 1), effective_date=datetime.date(2010, 1, 1))
    titles = lambda page: {r.parent_title or r.title for r in page.results}  # noqa: E731
    assert titles(service.search(ANONYMOUS, "占道")) == {"现行的占道管理办法"}
    assert titles(service.search(ANONYMOUS, "占道", include_abolished=True)) == {"现行的占道管理办法", "废止的占道管理办法"}
    assert titles(service.search(ANONYMOUS, "占道", validity="已废止")) == {"废止的占道管理办法"}
    assert titles(service.search(ANONYMOUS, "占道 有效性:废止")) == {"废止的占道管理办法"}
    ranked = service.search(ANONYMOUS, "占道", include_abolished=True).results
    assert ranked[0].validity == "现行有效"


def test_facets_count_all_matches_and_filters_narrow_them(scope_world, staff):
    page = service.search(staff[0], "联席会议", year="2021")
    assert page.count == 3 and page.filters["year"] == ["2021"]
    assert [f.value for f in page.facets["year"] if f.selected] == [2021]
    assert service.search(staff[0], "联席会议", year="2021-2022").count == 6
    by_category = service.search(staff[0], "联席会议", category="laws")
    assert by_category.filters["category"] == ["法律法规规章和规范性文件"] and by_category.count == 9


def test_bad_filter_values_are_ignored_with_a_notice(scope_world):
    page = service.search(ANONYMOUS, "联席会议", category="不存在的类别", department="火星局", validity="永远有效",
                          year="二〇二〇", sort="random", page="abc", per_page="-3")
    assert page.count == 3
    assert len(page.notices) == 7
    assert all("已" in n for n in page.notices)
    assert page.sort == "relevance" and page.page == 1 and page.per_page == 20


def test_deep_pages_are_capped(scope_world):
    page = service.search(ANONYMOUS, "联席会议", page=10**9)
    assert page.page == 500 and page.results == [] and any("前 10000 条" in n for n in page.notices)


# --- personal data ---------------------------------------------------------------------------------

def test_anonymous_visitors_get_penalty_titles_and_snippets_masked(public_decision, staff):
    public = service.search(ANONYMOUS, "占道经营")
    shown = everything_shown(public, service.suggest(ANONYMOUS, "张"))
    for secret in ("张三", "110101199001011234", "13800138000", "七一路18号"):
        assert secret not in shown
    assert "张某" in public.results[0].title and "<mark>" in public.results[0].snippet
    staff_view = service.search(staff[0], "占道经营")
    assert "张三" in staff_view.results[0].title and "110101199001011234" in staff_view.results[0].snippet


def test_anonymous_visitors_cannot_look_people_up(public_decision, staff):
    for typed in ("张三", "110101199001011234", "13800138000"):
        page = service.search(ANONYMOUS, typed)
        assert page.count == 0 and any("个人信息" in n for n in page.notices), typed
        assert service.search(staff[0], typed).count >= 1, typed
    assert service.suggest(ANONYMOUS, "张三") == []


def test_complaint_records_are_masked_for_anonymous_visitors(public_complaint):
    page = service.search(ANONYMOUS, "噪声扰民")
    assert page.count == 1 and "13912345678" not in page.results[0].snippet and "139****5678" in page.results[0].snippet


# --- odd queries and an unreachable engine ---------------------------------------------------------

@pytest.mark.parametrize("raw", ['"', "*", "NEAR(", "AND", '"未闭合的引号', "-", "- -", "标题:", "\x00\x1f", "（）",
                                 "a" * 5000, "联席会议 " * 50, "年份:abcd", "文号:%_\\", "' OR 1=1 --"])
def test_odd_queries_give_results_or_a_notice(scope_world, raw):
    page = service.search(ANONYMOUS, raw)
    assert page.count >= 0
    assert len(page.raw_query) <= service.MAX_RAW_QUERY


@override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9", SEARCH_ES_TIMEOUT=0.5)
def test_unreachable_elasticsearch_raises_search_unavailable():
    with pytest.raises(SearchUnavailable):
        service.search(ANONYMOUS, "联席会议")
    assert service.suggest(ANONYMOUS, "行政处") == ["行政处罚"] or "行政处罚" in service.suggest(ANONYMOUS, "行政处")


@override_settings(ELASTICSEARCH_URL="not a url at all")
def test_misconfigured_elasticsearch_is_unavailable_not_an_error():
    with pytest.raises(SearchUnavailable):
        service.search(ANONYMOUS, "联席会议")


# --- the shell command -----------------------------------------------------------------------------

def test_the_search_command_prints_results_or_json_as_a_user_may_see_them(scope_world, staff):
    import io
    import json

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("search", "联席会议", stdout=out)
    assert "共 3 条结果" in out.getvalue() and "公开的【联席会议】纪要" not in out.getvalue()
    assert "【联席会议】" in out.getvalue()  # matches bracketed in snippets
    out = io.StringIO()
    call_command("search", "联席会议", "--json", "--user", "staff_a", stdout=out)
    data = json.loads(out.getvalue())
    assert data["count"] == 9 and {"count", "results", "facets", "notices"} <= set(data)
    with pytest.raises(CommandError):
        call_command("search", "联席会议", "--user", "nobody")


def test_long_records_are_masked_around_the_snippet_without_cutting_a_number():
    text = "甲" * 30 + "13912345678" + "乙" * 995 + "噪声扰民" + "丙" * 1490 + "13812345678" + "丁" * 3000
    first, second = text.index("噪声扰民"), text.index("13812345678")
    assert 30 < first - 1000 < 41 and second < first + 1500 < second + 11  # both cuts fall inside a number
    region = service._snippet_region(text, ["噪声扰民"])
    assert "13912345678" in region and "13812345678" in region and len(region) < len(text)


def test_a_long_public_record_is_masked_for_anonymous_visitors(public_complaint):
    from portal.models import ComplaintHandlingPage

    page = ComplaintHandlingPage.objects.get(pk=public_complaint.pk)
    page.result = "经核查，" * 600 + "投诉人（联系电话13912345678）反映夜间施工噪声扰民。" + "已办结。" * 600
    page.save_revision().publish()
    hit = service.search(ANONYMOUS, "噪声扰民").results[0]
    assert "13912345678" not in hit.snippet and "139****5678" in hit.snippet and hit.snippet.startswith("…")
