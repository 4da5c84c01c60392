"""The conveniences of issue 18 around the search boxes: suggestions with links (titles open their page),
热搜词 from the query log and 推荐结果 — each within the viewer's scope and never showing personal data."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.contrib.search_promotions.models import Query as PromotionQuery
from wagtail.contrib.search_promotions.models import SearchPromotion

from search import service
from search.models import QueryCount
from tests.search.worlds import SCOPE_PAGES

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()
NON_PUBLIC = [title for title, scope, _owner, _secret in SCOPE_PAGES if scope != "public"]


def test_a_suggested_title_links_to_its_page_and_a_term_to_the_search_page(scope_world):
    entries = service.suggest_entries(ANONYMOUS, "公开的")
    assert entries[0] == {"text": "公开的联席会议纪要", "kind": "title",
                          "url": scope_world["公开的联席会议纪要"].get_url(), "hint": ""}
    terms = service.suggest_entries(ANONYMOUS, "行政处")
    term = next(e for e in terms if e["text"] == "行政处罚")
    assert term["kind"] == "term" and term["url"].startswith("/search/?q=")


def test_an_anonymous_user_never_sees_a_non_public_title_in_suggestions(scope_world, client):
    shown = json.dumps([service.suggest_entries(ANONYMOUS, p) for p in ("执法局", "住建局", "共享的", "联席")],
                       ensure_ascii=False)
    shown += client.get("/api/search/suggest/", {"q": "执法局", "detail": "1"}).content.decode()
    assert not [title for title in NON_PUBLIC if title in shown]
    assert not [scope_world[t].get_url() for t in NON_PUBLIC if scope_world[t].get_url() in shown]


def test_staff_suggestions_link_their_own_departments_internal_page_but_never_a_private_one(scope_world, staff):
    entries = {e["text"]: e for e in service.suggest_entries(staff[0], "执法局")}
    assert entries["执法局内部联席会议纪要"]["url"] == scope_world["执法局内部联席会议纪要"].get_url()
    assert "执法局不予共享联席会议纪要" not in entries


def test_a_colloquial_word_is_suggested_with_the_legal_terms_it_also_searches():
    entries = service.suggest_entries(ANONYMOUS, "私搭")
    entry = next(e for e in entries if e["text"] == "私搭乱建")
    assert entry["kind"] == "lexicon" and entry["hint"].startswith("同时检索：") and "违法建设" in entry["hint"]


def test_the_suggest_api_keeps_its_plain_list_and_gives_details_on_request(scope_world, client):
    plain = json.loads(client.get("/api/search/suggest/", {"q": "公开的"}).content)
    detailed = json.loads(client.get("/api/search/suggest/", {"q": "公开的", "detail": "1"}).content)
    assert plain == ["公开的联席会议纪要"] and detailed[0]["text"] == "公开的联席会议纪要" and detailed[0]["url"]


def test_every_page_header_holds_a_search_form_that_works_without_javascript(client, site_tree, staff):
    pages = [client.get(path) for path in ("/", "/search/", "/no-such-page/")]
    client.force_login(staff[0])
    pages.append(client.get("/staff/"))
    assert [p.status_code for p in pages] == [200, 200, 404, 200]
    for response in pages:
        html = response.content.decode()
        assert '<form class="header-search" role="search" action="/search/" method="get">' in html
        assert 'name="q"' in html and 'data-suggest-url="/api/search/suggest/"' in html
        assert '<script src="/static/js/suggest.js" defer></script>' in html
        assert "<script>" not in html  # the CSP forbids inline scripts


# --- 您是不是要找 ---------------------------------------------------------------------------------

def test_a_mistyped_law_title_that_finds_nothing_shows_the_corrections_results_with_a_link_to_the_words_typed(
        client, make_regulation):
    make_regulation(title="中华人民共和国行政处罚法", slug="xzcff", scope="public",
                    text="第一条 为了规范行政处罚的设定和实施，制定本法。")
    html = client.get("/search/", {"q": "行政处法"}).content.decode()
    assert "“行政处法”未找到结果，已为您显示“行政处罚法”的结果。" in html
    assert '仍然检索：<a href="?q=%E8%A1%8C%E6%94%BF%E5%A4%84%E6%B3%95&amp;exact=1">行政处法</a>' in html
    assert "中华人民共和国行政处罚法" in html
    data = json.loads(client.get("/api/search/", {"q": "行政处法"}).content)
    assert data["corrected"] == {"from": "行政处法", "to": "行政处罚法"} and data["count"] == 1
    # As typed (the link): the words searched as typed, and the correction offered.
    html = client.get("/search/", {"q": "行政处法", "exact": "1"}).content.decode()
    assert '您是不是要找：<a href="?q=%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A%E6%B3%95">行政处罚法</a>' in html
    exact = json.loads(client.get("/api/search/", {"q": "行政处法", "exact": "1"}).content)
    assert exact["did_you_mean"] == "行政处罚法" and exact["corrected"] is None


def test_a_non_public_title_is_never_proposed_as_a_correction(client, make_regulation, staff):
    make_regulation(title="某区内部执法协作规程", slug="inner", scope="internal", text="第一条 内部协作。")
    client.force_login(staff[0])
    assert service.did_you_mean("某区内部执法协做规程") == ""
    assert "您是不是要找" not in client.get("/search/", {"q": "某区内部执法协做规程"}).content.decode()


def test_the_results_page_says_which_legal_terms_were_searched_too(client, site_tree):
    html = client.get("/search/", {"q": "私搭乱建"}).content.decode()
    assert "同时检索：违法建设、未取得建设工程规划许可证（“私搭乱建”的法律用语）" in html


# --- 热搜词 -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["110101199003071234 罚款", "罚款 13812345678", "账号 6222020200112233445",
                                   "程秀兰 罚款", "文号:周政办字〔2018〕18号"])
def test_a_query_with_personal_data_or_field_syntax_is_never_logged(query, scope_world, client):
    assert service.log_query(ANONYMOUS, query, 5) is False
    client.get("/search/", {"q": query})
    assert not QueryCount.objects.exists()


def test_searches_are_counted_by_day_and_shown_as_hot_query_links(scope_world, client):
    for _ in range(3):
        service.log_query(ANONYMOUS, "联席会议", 3)
    service.log_query(ANONYMOUS, "纪要", 1)
    service.log_query(ANONYMOUS, "没有结果的词", 0)  # a search that found nothing is not counted
    assert list(QueryCount.objects.values_list("text", "count")) == [("联席会议", 3), ("纪要", 1)]
    assert [h["text"] for h in service.hot_queries(ANONYMOUS)] == ["联席会议", "纪要"]
    html = client.get("/search/").content.decode()
    assert "热搜词" in html and '<a href="/search/?q=%E8%81%94%E5%B8%AD%E4%BC%9A%E8%AE%AE" rel="nofollow">联席会议</a>' in html


def test_a_search_on_the_page_is_counted_once_and_its_further_pages_not_at_all(scope_world, client):
    client.get("/search/", {"q": "联席会议"})
    client.get("/search/", {"q": "联席会议", "page": "2", "per_page": "1"})
    assert QueryCount.objects.get(text="联席会议").count == 1


def test_staff_searches_are_never_shown_to_the_public_nor_a_title_the_viewer_may_not_open(scope_world, staff):
    staff_a, staff_b = staff
    service.log_query(staff_a, "执法局内部联席会议纪要", 1)
    service.log_query(staff_a, "联席会议", 1)
    assert service.hot_queries(ANONYMOUS) == []
    assert [h["text"] for h in service.hot_queries(staff_a)] == ["执法局内部联席会议纪要", "联席会议"]
    assert [h["text"] for h in service.hot_queries(staff_b)] == ["联席会议"]


def test_only_searches_whose_words_a_public_visitor_finds_together_become_hot_queries(scope_world, staff, client):
    client.force_login(staff[0])
    client.get("/search/", {"q": "执法局内部联席会议纪要"})  # found by its department's staff only
    client.get("/search/", {"q": "联席会议"})  # found by everybody
    client.logout()
    client.get("/search/", {"q": "联席会议 不存在的词语"})  # the fallback's partial matches: not counted
    assert list(QueryCount.objects.values_list("text", "audience")) == [("联席会议", QueryCount.STAFF)]
    assert [h["text"] for h in service.hot_queries(staff[1])] == ["联席会议"]


# --- 推荐结果 ---------------------------------------------------------------------------------------

def test_promoted_pages_show_above_the_results_only_to_viewers_who_may_open_them(scope_world, staff, client):
    query = PromotionQuery.get("联席会议")
    SearchPromotion.objects.create(query=query, page=scope_world["执法局内部联席会议纪要"], sort_order=0,
                                   description="内部推荐")
    SearchPromotion.objects.create(query=query, page=scope_world["公开的联席会议纪要"], sort_order=1,
                                   description="本区联席会议制度的公开纪要")
    assert [p["title"] for p in service.promotions(ANONYMOUS, " 联席会议 ")] == ["公开的联席会议纪要"]
    assert [p["title"] for p in service.promotions(staff[0], "联席会议")] == ["执法局内部联席会议纪要", "公开的联席会议纪要"]
    assert [p["title"] for p in service.promotions(staff[1], "联席会议")] == ["公开的联席会议纪要"]
    html = client.get("/search/", {"q": "联席会议"}).content.decode()
    assert "推荐结果" in html and "本区联席会议制度的公开纪要" in html and "内部推荐" not in html
    assert html.index("推荐结果") < html.index('<ol class="results">')
