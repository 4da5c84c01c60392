"""The department wall in the Wagtail admin, tried as an attacker would: every admin URL × every role × own and
another department × each scope.

The expected answer is computed from the policy (``portal.walls.permissions``), not listed by hand: a URL that names
a page the user may not open answers 404 and shows none of its markers; one the policy lets them open answers
with something other than 404; no URL answers 5xx.  Every admin URL pattern must be classified below: a new
one (a Wagtail upgrade, a new app) fails ``test_every_admin_url_pattern_is_classified`` until it is.
"""
from __future__ import annotations

import datetime
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page, TaskState, Workflow

from portal import roles
from portal.models import CategoryIndexPage, OtherSharedInfoPage, Scope, User, ViewLog
from portal.walls.permissions import admin_can_open, chooser_q
from tests.conftest import refreshed

pytestmark = pytest.mark.django_db

SCOPES = [Scope.PUBLIC, Scope.SHARED, Scope.INTERNAL, Scope.PRIVATE]
ROLES = [roles.EDITORS, roles.REVIEWERS, roles.LEADERS, roles.LIAISONS, roles.MANAGERS]


def marker(code: str, scope: str) -> str:
    # ASCII, so that JSON answers (which escape Chinese) show it as it is.
    return f"MK{code}x{scope}x"


# --- the admin's URL patterns, classified -------------------------------------------------------------

def admin_patterns():
    """Yield (route, view name, pattern) of every URL pattern under /admin/."""
    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = ":".join(filter(None, [namespace, p.name or ""])) if p.name else ""
                yield prefix + str(p.pattern), name, p
    for route, name, pattern in walk(get_resolver().url_patterns, "", ""):
        if route.startswith("admin/"):
            yield route, name, pattern


# URLs that name a page of the world (the target): kwargs filled per target.
PAGE_VIEWS = {
    "wagtailadmin_explore", "wagtailadmin_explore_results", "wagtailadmin_choose_page_child",
    "wagtailadmin_pages:usage", "wagtailadmin_pages:edit", "wagtailadmin_pages:preview_on_edit",
    "wagtailadmin_pages:view_draft", "wagtailadmin_pages:add_subpage", "wagtailadmin_pages:delete",
    "wagtailadmin_pages:unpublish", "wagtailadmin_pages:convert_alias", "wagtailadmin_pages:move",
    "wagtailadmin_pages:move_confirm", "wagtailadmin_pages:set_page_position", "wagtailadmin_pages:copy",
    "wagtailadmin_pages:workflow_action", "wagtailadmin_pages:collect_workflow_action_data",
    "wagtailadmin_pages:confirm_workflow_cancellation", "wagtailadmin_pages:workflow_preview",
    "wagtailadmin_pages:set_privacy", "wagtailadmin_pages:lock", "wagtailadmin_pages:unlock",
    "wagtailadmin_pages:revisions_index", "wagtailadmin_pages:revisions_view",
    "wagtailadmin_pages:revisions_revert", "wagtailadmin_pages:revisions_unschedule",
    "wagtailadmin_pages:revisions_compare", "wagtailadmin_pages:workflow_history",
    "wagtailadmin_pages:workflow_history_detail", "wagtailadmin_pages:history",
    "wagtailadmin_pages:history_results", "wagtailadmin_api:pages:detail", "wagtailadmin_api:pages:action",
    "wagtailadmin_workflows:remove", "wagtailadmin_editing_sessions:ping",
    "archive_admin:compare_default", "archive_admin:compare_choose", "archive_admin:compare",
}
# Views that read a page: the owner (with a role that may edit) gets 200.
READ_VIEWS = {
    "wagtailadmin_pages:edit": "can_edit", "wagtailadmin_pages:view_draft": "can_edit",
    "wagtailadmin_pages:history": "can_edit", "wagtailadmin_pages:usage": "can_edit",
    "wagtailadmin_pages:revisions_view": "can_edit", "wagtailadmin_pages:revisions_compare": "can_edit",
    "wagtailadmin_api:pages:detail": "can_edit",
}
# Views that change a page when POSTed: tried as POST too, inside a rolled-back savepoint.
POST_VIEWS = {
    "wagtailadmin_pages:edit", "wagtailadmin_pages:delete", "wagtailadmin_pages:unpublish",
    "wagtailadmin_pages:move_confirm", "wagtailadmin_pages:copy", "wagtailadmin_pages:lock",
    "wagtailadmin_pages:unlock", "wagtailadmin_pages:revisions_revert", "wagtailadmin_pages:workflow_action",
    "wagtailadmin_pages:set_privacy", "wagtailadmin_pages:convert_alias", "wagtailadmin_api:pages:action",
    "wagtailadmin_pages:revisions_unschedule", "wagtailadmin_pages:set_page_position",
}
# URLs that list or search pages: must show no marker of a page the user may not open (choosers: may not see).
LISTING_VIEWS = {
    "wagtailadmin_home", "wagtailadmin_explore_root", "wagtailadmin_choose_page", "wagtailadmin_choose_page_search",
    "wagtailadmin_pages:search", "wagtailadmin_pages:search_results", "wagtailadmin_api:pages:listing",
    "wagtailadmin_api:pages:find", "wagtailadmin_pages:type_use", "wagtailadmin_pages:type_use_results",
    "wagtailadmin_pages:choose_parent", "wagtailadmin_reports:locked_pages",
    "wagtailadmin_reports:locked_pages_results", "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results", "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results", "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results", "wagtailadmin_reports:aging_pages",
    "wagtailadmin_reports:aging_pages_results", "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results", "wagtail_bulk_action", "wagtailadmin_pages:add",
    "wagtailadmin_pages:preview_on_add", "wagtailadmin_choose_page_chosen_multiple",
    "archive_admin:recycle_bin", "viewlog:index", "viewlog:index_results", "wagtailadmin_workflows:usage",
    "wagtailadmin_workflows:usage_results", "archive_admin:department_history_index",
    "archive_admin:department_history",
    "amendments_admin:index",  # 法规更新: laws the user may see, impacts of documents the admin lets them open
}
CHOOSER_VIEWS = {"wagtailadmin_choose_page", "wagtailadmin_choose_page_search", "wagtailadmin_choose_page_child",
                 "wagtailadmin_choose_page_chosen_multiple"}
# Admin URLs that never show a page of the world (accounts, collections, documents, images, snippets, settings,
# workflows' definitions, cooperation records, the login screens …): each is opened once per role and must not
# answer 5xx or show a forbidden marker.  Grouped by name prefix.
OTHER_PREFIXES = (
    "wagtailadmin_workflows:", "wagtailimages", "wagtaildocs", "wagtailusers_", "wagtailsnippets",
    "wagtailsnippetchoosers_", "wagtailsites:", "wagtailredirects:", "wagtailforms:", "wagtailadmin_collections:",
    "wagtailsearchpromotions:",  # 推荐结果 (wagtail.contrib.search_promotions): queries and their picks, page choosers walled
    "wagtailadmin_api:images:", "wagtailadmin_api:documents:", "wagtailsettings:", "wagtailembeds:",
    "cooperation_admin:", "viewlog:", "archive_admin:", "wagtailadmin_editing_sessions:",
    "jobruns:", "outgoingmail:",  # the scheduler's run log and mail queue (jobs/wagtail_hooks.py)
    "holidayarrangements:",  # 节假日安排 (portal/wagtail_hooks.py): managers only, no page of the world
    "townships_admin:",  # 镇（街道）联合执法、派驻执法中队 (townships/wagtail_hooks.py): records, no page of the world
    "coordination_admin:",  # 争议协调、责任追究、监督检查 (coordination/wagtail_hooks.py): records, no page of the world
    # 法规更新 (amendments/wagtail_hooks.py): an amendment's impacts (only on documents the admin lets the user open),
    # updating or reviewing one (POST)
    "amendments_admin:detail", "amendments_admin:update", "amendments_admin:review",
)
OTHER_VIEWS = {
    "wagtailadmin_choose_page_external_link", "wagtailadmin_choose_page_email_link",
    "wagtailadmin_choose_page_phone_link", "wagtailadmin_choose_page_anchor_link", "wagtailadmin_tag_autocomplete",
    "wagtailadmin_tag_model_autocomplete", "wagtailadmin_account", "wagtailadmin_logout",
    "wagtailadmin_dismissibles", "wagtailadmin_block_preview", "archive_import_docx", "archive_import_docx_confirm",
    "wagtailadmin_sprite", "wagtailadmin_login", "wagtailadmin_password_reset", "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm", "wagtailadmin_password_reset_complete", "wagtailadmin_javascript_catalog",
    "wagtailadmin_error_test", "wagtailadmin_workflows:remove",
}
# Unnamed patterns: Wagtail's test 404 and its catch-all (both answer 404 to everyone).
UNNAMED_ROUTES = {"admin/test404/", "admin/^.*/$"}
# Views that end a session or send mail: opened, never as a signed-in role.
SKIPPED_FOR_ROLES = {"wagtailadmin_logout", "wagtailadmin_error_test"}


def classify(name: str, route: str) -> str | None:
    if not name:
        return "unnamed" if route in UNNAMED_ROUTES else None
    if name in PAGE_VIEWS:
        return "page"
    if name in LISTING_VIEWS:
        return "listing"
    if name in OTHER_VIEWS or name.startswith(OTHER_PREFIXES):
        return "other"
    return None


def test_every_admin_url_pattern_is_classified():
    unclassified = sorted(f"{route} ({name or '无名称'})" for route, name, _ in admin_patterns()
                          if classify(name, route) is None)
    assert not unclassified, "未分类的后台地址（请在权限矩阵中说明其归属）：\n" + "\n".join(unclassified)


# --- the world -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def matrix_world(module_transaction, module_departments, module_site_tree):
    """Two departments, one live item of each scope in each (a published version and a newer draft, one of
    each department's items in review), users of every role in department A, a convener with no
    department, and a superuser."""
    groups = roles.ensure_roles()
    a, b = module_departments
    home, _ = module_site_tree
    section = CategoryIndexPage(title="其他共享信息", slug="other", section="other")
    home.add_child(instance=section)
    section.save_revision().publish()
    items = {}
    for dept in (a, b):
        for scope in SCOPES:
            mk = marker(dept.code, scope)
            page = OtherSharedInfoPage(title=f"巡查情况 {mk}", department=dept, scope=scope,
                                       formed_date=datetime.date(2026, 11, 2), body=f"<p>正文 {mk}body</p>")
            section.add_child(instance=page)
            page.save_revision().publish()
            page.title = f"巡查情况 {mk} 修订稿"
            page.save_revision()
            items[(dept.code, scope)] = page
    owner_a = User.objects.create_user("owner_a", password="Zhifa-Test-2026", department=a)
    owner_b = User.objects.create_user("owner_b", password="Zhifa-Test-2026", department=b)
    for owner in (owner_a, owner_b):
        owner.groups.add(groups[roles.EDITORS])
    workflow = Workflow.objects.get(name=roles.WORKFLOW_NAME)
    for code, owner in ((a.code, owner_a), (b.code, owner_b)):
        workflow.start(items[(code, Scope.PRIVATE)], owner)
    users = {}
    for role in ROLES:
        user = User.objects.create_user(f"role_{role}", password="Zhifa-Test-2026", department=a)
        user.groups.add(groups[role])
        users[role] = user
    convener = User.objects.create_user("convener", password="Zhifa-Test-2026")
    convener.groups.add(groups[roles.LEADERS])
    users["无部门的召集人"] = convener
    users["超级用户"] = User.objects.create_superuser("root", password="Zhifa-Test-2026")
    return {"section": section, "items": items, "users": users}


@pytest.fixture
def world(matrix_world):
    return refreshed(matrix_world)


def _fill(name: str, pattern: URLPattern, target: Page, section: Page) -> str:
    """Return the path of ``pattern`` with its arguments filled for ``target`` (a page of the world)."""
    kwargs = {}
    route = str(pattern.pattern)
    names = re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)
    revisions = list(target.revisions.order_by("pk").values_list("pk", flat=True)) or [1]
    state = TaskState.objects.filter(workflow_state__object_id=str(target.pk)).first()
    for arg in names:
        kwargs[arg] = {
            "page_id": target.pk, "parent_page_id": target.pk, "page_to_move_id": target.pk, "page_pk": target.pk,
            "pk": target.pk, "destination_id": section.pk, "revision_id": revisions[-1], "rev_a": revisions[0],
            "rev_b": revisions[-1], "revision_id_a": "earliest", "revision_id_b": "latest",
            "task_state_id": state.pk if state else 1, "task_id": state.task_id if state else 1,
            "workflow_state_id": state.workflow_state_id if state else 1, "action_name": "approve",
            "workflow_pk": 1, "app_label": "wagtailcore", "model_name": "page", "object_id": str(target.pk),
            "session_id": 1,
        }.get(arg, "1")
    from django.urls import reverse

    return reverse(name, kwargs=kwargs)


def _forbidden_markers(user, items, chooser=False) -> list[str]:
    """Return the markers of the items the user may not open in the admin (choosers: may not choose)."""
    allowed = set(Page.objects.filter(chooser_q(user)).values_list("pk", flat=True)) if chooser and \
        not user.is_superuser else None
    out = []
    for (code, scope), page in items.items():
        ok = page.pk in allowed if allowed is not None else admin_can_open(user, page)
        if not ok:
            out.append(marker(code, scope))
    return out


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _page_routes():
    return [(name, pattern) for route, name, pattern in admin_patterns() if classify(name, route) == "page"]


ROLE_NAMES = ROLES + ["无部门的召集人", "超级用户"]


def test_every_admin_url_naming_a_page_names_it_to_the_door(world):
    """Without HTTP: for every page view and every item of the world, the wall's door reads the item's id from
    the URL, so the door's policy check (proved over HTTP below) applies to every view and every item."""
    from django.urls import resolve

    from portal.walls.admin_doors import _page_ids

    missed = []
    for name, pattern in _page_routes():
        for target in world["items"].values():
            path = _fill(name, pattern, target, world["section"])
            match = resolve(path)
            ids = _page_ids(match.view_name, match.kwargs)
            if not ids or target.pk not in ids:
                missed.append(f"{name} {path}: door reads {ids}")
    assert not missed, "\n".join(missed[:40])


def _targets_of_view(index: int, user, items: dict) -> list:
    """Return the items a page view is tried on over HTTP for one role: one the role may open and two it may not
    (every item the role may not open is tried by several views: the forbidden items rotate with the view's
    index), or three it may open when it may open all.  The door reads every item's id from every view's URL
    (the test above), so rotating the items keeps every view × role × refused/opened case without sending
    all 8 items to all 38 views for all 7 roles."""
    keys = sorted(items)
    allowed = [k for k in keys if admin_can_open(user, items[k])]
    refused = [k for k in keys if k not in allowed]
    chosen = []
    if allowed:
        chosen.append(allowed[index % len(allowed)])
    if refused:
        chosen += [refused[index % len(refused)], refused[(index + 1) % len(refused)]]
    else:
        chosen += [allowed[(index + 1) % len(allowed)], allowed[(index + 2) % len(allowed)]]
    return [(k, items[k]) for k in dict.fromkeys(chosen)]


def test_the_rotation_tries_every_item_a_role_may_not_open(world):
    for role in ROLE_NAMES:
        user = world["users"][role]
        refused = {k for k, page in world["items"].items() if not admin_can_open(user, page)}
        tried = {k for i in range(len(_page_routes())) for k, _ in _targets_of_view(i, user, world["items"])}
        assert refused <= tried, (role, refused - tried)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_admin_urls_naming_a_page_follow_the_policy_for_every_role_department_and_scope(world, role):
    user = world["users"][role]
    client = Client()
    client.force_login(user)
    failures = []
    for index, (name, pattern) in enumerate(_page_routes()):
        for (code, scope), target in _targets_of_view(index, user, world["items"]):
            path = _fill(name, pattern, target, world["section"])
            opens = admin_can_open(user, target)
            methods = ["get", "post"] if name in POST_VIEWS and not opens else ["get"]
            for method in methods:
                with transaction.atomic():
                    before = OtherSharedInfoPage.objects.filter(pk=target.pk).values(
                        "live", "title", "path", "locked", "scope").first()
                    response = getattr(client, method)(path)
                    after = OtherSharedInfoPage.objects.filter(pk=target.pk).values(
                        "live", "title", "path", "locked", "scope").first()
                    transaction.set_rollback(True)
                body = _text(response)
                where = f"{method.upper()} {path} as {role} on {code}/{scope}"
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
                if not opens:
                    if response.status_code != 404:
                        failures.append(f"{where}: expected 404, got {response.status_code}")
                    if marker(code, scope) in body:
                        failures.append(f"{where}: shows the item's marker")
                    if before != after:
                        failures.append(f"{where}: changed the item {before} → {after}")
                elif name in READ_VIEWS and getattr(target.permissions_for_user(user), READ_VIEWS[name])():
                    if response.status_code != 200:
                        failures.append(f"{where}: the owner got {response.status_code}")
    assert not failures, "\n".join(failures[:40])


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_admin_listings_searches_choosers_and_reports_show_only_what_the_user_may_open(world, role):
    user = world["users"][role]
    client = Client()
    client.force_login(user)
    section = world["section"]
    queries = {"wagtailadmin_api:pages:listing": [f"?child_of={section.pk}&for_explorer=1", "?search=MK",
                                                  f"?descendant_of={section.pk}&fields=title"],
               "wagtail_bulk_action": ["?id=" + "&id=".join(str(p.pk) for p in world["items"].values())]}
    failures = []
    for route, name, pattern in admin_patterns():
        if classify(name, route) != "listing" or name in SKIPPED_FOR_ROLES:
            continue
        forbidden = _forbidden_markers(user, world["items"], chooser=name in CHOOSER_VIEWS)
        kwargs_path = _fill(name, pattern, section, section) if pattern.pattern.regex.groups or "<" in str(
            pattern.pattern) else None
        if name == "wagtail_bulk_action":
            from django.urls import reverse
            kwargs_path = reverse(name, kwargs={"app_label": "wagtailcore", "model_name": "page", "action": "publish"})
        elif name.startswith("wagtailadmin_pages:type_use"):
            from django.urls import reverse
            kwargs_path = reverse(name, kwargs={"content_type_app_name": "portal",
                                                "content_type_model_name": "othersharedinfopage"})
        elif name == "wagtailadmin_pages:choose_parent":
            from django.urls import reverse
            kwargs_path = reverse(name, kwargs={"app_label": "portal", "model_name": "othersharedinfopage"})
        elif name in ("wagtailadmin_pages:add", "wagtailadmin_pages:preview_on_add"):
            from django.urls import reverse
            kwargs_path = reverse(name, kwargs={"content_type_app_name": "portal",
                                                "content_type_model_name": "othersharedinfopage",
                                                "parent_page_id": section.pk})
        elif name == "archive_admin:department_history":
            from django.urls import reverse
            kwargs_path = reverse(name, kwargs={"department_id": user.department_id or 1})
        elif kwargs_path is None:
            from django.urls import reverse
            kwargs_path = reverse(name)
        for query in queries.get(name, ["", "?q=MK"]):
            response = client.get(kwargs_path + query)
            body = _text(response)
            where = f"GET {kwargs_path}{query} as {role}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code}")
            shown = [mk for mk in forbidden if mk in body]
            if shown:
                failures.append(f"{where}: shows {shown}")
    assert not failures, "\n".join(failures[:40])


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_other_admin_urls_never_fail_or_show_a_page_the_user_may_not_open(world, role):
    user = world["users"][role]
    client = Client()
    client.force_login(user)
    forbidden = _forbidden_markers(user, world["items"])
    failures = []
    target = world["items"][("ZFA", Scope.PUBLIC)]
    for route, name, pattern in admin_patterns():
        if classify(name, route) not in ("other", "unnamed") or name in SKIPPED_FOR_ROLES:
            continue
        if not name:
            path = "/" + route.replace("^.*/$", "no-such-screen/")
        else:
            try:
                path = _fill(name, pattern, target, world["section"])
            except Exception:  # noqa: BLE001 — a pattern whose arguments are not ids (slugs of apps): use names
                from django.urls import reverse
                names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
                path = reverse(name, kwargs={n: {"app_name": "portal", "model_name": "department"}.get(n, "x")
                                             for n in names})
        response = client.get(path)
        body = _text(response)
        if response.status_code >= 500:
            failures.append(f"GET {path} as {role}: {response.status_code}")
        shown = [mk for mk in forbidden if mk in body]
        if shown:
            failures.append(f"GET {path} as {role}: shows {shown}")
    assert not failures, "\n".join(failures[:40])


def test_owner_opening_a_non_public_item_in_the_admin_is_logged_and_a_refusal_too(world):
    own = world["items"][("ZFA", Scope.PRIVATE)]
    other = world["items"][("ZJB", Scope.INTERNAL)]
    client = Client()
    client.force_login(world["users"][roles.EDITORS])
    revision = own.revisions.order_by("-pk").first()
    assert client.get(f"/admin/pages/{own.pk}/view_draft/").status_code == 200
    assert client.get(f"/admin/pages/{own.pk}/revisions/{revision.pk}/view/").status_code == 200
    assert client.get(f"/admin/pages/{other.pk}/history/").status_code == 404
    log = list(ViewLog.objects.order_by("pk").values_list("kind", "page_id", "username"))
    assert log == [(ViewLog.Kind.ADMIN_OPEN, own.pk, f"role_{roles.EDITORS}"),
                   (ViewLog.Kind.ADMIN_OPEN, own.pk, f"role_{roles.EDITORS}"),
                   (ViewLog.Kind.REFUSED, other.pk, f"role_{roles.EDITORS}")]


def test_reviewers_and_leaders_moderate_only_their_own_departments_items(world):
    own_state = TaskState.objects.get(workflow_state__object_id=str(world["items"][("ZFA", Scope.PRIVATE)].pk))
    other_state = TaskState.objects.get(workflow_state__object_id=str(world["items"][("ZJB", Scope.PRIVATE)].pk))
    reviewer = world["users"][roles.REVIEWERS]
    reviewable = set(TaskState.objects.reviewable_by(reviewer).values_list("pk", flat=True))
    assert own_state.pk in reviewable and other_state.pk not in reviewable
    other_page = world["items"][("ZJB", Scope.PRIVATE)]
    assert other_state.task.specific.get_actions(other_page, reviewer) == []
    assert other_state.task.specific.get_actions(world["items"][("ZFA", Scope.PRIVATE)], reviewer)
    client = Client()
    client.force_login(reviewer)
    response = client.post(f"/admin/pages/workflow/action/{other_page.pk}/approve/{other_state.pk}/")
    assert response.status_code == 404
    other_state.refresh_from_db()
    assert other_state.status == TaskState.STATUS_IN_PROGRESS


def test_a_leader_cannot_file_an_item_under_another_department(world):
    leader = world["users"][roles.LEADERS]
    item = world["items"][("ZFA", Scope.SHARED)]
    form_class = item.get_edit_handler().get_form_class()
    b = item.department.__class__.objects.get(code="ZJB")
    form = form_class(instance=item, for_user=leader, parent_page=world["section"])
    assert list(form.fields["department"].queryset) == [item.department]
    assert b not in form.fields["department"].queryset


def test_submitted_for_review_mail_goes_only_to_the_items_own_departments_reviewers(world, mailoutbox):
    b_item = world["items"][("ZJB", Scope.SHARED)]
    reviewer_a = world["users"][roles.REVIEWERS]
    reviewer_a.email = "reviewer-a@example.gov.cn"
    reviewer_a.save()
    reviewer_b = User.objects.create_user("reviewer_b", password="Zhifa-Test-2026", email="reviewer-b@example.gov.cn",
                                          department=b_item.department)
    reviewer_b.groups.add(reviewer_a.groups.get())
    Workflow.objects.get(name=roles.WORKFLOW_NAME).start(b_item, User.objects.get(username="owner_b"))
    recipients = {address for message in mailoutbox for address in message.to}
    assert "reviewer-b@example.gov.cn" in recipients
    assert "reviewer-a@example.gov.cn" not in recipients
