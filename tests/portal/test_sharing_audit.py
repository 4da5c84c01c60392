"""The view log (openings of 部门内部 items, refused attempts) and the managers' audit screens and exports."""
import csv
import io

import pytest

from portal import roles
from portal.models import Scope, User, ViewLog


@pytest.fixture
def groups(db):
    return roles.ensure_roles()


@pytest.fixture
def pages(make_regulation, departments):
    a, _ = departments
    return {
        "internal": make_regulation(title="执法局内部条例", scope=Scope.INTERNAL, department=a),
        "shared": make_regulation(title="共享条例", scope=Scope.SHARED, department=a),
        "private": make_regulation(title="不予共享条例", scope=Scope.PRIVATE, department=a),
        "public": make_regulation(title="公开条例", scope=Scope.PUBLIC, department=a),
    }


@pytest.fixture
def manager(departments, groups):
    user = User.objects.create_user("guanli", password="pw-manager-2026", department=departments[0])
    user.groups.add(groups[roles.MANAGERS])
    return user


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_opening_an_internal_item_is_logged_with_who_when_and_where(client, pages, staff):
    client.force_login(staff[0])
    response = client.get(pages["internal"].url, REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="TestBrowser/1.0")
    assert response.status_code == 200
    entry = ViewLog.objects.get()
    assert entry.kind == ViewLog.Kind.VIEW
    assert entry.user == staff[0] and entry.username == "staff_a"
    assert entry.page_id == pages["internal"].pk and entry.page_title == "执法局内部条例"
    assert entry.scope == Scope.INTERNAL and entry.ip_address == "10.1.2.3"
    assert entry.path == pages["internal"].url and entry.user_agent == "TestBrowser/1.0"


def test_opening_shared_and_public_items_is_not_logged(client, pages, staff):
    client.force_login(staff[0])
    assert client.get(pages["shared"].url).status_code == 200
    assert client.get(pages["public"].url).status_code == 200
    assert not ViewLog.objects.exists()


def test_refused_attempt_is_404_in_chinese_and_logged(client, pages, staff):
    response = client.get(pages["shared"].url + "?from=guess", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    entry = ViewLog.objects.get()
    assert entry.kind == ViewLog.Kind.REFUSED
    assert entry.user is None and entry.username == ""
    assert entry.ip_address == "203.0.113.9"
    assert entry.path == pages["shared"].url + "?from=guess"
    assert entry.page_id == pages["shared"].pk


def test_other_departments_staff_is_refused_the_internal_item_and_logged(client, pages, staff):
    client.force_login(staff[1])
    assert client.get(pages["internal"].url).status_code == 404
    assert client.get(pages["private"].url).status_code == 404
    assert list(ViewLog.objects.order_by("pk").values_list("kind", "username", "page_title")) == [
        ("refused", "staff_b", "执法局内部条例"), ("refused", "staff_b", "不予共享条例")]


def test_admin_editor_of_another_department_is_refused_every_item_of_it(client, pages, staff, groups):
    a_editor, b_editor = staff
    for user in staff:
        user.groups.add(groups[roles.EDITORS])
    client.force_login(b_editor)
    response = client.get(f"/admin/pages/{pages['internal'].pk}/edit/")
    assert response.status_code == 404
    assert ViewLog.objects.get().kind == ViewLog.Kind.REFUSED
    # Even a 共享 item is the owner's to edit: another department reads it on the front end.
    assert client.get(f"/admin/pages/{pages['shared'].pk}/edit/").status_code == 404
    assert ViewLog.objects.filter(kind=ViewLog.Kind.REFUSED).count() == 2

    client.force_login(a_editor)
    assert client.get(f"/admin/pages/{pages['internal'].pk}/edit/").status_code == 200
    opened = ViewLog.objects.filter(kind=ViewLog.Kind.ADMIN_OPEN).get()
    assert (opened.username, opened.page_id) == ("staff_a", pages["internal"].pk)


def test_manager_browses_and_exports_the_view_log_as_csv(client, pages, staff, manager):
    client.force_login(staff[0])
    client.get(pages["internal"].url)
    client.logout()
    client.get(pages["internal"].url)  # anonymous: refused
    client.force_login(manager)
    listing = client.get("/admin/viewlog/")
    assert listing.status_code == 200
    assert "执法局内部条例" in listing.content.decode()
    export = client.get("/admin/viewlog/?export=csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(streamed(export))))
    header = rows[0]
    assert "类型" in header and "IP 地址" in header and "信息标题" in header
    kinds = sorted(row[header.index("类型")] for row in rows[1:])
    assert kinds == ["拒绝访问", "查看"]


def test_view_log_is_closed_to_non_managers_and_read_only_for_managers(client, pages, staff, manager, groups):
    liaison = staff[0]
    liaison.groups.add(groups[roles.LIAISONS])
    client.force_login(liaison)
    response = client.get("/admin/viewlog/")
    assert response.status_code in (302, 403)
    client.force_login(manager)
    assert client.get("/admin/viewlog/new/").status_code in (302, 403)


def test_manager_exports_wagtails_audit_log_of_changes(client, pages, manager):
    client.force_login(manager)
    response = client.get("/admin/reports/site-history/?export=csv")
    assert response.status_code == 200
    text = streamed(response) if response.streaming else response.content.decode("utf-8-sig")
    assert "执法局内部条例" in text or "共享条例" in text
    dashboard = client.get("/staff/").content.decode()
    assert "/admin/reports/site-history/" in dashboard and "/admin/viewlog/" in dashboard


def test_manager_edits_subscriptions_in_the_admin_and_other_staff_cannot(client, departments, manager, staff, groups):
    from portal.models import DepartmentSubscription

    a, b = departments
    client.force_login(manager)
    url = "/admin/snippets/portal/departmentsubscription/"
    assert client.get(url).status_code == 200
    response = client.post(url + "add/", {"subscriber": b.pk, "category": "penalties", "source_department": a.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DepartmentSubscription.objects.filter(subscriber=b, category="penalties", source_department=a).exists()

    editor = staff[1]
    editor.groups.add(groups[roles.EDITORS])
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    client.post(url + "add/", {"subscriber": b.pk, "category": "", "source_department": ""})
    assert DepartmentSubscription.objects.count() == 1


def test_superuser_without_department_sees_the_dashboard_and_supervision(client, pages):
    root = User.objects.create_superuser("root", "root@example.gov.cn", "pw-root-2026")
    client.force_login(root)
    dashboard = client.get("/staff/")
    assert dashboard.status_code == 200
    assert "未关联部门" in dashboard.content.decode()
    assert client.get("/staff/supervision/").status_code == 200


def test_leader_sees_the_department_they_lead(client, pages, departments):
    a, b = departments
    leader = User.objects.create_user("fenguan", password="pw-leader-2026", department=b)
    a.leader = leader
    a.save()
    client.force_login(leader)
    reports = client.get("/staff/").context["reports"]
    assert [r.department for r in reports] == [b, a]
    assert reports[1].total == 3  # A's internal, shared and public items; 不予共享 is not on the clock
