# 综合行政执法信息共享平台 — one command to run, one to test.
# `make run` starts the development server and, beside it, the scheduler of the periodic jobs
# (manage.py scheduler): it is stopped when the server stops (Ctrl-C, or the server failing to start).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
MANAGE := $(BIN)/python manage.py

.PHONY: run setup install install-dev lock audit advisories system-deps java-deps browser postgres search-cluster search-cluster-stop test-cluster \
	test bench lint messages clean

run: setup
	@echo ""
	@echo "门户首页：  http://127.0.0.1:$(PORT)/"
	@echo "管理后台：  http://127.0.0.1:$(PORT)/admin/"
	@echo "演示账号：  admin / editor / reviewer / leader / manager，密码均为 zhoucun-2026（详见 README）"
	@echo "定时任务：  调度器（manage.py scheduler）与开发服务器一同运行、一同停止"
	@$(MANAGE) scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

setup: install system-deps
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The locks (requirements.txt: what production runs; requirements-dev.txt: that and the test tools) pin
# every package of the tree with its hashes: pip refuses a file whose hash differs, and any package the
# lock does not list (--require-hashes).  They are generated from requirements.in / requirements-dev.in
# by `make lock`.  The dev install then removes whatever the lock does not list (pip-sync), so the test
# venv holds exactly the lock (tests/deps/test_lock.py).  Reinstall only when the locks change.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/pip-sync --quiet --pip-args "--require-hashes" requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Refresh the locks from requirements.in / requirements-dev.in (after editing them, or to take the newest
# versions they allow: `make lock UPGRADE=1`).  Versions already locked are kept unless they must move.
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	$(if $(UPGRADE),--upgrade)
lock: install-dev
	$(BIN)/pip-compile $(LOCK_FLAGS) --output-file requirements.txt requirements.in
	$(BIN)/pip-compile $(LOCK_FLAGS) --output-file requirements-dev.txt requirements-dev.in

# Known vulnerabilities of every locked package, less the dated allow-list audit-allowlist.toml: pip-audit's live
# service when it answers, and the dated offline snapshot of PyPA's advisory database when there is one
# (`make advisories`); the output names the sources used and their dates.  With neither it says so and passes;
# AUDIT_REQUIRE_DB=1 makes a live service that does not answer a failure (scripts/audit_deps.py says why).
audit: install-dev
	$(BIN)/python scripts/audit_deps.py

# The offline snapshot, refreshed from a git clone of github.com/pypa/advisory-database:
# `make advisories ADVISORY_DB=/path/to/advisory-database` writes var/advisories/pypi-advisories.json.
advisories: install-dev
	@test -n "$(ADVISORY_DB)" || { echo "请指定漏洞库的 git 克隆：make advisories ADVISORY_DB=路径"; exit 2; }
	$(BIN)/python scripts/refresh_advisories.py "$(ADVISORY_DB)"

# Browser tests drive Debian's chromium (no browser download); CJK fonts make screenshots legible.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then \
		$(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; \
	fi

# PDF export (WeasyPrint) needs Pango and HarfBuzz, and the CJK fonts it embeds.  The tests of the
# production cache need Debian's redis-server: they start their own, on a free loopback port
# (tests/conftest.py: redis_server), and fail without it.
SYSTEM_DEPS := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 redis-server
system-deps: java-deps
	@dpkg -s $(SYSTEM_DEPS) >/dev/null 2>&1 || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(SYSTEM_DEPS); }

# The OpenSearch test cluster (searchcluster/) is built with Maven on Java 17: Debian's, if missing.
java-deps:
	@{ command -v mvn && command -v java; } >/dev/null 2>&1 || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends openjdk-17-jdk-headless maven; }

# A 3-node OpenSearch 2.19 cluster on loopback, in the background, from Maven Central jars (the first
# build downloads ~50 MB into ~/.m2; later builds run offline). Returns once the cluster is green and
# prints one line OPENSEARCH_URL=http://127.0.0.1:P1,...,P3 (also in var/search-cluster.env; pid in
# var/search-cluster.pid, log in var/search-cluster.log). scripts/search_cluster.sh has start|stop|status.
search-cluster: java-deps
	@scripts/search_cluster.sh start

search-cluster-stop:
	@scripts/search_cluster.sh stop

# The engine suites (backend contract, relevance, scope/leak, index sync) on a 3-node OpenSearch cluster
# of their own, started and stopped by scripts/test_search_cluster.sh (OPENSEARCH_URL set for pytest).
test-cluster: install-dev java-deps
	scripts/test_search_cluster.sh

# `make test` also runs the database-facing tests on a real PostgreSQL: Debian's server, a throwaway
# cluster in a temporary directory (scripts/test_postgres.sh).
postgres:
	@dpkg -s postgresql >/dev/null 2>&1 || { $(SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends postgresql; }

# The browser tests run in a pytest session of their own: each starts from the migrated database that
# Django serialised at setup (serialized_rollback), and after another serialised live-server test in the
# same session that restore came back without the migrations' rows (no root page, no groups).
# tests/browser/test_citations.py gets a session of its own too: after it, the next test's restore
# failed on django_content_type (UNIQUE app_label, model) — order-dependent, not yet understood.
# The sessions migrate an empty SQLite database once (half a minute): the first keeps a copy in
# TEST_DB_TEMPLATE, the others start from it, and so do the backup/restore tests' empty instances
# (--db-template, tests/conftest.py).  Removed before and after, so it never outlives a migration change.
TEST_DB_TEMPLATE := var/test-migrated.sqlite3
TEST_WORKERS ?= 2
#
# The main session runs on two worker processes (pytest-xdist, a test file per worker at a time, so a
# module's shared world is built once).  Beside it, one after the other: the tests that commit to the
# database (marked `transactional` by tests/conftest.py: their flush empties the migrations' rows, so they
# must not run before another file's tests in a worker), the browser session and the PostgreSQL subset
# (their output is kept in var/test-side.log and printed when they end). A short first
# session writes the template, so the two parallel ones never race to migrate.
test: install-dev browser system-deps postgres java-deps
	$(BIN)/python scripts/audit_deps.py
	mkdir -p var && rm -f $(TEST_DB_TEMPLATE)
	$(BIN)/pytest -q tests/portal/test_health.py --db-template=$(TEST_DB_TEMPLATE)
	@{ $(BIN)/pytest -m "transactional and not browser" --db-template=$(TEST_DB_TEMPLATE) && \
	   $(BIN)/pytest -m browser --db-template=$(TEST_DB_TEMPLATE) --ignore=tests/browser/test_citations.py && \
	   $(BIN)/pytest -m browser --db-template=$(TEST_DB_TEMPLATE) tests/browser/test_citations.py && \
	   scripts/test_postgres.sh --db-template=$(TEST_DB_TEMPLATE); } > var/test-side.log 2>&1 & side=$$!; \
	$(BIN)/pytest -m "not browser and not transactional" -n $(TEST_WORKERS) --dist loadfile --db-template=$(TEST_DB_TEMPLATE); main=$$?; \
	echo "== 检索引擎测试：3 节点 OpenSearch 集群（scripts/test_search_cluster.sh）"; \
	scripts/test_search_cluster.sh --db-template=$(TEST_DB_TEMPLATE); cluster=$$?; \
	wait $$side; side_status=$$?; \
	echo "== 浏览器测试与 PostgreSQL 测试（并行运行）的输出："; cat var/test-side.log; \
	rm -f $(TEST_DB_TEMPLATE); \
	[ $$main -eq 0 ] && [ $$cluster -eq 0 ] && [ $$side_status -eq 0 ]

bench: install-dev
	@ls benchmarks/bench_*.py >/dev/null 2>&1 || { echo "no benchmarks yet"; exit 0; }
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lint: install-dev
	$(BIN)/ruff check portal search archive jobs tests

messages: install-dev
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf var/portal.sqlite3* var/search.sqlite3* var/test-migrated.sqlite3 test-artifacts
