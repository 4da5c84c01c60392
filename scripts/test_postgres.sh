#!/usr/bin/env bash
# Run the database-facing tests against a real PostgreSQL: a throwaway cluster in a temporary
# directory, on a free port of 127.0.0.1, removed again on exit (whatever the outcome).
#
#   scripts/test_postgres.sh                 # the default subset (PG_TESTS below)
#   scripts/test_postgres.sh -x -k backup    # pytest options, applied to that subset
#   scripts/test_postgres.sh tests/archive   # other tests instead
#   scripts/test_postgres.sh --db-template=var/test-migrated.sqlite3   # restore targets copied, not migrated
#
# Needs Debian's `postgresql` package (`make test` installs it).  initdb and postgres refuse to run
# as root, so as root the cluster belongs to the `postgres` user the package creates.
set -euo pipefail
cd "$(dirname "$0")/.."

# The database-facing tests that differ most between SQLite and PostgreSQL: the content model and
# its constraints (索引号, validation), date arithmetic in queries (deadlines), access-filtered
# queries, backup/restore (serialisation, sequences, the repeatable-read snapshot, a PostgreSQL
# backup restored onto SQLite), versions and the archive, the search service with the embedded
# index in its own file, index sync, and Wagtail's admin search on PostgreSQL full-text search.
# Chosen to keep this run near three minutes on a 2-core machine; everything else (pure functions,
# site crawls, the browser tests) runs on SQLite in the main pytest run.
PG_TESTS=(
    tests/portal/test_content_model.py tests/portal/test_indexnumber.py tests/portal/test_health.py
    tests/portal/test_sharing_deadlines.py tests/portal/test_sharing_documents.py tests/portal/test_sharing_masking.py
    tests/archive/test_backup_restore.py tests/archive/test_versions.py tests/archive/test_history.py
    tests/archive/test_archive_views.py
    tests/search/test_service.py tests/search/test_service_scopes.py tests/search/test_sync.py tests/search/test_views.py
    tests/search/test_admin_search.py
)
# Not these, from that subset: a broken archive is refused by ``manage.py restore`` onto an empty SQLite
# instance before any database is read (the same whichever database made the archive); the main run
# covers them, and the PostgreSQL side of backups (the round trip, the manifest, the in-process
# refusals) stays here.
PG_DESELECT=(
    --deselect tests/archive/test_backup_restore.py::test_broken_archive_is_refused_before_anything_changes
)

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL 服务器未安装（Debian 软件包 postgresql）：apt-get install postgresql" >&2
    exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/portal-pg.XXXXXX")
AS_OWNER=()
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$WORK"
    AS_OWNER=(runuser -u postgres --)
fi

stop_cluster() {
    "${AS_OWNER[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap stop_cluster EXIT

PORT=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# A disposable cluster: no fsync, trusted local connections, sockets in the temporary directory.
"${AS_OWNER[@]}" "$PG_BIN/initdb" -D "$WORK/data" -U portal --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" \
    || { cat "$WORK/initdb.log" >&2; exit 1; }
"${AS_OWNER[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk "{print \$3}") on 127.0.0.1:$PORT ($WORK)"

# The embedded search index lives in a SQLite file of its own when the main database is PostgreSQL;
# the tests give every test a fresh one (tests/conftest.py), this only keeps stray files out of var/.
export DATABASE_URL="postgres://portal@127.0.0.1:$PORT/portal"
export SEARCH_SQLITE_PATH="$WORK/search.sqlite3"
unset ELASTICSEARCH_URL
# Arguments that name tests (tests/…, *.py, …::…) replace the default subset; options apply to it.
for arg in "$@"; do
    case "$arg" in tests/* | *.py | *::*) PG_TESTS=() PG_DESELECT=() ;; esac
done
.venv/bin/pytest -p no:cacheprovider -m "not browser" "${PG_DESELECT[@]}" "$@" "${PG_TESTS[@]}"
