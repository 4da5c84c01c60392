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


def _elasticsearch():
    """Return an Elasticsearch backend on a fresh alias of its own (deleted again by close())."""
    from search.backends.elastic import ElasticsearchBackend

    class DisposableElasticsearchBackend(ElasticsearchBackend):
        def close(self):
            self.client.indices.delete(index=f"{self.alias}-v*", ignore_unavailable=True, allow_no_indices=True)
            super().close()

    # The environment is read here because these tests run without Django settings.
    return DisposableElasticsearchBackend(os.environ["ELASTICSEARCH_URL"], index=f"test-{uuid.uuid4().hex[:12]}",
                                          refresh=True)


# Every engine that can run here: FTS5 always; Elasticsearch when ELASTICSEARCH_URL names a cluster.
BACKEND_FACTORIES = {"fts5": _fts5}
if os.environ.get("ELASTICSEARCH_URL"):
    BACKEND_FACTORIES["elasticsearch"] = _elasticsearch


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
