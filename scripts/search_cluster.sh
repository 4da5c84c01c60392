#!/usr/bin/env bash
# A 3-node OpenSearch 2.19 cluster on loopback for tests and development (searchcluster/: Maven
# Central jars only, no distribution). One JVM runs the three nodes; plain HTTP, free ports.
#
#   scripts/search_cluster.sh start    build if needed, start in the background, wait for green,
#                                      print OPENSEARCH_URL=http://127.0.0.1:P1,...,P3 (one line)
#   scripts/search_cluster.sh stop     stop it (SIGTERM, then SIGKILL after 30 s), remove its state
#   scripts/search_cluster.sh status   print the line and exit 0 if it runs, exit 1 if not
#   scripts/search_cluster.sh build    only build (Maven offline first, online if jars are missing)
#   scripts/search_cluster.sh stop-node N | start-node N
#                                      close node N (1..3) inside the running cluster / start it again
#                                      on the same ports and data (for fault tests); waits until done
#
# Environment: SEARCH_CLUSTER_STATE (default var/) holds search-cluster.{env,pid,log} and the nodes'
# data (search-cluster/, wiped at each start), so a test can run its own beside a developer's;
# SEARCH_CLUSTER_HEAP (default 1g, shared by the three nodes); SEARCH_CLUSTER_NODES (default 3);
# SEARCH_CLUSTER_TIMEOUT (seconds to green, default 240); SEARCH_CLUSTER_JAVA_OPTS (extra JVM flags).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROJECT="$ROOT/searchcluster"
STATE="${SEARCH_CLUSTER_STATE:-$ROOT/var}"
mkdir -p "$STATE"
STATE="$(cd "$STATE" && pwd)"
ENV_FILE="$STATE/search-cluster.env"
PID_FILE="$STATE/search-cluster.pid"
LOG_FILE="$STATE/search-cluster.log"
DATA_DIR="$STATE/search-cluster"
HEAP="${SEARCH_CLUSTER_HEAP:-1g}"
NODES="${SEARCH_CLUSTER_NODES:-3}"
TIMEOUT="${SEARCH_CLUSTER_TIMEOUT:-240}"
STAMP="$PROJECT/target/lib/.built"

running() {  # the pid file names a live process that is our launcher (not a reused pid)
    [ -f "$PID_FILE" ] && grep -qs portal.searchcluster.Cluster "/proc/$(cat "$PID_FILE")/cmdline"
}

build() {
    if [ -f "$STAMP" ] && [ -z "$(find "$PROJECT/pom.xml" "$PROJECT/src" -newer "$STAMP" -print -quit)" ]; then
        return 0
    fi
    command -v mvn >/dev/null && command -v java >/dev/null || {
        echo "search_cluster: 需要 Java 17 与 Maven（make system-deps 会安装 openjdk-17-jdk-headless 与 maven）" >&2
        exit 1
    }
    # Offline when every jar is already in the local Maven repository; the first build downloads them.
    (cd "$PROJECT" && { mvn -q -o package -DskipTests >/dev/null 2>&1 || mvn -q package -DskipTests; })
    touch "$STAMP"
}

start() {
    if running && [ -f "$ENV_FILE" ]; then
        cat "$ENV_FILE"
        return 0
    fi
    [ -f "$PID_FILE" ] && stop >/dev/null
    build
    rm -f "$ENV_FILE"
    # setsid: the cluster outlives the shell (and make) that started it, and a Ctrl-C there.
    # The -Dio.netty.* and log4j flags are those of OpenSearch's own jvm.options.
    # shellcheck disable=SC2086  # SEARCH_CLUSTER_JAVA_OPTS: extra JVM flags, split on spaces
    setsid java ${SEARCH_CLUSTER_JAVA_OPTS:-} -Xms"$HEAP" -Xmx"$HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
        -XX:-OmitStackTraceInFastThrow -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
        -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true \
        -Dio.netty.recycler.maxCapacityPerThread=0 -Dio.netty.allocator.numDirectArenas=0 \
        -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true \
        -Dopensearch.set.netty.runtime.available.processors=false \
        -cp "$PROJECT/target/searchcluster-1.jar:$PROJECT/target/lib/*" portal.searchcluster.Cluster \
        --dir "$DATA_DIR" --nodes "$NODES" --ready "$ENV_FILE" \
        </dev/null >"$LOG_FILE" 2>&1 &
    local pid=$! waited=0
    echo "$pid" >"$PID_FILE"
    until [ -f "$ENV_FILE" ]; do
        if ! kill -0 "$pid" 2>/dev/null; then  # not running(): until exec, the child is still bash
            echo "search_cluster: 集群未能启动，日志 $LOG_FILE 的末尾：" >&2
            tail -n 40 "$LOG_FILE" >&2
            rm -f "$PID_FILE"
            exit 1
        fi
        if [ "$waited" -ge $((TIMEOUT * 2)) ]; then
            echo "search_cluster: ${TIMEOUT} 秒内集群未变为 green，已停止；日志见 $LOG_FILE" >&2
            stop >/dev/null
            exit 1
        fi
        sleep 0.5
        waited=$((waited + 1))
    done
    cat "$ENV_FILE"
}

stop() {
    if [ -f "$PID_FILE" ]; then
        local pid
        pid="$(cat "$PID_FILE")"
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            for _ in $(seq 60); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.5
            done
            kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
        fi
    fi
    rm -f "$PID_FILE" "$ENV_FILE"
    rm -rf "$DATA_DIR"
}

status() {
    if running && [ -f "$ENV_FILE" ]; then
        cat "$ENV_FILE"
    else
        echo "search_cluster: 未运行" >&2
        return 1
    fi
}

node_control() {  # $1 stop|start, $2 node number: ask the launcher, wait until it has done it
    status >/dev/null
    [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] && [ "$2" -le "$NODES" ] || { echo "search_cluster: 节点编号应为 1 到 $NODES" >&2; exit 2; }
    local request="$DATA_DIR/control/$1-$2" waited=0
    touch "$request"
    while [ -e "$request" ]; do
        running || { echo "search_cluster: 集群已退出，日志见 $LOG_FILE" >&2; exit 1; }
        [ "$waited" -ge $((TIMEOUT * 2)) ] && { echo "search_cluster: ${TIMEOUT} 秒内未完成 $1-$2" >&2; exit 1; }
        sleep 0.5
        waited=$((waited + 1))
    done
    if [ -e "$request.failed" ]; then
        echo "search_cluster: $1-$2 失败：$(cat "$request.failed")" >&2
        rm -f "$request.failed"
        exit 1
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    build) build ;;
    stop-node) node_control stop "${2:-}" ;;
    start-node) node_control start "${2:-}" ;;
    *) echo "usage: $0 start|stop|status|build|stop-node N|start-node N" >&2; exit 2 ;;
esac
