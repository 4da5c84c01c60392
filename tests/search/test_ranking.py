"""Relevance that survives natural queries (issue 18), on real law texts.

Results grouped by document (one hit per law, its best articles beneath), the fallback that ranks by
how many of the query's concepts a document covers when not all match together, and penalty
provisions first for 怎么罚 questions: on an in-memory FTS5 index of real laws (fast), through the
service on the test database (notice, JSON and the search page), and as the Elasticsearch request
body and response handling (no cluster needed).
"""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
from django.contrib.auth.models import AnonymousUser

from search import service
from search.backends.base import Filters, IndexDoc, penalty_level
from search.backends.elastic import COVER_BOOST, ElasticsearchBackend, build_search
from search.backends.fts5 import FTS5Backend
from search.documents import index_body
from search.query import Query, Term
from search.understanding.prepare import prepare
from tests.search.lawdocs import DATA_DIR, chapters, law_docs
from tests.search.test_lexicon import LAWS, _path

ANONYMOUS = AnonymousUser()


@pytest.fixture(scope="module")
def engine():
    backend = FTS5Backend(connection=sqlite3.connect(":memory:", isolation_level=None))
    backend.index_documents(law_docs([_path(n) for n in LAWS]))
    yield backend
    backend.close()


def ask(engine, raw: str, *, collapse=True, penalty=None, any_group=False, limit=20, offset=0, facets=()):
    prepared = prepare(raw)
    query = dataclasses.replace(prepared.query, collapse=collapse, any_group=any_group,
                                penalty=prepared.understood.penalty if penalty is None else penalty)
    return engine.search(query, Filters(), limit=limit, offset=offset, facets=facets)


def documents_of(engine, raw: str) -> set[int]:
    """Return the page ids of every article or law matching ``raw``, uncollapsed."""
    return {h.fields["page_id"] for h in ask(engine, raw, collapse=False, limit=10_000).hits}


def in_penalty_chapter(hit) -> bool:
    return "法律责任" in (hit.fields["extra"].get("chapter") or "") or "罚则" in (hit.fields["extra"].get("chapter") or "")


# --- grouped by document ------------------------------------------------------------------------------

def test_a_title_query_lists_the_law_once_with_its_articles_beneath(engine):
    results = ask(engine, "药品管理法")
    titles = [h.fields["title"] for h in results.hits]
    assert titles.count("中华人民共和国药品管理法") == 1
    assert not any(t.startswith("中华人民共和国药品管理法 第") for t in titles)
    law = results.hits[0]
    assert law.fields["title"] == "中华人民共和国药品管理法" and law.fields["extra"]["kind"] == "page"
    assert 1 <= len(law.children) <= 3
    assert all(c.id.startswith(law.id + "#") and c.fields["extra"]["kind"] == "article" for c in law.children)
    assert results.count == len(documents_of(engine, "药品管理法"))


def test_collapsed_counts_and_facets_count_documents_not_articles(engine):
    results = ask(engine, "罚款", limit=2, facets=["category", "department"])
    matching = documents_of(engine, "罚款")
    assert results.count == len(matching) > 2
    assert sum(n for _v, n in results.facets["department"]) == results.count
    assert sum(n for _v, n in results.facets["category"]) == results.count
    rest = ask(engine, "罚款", limit=10, offset=2)
    pages = [h.fields["page_id"] for h in results.hits + rest.hits]
    assert len(pages) == len(set(pages)) == len(matching)  # every document once, across pages


def test_without_collapse_every_article_is_its_own_hit(engine):
    results = ask(engine, "药品管理法", collapse=False, limit=5)
    assert results.count > len(documents_of(engine, "药品管理法"))
    assert all(h.children == [] for h in results.hits)


# --- the fallback -------------------------------------------------------------------------------------

def test_a_query_with_an_unmatched_word_falls_back_to_the_documents_holding_the_others(engine):
    assert ask(engine, "违法建设 宇宙飞船").count == 0
    results = ask(engine, "违法建设 宇宙飞船", any_group=True)
    assert results.count == len(documents_of(engine, "违法建设")) > 0
    assert all(h.covered == (0,) for h in results.hits)  # 违法建设 covered, 宇宙飞船 by none


def test_the_fallback_ranks_documents_covering_more_concepts_first(engine):
    raw = "违法建设 饮酒后驾驶机动车 吊销"
    assert ask(engine, raw).count == 0
    results = ask(engine, raw, any_group=True, limit=50)
    covered = [len(h.covered) for h in results.hits]
    assert covered == sorted(covered, reverse=True) and covered[0] == 2 and covered[-1] == 1
    assert "中华人民共和国道路交通安全法" in [h.fields["title"] for h in results.hits if len(h.covered) == 2]


# --- penalty provisions first ---------------------------------------------------------------------------

def test_penalty_articles_come_first_for_a_how_to_punish_question(engine):
    prepared = prepare("药品 怎么处罚")
    assert prepared.understood.penalty
    plain = ask(engine, "药品 怎么处罚", collapse=False, penalty=False, limit=5)
    punished = ask(engine, "药品 怎么处罚", collapse=False, limit=5)
    assert not all(in_penalty_chapter(h) for h in plain.hits)
    assert all(in_penalty_chapter(h) for h in punished.hits)
    assert punished.count == plain.count  # the order changes, never what is found
    law = next(h for h in ask(engine, "药品 怎么处罚").hits if h.fields["title"] == "中华人民共和国药品管理法")
    assert law.children and all(in_penalty_chapter(c) for c in law.children)


def test_a_penalty_is_read_from_the_chapter_or_the_wording_of_the_article():
    assert penalty_level("违反本法规定，未取得药品生产许可证生产药品的，责令关闭，处违法所得十五倍以上三十倍以下的罚款。") == 2
    assert penalty_level("国家鼓励研究和创制新药。", chapter="第十一章 法律责任") == 2
    assert penalty_level("罚款的数额依照本法规定。") == 1
    assert penalty_level("国家鼓励研究和创制新药。", chapter="第二章 药品研制和注册") == 0


def test_the_chapter_of_each_article_is_taken_from_the_law_text():
    found = chapters(DATA_DIR / "食品安全法(2021-04-29).md")
    assert found["第一百二十二条"] == "第九章 法律责任"
    assert found["第一条"] == "第一章 总 则"


# --- the service: notice, per-result missing concepts, JSON and the page -----------------------------------

@pytest.mark.django_db
def test_a_query_with_an_unmatched_word_falls_back_and_says_what_is_missing(food_laws, client):
    page = service.search(ANONYMOUS, "食品召回 宇宙飞船")
    assert page.fallback and page.count > 0
    assert page.missing == ["宇宙飞船"]
    assert "以下结果未包含：宇宙飞船" in page.notices
    assert all(r.missing == ["宇宙飞船"] for r in page.results)
    assert page.as_json()["results"][0]["missing"] == ["宇宙飞船"]
    html = client.get("/search/", {"q": "食品召回 宇宙飞船"}).content.decode()
    assert "以下结果未包含：宇宙飞船" in html and "未包含：宇宙飞船" in html
    assert not service.search(ANONYMOUS, "食品召回 食品安全").fallback  # all words together: no fallback


@pytest.mark.django_db
def test_the_search_page_shows_the_articles_beneath_their_law(food_laws, client):
    page = service.search(ANONYMOUS, "食品安全法 召回")
    titles = [r.title for r in page.results]
    assert len(titles) == len(set(titles)) and "中华人民共和国食品安全法" in titles
    law = page.results[titles.index("中华人民共和国食品安全法")]
    assert law.children and all(c.url.startswith(law.url + "#") and c.anchor.startswith("第") for c in law.children)
    uncollapsed = service.search(ANONYMOUS, "食品安全法 召回", collapse=False, per_page=100)
    assert page.count == len({r.url.split("#")[0] for r in uncollapsed.results}) < uncollapsed.count
    child = page.as_json()["results"][titles.index("中华人民共和国食品安全法")]["children"][0]
    assert set(child) >= {"anchor", "snippet", "url"} and child["url"] == law.children[0].url
    html = client.get("/search/", {"q": "食品安全法 召回"}).content.decode()
    assert f'href="{law.children[0].url}"' in html and 'class="children"' in html


@pytest.mark.django_db
def test_penalty_articles_of_a_held_law_come_first_through_the_service(food_laws):
    penalty = set(k for k, v in chapters(DATA_DIR / "食品安全法(2021-04-29).md").items() if "法律责任" in v)
    page = service.search(ANONYMOUS, "食品召回 怎么处罚")
    law = next(r for r in page.results if r.title == "中华人民共和国食品安全法")
    order = [c.anchor in penalty for c in law.children]
    assert order[0] and order == sorted(order, reverse=True)  # the penalty articles, then the others
    plain = next(r for r in service.search(ANONYMOUS, "食品召回").results if r.title == "中华人民共和国食品安全法")
    assert [c.anchor in penalty for c in plain.children] != order  # without 怎么处罚 another order


# --- the Elasticsearch request body and response ----------------------------------------------------------

def test_the_elasticsearch_mapping_has_the_parent_key_the_results_collapse_on():
    props = index_body()["mappings"]["properties"]
    assert props["parent_id"] == {"type": "keyword"} and props["kind"] == {"type": "keyword"}
    source = ElasticsearchBackend.to_source(IndexDoc(id="page:7#第二条", page_id=7, title="某条例 第二条",
                                                     extra={"kind": "article", "chapter": "第七章 法律责任"}))
    assert source["parent_id"] == "7" and source["kind"] == "article" and source["chapter"] == "第七章 法律责任"
    assert ElasticsearchBackend.to_source(IndexDoc(id="x:1"))["parent_id"] == "x:1"


def test_the_elasticsearch_request_collapses_on_the_parent_and_counts_documents():
    query = dataclasses.replace(prepare("药品管理法").query, collapse=True)
    request = build_search(query, facets=["category"]).to_dict()
    assert request["collapse"]["field"] == "parent_id"
    assert request["collapse"]["inner_hits"]["name"] == "children" and request["collapse"]["inner_hits"]["size"] == 4
    assert request["aggs"]["documents"]["aggs"]["documents"]["cardinality"]["field"] == "parent_id"
    assert request["aggs"]["category"]["aggs"]["values"]["aggs"]["documents"]["cardinality"]["field"] == "parent_id"
    assert "collapse" not in build_search(prepare("药品管理法").query).to_dict()


def test_the_elasticsearch_fallback_names_each_concept_and_penalty_weights_the_score():
    query = dataclasses.replace(prepare("违法建设 宇宙飞船 怎么处罚").query, any_group=True, penalty=True)
    request = build_search(query).to_dict()
    text = str(request)
    assert "'_name': 'g0'" in text and "'_name': 'g1'" in text and f"'boost': {COVER_BOOST}" in text
    function_score = request["query"]["function_score"]
    assert function_score["score_mode"] == "multiply"
    assert [f["weight"] for f in function_score["functions"]][-2:] == [3.0, 1.5]
    assert "法律责任" in str(function_score["functions"][-2])


class _Answering:
    """A stand-in for the client's search call (isolates the response handling from a cluster)."""

    def __init__(self, response):
        self.response = response

    def search(self, index, **body):
        self.body = body
        return self.response


def _es_hit(doc_id, score, kind, named=()):
    return {"_id": doc_id, "_score": score, "matched_queries": list(named),
            "_source": {"doc_id": doc_id, "page_id": 7, "title": doc_id, "body": "违反本条例规定的，处罚款。",
                        "extra": {"kind": kind, "article": doc_id.partition("#")[2] or None}}}


def test_elasticsearch_hits_become_one_per_document_with_children_and_concepts():
    law, art = _es_hit("page:7", 2.0, "page", ["g0"]), _es_hit("page:7#第二条", 5.0, "article", ["g1"])
    top = dict(art, inner_hits={"children": {"hits": {"hits": [art, law]}}})
    client = _Answering({"hits": {"total": {"value": 2}, "hits": [top]},
                         "aggregations": {"documents": {"doc_count": 2, "documents": {"value": 1}},
                                          "category": {"doc_count": 2, "values": {"buckets": [
                                              {"key": "法律法规", "doc_count": 2, "documents": {"value": 1}}]}}}})
    backend = ElasticsearchBackend(client=client, index="portal")
    query = Query(raw="a b", groups=[[Term("违法建设")], [Term("罚款")]], collapse=True, any_group=True)
    results = backend.search(query, facets=["category"])
    assert results.count == 1 and results.facets["category"] == [("法律法规", 1)]
    (hit,) = results.hits
    assert hit.id == "page:7" and hit.score == 5.0 and [c.id for c in hit.children] == ["page:7#第二条"]
    assert hit.covered == (0, 1)
