"""Fixtures shared by the whole suite: the smallest worlds the tests need."""
import datetime
import os
import shutil
import socket
import sqlite3
import subprocess
import time
from contextlib import closing, nullcontext
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis

from lib import workdays
from portal.models import CategoryIndexPage, Department, HomePage, RegulationPage, Scope, User


def create_departments() -> tuple[Department, Department]:
    """Create and return two member departments, A (the bureau) and B."""
    a = Department.objects.create(name="测试区综合行政执法局", short_name="执法局", code="ZFA", is_bureau=True,
                                  aliases="城管、城管局")
    b = Department.objects.create(name="测试区住房和城乡建设局", short_name="住建局", code="ZJB")
    return a, b


def create_site_tree() -> tuple[HomePage, CategoryIndexPage]:
    """Create and return (home, laws section), with the home page as the default site's root."""
    from wagtail.models import Page, Site

    root = Page.get_first_root_node()
    home = HomePage(title="测试门户", slug="test-home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update(root_page=home)
    laws = CategoryIndexPage(title="法律法规", slug="laws", section="laws")
    home.add_child(instance=laws)
    laws.save_revision().publish()
    return home, laws


def regulation_factory(laws, departments):
    """Return a function publishing a RegulationPage under ``laws``, of department A unless told otherwise."""

    def make(title="测试条例", text="第一条 为了测试，制定本条例。\n\n第二条 本条例自发布之日起施行。",
             scope=Scope.PUBLIC, department=None, **fields):
        page = RegulationPage(title=title, department=department or departments[0], scope=scope,
                              formed_date=fields.pop("formed_date", datetime.date(2026, 3, 2)), **fields)
        page.set_text(f"# {title}\n\n{text}")
        laws.add_child(instance=page)
        page.save_revision().publish()
        return page

    return make


@pytest.fixture
def departments(db):
    """Return two member departments, A (the bureau) and B."""
    return create_departments()


@pytest.fixture
def site_tree(db):
    """Return (home, laws section) with the home page as the default site's root."""
    return create_site_tree()


@pytest.fixture
def make_regulation(site_tree, departments):
    """Return a factory publishing a RegulationPage under the laws section."""
    return regulation_factory(site_tree[1], departments)


@pytest.fixture
def staff(departments):
    """Return a signed-in-able staff user of department A and one of B."""
    a, b = departments
    ua = User.objects.create_user("staff_a", password="pw-staff-a", department=a)
    ub = User.objects.create_user("staff_b", password="pw-staff-b", department=b)
    return ua, ub


@pytest.fixture(autouse=True)
def _fresh_site_root_paths():
    """Wagtail caches site root paths process-wide; a test that changes sites must not leak them."""
    from django.core.cache import cache
    from wagtail.models import Site

    Site.clear_site_root_paths_cache()
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _stored_holidays_read_afresh():
    """lib.workdays keeps the stored 节假日安排 it read; a test's rolled-back import must not outlive it."""
    workdays.forget_stored_years()
    yield
    workdays.forget_stored_years()


@pytest.fixture(autouse=True)
def _own_search_index_file(tmp_path_factory):
    """On PostgreSQL give every test an empty embedded search index of its own.

    There the FTS5 index is a SQLite file beside the database (settings.SEARCH_SQLITE_PATH), outside
    the test's transaction, so the rollback that empties the database would not empty the index; on
    SQLite the index shares the test's transaction and needs nothing.  Inside a module's shared world
    (``module_transaction``) the test's index starts as a copy of the world's.
    """
    from django.conf import settings
    from django.db import connections
    from django.test import override_settings

    if connections["default"].vendor == "sqlite":
        yield
        return
    index = tmp_path_factory.mktemp("searchidx") / "search.sqlite3"
    if _module_transactions and Path(settings.SEARCH_SQLITE_PATH).is_file():
        _copy_sqlite(Path(settings.SEARCH_SQLITE_PATH), index)
    with override_settings(SEARCH_SQLITE_PATH=str(index)):
        yield


# --- worlds built once per module --------------------------------------------------------------------

_module_transactions = []  # the transaction of the module whose tests share a world, while one is open


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker, tmp_path_factory):
    """Keep a transaction open around a whole module, for a world its tests share; roll it back at the end.

    Building a rich world once instead of before every test saves seconds a test.  Each test still runs
    in a savepoint of its own (pytest-django's ``db``, as in Django's TestCase), rolled back after it, so
    what one test changes the next never sees; fixtures hand out fresh copies of the world's objects
    (``refreshed``).  On PostgreSQL the world's search index goes to a file of the module's, and each
    test starts from a copy of it (``_own_search_index_file``).  A transactional test
    (``transaction=True``, ``live_server``) cannot run inside: keep those in another module.
    """
    from django.db import connections, transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        index = nullcontext()
        if connections["default"].vendor != "sqlite":
            index = override_settings(SEARCH_SQLITE_PATH=str(tmp_path_factory.mktemp("worldidx") / "search.sqlite3"))
        atomic = transaction.atomic()
        atomic._from_testcase = True  # like TestCase's class-wide transaction: durable blocks may run inside
        with index:
            atomic.__enter__()
            _module_transactions.append(atomic)
            try:
                yield
            finally:
                _module_transactions.remove(atomic)
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_departments(module_transaction):
    """Return departments A and B, made once for a module that shares its world (``module_transaction``)."""
    return create_departments()


@pytest.fixture(scope="module")
def module_site_tree(module_transaction):
    """Return (home, laws section), made once for a module that shares its world (``module_transaction``)."""
    return create_site_tree()


def refreshed(world):
    """Return ``world`` with every model instance in it (in dicts, lists, tuples, namespaces too) read afresh.

    A test given the shared world's objects themselves could change them in memory for the next test.
    """
    from django.db.models import Model

    if isinstance(world, Model):
        return type(world).objects.get(pk=world.pk)
    if isinstance(world, dict):
        return {key: refreshed(value) for key, value in world.items()}
    if isinstance(world, list | tuple):
        return type(world)(refreshed(value) for value in world)
    if isinstance(world, SimpleNamespace):
        return SimpleNamespace(**refreshed(vars(world)))
    return world


@pytest.fixture(autouse=True)
def _database_blocked_for_tests_without_it(request):
    """Keep the database closed to a test that did not ask for it, even while a module's world holds it open."""
    if _module_transactions and not request.node.get_closest_marker("django_db") and not (
            {"db", "transactional_db", "live_server"} & set(request.fixturenames)):
        with request.getfixturevalue("django_db_blocker").block():
            yield
    else:
        yield


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    """Mark the tests that commit to the database ``transactional``.

    Such a test empties every table when it ends (Django's flush), migrations' rows too (the root page,
    the groups); Django and pytest-django therefore run them after all the others.  ``make test`` spreads
    the main session over two processes (pytest-xdist), where a file of them could run before another
    file's tests: it runs them in a session of their own instead (``-m "not transactional"``).
    """
    for item in items:
        if _is_transactional(item):
            item.add_marker(pytest.mark.transactional)


def pytest_runtest_setup(item):
    """Refuse a transactional test while a module's shared world is open, before its fixtures commit anything."""
    if _module_transactions:
        if _is_transactional(item):
            pytest.fail(f"{item.nodeid} is transactional and cannot run inside the module_transaction of a "
                        "shared world: move it to a module of its own.", pytrace=False)


# --- the test database: migrated once per `make test` ---------------------------------------------

MIGRATED_DATABASE = pytest.StashKey[Path]()


def pytest_addoption(parser):
    parser.addoption(
        "--db-template", metavar="PATH", default=None,
        help="SQLite file of a just-migrated test database shared by the pytest sessions of `make test`: "
             "a session copies it instead of migrating when it exists, and writes it after migrating when "
             "it does not. Delete it whenever migrations change.")


def _sqlite_test_database() -> Path | None:
    """Return the file of the SQLite test database, or None when the main database is not SQLite."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return None
    return Path(database["TEST"]["NAME"])


def _copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite database with SQLite's backup API, which reads what is committed (the WAL too)."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_keepdb):
    """Start from a copy of the --db-template database when there is one, and tell pytest-django to keep it.

    Migrating an empty database takes half a minute (Wagtail alone has about a hundred migrations).
    ``make test`` migrates once, in its first session; the browser session starts from a copy, and
    pytest-django's ``migrate`` on it then finds nothing to apply.
    """
    template, database = request.config.getoption("db_template"), _sqlite_test_database()
    if django_db_keepdb or not template or database is None or not Path(template).is_file():
        yield django_db_keepdb
        return
    _copy_sqlite(Path(template), database)
    yield True
    for path in (database, database.with_name(f"{database.name}-wal"), database.with_name(f"{database.name}-shm")):
        path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, tmp_path_factory):
    """Set up the test database; on SQLite keep a copy of it as ``migrate`` left it (``migrated_database``)."""
    template = Path(request.config.getoption("db_template") or tmp_path_factory.mktemp("migrated") / "db.sqlite3").absolute()
    database = _sqlite_test_database()
    if database is not None and not template.is_file():
        partial = template.with_name(f"{template.name}.{os.getpid()}.partial")  # never seen half-written
        _copy_sqlite(database, partial)
        partial.replace(template)
    request.config.stash[MIGRATED_DATABASE] = template
    yield


@pytest.fixture(scope="session")
def migrated_database(request, django_db_setup) -> Path | None:
    """Return a SQLite file on which only ``migrate`` ran (never open it: copy it), or None.

    It is the test database as migrated at the start of this session, or the --db-template written
    by another session; None when the main database is not SQLite and there is no such template (yet).
    """
    template = request.config.stash[MIGRATED_DATABASE]
    return template if template.is_file() else None


# --- a real Redis, for the production cache -----------------------------------------------------------

# As compose.yaml runs it: a cache only (nothing saved), evicting only keys that expire (volatile-lru);
# small, so that a test can fill it.
REDIS_MAXMEMORY = "4mb"


def _free_loopback_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """Start Debian's redis-server on a free loopback port for the session; return its URL (database 0).

    Never skipped: without redis-server the tests that need it fail and say how to install it.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: `make system-deps` installs it "
                    "(apt-get install redis-server); the production cache tests need a real Redis.", pytrace=False)
    workdir = tmp_path_factory.mktemp("redis")
    log = workdir / "redis.log"
    for _attempt in range(3):  # another process may take the free port between the probe and the start
        port = _free_loopback_port()
        with log.open("ab") as output:
            process = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(workdir), "--maxmemory", REDIS_MAXMEMORY, "--maxmemory-policy", "volatile-lru"],
                stdout=output, stderr=subprocess.STDOUT)
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1)
        deadline = time.monotonic() + 15
        while process.poll() is None and time.monotonic() < deadline:
            try:
                client.ping()
                break
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        else:
            process.kill()
            process.wait()
            continue
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            client.close()
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return
    pytest.fail(f"redis-server did not start on a loopback port: {log.read_text(errors='replace')[-2000:]}",
                pytrace=False)
