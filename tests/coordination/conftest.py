"""The world of 区编办 and 区政府法制办's door: the bureau (A), a department (B), a third department (C),
区编办 (BB), 区政府法制办 (FZB), the 区政府办公室 (ZFB), a speaker (liaison) of each, a clerk of A and B, a superuser."""
from types import SimpleNamespace

import pytest

from portal import roles
from portal.models import Department, User
from tests.conftest import refreshed

PASSWORD = "Xietiao-Test-2026"


@pytest.fixture(scope="module")
def _world(module_departments):
    a, b = module_departments
    groups = roles.ensure_roles()

    def person(username, name, department=None, group=None, liaison=False):
        user = User.objects.create_user(username, password=PASSWORD, department=department, last_name=name[0],
                                        first_name=name[1:])
        if group:
            user.groups.add(groups[group])
        if liaison:
            department.liaisons.add(user)
        return user

    c = Department.objects.create(name="测试区商务局", short_name="商务局", code="SWC")
    bb = Department.objects.create(name="测试区委机构编制委员会办公室", short_name="区编办", code="BB", is_member=False)
    fzb = Department.objects.create(name="测试区人民政府法制办公室", short_name="区政府法制办", code="FZB")
    zfb = Department.objects.create(name="测试区人民政府办公室", short_name="区政府办公室", code="ZFB", is_member=False)
    return SimpleNamespace(
        a=a, b=b, c=c, bb=bb, fzb=fzb, zfb=zfb,
        a_liaison=person("a_liaison", "赵欣悦", a, roles.LIAISONS, liaison=True),
        b_liaison=person("b_liaison", "郭珊珊", b, roles.LIAISONS, liaison=True),
        c_liaison=person("c_liaison", "李晓然", c, roles.LIAISONS, liaison=True),
        a_clerk=person("a_clerk", "王编辑", a, roles.EDITORS),
        b_clerk=person("b_clerk", "钱办事", b, roles.EDITORS),
        bb_liaison=person("bb_liaison", "韩璐璐", bb, roles.LIAISONS, liaison=True),
        fzb_liaison=person("fzb_liaison", "方志远", fzb, roles.LIAISONS, liaison=True),
        zfb_liaison=person("zfb_liaison", "孙浩然", zfb, roles.LIAISONS, liaison=True),
        root=User.objects.create_superuser("coord_root", password=PASSWORD),
    )


@pytest.fixture
def world(_world, db):
    """Return the world (built once for the module; fresh copies for each test)."""
    return refreshed(_world)
