"""The search page, the JSON API and suggestions: what each visitor gets back over HTTP."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from portal.models import Scope
from tests.search.worlds import SCOPE_PAGES

pytestmark = pytest.mark.django_db
UNAVAILABLE = "检索服务暂时不可用"


def html_of(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def api(client, **params) -> dict:
    response = client.get("/api/search/", params)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_the_search_page_shows_highlighted_results_facets_and_the_query(client, scope_world):
    html = html_of(client, q="联席会议")
    assert "共 1 条结果" in html  # one document, its two articles beneath it
    assert "公开的<mark>联席会议</mark>纪要" in html
    assert 'value="联席会议"' in html
    assert "发布机构" in html and "测试区综合行政执法局</a> <span class=\"count\">(1)</span>" in html
    assert "共享的联席会议纪要" not in html


def test_an_empty_search_page_shows_the_form_without_results(client, scope_world):
    html = html_of(client)
    assert 'name="q"' in html and "含已废止" in html and "共 " not in html


def test_article_hits_link_to_their_anchor(client, make_regulation):
    make_regulation(title="户外广告设置管理办法", slug="ads", text="第一条 规范户外广告。\n\n第二条 设置招牌应当向主管部门备案。")
    html = html_of(client, q="招牌备案")
    assert 'href="/laws/ads/#第二条"' in html and "条文 第二条" in html


def test_text_from_pages_and_queries_is_escaped(client, make_regulation):
    make_regulation(title="<script>alert(1)</script>执法办法", slug="xss",
                    text="第一条 <img src=x onerror=alert(2)>执法人员应当出示证件。")
    html = html_of(client, q='执法 "<script>"')
    assert "<script>alert" not in html and "<img src=x" not in html
    html = html_of(client, q="执法人员")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x" in html


def test_facet_links_keep_the_query_and_add_the_filter(client, scope_world, staff):
    client.force_login(staff[0])
    html = html_of(client, q="联席会议")
    assert "?q=%E8%81%94%E5%B8%AD%E4%BC%9A%E8%AE%AE&amp;year=2021" in html
    narrowed = html_of(client, q="联席会议", year="2021")
    assert "共 1 条结果" in narrowed and 'aria-current="true" title="取消此条件"' in narrowed


def test_bad_filter_values_are_ignored_with_a_notice_on_the_page(client, scope_world):
    html = html_of(client, q="联席会议", category="无此类别", year="明年", sort="乱序", page="第二页")
    assert "没有名为“无此类别”的类别" in html and "年份“明年”无法识别" in html
    assert "共 1 条结果" in html


def test_results_are_paginated(client, make_regulation):
    for n in range(13):  # each found once: the page, its 第一条 beneath it
        make_regulation(title=f"第{n}号占道整治通知", slug=f"notice-{n}", text="第一条 开展整治。")
    first = html_of(client, q="占道整治", per_page=10)
    assert "共 13 条结果，第 1/2 页" in first and 'rel="next nofollow"' in first
    second = api(client, q="占道整治", page=2, per_page=10)
    assert second["page"] == 2 and len(second["results"]) == 3


def test_staff_see_their_scope_through_the_session(client, scope_world, staff):
    anonymous = {r["title"] for r in api(client, q="联席会议")["results"]}
    client.force_login(staff[0])
    signed_in = {r["title"] for r in api(client, q="联席会议", per_page=50)["results"]}
    assert "执法局内部联席会议纪要" in signed_in and "执法局内部联席会议纪要" not in anonymous
    leaks = [t for t, scope, owner, _s in SCOPE_PAGES if scope == Scope.PRIVATE or (scope == Scope.INTERNAL and owner == "b")]
    assert not [t for t in signed_in if any(t.startswith(leak) for leak in leaks)]


def test_the_api_answers_in_the_documented_shape(client, scope_world):
    data = api(client, q="联席会议", sort="date")
    assert set(data) >= {"count", "results", "facets", "notices"}
    assert data["count"] == 1 and set(data["facets"]) == {"category", "department", "validity", "year"}
    first = data["results"][0]
    assert set(first) >= {"title", "url", "doc_number", "category", "department", "validity", "date", "snippet", "score"}
    assert first["category"] == "法律法规规章和规范性文件" and first["validity"] == "现行有效"
    assert [r["date"] for r in data["results"]] == sorted((r["date"] for r in data["results"]), reverse=True)
    assert any("<mark>联席会议</mark>" in r["snippet"] for r in data["results"])


def test_the_api_filters_by_department_alias(client, scope_world, departments):
    data = api(client, department="城管")
    assert data["count"] == 1 and {r["department"] for r in data["results"]} == {departments[0].name}


def test_suggestions_are_a_json_list_within_scope(client, scope_world):
    response = client.get("/api/search/suggest/", {"q": "公开的"})
    assert response.status_code == 200 and json.loads(response.content) == ["公开的联席会议纪要"]
    assert json.loads(client.get("/api/search/suggest/", {"q": "住建局内部"}).content) == []
    assert json.loads(client.get("/api/search/suggest/").content) == []


def test_search_is_read_only(client):
    assert client.post("/search/", {"q": "x"}).status_code == 405
    assert client.post("/api/search/", {"q": "x"}).status_code == 405


@override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9", SEARCH_ES_TIMEOUT=0.5)
def test_an_unreachable_engine_gives_a_chinese_notice_and_the_site_keeps_working(client, site_tree):
    response = client.get("/search/", {"q": "联席会议"})
    assert response.status_code == 503 and UNAVAILABLE in response.content.decode()
    response = client.get("/api/search/", {"q": "联席会议"})
    assert response.status_code == 503 and UNAVAILABLE in json.loads(response.content)["notices"][0]
    assert client.get("/api/search/suggest/", {"q": "行政"}).status_code == 200
    assert client.get("/").status_code == 200
