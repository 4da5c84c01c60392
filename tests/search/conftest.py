"""Fixtures of the search tests: plain Python, no Django (run with -p no:django or without).

The tests of the Django integration (service, views, sync, admin search, API fuzzing) use the
portal's database and fixtures: they are skipped at collection when pytest-django is off.
"""

from __future__ import annotations

import os
import sqlite3
import uuid

import pytest

from search.backends.fts5 import FTS5Backend

DJANGO_TESTS = {"test_service.py", "test_service_understanding.py", "test_views.py", "test_sync.py", "test_admin_search.py",
                "test_fuzz_api.py", "test_conveniences.py", "test_attachments.py"}


def pytest_ignore_collect(collection_path, config):
    if collection_path.name in DJANGO_TESTS and not config.pluginmanager.hasplugin("django"):
        return True
    return None


def _fts5():
    return FTS5Backend(connection=sqlite3.connect(":memory:", isolation_level=None))


# The environment is read here because these tests run without Django settings.  With OPENSEARCH_URL
# (``make test-cluster``: the 3-node cluster of scripts/search_cluster.sh) or ELASTICSEARCH_URL set, every
# engine test runs on that cluster too, and the Django tests of this folder use it instead of FTS5.
OPENSEARCH_URL = os.environ.get("OPENSEARCH_URL", "")
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
CLUSTER = ("opensearch", OPENSEARCH_URL) if OPENSEARCH_URL else ("elasticsearch", ELASTICSEARCH_URL) if ELASTICSEARCH_URL else None


def disposable_backend(product: str, url: str, index: str | None = None):
    """Return a backend of ``product`` on a fresh alias of its own, whose indices close() deletes (by name:
    the cluster refuses wildcard deletes, as Elasticsearch 8 does by default)."""
    from search.backends.elastic import ElasticsearchBackend

    class DisposableBackend(ElasticsearchBackend):
        def close(self):
            self.drop_indices()
            super().close()

    return DisposableBackend(url, index=index or f"test-{uuid.uuid4().hex[:12]}", refresh=True, product=product,
                             timeout=30.0)


# Every engine that can run here: FTS5 always; the cluster's engine when its URL is set.
BACKEND_FACTORIES = {"fts5": _fts5}
if CLUSTER:
    BACKEND_FACTORIES[CLUSTER[0]] = lambda: disposable_backend(*CLUSTER)


@pytest.fixture(params=sorted(BACKEND_FACTORIES))
def make_backend(request):
    """Return a factory of fresh, empty backends of each available engine (closed after the test)."""
    made = []

    def make():
        backend = BACKEND_FACTORIES[request.param]()
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def backend(make_backend):
    """Return one fresh, empty backend of each available engine."""
    return make_backend()


# --- the Django tests on the cluster: an index of each test's own --------------------------------

@pytest.fixture(scope="module", autouse=True)
def _cluster_index_of_the_module():
    """With a cluster, point the module's Django tests at an alias of the module's (a shared world built
    once for the module is indexed there); drop its indices after the module."""
    if not CLUSTER or not _django_active():
        yield None
        return
    from django.test import override_settings

    from search import service

    name = f"test-m{uuid.uuid4().hex[:10]}"
    with override_settings(OPENSEARCH_URL=OPENSEARCH_URL, ELASTICSEARCH_URL=ELASTICSEARCH_URL, SEARCH_ES_INDEX=name):
        yield name
        service.reset_backend()
        disposable_backend(*CLUSTER, index=name).close()


@pytest.fixture(autouse=True)
def _cluster_index_of_the_test(_cluster_index_of_the_module):
    """With a cluster, give each Django test an alias of its own, starting as a copy of the module's
    index (the module's shared world): what one test writes, the next never sees — the cluster does not
    take part in the test's rollback."""
    if _cluster_index_of_the_module is None:
        yield
        return
    from django.test import override_settings

    from search import service

    module = disposable_backend(*CLUSTER, index=_cluster_index_of_the_module)
    test = disposable_backend(*CLUSTER)
    source = module._indices(module.alias)
    if source:
        test.ensure_index()
        test.client.raw.reindex(body={"source": {"index": source[0]}, "dest": {"index": test._indices(test.alias)[0]}},
                                refresh=True)
    with override_settings(SEARCH_ES_INDEX=test.alias):
        yield
        service.reset_backend()
    test.close()
    module.client.close()


def _django_active() -> bool:
    try:
        from django.conf import settings

        return settings.configured
    except ImportError:
        return False


# --- the Django tests' worlds (pytest-django; portal imports stay inside the fixtures) -------------

@pytest.fixture
def scope_world(make_regulation, departments):
    """Return {title: page} for one regulation of every scope, owned by department A or B."""
    from tests.search.worlds import build_scope_world

    return build_scope_world(make_regulation, departments)


@pytest.fixture(scope="module")
def module_scope_world(module_site_tree, module_departments):
    """Return the pages of ``scope_world`` built once for a module that shares its world
    (``module_transaction`` in tests/conftest.py); such a module overrides ``scope_world`` with it."""
    from tests.conftest import regulation_factory
    from tests.search.worlds import build_scope_world

    return build_scope_world(regulation_factory(module_site_tree[1], module_departments), module_departments)


@pytest.fixture
def superuser(db):
    from portal.models import User

    return User.objects.create_superuser("root", password="pw-root-12345")


@pytest.fixture
def penalties_section(site_tree):
    from portal.models import CategoryIndexPage

    home, _ = site_tree
    section = CategoryIndexPage(title="行政处罚", slug="penalties", section="penalties")
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


@pytest.fixture
def public_decision(penalties_section, departments):
    """Return a public penalty decision against a natural person, whose text names and identifies them."""
    import datetime

    from portal.models import PenaltyDecisionPage

    page = PenaltyDecisionPage(
        title="张三擅自占道经营案行政处罚决定", slug="decision-zhangsan", department=departments[0], scope="public",
        formed_date=datetime.date(2026, 3, 3), party_name="张三", party_id_number="110101199001011234",
        party_phone="13800138000", party_address="某路18号3号楼2单元301室",
        facts="当事人张三（身份证号110101199001011234，手机13800138000，住某路18号3号楼2单元301室）"
              "在人民路擅自占道经营水果摊点。",
        decision="对当事人张三处以罚款二百元。")
    penalties_section.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def public_complaint(site_tree, departments):
    import datetime

    from portal.models import CategoryIndexPage, ComplaintHandlingPage

    home, _ = site_tree
    section = CategoryIndexPage(title="举报投诉", slug="complaints", section="complaints")
    home.add_child(instance=section)
    section.save_revision().publish()
    page = ComplaintHandlingPage(
        title="关于噪声扰民投诉的处理情况", slug="complaint-noise", department=departments[0], scope="public",
        formed_date=datetime.date(2026, 3, 5), received_date=datetime.date(2026, 3, 4),
        result="投诉人（联系电话13912345678）反映夜间施工噪声扰民，经核查属实，已责令停止夜间施工。")
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def food_laws(make_regulation, departments):
    """Return the 食品安全法, its 实施条例 and a local rule whose title quotes it, all public."""
    import datetime

    from tests.search.worlds import law_text

    pages = {}
    for n, filename in enumerate(["食品安全法(2021-04-29).md", "食品安全法实施条例(2019-10-11).md",
                                  "上海市实施《食品安全法》办法.md"], start=1):
        title, text = law_text(filename)
        pages[title] = make_regulation(title=title, slug=f"food-{n}", text=text, scope="public",
                                       department=departments[1], publish_date=datetime.date(2019, n, 1))
    return pages
