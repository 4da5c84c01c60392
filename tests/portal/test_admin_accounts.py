"""Accounts in the admin: a 管理员 manages their own department's accounts only, and only superusers make superusers.

The rule is ``portal.walls.users.manageable_users``; these tests attack it through every user screen of the
Wagtail admin (listing, search, edit, password reset, delete, history, usage, bulk actions, API tokens)
with each actor against each kind of account.
"""
import pytest

from portal import roles
from portal.models import User
from portal.walls.users import can_manage_user

PASSWORD = "Zhifa-Test-2026"
NEW_PASSWORD = "Xinmima-2026-abc"

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(departments):
    a, b = departments
    groups = roles.ensure_roles()

    def make(username, department, role=None, superuser=False):
        if superuser:
            user = User.objects.create_superuser(username, f"{username}@example.gov.cn", PASSWORD, department=department)
        else:
            user = User.objects.create_user(username, f"{username}@example.gov.cn", PASSWORD, department=department)
        if role:
            user.groups.add(groups[role])
        return user

    return {
        "root": make("root", a, superuser=True),
        "manager_a": make("manager_a", a, roles.MANAGERS),
        "editor_a": make("editor_a", a, roles.EDITORS),
        "editor_b": make("editor_b", b, roles.EDITORS),
        "manager_b": make("manager_b", b, roles.MANAGERS),
        "convener": make("convener", None, roles.MANAGERS),
    }


EXPECTED = {
    # actor: accounts they manage (the rest: absent from listings, 404 on every screen)
    "root": {"root", "manager_a", "editor_a", "editor_b", "manager_b", "convener"},
    "manager_a": {"manager_a", "editor_a"},
    "manager_b": {"manager_b", "editor_b"},
    "convener": {"convener"},
}


@pytest.mark.parametrize("actor", sorted(EXPECTED))
def test_each_actor_manages_exactly_the_expected_accounts(accounts, actor):
    managed = {name for name, user in accounts.items() if can_manage_user(accounts[actor], user)}
    assert managed == EXPECTED[actor]


@pytest.mark.parametrize("actor", ["manager_a", "manager_b", "convener"])
def test_user_screens_of_unmanaged_accounts_answer_404_and_listings_omit_them(client, accounts, actor):
    client.force_login(accounts[actor])
    listing = client.get("/admin/users/").content.decode() + client.get("/admin/users/?q=example").content.decode()
    for name, target in accounts.items():
        managed = name in EXPECTED[actor]
        assert (f"/admin/users/edit/{target.pk}/" in listing) == managed, name
        for url in (f"/admin/users/edit/{target.pk}/", f"/admin/users/history/{target.pk}/",
                    f"/admin/users/usage/{target.pk}/"):
            status = client.get(url).status_code
            assert (status == 200) if managed else (status == 404), (url, name, status)


def test_a_manager_cannot_reset_a_superusers_password_or_deactivate_it(client, accounts):
    root = accounts["root"]
    client.force_login(accounts["manager_a"])
    response = client.post(f"/admin/users/edit/{root.pk}/", {
        "username": "root", "email": "evil@example.com", "first_name": "x", "last_name": "y",
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "is_active": "", "is_superuser": "on",
        "department": root.department_id,
    })
    assert response.status_code == 404
    root.refresh_from_db()
    assert root.check_password(PASSWORD) and root.is_active and root.email == "root@example.gov.cn"


def test_a_manager_cannot_make_anyone_a_superuser_even_in_their_own_department(client, accounts):
    editor = accounts["editor_a"]
    client.force_login(accounts["manager_a"])
    page = client.get(f"/admin/users/edit/{editor.pk}/").content.decode()
    assert 'name="is_superuser"' not in page
    response = client.post(f"/admin/users/edit/{editor.pk}/", {
        "username": "editor_a", "email": "editor_a@example.gov.cn", "first_name": "编", "last_name": "辑",
        "password1": "", "password2": "", "is_active": "on", "is_superuser": "on",
        "department": editor.department_id, "groups": [g.pk for g in editor.groups.all()],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    editor.refresh_from_db()
    assert not editor.is_superuser
    created = client.post("/admin/users/new/", {
        "username": "sneaky", "email": "sneaky@example.gov.cn", "first_name": "新", "last_name": "人",
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "is_superuser": "on",
        "department": editor.department_id,
    })
    assert created.status_code == 302, created.content.decode()[:2000]
    assert User.objects.get(username="sneaky").is_superuser is False


def test_a_manager_cannot_create_or_move_an_account_into_another_department(client, accounts, departments):
    a, b = departments
    client.force_login(accounts["manager_a"])
    response = client.post("/admin/users/new/", {
        "username": "planted", "email": "planted@example.gov.cn", "first_name": "新", "last_name": "人",
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "department": b.pk,
    })
    assert response.status_code == 200
    assert not User.objects.filter(username="planted").exists()
    assert "选择一个有效的选项" in response.content.decode()
    editor = accounts["editor_a"]
    client.post(f"/admin/users/edit/{editor.pk}/", {
        "username": "editor_a", "email": "editor_a@example.gov.cn", "first_name": "编", "last_name": "辑",
        "is_active": "on", "department": b.pk,
    })
    editor.refresh_from_db()
    assert editor.department_id == a.pk


def test_a_superuser_still_grants_superuser_status(client, accounts):
    editor = accounts["editor_b"]
    client.force_login(accounts["root"])
    response = client.post(f"/admin/users/edit/{editor.pk}/", {
        "username": "editor_b", "email": "editor_b@example.gov.cn", "first_name": "编", "last_name": "辑",
        "password1": "", "password2": "", "is_active": "on", "is_superuser": "on",
        "department": editor.department_id,
    })
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.is_superuser


@pytest.mark.parametrize("action", ["set_active_state", "assign_role"])
def test_bulk_actions_naming_another_departments_account_are_refused_whole(client, accounts, action):
    client.force_login(accounts["manager_a"])
    targets = [accounts["editor_a"], accounts["editor_b"]]
    query = "&".join(f"id={u.pk}" for u in targets)
    data = {"mark_as_active": "False"} if action == "set_active_state" else {
        "role": roles.ensure_roles()[roles.MANAGERS].pk}
    response = client.post(f"/admin/bulk/portal/user/{action}/?next=/admin/users/&{query}", data)
    assert response.status_code == 404
    for user in targets:
        user.refresh_from_db()
        assert user.is_active
        assert not user.groups.filter(name=roles.MANAGERS).exists()


def test_no_api_token_screens_exist_that_would_bypass_the_account_wall(settings):
    # Wagtail's API tokens (wagtail.api.v3) let a manager act as another account; they are not installed.
    assert "wagtail.api.v3" not in settings.INSTALLED_APPS
