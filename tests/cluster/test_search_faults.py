"""Faults on the real 3-node OpenSearch cluster: a node lost under queries and publishes, the whole
cluster down (the site keeps working, updates queue) and back (the queue drains to what a fresh reindex
gives), and a reindex with alias swap under queries.

Runs only when named: ``pytest -m cluster tests/cluster`` (a cluster of its own, half a minute to start
on 2 cores), or last in scripts/test_search_cluster.sh (``make test-cluster``: that script's cluster).
Every loop is bounded in count and time.
"""
import os
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from search import service, sync
from search.backends.base import Filters, IndexDoc
from search.backends.elastic import ElasticsearchBackend
from search.models import PendingIndexUpdate
from search.query import parse_query

pytestmark = pytest.mark.cluster

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "search_cluster.sh"
DOCS = 200


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Yield (OPENSEARCH_URL value, control(action, node)) of a cluster whose nodes the test may stop.

    Under scripts/test_search_cluster.sh (OPENSEARCH_URL and SEARCH_CLUSTER_STATE set, the script's own
    cluster) that one, every node running again after each test; otherwise one started here and
    stopped after the module."""
    own = not (os.environ.get("OPENSEARCH_URL") and os.environ.get("SEARCH_CLUSTER_STATE"))
    state = tmp_path_factory.mktemp("search-cluster") if own else Path(os.environ["SEARCH_CLUSTER_STATE"])
    env = {"SEARCH_CLUSTER_JAVA_OPTS": "-XX:TieredStopAtLevel=1", **os.environ, "SEARCH_CLUSTER_STATE": str(state)}

    def control(action: str, node: int) -> None:
        subprocess.run([str(SCRIPT), f"{action}-node", str(node)], env=env, check=True, capture_output=True,
                       timeout=300)

    if not own:
        status = subprocess.run([str(SCRIPT), "status"], env=env, capture_output=True, text=True, timeout=30)
        assert status.returncode == 0 and status.stdout.strip() == "OPENSEARCH_URL=" + os.environ["OPENSEARCH_URL"]
        yield os.environ["OPENSEARCH_URL"], control
        return
    started = subprocess.run([str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=400)
    try:
        assert started.returncode == 0, started.stderr
        yield started.stdout.strip().partition("=")[2], control
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=120)


def backend_on(url: str, index: str | None = None) -> ElasticsearchBackend:
    return ElasticsearchBackend(url, index=index or f"test-{uuid.uuid4().hex[:12]}", product="opensearch", refresh=True,
                                timeout=30.0)


def docs(start: int, count: int) -> list[IndexDoc]:
    return [IndexDoc(id=f"page:{n}", page_id=n, url=f"/p/{n}/", title=f"联席会议纪要第{n}号", body=f"第{n}次联席会议责令改正。")
            for n in range(start, start + count)]


def wait_green(backend: ElasticsearchBackend) -> dict:
    return backend.client.raw.cluster.health(index=backend._indices(backend.alias)[0], wait_for_status="green",
                                             params={"timeout": "120s"}, request_timeout=130)


class Querying(threading.Thread):
    """Query the backend in a loop (bounded: ``limit`` queries or ``seconds``) until stopped; keep every
    failure (an exception, or a count other than ``expect()``)."""

    def __init__(self, backend, expect, limit=5000, seconds=240.0):
        super().__init__(daemon=True)
        self.backend, self.expect, self.limit, self.seconds = backend, expect, limit, seconds
        self.done, self.failures, self.stop = 0, [], threading.Event()

    def run(self):
        deadline = time.monotonic() + self.seconds
        while not self.stop.is_set() and self.done < self.limit and time.monotonic() < deadline:
            try:
                count = self.backend.search(parse_query("联席会议"), Filters(), limit=5).count
                low, high = self.expect()
                if not low <= count <= high:
                    self.failures.append(f"count {count} not in {low}..{high}")
            except Exception as exc:  # noqa: BLE001 - every failure is what the test counts
                self.failures.append(repr(exc))
            self.done += 1


def test_queries_keep_answering_while_a_node_stops_and_publishes_during_it_are_applied(cluster):
    url, control = cluster
    backend = backend_on(url)
    try:
        backend.index_documents(docs(0, DOCS))
        assert wait_green(backend)["active_shards"] == 2  # the primary and its replica, on two nodes
        written = [DOCS]
        reader = Querying(backend_on(url, backend.alias), expect=lambda: (DOCS, written[0]))
        reader.start()
        control("stop", 2)
        written[0] = DOCS + 20  # from now on the count may be anything between
        assert backend.index_documents(docs(DOCS, 20)) == 20  # a publish while the node is gone
        control("start", 2)
        reader.stop.set()
        reader.join(60)
        assert reader.done > 20 and reader.failures == []
        assert backend.search(parse_query("联席会议")).count == DOCS + 20
        assert wait_green(backend)["status"] == "green"
    finally:
        backend.drop_indices()


def test_a_reindex_with_alias_swap_under_queries_loses_none(cluster):
    url, _control = cluster
    backend = backend_on(url)
    try:
        backend.index_documents(docs(0, DOCS))
        reader = Querying(backend_on(url, backend.alias), expect=lambda: (DOCS, DOCS))
        reader.start()
        for _ in range(2):
            assert backend.rebuild(docs(0, DOCS), batch=50) == DOCS
        reader.stop.set()
        reader.join(60)
        assert reader.done > 5 and reader.failures == []
        assert backend._versions() == [3]  # the old versions were dropped after each swap
    finally:
        backend.drop_indices()


@pytest.mark.django_db
def test_with_every_node_down_search_answers_503_in_chinese_updates_queue_and_drain_after_restart(
        cluster, make_regulation, client):
    url, control = cluster
    with override_settings(OPENSEARCH_URL=url, SEARCH_ES_INDEX=f"test-{uuid.uuid4().hex[:12]}", SEARCH_ES_TIMEOUT=3):
        backend = service.get_backend()
        try:
            first = make_regulation(title="户外广告设置管理办法", slug="ads")
            assert client.get("/search/", {"q": "户外广告"}).status_code == 200
            for node in (1, 2, 3):
                control("stop", node)
            page = client.get("/search/", {"q": "户外广告"})
            assert page.status_code == 503 and "检索服务暂时不可用" in page.content.decode()
            assert client.get("/").status_code == 200  # the rest of the site works
            second = make_regulation(title="户外招牌设置规定", slug="signs")  # publishing still works
            assert second.pk in PendingIndexUpdate.objects.values_list("page_id", flat=True)
            for node in (1, 2, 3):
                control("start", node)
            service.reset_backend()  # skip the cool-down the failures started: the cluster is back
            done, left = sync.retry_pending()
            assert done >= 1 and left == 0 and not PendingIndexUpdate.objects.exists()
            backend = service.get_backend()
            synced = index_contents(backend)
            assert {f"page:{first.pk}", f"page:{second.pk}"} <= set(synced)
            call_command("reindex", "--skip-wagtail", stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
            assert index_contents(backend) == synced  # the same document ids and content hashes
        finally:
            service.get_backend().drop_indices()
            service.reset_backend()


def index_contents(backend: ElasticsearchBackend) -> dict[str, str]:
    """Return {document id: content hash} of every document behind the backend's alias."""
    response = backend.client.search(backend.alias, {"query": {"match_all": {}}, "size": 1000,
                                                     "_source": ["doc_id", "content_hash"]})
    return {h["_source"]["doc_id"]: h["_source"]["content_hash"] for h in response["hits"]["hits"]}
