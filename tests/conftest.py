"""Fixtures shared by the whole suite: the smallest worlds the tests need."""
import datetime

import pytest

from portal.models import CategoryIndexPage, Department, HomePage, RegulationPage, Scope, User


@pytest.fixture
def departments(db):
    """Return two member departments, A (the bureau) and B."""
    a = Department.objects.create(name="测试区综合行政执法局", short_name="执法局", code="ZFA", is_bureau=True,
                                  aliases="城管、城管局")
    b = Department.objects.create(name="测试区住房和城乡建设局", short_name="住建局", code="ZJB")
    return a, b


@pytest.fixture
def site_tree(db):
    """Return (home, laws section) with the home page as the default site's root."""
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


@pytest.fixture
def make_regulation(site_tree, departments):
    """Return a factory publishing a RegulationPage under the laws section."""
    _, laws = site_tree

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
def _own_search_index_file(tmp_path_factory):
    """On PostgreSQL give every test an empty embedded search index of its own.

    There the FTS5 index is a SQLite file beside the database (settings.SEARCH_SQLITE_PATH), outside
    the test's transaction, so the rollback that empties the database would not empty the index; on
    SQLite the index shares the test's transaction and needs nothing.
    """
    from django.db import connections
    from django.test import override_settings

    if connections["default"].vendor == "sqlite":
        yield
        return
    with override_settings(SEARCH_SQLITE_PATH=str(tmp_path_factory.mktemp("searchidx") / "search.sqlite3")):
        yield
