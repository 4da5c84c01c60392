"""The conveniences of issue 18 around the search boxes: suggestions with links (titles open their page),
热搜词 from the query log and 推荐结果 — each within the viewer's scope and never showing personal data."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from search import service
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


def test_every_page_header_holds_a_search_form_that_works_without_javascript(client, site_tree):
    html = client.get("/search/").content.decode()
    assert 'class="header-search" role="search" action="/search/" method="get"' in html
    assert 'data-suggest-url="/api/search/suggest/"' in html and "js/suggest.js" in html
    assert "<script>" not in html  # the CSP forbids inline scripts


# --- 您是不是要找 ---------------------------------------------------------------------------------

def test_a_mistyped_law_title_gets_a_correction_link_on_the_results_page(client, make_regulation):
    make_regulation(title="中华人民共和国行政处罚法", slug="xzcff", scope="public",
                    text="第一条 为了规范行政处罚的设定和实施，制定本法。")
    html = client.get("/search/", {"q": "行政处法"}).content.decode()
    assert '您是不是要找：<a href="/search/?q=%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A%E6%B3%95">行政处罚法</a>' in html
    assert json.loads(client.get("/api/search/", {"q": "行政处法"}).content)["did_you_mean"] == "行政处罚法"


def test_a_non_public_title_is_never_proposed_as_a_correction(client, make_regulation, staff):
    make_regulation(title="某区内部执法协作规程", slug="inner", scope="internal", text="第一条 内部协作。")
    client.force_login(staff[0])
    assert service.did_you_mean("某区内部执法协做规程") == ""
    assert "您是不是要找" not in client.get("/search/", {"q": "某区内部执法协做规程"}).content.decode()


def test_the_results_page_says_which_legal_terms_were_searched_too(client, site_tree):
    html = client.get("/search/", {"q": "私搭乱建"}).content.decode()
    assert "同时检索：违法建设、未取得建设工程规划许可证（“私搭乱建”的法律用语）" in html
