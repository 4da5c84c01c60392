"""The search service on the portal's own pages: relevance, filters, masking, notices.

Who sees what of a world holding a page of every scope, its facets and filters, odd queries and the
search command: test_service_scopes.py (that world is built once for the module).
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from portal.models import Category, Scope, Validity
from search import service
from search.backends.base import CATEGORY_LABELS, SCOPE_LABELS, VALIDITY_LABELS, SearchUnavailable
from tests.search.worlds import everything_shown

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()


def test_label_tables_mirror_the_model_choices():
    assert CATEGORY_LABELS == dict(Category.choices)
    assert VALIDITY_LABELS == dict(Validity.choices)
    assert SCOPE_LABELS == dict(Scope.choices)


# --- relevance on real texts -----------------------------------------------------------------------

def test_phrase_copied_from_an_article_finds_that_article_first(food_laws):
    law = food_laws["中华人民共和国食品安全法"]
    article = next(a for a in law.articles() if a["label"] == "第三十四条")
    phrase = article["text"].split("：")[-1].split("；")[0][:20]
    page = service.search(ANONYMOUS, phrase)
    first = [r for r in page.flat_results if r.kind == "article"][0]  # beneath its law, the law listed first
    assert page.results[0].title == law.title
    assert first.url.endswith("#第三十四条") and first.parent_title == law.title
    assert "<mark>" in first.snippet


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
    make_regulation(title="关于协作配合的通知", slug="notice", doc_number="测政办字〔2018〕18号",
                    text="第一条 建立协作配合机制。")
    make_regulation(title="引用文件的办法", slug="quoting", text="第一条 依照测政办字〔2018〕18号通知执行。")
    for typed in ("测政办字〔2018〕18号", "测政办字[2018]第18号", "文号:测政办字〔2018〕18号"):
        assert service.search(ANONYMOUS, typed).results[0].title == "关于协作配合的通知", typed


# --- filters ---------------------------------------------------------------------------------------

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


# --- personal data ---------------------------------------------------------------------------------

def test_anonymous_visitors_get_penalty_titles_and_snippets_masked(public_decision, staff):
    public = service.search(ANONYMOUS, "占道经营")
    shown = everything_shown(public, service.suggest(ANONYMOUS, "张"))
    for secret in ("张三", "110101199001011234", "13800138000", "某路18号"):
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


# --- an unreachable engine ------------------------------------------------------------------------

@override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9", SEARCH_ES_TIMEOUT=0.5)
def test_unreachable_elasticsearch_raises_search_unavailable():
    with pytest.raises(SearchUnavailable):
        service.search(ANONYMOUS, "联席会议")
    assert service.suggest(ANONYMOUS, "行政处") == ["行政处罚"] or "行政处罚" in service.suggest(ANONYMOUS, "行政处")


@override_settings(ELASTICSEARCH_URL="not a url at all")
def test_misconfigured_elasticsearch_is_unavailable_not_an_error():
    with pytest.raises(SearchUnavailable):
        service.search(ANONYMOUS, "联席会议")


# --- long records ----------------------------------------------------------------------------------

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
