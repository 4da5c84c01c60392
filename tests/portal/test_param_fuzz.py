"""Hostile parameters never make a server error: Unicode digits, huge integers, negative numbers, far dates and
odd strings, sent to every query parameter the public, /staff/, /cooperation/, /archive/, API and admin views
read and in their URL id segments, as an anonymous visitor, a member of staff and a superuser.

The views fuzzed are the project's own URL patterns, found by walking the URLconf (a new pattern the table
``TARGETS`` does not list fails ``test_every_url_pattern_of_the_project_is_fuzzed``), and the Wagtail admin
views that read ids and numbers (``WAGTAIL_TARGETS``).  Each example runs in a savepoint rolled back after
it, so what one request changes (a restore, a revert) the next never sees.

The known crashes of issue 13 (``str.isdigit()`` accepting '²', integers past SQLite's 2**63-1, date
arithmetic past 9999) each answer 400 or 404 with a Chinese message instead.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from archive.recycle import move_to_recycle_bin
from portal import roles
from portal.models import Scope, User
from tests.archive.conftest import NEW_TEXT, OLD_TEXT, publish_new_version
from tests.conftest import create_departments, create_site_tree, regulation_factory
from tests.fuzzing import examples
from tests.portal.staff_worlds import publish_workflow, section

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")
FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HUGE = str(10**30)
HOSTILE_VALUES = [
    "²", "²²²²", "²⁰²⁶", "٣", "١٢", "१२", "２０２６", "二〇二六", HUGE, "99999999999999999999999", str(2**63), "-1",
    "-99999999999999999999", "0", "9999-12-31", "0001-01-01", "2026-02-30", "9999-12", "0000-00", "%00", "\x00", "1e9",
    " 1 ", "1.5", "1_000", "", " ", "9" * 5000, "文" * 300, "<b>x</b>", "' OR 1=1 --", "null", "[]",
]
ODD_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
HOSTILE = st.one_of(*[st.sampled_from(HOSTILE_VALUES)] * 3, st.integers(-(10**25), 10**25).map(str), ODD_TEXT)
# The values issue 13 names, each sent to every parameter and id segment by the sweep.
ISSUE_VALUES = ["²", "٣", "१२", HUGE, "-1", "9999-12-31", "0001-01-01", "%00", "\x00", "9" * 5000, "1e9", " 1 "]
HOSTILE_SEGMENTS = ["²", "٣", "१२", HUGE, str(2**63), "9" * 400, "-1", "0", "1e9", "%00", "\x00", " 1 ", "文"]

# Every URL pattern of the project: its URL name → (methods, the query or form parameters its view reads).
# A pattern missing here fails test_every_url_pattern_of_the_project_is_fuzzed.
GET = ("get",)
TARGETS = {
    "healthz": (GET, []),
    "sitemap": (GET, []),
    "site_map": (GET, []),
    "feed_rss": (GET, []),
    "feed_atom": (GET, []),
    "search": (GET, ["q", "year", "department", "category", "validity", "page", "per_page", "sort"]),
    "search_api": (GET, ["q", "year", "page", "per_page"]),
    "search_suggest": (GET, ["q", "detail"]),
    "wagtailapi:pages:listing": (GET, ["offset", "limit", "id", "child_of", "descendant_of", "ancestor_of",
                                       "translation_of", "type", "fields", "order", "search"]),
    "wagtailapi:pages:detail": (GET, ["fields"]),
    "wagtailapi:pages:find": (GET, ["id", "html_path"]),
    "archive:index": (GET, ["year", "department", "category", "q", "page"]),
    "archive:version_list": (GET, []),
    "archive:version_compare": (GET, ["from", "to", "changed"]),
    "archive:export_pdf": (GET, ["date"]),
    "archive:export_docx": (GET, ["date"]),
    "archive:export_txt": (GET, ["date"]),
    "archive:export_discretion_xlsx": (GET, []),
    "archive:export_discretion_csv": (GET, []),
    "archive:export_statistics_xlsx": (GET, []),
    "archive:export_statistics_csv": (GET, []),
    "staff_dashboard": (GET, ["month"]),
    "staff_supervision": (GET, ["month"]),
    "staff_supervision_csv": (GET, ["month"]),
    "staff_supervision_xlsx": (GET, ["month"]),
    "staff_subscriptions": (("get", "post"), ["department", "category", "source_department"]),
    "staff_subscription_delete": (("post",), []),
    "staff_notifications_read": (("post",), []),
    "staff_saved_searches": (("get", "post"), ["q", "name", "query", "category", "department", "validity", "digest"]),
    "staff_saved_search": (GET, []),
    "staff_saved_search_delete": (("post",), []),
    "staff_saved_search_feed": (GET, []),
    "staff_browse": (GET, []),
    "staff_browse_category": (GET, ["department", "year", "validity", "scope", "q", "include_abolished", "page"]),
    "staff_discretion": (GET, ["q"]),
    "staff_workflows": (GET, []),
    "staff_workflow": (GET, ["start"]),
    "cooperation:pending": (GET, []),
    "cooperation:statistics": (GET, ["year"]),
    "archive_import_docx": (GET, ["parent"]),
    "archive_import_docx_confirm": (("post",), ["token", "parent", "department", "scope", "regulation_kind"]),
    "archive_admin:compare_default": (GET, []),
    "archive_admin:compare_choose": (GET, ["from", "to"]),
    "archive_admin:compare": (GET, ["changed"]),
    "archive_admin:recycle_bin": (GET, []),
    "archive_admin:recycle_restore": (("get", "post"), ["parent", "choose"]),
    "archive_admin:recycle_purge": (("get", "post"), ["confirm_title"]),
    "archive_admin:department_history_index": (GET, []),
    "archive_admin:department_history": (GET, []),
    "archive_admin:department_revert": (("post",), []),
    "viewlog:index": (GET, ["p", "q", "kind", "scope", "created_at_from", "created_at_to", "ordering", "export"]),
    "viewlog:index_results": (GET, ["p", "q", "created_at_from", "created_at_to", "ordering"]),
    **{f"cooperation_admin:{name}_index": (GET, ["mine"])
       for name in ("meeting", "task", "transfer", "complaint", "request", "briefing", "assistance",
                    "special_topic", "penalty_notice")},
    **{f"cooperation_admin:{name}_add": (("get", "post"), ["date", "due_date", "discovered_date", "received_date",
                                                            "deadline", "from_department", "to_department",
                                                            "department", "participants", "topics", "days"])
       for name in ("meeting", "transfer", "complaint", "request", "briefing", "assistance", "special_topic",
                    "special_meeting")},
    **{f"cooperation_admin:{name}_detail": (GET, []) for name in ("meeting", "transfer", "complaint", "request",
                                                                   "briefing", "assistance")},
    **{f"cooperation_admin:{name}_action": (("get", "post"), ["due_date", "days", "responsible_department",
                                                               "transfer", "note", "new_due", "arrived_at"])
       for name in ("meeting", "topic", "task", "transfer", "complaint", "request", "consultation", "briefing",
                    "assistance")},
    "cooperation_admin:material_remove": (("post",), []),
    "townships_admin:action_index": (GET, []),
    "townships_admin:action_add": (("get", "post"), ["township", "title", "matter", "date", "location",
                                                     "participants", "local_forces", "other_forces"]),
    "townships_admin:action_detail": (GET, []),
    "townships_admin:action_act": (("get", "post"), ["findings", "description", "responsible_department",
                                                     "working_days", "assigned_date", "note", "poor_organisation",
                                                     "adverse_effect"]),
    "townships_admin:follow_up_complete": (("get", "post"), ["note"]),
    "townships_admin:squadron_index": (GET, []),
    "townships_admin:squadron_add": (("get", "post"), ["name", "bureau", "township", "stationed_since", "note"]),
    "coordination_admin:dispute_index": (GET, []),
    "coordination_admin:dispute_add": (("get", "post"), ["transfer", "department", "others", "kind", "facts"]),
    "coordination_admin:dispute_detail": (GET, []),
    "coordination_admin:dispute_action": (("get", "post"), ["department", "date", "competent_department",
                                                             "coordinator", "note", "text"]),
    "coordination_admin:case_index": (GET, []),
    "coordination_admin:case_candidates": (GET, []),
    "coordination_admin:case_add": (("get", "post"), ["source", "department", "facts"]),
    "coordination_admin:case_detail": (GET, []),
    "coordination_admin:case_action": (("get", "post"), ["consequences", "handling", "reason"]),
    "coordination_admin:supervision": (GET, []),
    "amendments_admin:index": (GET, []),
    "amendments_admin:detail": (GET, []),
    "amendments_admin:update": (("post",), []),
    "amendments_admin:review": (("post",), ["note"]),
    "wagtailusers_users:index": (GET, ["p", "q", "group", "last_login_from", "last_login_to", "is_superuser"]),
    "wagtailusers_users:index_results": (GET, ["p", "q", "group"]),
    "wagtailusers_users:add": (("get", "post"), ["department", "groups", "is_superuser"]),
    "wagtailusers_users:edit": (("get", "post"), ["department", "groups", "is_superuser"]),
    "wagtailusers_users:delete": (GET, []),
    "wagtailusers_users:history": (GET, ["p", "timestamp_from", "timestamp_to", "user"]),
    "wagtailusers_users:history_results": (GET, ["p", "timestamp_from", "timestamp_to"]),
    "wagtailusers_users:usage": (GET, ["p"]),
}
# Wagtail's own admin views that read page, revision or object ids and numbers (the walls middleware checks them).
WAGTAIL_TARGETS = {
    "admin/pages/<id:page_id>/": (GET, ["p", "ordering", "q"]),
    "admin/pages/<id:page_id>/edit/": (GET, []),
    "admin/pages/<id:page_id>/history/": (GET, ["p", "timestamp_from", "timestamp_to", "action", "user"]),
    "admin/pages/<id:page_id>/revisions/<id:rev_a>/view/": (GET, []),
    "admin/pages/<id:page_id>/revisions/compare/<id:rev_a>...<id:rev_b>/": (GET, []),
    "admin/pages/<id:page_id>/usage/": (GET, ["p"]),
    "admin/pages/search/": (GET, ["q", "p", "content_type"]),
    "admin/bulk/wagtailcore/page/delete/": (GET, ["id", "next"]),
    "admin/api/main/pages/": (GET, ["offset", "limit", "child_of", "for_explorer"]),
    "admin/reports/site-history/": (GET, ["timestamp_from", "timestamp_to", "p", "action"]),
    "admin/documents/": (GET, ["p", "collection_id", "q"]),
    "admin/documents/usage/<id:document_id>/": (GET, ["p"]),
    "admin/api/main/pages/<id:pk>/": (GET, ["fields"]),
    "admin/pages/<id:page_id>/workflow_history/detail/<id:workflow_state_id>/": (GET, []),
}
PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")


# The project's own top-level packages (portal, staff, cooperation, …): every folder of the repo with an __init__.py.
PROJECT_PACKAGES = {init.parent.name for init in Path(__file__).resolve().parents[2].glob("*/__init__.py")} - {"tests"}


def project_patterns() -> dict[str, str]:
    """Return {URL name: route} of every URL pattern served by the project's own code (not Wagtail's)."""
    found = {}

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
                continue
            view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
            module = getattr(view or pattern.callback, "__module__", "")
            if module.split(".")[0] in PROJECT_PACKAGES and pattern.name:
                found[namespace + pattern.name] = (prefix + str(pattern.pattern)).replace("^", "").replace("$", "")

    walk(get_resolver().url_patterns, "", "")
    return found


# --- the world ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def _world(module_transaction):
    """Two departments; a regulation published twice; a workflow; a page in the 回收站; three users."""
    a, b = create_departments()
    home, laws = create_site_tree()
    groups = roles.ensure_roles()
    regulation = regulation_factory(laws, (a, b))(title="测试复议条例", slug="test-fuyi", text=OLD_TEXT,
                                                   publish_date=datetime.date(2017, 9, 1),
                                                   effective_date=datetime.date(2017, 9, 1))
    regulation.refresh_from_db()
    old_revision = regulation.live_revision_id
    regulation, new_revision = publish_new_version(regulation, NEW_TEXT, publish_date=datetime.date(2023, 9, 1),
                                                   effective_date=datetime.date(2024, 1, 1))
    binned = regulation_factory(laws, (a, b))(title="已删除的条例", slug="binned", scope=Scope.SHARED)
    entry = move_to_recycle_bin(binned)
    workflow = publish_workflow(section(home, "workflows"), a)
    staff = User.objects.create_user("fuzz_editor", password="Fuzz-Editor-2026", department=a)
    staff.groups.add(groups[roles.EDITORS])
    root = User.objects.create_superuser("fuzz_root", "root@example.gov.cn", "Fuzz-Root-2026", department=a)
    history = a.history.order_by("history_id").first()
    return SimpleNamespace(
        a=a, b=b, home=home, laws=laws, regulation=regulation, old_revision=old_revision, new_revision=new_revision.pk, entry=entry, workflow=workflow, staff=staff, root=root,
        history=history)


@pytest.fixture
def world(_world, db):
    return _world


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client



# --- the fuzz ---------------------------------------------------------------------------------------

# A valid value for each URL keyword argument and query parameter ({…}: an id of the world's).
VALID_SEGMENTS = {"page_id": "{regulation}", "pk": "{regulation}", "rev_a": "{old_revision}",
                  "rev_b": "{new_revision}", "entry_id": "{entry}", "department_id": "{a}", "history_id": "{history}",
                  "action": "submit", "category": "penalties", "section": "laws", "document_id": "1",
                  "workflow_state_id": "1"}
VALID_SEGMENTS_OF = {"staff_workflow": {"page_id": "{workflow}"},
                     **{name: {"pk": "{staff}"} for name in TARGETS if name.startswith("wagtailusers_users:")},
                     **{name: {"pk": "1"} for name in TARGETS
                        if name.startswith(("cooperation_admin:", "townships_admin:", "coordination_admin:",
                                            "staff_sub"))},
                     "townships_admin:action_act": {"pk": "1", "action": "findings"}}
VALID_PARAMETERS = {
    "year": "2024", "department": "{a}", "category": "laws", "q": "条例", "page": "2", "per_page": "5",
    "sort": "date", "validity": "现行有效", "from": "{old_revision}", "to": "{new_revision}", "changed": "1",
    "date": "2020-01-01", "month": "2026-10", "start": "2026-11-02", "offset": "0", "limit": "5", "id": "{regulation}",
    "child_of": "{laws}", "descendant_of": "{home}", "ancestor_of": "{regulation}", "translation_of": "{regulation}",
    "type": "portal.RegulationPage", "fields": "title", "order": "title", "search": "条例", "html_path": "/laws/",
    "parent": "{laws}", "choose": "1", "confirm_title": "已删除的条例", "token": "x", "scope": "shared",
    "regulation_kind": "rule", "source_department": "{b}", "include_abolished": "1", "p": "1", "detail": "1",
    "ordering": "created_at", "kind": "view", "created_at_from": "2026-01-01", "created_at_to": "2026-12-31",
    "export": "csv", "mine": "1", "due_date": "2026-12-31", "days": "3", "responsible_department": "{b}",
    "transfer": "1", "note": "说明", "timestamp_from": "2026-01-01", "timestamp_to": "2026-12-31",
    "action": "wagtail.publish", "user": "{root}", "collection_id": "1", "group": "1", "for_explorer": "1",
    "next": "/admin/", "content_type": "portal.regulationpage", "discovered_date": "2026-03-10",
    "received_date": "2026-03-10", "deadline": "2026-03-20", "from_department": "{a}", "to_department": "{b}",
    "township": "1", "participants": "{b}", "working_days": "3", "assigned_date": "2026-03-10",
    "stationed_since": "2026-03-10", "bureau": "{a}", "name": "我的检索", "query": "条例", "digest": "on",
    "source": "transfer-send:1", "others": "{b}", "competent_department": "{b}", "coordinator": "{a}",
}
WHO = ("anonymous", "staff", "root")


def ids_of(world) -> dict[str, str]:
    """Return the world's ids by the names VALID_SEGMENTS and VALID_PARAMETERS use."""
    return {"regulation": world.regulation.pk, "workflow": world.workflow.pk, "old_revision": world.old_revision,
            "new_revision": world.new_revision, "entry": world.entry.pk, "a": world.a.pk, "b": world.b.pk,
            "history": world.history.history_id, "laws": world.laws.pk, "home": world.home.pk, "root": world.root.pk,
            "staff": world.staff.pk}


def all_targets() -> dict[str, tuple[str, tuple, list]]:
    """Return {name: (route, methods, parameters)} of the project's patterns and the Wagtail admin views fuzzed."""
    routes = project_patterns()
    targets = {name: (routes[name], *TARGETS[name]) for name in TARGETS if name in routes}
    targets.update({route: (route, *spec) for route, spec in WAGTAIL_TARGETS.items()})
    return targets


def draw_request(data, world, names: list[str]) -> tuple[str, str, str, str, dict]:
    """Draw (view, who, method, path, parameters): a target, its id segments and parameters valid, absent or
    hostile."""
    targets, ids = all_targets(), ids_of(world)
    name = data.draw(st.sampled_from(sorted(names)), label="view")
    route, methods, parameters = targets[name]
    segments = {**VALID_SEGMENTS, **VALID_SEGMENTS_OF.get(name, {})}

    def segment(match):
        valid = segments.get(match.group(2), "1").format(**ids)
        value = data.draw(st.one_of(st.just(valid), st.sampled_from(HOSTILE_SEGMENTS)), label=match.group(2))
        return quote(value, safe="")

    path = "/" + PLACEHOLDER.sub(segment, route)
    sent = {}
    for parameter in parameters:
        choice = data.draw(st.sampled_from(("absent", "valid", "hostile", "hostile")), label=f"{parameter}?")
        if choice == "valid":
            sent[parameter] = VALID_PARAMETERS.get(parameter, "1").format(**ids)
        elif choice == "hostile":
            sent[parameter] = data.draw(HOSTILE, label=parameter)
    who, method = data.draw(st.sampled_from(WHO), label="who"), data.draw(st.sampled_from(methods), label="method")
    return name, who, method, path, sent


@pytest.fixture
def clients(world):
    return {"anonymous": client_for(None), "staff": client_for(world.staff), "root": client_for(world.root)}


def send(client, method: str, path: str, sent: dict):
    """Return the response to one request, whose changes are rolled back."""
    with transaction.atomic():  # what the request changes, the next one never sees
        response = getattr(client, method)(path, sent)
        transaction.set_rollback(True)
    return response


def assert_no_server_error(data, world, clients, names):
    name, who, method, path, sent = draw_request(data, world, names)
    response = send(clients[who], method, path, sent)
    event(f"HTTP {response.status_code}")
    assert response.status_code < 500, (who, method, path, sent, response.status_code)
    if response.status_code == 400 and name in TARGETS:  # the project's refusals; Wagtail's admin API is English
        assert CHINESE.search(response.content.decode(errors="replace")), (path, sent, response.content[:300])


PUBLIC = [n for n in TARGETS
          if not n.startswith(("staff", "cooperation", "coordination", "townships", "archive_import", "archive_admin", "viewlog",
                               "amendments_admin",
                               "wagtailusers"))]
STAFF = [n for n in TARGETS if n.startswith(("staff", "cooperation:"))]
ADMIN = [n for n in TARGETS
         if n.startswith(("archive_import", "archive_admin", "viewlog", "cooperation_admin", "townships_admin",
                          "coordination_admin", "amendments_admin",
                          "wagtailusers_users"))]


def test_every_url_pattern_of_the_project_is_fuzzed():
    assert set(project_patterns()) == set(TARGETS)
    assert set(PUBLIC) | set(STAFF) | set(ADMIN) == set(TARGETS)


@settings(max_examples=examples(200), **FUZZ)
@given(data=st.data())
def test_public_views_never_answer_a_server_error(world, clients, data):
    assert_no_server_error(data, world, clients, PUBLIC)


@settings(max_examples=examples(150), **FUZZ)
@given(data=st.data())
def test_staff_and_cooperation_views_never_answer_a_server_error(world, clients, data):
    assert_no_server_error(data, world, clients, STAFF)


@settings(max_examples=examples(250), **FUZZ)
@given(data=st.data())
def test_admin_views_never_answer_a_server_error(world, clients, data):
    assert_no_server_error(data, world, clients, ADMIN + list(WAGTAIL_TARGETS))


# --- the known crashes -------------------------------------------------------------------------------

def known_crashes(w) -> list[tuple[str, str, str, dict]]:
    """Return (who, method, path, data) of each crash reported in issue 13."""
    reg, wf = w.regulation.pk, w.workflow.pk
    return [
        ("anonymous", "get", "/archive/", {"year": "²²²²"}),
        ("anonymous", "get", "/archive/", {"department": "²"}),
        ("anonymous", "get", f"/archive/versions/{reg}/compare/", {"from": "²"}),
        ("anonymous", "get", "/archive/versions/99999999999999999999999/", {}),
        ("staff", "get", "/staff/browse/penalties/", {"department": "²"}),
        ("staff", "get", "/cooperation/statistics/", {"year": "²⁰²⁶"}),
        ("staff", "get", f"/staff/workflows/{HUGE}/", {}),
        ("staff", "get", f"/staff/workflows/{wf}/", {"start": "9999-12-31"}),
        ("anonymous", "get", "/api/v2/pages/", {"offset": HUGE}),
        ("anonymous", "get", "/api/v2/pages/", {"limit": HUGE}),
        ("root", "get", f"/admin/archive/compare/{reg}/choose/", {"from": "²", "to": "²"}),
        ("root", "post", f"/admin/archive/recycle-bin/{w.entry.pk}/restore/", {"parent": "²"}),
        ("root", "get", "/admin/import/docx/", {"parent": "²"}),
    ]


@pytest.mark.parametrize("number", range(13))
def test_each_known_crash_answers_400_or_404_in_chinese(world, number):
    who, method, path, data = known_crashes(world)[number]
    client = client_for({"anonymous": None, "staff": world.staff, "root": world.root}[who])

    response = getattr(client, method)(path, data)

    assert response.status_code in (400, 404), (path, data, response.status_code)
    assert CHINESE.search(response.content.decode()), response.content[:300]


def test_a_bad_parent_given_to_the_word_import_is_not_kept_in_the_session(world):
    client = client_for(world.root)

    response = client.get("/admin/import/docx/", {"parent": "²"})

    assert response.status_code == 400
    assert "archive_docx_parent" not in client.session


# --- the sweep: the issue's values in every parameter and id segment ---------------------------------

def fill_route(route: str, segments: dict[str, str]) -> str:
    """Return the path of ``route`` with each <converter:name> replaced by segments[name] (quoted), else "1"."""
    return "/" + PLACEHOLDER.sub(lambda m: quote(segments.get(m.group(2), "1"), safe=""), route)


def sweep_requests(world) -> list[tuple[str, str, str, str, dict]]:
    """Return (view, who, method, path, parameters): each parameter and id segment of each view given the issue's
    values one at a time, the others valid: every second value locally, every fourth on CI, starting from a
    different one for each parameter, so that every value still goes to many parameters (the full sweep takes
    minutes; hypothesis's tests above draw the rest)."""
    share = 4 if settings.get_current_profile_name() == "ci" else 2
    ids, requests, turn = ids_of(world), [], 0
    for name, (route, methods, parameters) in sorted(all_targets().items()):
        who = "anonymous" if name in PUBLIC else "staff" if name in STAFF else "root"
        segments = {key: value.format(**ids) for key, value in {**VALID_SEGMENTS, **VALID_SEGMENTS_OF.get(name, {})}.items()}
        slots = [("parameter", p) for p in parameters] + [("segment", m.group(2)) for m in PLACEHOLDER.finditer(route)]
        for kind, slot in slots:
            for value in ISSUE_VALUES[turn % share::share]:
                for method in methods:
                    if kind == "parameter":
                        requests.append((name, who, method, fill_route(route, segments), {slot: value}))
                    else:
                        requests.append((name, who, method, fill_route(route, {**segments, slot: value}), {}))
            turn += 1
    return requests


def test_the_issues_values_in_every_parameter_and_id_segment_never_answer_a_server_error(world, clients):
    failures = []
    for name, who, method, path, sent in sweep_requests(world):
        response = send(clients[who], method, path, sent)
        if response.status_code >= 500:
            failures.append((name, who, method, path[:100], sent, response.status_code))
        elif response.status_code == 400 and name in TARGETS and not CHINESE.search(response.content.decode()):
            failures.append((name, who, method, path[:100], sent, "400 without Chinese"))
    assert not failures


def test_a_date_of_the_working_systems_past_2100_is_refused_in_chinese(world):
    from cooperation.admin_screens.forms import TaskForm

    for due in ("9999-12-31", "0001-01-01"):
        form = TaskForm(data={"title": "建立台账", "responsible_department": world.b.pk, "due_date": due})
        assert not form.is_valid()
        assert CHINESE.search(" ".join(form.errors["due_date"]))
