"""The Elasticsearch backend without a cluster: mapping, request bodies (``to_dict()``), alias swaps.

The contract and relevance suites run against a real cluster when ELASTICSEARCH_URL is set; these
tests pin down what the backend sends, so they run everywhere.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json

import pytest

from search import synonyms
from search.backends.base import Filters, IndexDoc, SearchUnavailable
from search.backends.elastic import (
    DOC_NUMBER_BOOST,
    TITLE_IS_QUERY_BOOST,
    ElasticsearchBackend,
    build_search,
    build_suggest,
)
from search.documents import FIELD_BOOSTS, index_body
from search.query import Query, Term, parse_query
from search.segment import segment_for_fts

ANONYMOUS = Filters()
STAFF_A = Filters(allowed_scopes=("公开", "共享", "部门内部"), viewer_department="ZFA")


def body(raw: str, filters: Filters = ANONYMOUS, **kwargs) -> dict:
    return build_search(parse_query(raw), filters, **kwargs).to_dict()


def core(request: dict) -> dict:
    """Return the bool query inside the function_score."""
    return request["query"]["function_score"]["query"]["bool"]


def text_must(request: dict) -> list:
    """Return the clauses of the query's words (inside the exact-doc-number alternative)."""
    return core(request)["must"][0]["bool"]["should"][0]["bool"]["must"]


def find(tree, key):
    """Yield every value stored under ``key`` anywhere in a nested dict/list."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            if k == key:
                yield v
            yield from find(v, key)
    elif isinstance(tree, list):
        for item in tree:
            yield from find(item, key)


# --- the schema ------------------------------------------------------------------------------------

def test_the_mapping_declares_every_field_of_the_index_schema():
    mapping = index_body()["mappings"]
    props = mapping["properties"]
    assert mapping["dynamic"] == "strict"
    for name in ("doc_id", "category", "department", "validity", "scope", "owner_department", "title_key",
                 "doc_number_key", "title_norm", "doc_number"):
        assert props[name]["type"] == "keyword", name
    assert props["date"]["type"] == "date" and props["year"]["type"] == "integer" and props["page_id"]["type"] == "integer"
    for name in ("title", "body", "keywords"):  # originals: shown and cut into snippets, never searched
        assert props[name] == {"type": "text", "index": False}
    for name in FIELD_BOOSTS:  # segmented by the application, split on spaces by any stock cluster
        assert props[name] == {"type": "text", "analyzer": "whitespace", "search_analyzer": "whitespace"}
    assert props["extra"] == {"type": "object", "enabled": False}
    settings = index_body()["settings"]
    assert (settings["number_of_shards"], settings["auto_expand_replicas"]) == (1, "0-1")
    assert "number_of_replicas" not in settings  # a replica as soon as a second node is there
    for name in ("department", "category", "doc_number_key", "title_norm", "chapter"):  # "contains" without wildcards
        assert props[name]["fields"]["chars"]["analyzer"] == "chars", name
    assert settings["analysis"]["tokenizer"]["one_char"] == {"type": "ngram", "min_gram": 1, "max_gram": 1}


def test_a_document_source_holds_original_and_segmented_text():
    doc = IndexDoc(id="page:7#第二条", page_id=7, url="/laws/x/#第二条", title="建立综合行政执法联席会议制度",
                   doc_number="测政办字〔2018〕18号", body="联席会议每季度召开一次。", category="laws",
                   validity="in_force", scope="public", date=dt.date(2018, 3, 16))
    source = ElasticsearchBackend.to_source(doc)
    assert source["title"] == doc.title and source["body"] == doc.body
    assert source["title_seg"] == segment_for_fts(doc.title)
    assert {"执法", "联席", "会议"} <= set(source["title_seg"].split())
    assert source["doc_number_key"] == "测政办字[2018]18号"
    assert source["category"] == "法律法规规章和规范性文件" and source["validity"] == "现行有效" and source["scope"] == "公开"
    assert source["date"] == "2018-03-16" and source["year"] == 2018


# --- the search request ----------------------------------------------------------------------------

def test_scope_is_a_filter_inside_the_query_for_every_viewer():
    anonymous = core(body("联席会议"))["filter"][0]
    assert anonymous == {"bool": {"should": [{"terms": {"scope": ["公开"]}}], "minimum_should_match": 1}}
    staff = core(body("联席会议", STAFF_A))["filter"][0]["bool"]["should"]
    assert staff == [{"terms": {"scope": ["公开", "共享"]}},
                     {"bool": {"filter": [{"terms": {"scope": ["部门内部"]}}, {"term": {"owner_department": "ZFA"}}]}}]
    superuser = core(body("联席会议", Filters(allowed_scopes=("公开", "共享", "部门内部"), all_departments=True)))
    assert superuser["filter"][0]["bool"]["should"][1] == {"terms": {"scope": ["部门内部"]}}
    nobody = core(body("联席会议", Filters(allowed_scopes=("部门内部",))))["filter"][0]
    assert nobody == {"bool": {"must_not": [{"match_all": {}}]}}


def test_facets_are_aggregations_of_the_same_scoped_request():
    request = body("联席会议", STAFF_A, facets=["category", "department", "validity", "year"])
    assert set(request["aggs"]) == {"category", "department", "validity", "year"}
    assert request["aggs"]["year"] == {"filter": {"match_all": {}},
                                       "aggs": {"values": {"terms": {"field": "year", "size": 200}}}}
    assert "post_filter" not in request  # nothing chosen: nothing to filter after the aggregations


def test_chosen_facet_values_filter_the_hits_afterwards_and_every_other_facet():
    chosen = Filters(allowed_scopes=STAFF_A.allowed_scopes, viewer_department="ZFA", departments=["区住建局"],
                     years=[2020])
    request = body("联席会议", chosen, facets=["department", "year", "category"])
    assert request["post_filter"] == {"bool": {"filter": [{"terms": {"department": ["区住建局"]}},
                                                          {"terms": {"year": [2020]}}]}}
    assert request["aggs"]["department"]["filter"] == {"bool": {"filter": [{"terms": {"year": [2020]}}]}}
    assert request["aggs"]["year"]["filter"] == {"bool": {"filter": [{"terms": {"department": ["区住建局"]}}]}}
    assert len(request["aggs"]["category"]["filter"]["bool"]["filter"]) == 2
    scope = core(request)["filter"]
    assert scope[0]["bool"]["should"][0] == {"terms": {"scope": ["公开", "共享"]}}  # scope stays in the query
    assert "区住建局" not in json.dumps(scope, ensure_ascii=False)
    assert request["track_total_hits"] is True


def test_words_are_sloppy_phrases_over_boosted_fields():
    clause = text_must(body("执法联席"))[0]["multi_match"]
    assert clause["query"] == "执法 联席" and clause["type"] == "phrase" and clause["slop"] > 0
    assert clause["fields"] == ["title_seg^10", "doc_number_seg^5", "keywords_seg^3", "body_seg^1"]


def test_a_quoted_phrase_must_match_adjacent_tokens_or_a_tight_window():
    should = text_must(body('"责令改正"'))[0]["bool"]["should"]
    exact, near = should[0]["multi_match"], should[1]["multi_match"]
    assert exact["query"] == "责令 改正 责令改正" and exact["slop"] == 0
    assert near["query"] == "责令 改正" and near["slop"] == 5


def test_title_filter_searches_the_title_only_and_exclusions_are_must_not():
    request = core(body("标题:食品安全法 罚款 -警告"))
    fields = list(find(request["must"], "fields"))
    assert ["title_seg^10"] in fields
    assert request["must_not"] == [{"multi_match": {"query": "警告", "fields": list(fields[-1]), "type": "most_fields"}}]


def test_synonyms_are_alternatives_of_a_word():
    synonyms.add_group(["城管", "城市管理局"])
    try:
        alternatives = text_must(body("城管"))[0]["bool"]["should"]
        queries = {a["multi_match"]["query"] for a in alternatives}
        assert {"城管", "城市 管理局"} <= queries or {"城管", "城市 管理 管理局"} & queries
    finally:
        synonyms.reset()


def test_exact_document_number_and_exact_title_outrank_bm25():
    request = core(body("周政办字[2018]第18号"))
    should = request["must"][0]["bool"]["should"]
    number = should[1]["constant_score"]
    assert number == {"filter": {"term": {"doc_number_key": "周政办字[2018]18号"}}, "boost": DOC_NUMBER_BOOST}
    title = core(body("中华人民共和国食品安全法"))["must"][0]["bool"]["should"][0]["bool"]["should"][0]
    assert title == {"constant_score": {"filter": {"term": {"title_key": "食品安全法"}}, "boost": TITLE_IS_QUERY_BOOST}}


def test_validity_multiplies_the_score():
    function_score = body("罚款")["query"]["function_score"]
    weights = {f["filter"]["term"]["validity"]: f["weight"] for f in function_score["functions"]}
    assert weights == {"尚未生效": 0.9, "已修订": 0.6, "已废止": 0.5}
    assert function_score["boost_mode"] == "multiply" and function_score["score_mode"] == "first"


def test_sorting_pagination_and_stored_fields():
    assert body("罚款")["sort"] == ["_score", {"date": {"order": "desc", "missing": "_last"}}]
    assert body("罚款", sort="date")["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    assert body("罚款", sort="date_asc")["sort"][0] == {"date": {"order": "asc", "missing": "_last"}}
    request = body("罚款", offset=40, limit=20)
    assert request["from"] == 40 and request["size"] == 20
    assert request["_source"] == {"excludes": ["*_seg", "*_squash", "content_hash"]}


def test_field_filters_of_the_query_language():
    synonyms.add_group(["城管", "综合行政执法局"])
    try:
        filters = core(body("罚款 部门:城管 年份:2018-2020 有效性:废止 文号:周政办字"))["filter"]
    finally:
        synonyms.reset()
    text = json.dumps(filters, ensure_ascii=False)
    assert '"range": {"year": {"gte": 2018, "lte": 2020}}' in text
    assert '{"term": {"validity": "已废止"}}' in text
    assert '{"match_phrase": {"department.chars": "综合行政执法局"}}' in text and '"城管"' in text
    assert '{"match_phrase": {"doc_number_key.chars": "周政办字"}}' in text
    assert "wildcard" not in text


def test_an_empty_query_browses_and_an_unindexable_one_matches_nothing():
    assert core(body(""))["must"] == [{"match_all": {}}]
    assert core(body('"*"'))["must"] == [{"match_all": {}}]
    assert build_search(Query(raw="《》", groups=[[Term("《》")]]), ANONYMOUS) is None


def test_engine_syntax_is_only_ever_a_value():
    request = body('NEAR( "a*b?" \\ title_seg:x {"script": 1}')
    assert not list(find(request, "script")) and not list(find(request, "query_string"))
    assert not list(find(request, "wildcard")) and not list(find(request, "regexp"))
    queries = list(find(request, "query"))
    assert "script" in [q for q in queries if isinstance(q, str)]  # typed text stays a value to match


def test_suggestions_look_for_title_prefixes_first_within_scope():
    request = build_suggest("食品*?", STAFF_A, limit=5).to_dict()
    should = request["query"]["bool"]["must"][0]["bool"]["should"]
    assert should[0] == {"prefix": {"title_norm": {"value": "食品*?", "boost": 2.0}}}
    assert should[1] == {"match_phrase": {"title_norm.chars": "食品*?"}}  # no leading wildcard, * is a character
    assert request["query"]["bool"]["filter"][0]["bool"]["should"][0] == {"terms": {"scope": ["公开", "共享"]}}
    assert request["size"] == 25


# --- the backend against a recording client --------------------------------------------------------

class Recorder:
    """A stand-in for the elasticsearch-py client: remembers calls, answers from a small state."""

    def __init__(self):
        self.aliases: dict[str, set[str]] = {}
        self.indices_created: list[tuple[str, dict]] = []
        self.deleted: list[str] = []
        self.alias_actions: list[list[dict]] = []
        self.bulk_requests: list[list[dict]] = []
        self.bulk: list[dict] = []  # every action that reached an index: _index resolved, _id, _source
        self.indices = self

    # indices API
    def get_alias(self, index, **kwargs):
        return {name: {"aliases": {a: {} for a in names}} for name, names in self.aliases.items()
                if fnmatch.fnmatch(name, index)}

    def create(self, index, **body):
        self.indices_created.append((index, body))
        self.aliases.setdefault(index, set())

    def update_aliases(self, actions):
        self.alias_actions.append(actions)
        for action in actions:
            (kind, spec), = action.items()
            names = self.aliases.setdefault(spec["index"], set())
            names.add(spec["alias"]) if kind == "add" else names.discard(spec["alias"])

    def delete(self, index, **kwargs):
        self.deleted.append(index)
        self.aliases.pop(index, None)

    def refresh(self, index):
        pass

    def close(self):
        pass

    def _bulk(self, operations, refresh):
        """Answer one bulk request as a cluster would (require_alias: an action on a missing alias fails)."""
        self.bulk_requests.append(operations)
        items = []
        for action, payload in zip(operations[0::2], operations[1::2], strict=True):
            (kind, meta), = action.items()
            target = [n for n, names in self.aliases.items() if meta["_index"] in names or n == meta["_index"]]
            if not target or (meta.get("require_alias") and target == [meta["_index"]]):
                items.append({kind: {"status": 404, "error": {"type": "index_not_found_exception"}}})
                continue
            source = payload["script"]["params"]["doc"] if kind == "update" else payload
            self.bulk.append({"_index": target[0], "_id": meta["_id"], "_source": source})
            items.append({kind: {"status": 201, "result": "created"}})
        return {"errors": False, "items": items}


class _Meta:
    def __init__(self, status):
        self.status = status
        self.headers = {}


@pytest.fixture
def recorded():
    client = Recorder()
    client_bulk = client._bulk
    backend = ElasticsearchBackend(client=client, index="portal")
    client.bulk = []
    backend.client.raw = type("Raw", (), {"bulk": staticmethod(client_bulk), "indices": client,
                                          "search": None, "close": client.close})()
    return backend, client


def test_writes_create_the_first_version_behind_the_alias(recorded):
    backend, client = recorded
    backend.index_documents([IndexDoc(id="page:1", page_id=1, title="联席会议制度", body="建立联席会议制度。")])
    assert client.indices_created[0][0] == "portal-v1"
    assert client.indices_created[0][1]["mappings"]["_meta"]["dictionary"].startswith("userdict-")
    assert client.aliases["portal-v1"] == {"portal"}
    action = client.bulk[0]
    assert action["_index"] == "portal-v1" and action["_id"] == "page:1"
    assert action["_source"]["body_seg"] == segment_for_fts("建立联席会议制度。")


def test_rebuild_fills_a_new_version_and_swaps_the_alias_atomically(recorded):
    backend, client = recorded
    backend.ensure_index()
    docs = [IndexDoc(id=f"page:{n}", page_id=n, title=f"文件{n}", body="联席会议。") for n in range(5)]
    assert backend.rebuild(docs, batch=2) == 5
    assert [a["_index"] for a in client.bulk] == ["portal-v2"] * 5
    swap = client.alias_actions[-1]
    assert swap == [{"remove": {"index": "portal-v1", "alias": "portal"}},
                    {"add": {"index": "portal-v2", "alias": "portal"}},
                    {"remove": {"index": "portal-v2", "alias": "portal-next"}}]
    assert client.deleted == ["portal-v1"] and client.aliases == {"portal-v2": {"portal"}}


def test_writes_during_a_rebuild_reach_the_old_and_the_new_version(recorded):
    backend, client = recorded
    backend.ensure_index()
    client.create("portal-v2")
    client.update_aliases([{"add": {"index": "portal-v2", "alias": "portal-next"}}])
    backend.index_documents([IndexDoc(id="page:9", page_id=9, title="新文件", body="正文")])
    assert sorted(a["_index"] for a in client.bulk) == ["portal-v1", "portal-v2"]


def test_results_are_read_from_the_response_with_snippets_from_the_original_text(recorded, monkeypatch):
    backend, client = recorded
    response = {
        "hits": {"total": {"value": 1}, "hits": [{"_id": "page:3", "_score": 12.5, "_source": {
            "doc_id": "page:3", "page_id": 3, "url": "/laws/3/", "title": "联席会议制度", "doc_number": "",
            "category": "法律法规规章和规范性文件", "department": "区综合行政执法局", "validity": "现行有效",
            "scope": "公开", "owner_department": "ZFA", "date": "2020-05-01", "year": 2020, "extra": {"kind": "page"},
            "body": "建立<b>联席会议</b>制度。"}}]},
        "aggregations": {"year": {"doc_count": 1, "values": {"buckets": [{"key": 2020, "doc_count": 1}]}},
                         "department": {"doc_count": 3, "values": {"buckets": [{"key": "", "doc_count": 3}]}}},
    }
    backend.client.raw.search = lambda index, **body: response
    results = backend.search(parse_query("联席会议"), facets=["year", "department"])
    hit = results.hits[0]
    assert results.count == 1 and hit.id == "page:3" and hit.score == 12.5 and hit.fields["date"] == dt.date(2020, 5, 1)
    assert hit.snippet == "建立&lt;b&gt;<mark>联席会议</mark>&lt;/b&gt;制度。"
    assert results.facets == {"year": [(2020, 1)], "department": []}


def test_an_unreachable_cluster_is_unavailable_and_not_asked_again_at_once():
    backend = ElasticsearchBackend("http://127.0.0.1:9", timeout=0.5, cooldown=60)
    with pytest.raises(SearchUnavailable):
        backend.search(parse_query("联席会议"))
    calls = []
    backend.client = type("Client", (), {"search": lambda *a, **k: calls.append(1)})()
    with pytest.raises(SearchUnavailable):
        backend.search(parse_query("联席会议"))
    assert calls == []  # failed fast during the cool-down
    with pytest.raises(SearchUnavailable):
        backend.index_documents([IndexDoc(id="page:1", page_id=1, title="x")])


def test_a_missing_index_reads_as_empty(recorded):
    from elasticsearch import NotFoundError

    backend, client = recorded

    def missing(index, **body):
        raise NotFoundError("index_not_found_exception", meta=_Meta(404), body={})

    backend.client.raw.search = missing
    assert backend.search(parse_query("联席会议"), facets=["year"]).count == 0
    assert backend.suggest("联席") == []


def test_comma_separated_urls_name_the_nodes_of_one_cluster():
    backend = ElasticsearchBackend("http://127.0.0.1:9, http://127.0.0.1:10,", timeout=0.5)
    try:
        nodes = sorted(f"{node.config.host}:{node.config.port}" for node in backend.client.raw.transport.node_pool.all())
        assert nodes == ["127.0.0.1:10", "127.0.0.1:9"]
        with pytest.raises(SearchUnavailable):  # both down: unavailable, not an error
            backend.search(parse_query("联席会议"))
    finally:
        backend.close()
