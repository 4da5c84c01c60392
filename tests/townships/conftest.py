"""The smallest world of 镇（街道）综合执法: the bureau (A) and a department (B) with their heads, a 镇 and a
街道 each with an office clerk, a third department that takes no part, and the development zone."""
from types import SimpleNamespace

import pytest

from portal import roles
from portal.models import Department, User
from tests.conftest import refreshed
from townships.models import Township

PASSWORD = "Xiangzhen-Test-2026"


@pytest.fixture(scope="module")
def _world(module_departments):
    a, b = module_departments
    c = Department.objects.create(name="测试区农业局", short_name="农业局", code="NYC")
    groups = roles.ensure_roles()

    def organ(code, name, kind, organ_name):
        department = Department.objects.create(name=organ_name, short_name=name, code=code, is_member=False)
        return Township.objects.create(name=name, kind=kind, organ_name=organ_name, department=department)

    town = organ("TZA", "测试镇", Township.Kind.TOWN, "测试镇政府")
    street = organ("TJB", "测试街道", Township.Kind.SUBDISTRICT, "测试街道办事处")
    zone = organ("TKQ", "测试经济开发区", Township.Kind.DEVELOPMENT_ZONE, "测试经济开发区管委会")

    def person(username, department, group=None):
        user = User.objects.create_user(username, password=PASSWORD, department=department, last_name="测",
                                        first_name=username)
        if group:
            user.groups.add(groups[group])
        return user

    a_head = person("a_head", a, roles.LEADERS)
    a_clerk = person("a_clerk", a, roles.EDITORS)
    b_clerk = person("b_clerk", b, roles.EDITORS)
    c_clerk = person("c_clerk", c, roles.EDITORS)
    town_clerk = person("town_clerk", town.department, roles.LIAISONS)
    street_clerk = person("street_clerk", street.department, roles.LIAISONS)
    zone_clerk = person("zone_clerk", zone.department, roles.LIAISONS)
    root = User.objects.create_superuser("t_root", "root@example.gov.cn", PASSWORD)
    a.leader = a_head
    a.save()
    return SimpleNamespace(a=a, b=b, c=c, town=town, street=street, zone=zone, a_head=a_head, a_clerk=a_clerk,
                           b_clerk=b_clerk, c_clerk=c_clerk, town_clerk=town_clerk, street_clerk=street_clerk,
                           zone_clerk=zone_clerk, root=root)


@pytest.fixture
def world(_world, db):
    return refreshed(_world)
