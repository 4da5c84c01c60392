"""The smallest world of the working systems: the bureau (A), a department (B), the two arbiters, their
heads and liaisons, a clerk of each, and the district's two conveners who belong to no department: the
分管副区长 and the entrusted 区政府办公室副主任 (二（四）1); A's head, the bureau's 局长, is the vice-convener."""
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from cooperation.files import store_upload
from cooperation.meetings import ensure_convener_groups
from portal import roles
from portal.models import Department, User
from tests.conftest import refreshed

PASSWORD = "Xiezuo-Test-2026"


@pytest.fixture
def groups(db):
    return roles.ensure_roles()


@pytest.fixture(scope="module")
def _world(module_departments):
    """Build ``world`` once for the module (``module_transaction`` in tests/conftest.py)."""
    a, b = module_departments
    groups = roles.ensure_roles()

    def person(username, name, department=None, group=None):
        user = User.objects.create_user(username, password=PASSWORD, department=department, last_name=name[0],
                                        first_name=name[1:], email=f"{username}@example.gov.cn")
        if group:
            user.groups.add(groups[group])
        return user

    a_head = person("a_head", "刘振华", a, roles.LEADERS)
    a_liaison = person("a_liaison", "赵欣悦", a, roles.LIAISONS)
    a_clerk = person("a_clerk", "王编辑", a, roles.EDITORS)
    b_head = person("b_head", "乔建民", b, roles.LEADERS)
    b_liaison = person("b_liaison", "郭珊珊", b, roles.LIAISONS)
    b_clerk = person("b_clerk", "钱办事", b, roles.EDITORS)
    a.leader, b.leader = a_head, b_head
    a.save()
    b.save()
    a.liaisons.add(a_liaison)
    b.liaisons.add(b_liaison)
    bb = Department.objects.create(name="测试区委机构编制委员会办公室", short_name="区编办", code="BB")
    bb_liaison = person("bb_liaison", "韩璐璐", bb, roles.LIAISONS)
    bb.liaisons.add(bb_liaison)
    police = Department.objects.create(name="测试市公安局测试分局", short_name="公安分局", code="GAFJ")
    police_liaison = person("police_liaison", "段一帆", police, roles.LIAISONS)
    police.liaisons.add(police_liaison)
    convener = person("convener", "王建国", None, roles.LEADERS)  # 区政府分管副区长
    entrusted = person("entrusted", "李静", None, roles.LEADERS)  # 受委托的区政府办公室副主任
    outsider = person("outsider", "孙路人", None)
    conveners, vice_conveners = ensure_convener_groups()
    convener.groups.add(conveners)
    entrusted.groups.add(conveners)
    a_head.groups.add(vice_conveners)  # the bureau's 局长 (A is the bureau): the one vice-convener (二（四）1)
    return SimpleNamespace(
        a=a, b=b, bb=bb, police=police, a_head=a_head, a_liaison=a_liaison, a_clerk=a_clerk, b_head=b_head,
        b_liaison=b_liaison, b_clerk=b_clerk, bb_liaison=bb_liaison, police_liaison=police_liaison,
        convener=convener, entrusted=entrusted, outsider=outsider,
    )


@pytest.fixture
def world(_world, db):
    """Return the world's departments and people (built once for the module; fresh copies for each test)."""
    return refreshed(_world)


@pytest.fixture
def departments(module_departments, db):
    """Return the module's departments A and B (those of ``world``)."""
    return refreshed(module_departments)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Clear Django's cache around each test.

    Rendering the admin home (and page URLs) caches Wagtail's site root paths; the shared
    ``site_tree`` fixture moves the site's root with a queryset update, which does not clear
    that cache, so a stale entry would give later tests' pages no URL.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def document(world):
    """Return a factory of small text documents in the working systems' collection."""

    def make(name="材料", user=None):
        return store_upload(ContentFile(f"{name}（测试）".encode(), name="material.txt"), title=name,
                            user=user or world.a_clerk)

    return make
