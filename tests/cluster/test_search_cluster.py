"""The 3-node OpenSearch test cluster (scripts/search_cluster.sh, searchcluster/) as the suite will use it.

Slow (the cluster takes half a minute to a minute and a half to turn green on 2 cores), so tests/cluster/
is left out of the default collection (pytest.ini norecursedirs) and runs only when named:
``pytest -m cluster tests/cluster``. The cluster runs in a temporary state directory, beside any
developer cluster started with ``make search-cluster``, with C1-only JIT (half the start-up CPU; what the
suite's few queries need).
"""
import json
import os
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.cluster

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "search_cluster.sh"
URL_LINE = re.compile(r"OPENSEARCH_URL=(http://127\.0\.0\.1:\d+),(http://127\.0\.0\.1:\d+),(http://127\.0\.0\.1:\d+)")


def request(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    """Send one JSON request; return (HTTP status, decoded body), error statuses included."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Start a cluster through the script; yield (its three URLs, its state directory); stop it."""
    state = tmp_path_factory.mktemp("search-cluster")
    env = {"SEARCH_CLUSTER_JAVA_OPTS": "-XX:TieredStopAtLevel=1", **os.environ, "SEARCH_CLUSTER_STATE": str(state)}
    started = subprocess.run([str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=400)
    try:
        assert started.returncode == 0, started.stderr
        lines = started.stdout.splitlines()
        assert len(lines) == 1 and URL_LINE.fullmatch(lines[0]), started.stdout
        yield URL_LINE.fullmatch(lines[0]).groups(), state, env
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, capture_output=True, timeout=60)


def test_every_node_answers_that_the_cluster_is_green_with_three_nodes(cluster):
    urls, state, _ = cluster
    assert (state / "search-cluster.env").read_text().strip() == "OPENSEARCH_URL=" + ",".join(urls)
    for url in urls:
        status, health = request("GET", f"{url}/_cluster/health")
        assert status == 200
        assert (health["status"], health["number_of_nodes"]) == ("green", 3)


def test_deleting_indices_by_wildcard_is_refused_and_by_name_allowed(cluster):
    urls, _, _ = cluster
    status, _ = request("PUT", f"{urls[0]}/probe-index",
                        {"settings": {"number_of_shards": 1, "number_of_replicas": 1}})
    assert status == 200
    status, health = request("GET", f"{urls[1]}/_cluster/health/probe-index?wait_for_status=green&timeout=30s")
    assert (status, health["status"], health["active_shards"]) == (200, "green", 2)  # primary + replica

    for pattern in ("probe-*", "_all"):
        status, refused = request("DELETE", f"{urls[2]}/{pattern}")
        assert status == 400
        assert "Wildcard expressions or all indices are not allowed" in refused["error"]["reason"]
    assert request("GET", f"{urls[0]}/probe-index")[0] == 200  # still there

    assert request("DELETE", f"{urls[2]}/probe-index") == (200, {"acknowledged": True})
    assert request("GET", f"{urls[0]}/probe-index")[0] == 404


def test_a_stopped_node_leaves_the_others_answering_and_rejoins_when_started(cluster):
    urls, _, env = cluster
    subprocess.run([str(SCRIPT), "stop-node", "2"], env=env, check=True, capture_output=True, timeout=120)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{urls[1]}/", timeout=5)
    status, health = request("GET", f"{urls[0]}/_cluster/health?wait_for_nodes=2&timeout=30s")
    assert (status, health["number_of_nodes"]) == (200, 2)

    subprocess.run([str(SCRIPT), "start-node", "2"], env=env, check=True, capture_output=True, timeout=240)
    status, health = request("GET", f"{urls[1]}/_cluster/health?wait_for_nodes=3&wait_for_status=green&timeout=60s")
    assert (status, health["status"], health["number_of_nodes"]) == (200, "green", 3)


def test_stop_ends_the_cluster_and_status_then_says_it_is_not_running(cluster):
    urls, state, env = cluster
    pid = int((state / "search-cluster.pid").read_text())
    assert subprocess.run([str(SCRIPT), "status"], env=env, capture_output=True).returncode == 0

    subprocess.run([str(SCRIPT), "stop"], env=env, check=True, capture_output=True, timeout=60)

    assert not Path(f"/proc/{pid}").exists()
    assert not (state / "search-cluster.env").exists()
    assert subprocess.run([str(SCRIPT), "status"], env=env, capture_output=True).returncode == 1
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{urls[0]}/", timeout=5)
