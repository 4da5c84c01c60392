#!/usr/bin/env bash
# Run the engine suites on a real 3-node OpenSearch 2.19 cluster: start one of its own (scripts/
# search_cluster.sh, in a temporary state directory beside any developer cluster), run the backend
# contract, relevance, scope/leak and index-sync tests with OPENSEARCH_URL pointing at it, then the fault
# tests (tests/cluster/test_search_faults.py: nodes stopped and started, last because they do that), stop
# it and remove its state (whatever the outcome).  The FTS5 half of the parametrised tests is deselected:
# the main `make test` session runs it.
#
#   scripts/test_search_cluster.sh                       # the suites below
#   scripts/test_search_cluster.sh -x -k contract        # pytest options, applied to them
#   scripts/test_search_cluster.sh --db-template=var/test-migrated.sqlite3   # copy, not migrate
#
# Needs Java 17 and Maven (`make java-deps`) and opensearch-py (requirements.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER_TESTS=(
    tests/search/test_backend_contract.py tests/search/test_relevance.py
    tests/search/test_service_scopes.py tests/search/test_sync.py
    tests/cluster/test_search_faults.py
)

STATE="$(mktemp -d "${TMPDIR:-/tmp}/search-cluster-test.XXXXXX")"
export SEARCH_CLUSTER_STATE="$STATE"
# C1-only JIT: half the start-up CPU on 2 cores, and enough for a test suite's few thousand requests.
export SEARCH_CLUSTER_JAVA_OPTS="${SEARCH_CLUSTER_JAVA_OPTS:--XX:TieredStopAtLevel=1}"
cleanup() {
    scripts/search_cluster.sh stop >/dev/null 2>&1 || true
    rm -rf "$STATE"
}
trap cleanup EXIT

started=$(date +%s)
line="$(scripts/search_cluster.sh start)"
export "${line?}"  # OPENSEARCH_URL=http://127.0.0.1:P1,...,P3
echo "== 3 节点 OpenSearch 集群已就绪（$(( $(date +%s) - started )) 秒）：$OPENSEARCH_URL"

.venv/bin/pytest -q -p no:cacheprovider -k "not fts5" "${CLUSTER_TESTS[@]}" "$@"
