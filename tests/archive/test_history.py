"""Department history (django-simple-history): readable in the admin, revertible by managers."""
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from archive.history import record_changes, revert_to
from portal.models import Department, User
from portal.roles import MANAGERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def renamed(departments, staff):
    """Return (department, record before the rename): liaison A, then renamed with liaison B."""
    department = departments[1]
    department.liaisons.set([staff[0]])
    before = department.history.order_by("-history_date", "-history_id").first()
    department.name = "测试区住房和城乡建设委员会"
    department.code = "ZJW"
    department.save()
    department.liaisons.set([staff[1]])
    return department, before


def test_record_changes_are_readable(renamed):
    department, _ = renamed
    rename = department.history.filter(name="测试区住房和城乡建设委员会").order_by("history_date").first()
    changes = {c.label: (c.old, c.new) for c in record_changes(rename)}
    assert changes["全称"] == ("测试区住房和城乡建设局", "测试区住房和城乡建设委员会")
    assert changes["机构代码"] == ("ZJB", "ZJW")


def test_revert_restores_the_values_and_the_liaisons(renamed, staff):
    department, before = renamed
    revert_to(before)
    department = Department.objects.get(pk=department.pk)
    assert (department.name, department.code) == ("测试区住房和城乡建设局", "ZJB")
    assert list(department.liaisons.all()) == [staff[0]]
    latest = department.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason.startswith("恢复到")


def test_revert_that_clashes_with_another_department_is_refused(renamed, departments):
    department, before = renamed
    Department.objects.create(name="测试区住房和城乡建设局", code="OTHER")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        revert_to(before)
    assert Department.objects.get(pk=department.pk).name == "测试区住房和城乡建设委员会"


def test_admin_history_page_lists_the_changes(admin_client, renamed):
    department, _ = renamed
    html = admin_client.get(f"/admin/archive/history/department/{department.pk}/").content.decode()
    assert "测试区住房和城乡建设局" in html and "测试区住房和城乡建设委员会" in html
    assert "恢复到此版本" in html


def test_manager_reverts_in_the_admin_with_post(admin_client, renamed):
    department, before = renamed
    url = f"/admin/archive/history/department/{department.pk}/revert/{before.history_id}/"
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response.status_code == 302
    assert Department.objects.get(pk=department.pk).name == "测试区住房和城乡建设局"


def test_revert_clash_is_reported_in_the_admin(admin_client, renamed):
    department, before = renamed
    Department.objects.create(name="测试区住房和城乡建设局", code="OTHER")
    url = f"/admin/archive/history/department/{department.pk}/revert/{before.history_id}/"
    response = admin_client.post(url, follow=True)
    assert "无法恢复到此版本" in response.content.decode()
    assert Department.objects.get(pk=department.pk).name == "测试区住房和城乡建设委员会"


def test_non_managers_may_read_but_not_revert(renamed, staff):
    department, before = renamed
    user = staff[0]
    user.groups.add(Group.objects.get(name="编辑"))
    client = Client()
    client.force_login(User.objects.get(pk=user.pk))
    html = client.get(f"/admin/archive/history/department/{department.pk}/").content.decode()
    assert "测试区住房和城乡建设委员会" in html and "恢复到此版本" not in html
    response = client.post(f"/admin/archive/history/department/{department.pk}/revert/{before.history_id}/")
    assert response.status_code == 404
    assert Department.objects.get(pk=department.pk).name == "测试区住房和城乡建设委员会"


def test_managers_group_may_revert(renamed, staff):
    department, before = renamed
    user = staff[0]
    user.groups.add(Group.objects.get(name=MANAGERS))
    client = Client()
    client.force_login(User.objects.get(pk=user.pk))
    client.post(f"/admin/archive/history/department/{department.pk}/revert/{before.history_id}/")
    assert Department.objects.get(pk=department.pk).name == "测试区住房和城乡建设局"


def test_a_deleted_department_can_be_brought_back(admin_client, departments):
    department = Department.objects.create(name="临时工作组", code="TMP")
    pk = department.pk
    department.delete()
    deletion = Department.history.filter(id=pk, history_type="-").get()
    html = admin_client.get("/admin/archive/history/department/").content.decode()
    assert "临时工作组（已删除）" in html
    admin_client.post(f"/admin/archive/history/department/{pk}/revert/{deletion.history_id}/")
    assert Department.objects.get(pk=pk).code == "TMP"


def test_department_listing_links_to_the_history(admin_client, departments):
    html = admin_client.get("/admin/snippets/portal/department/").content.decode()
    assert f"/admin/archive/history/department/{departments[0].pk}/" in html


def test_unknown_department_history_is_404_in_chinese(admin_client, db):
    response = admin_client.get("/admin/archive/history/department/98765/")
    assert response.status_code == 404
    assert "该部门没有变更记录" in response.content.decode()


def test_history_needs_permission_to_view_departments(client, departments, staff):
    user = staff[0]
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(f"/admin/archive/history/department/{departments[0].pk}/").status_code == 404
