"""The staff dashboard: new items since the previous visit (not this one), subscriptions, doors to the tools."""
import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page

from portal.models import DashboardVisit, DepartmentSubscription, OtherSharedInfoPage, Scope
from staff.visits import FIRST_VISIT_WINDOW, VISIT_GAP, new_items, record_visit
from tests.portal.staff_worlds import publish_workflow, section

T0 = timezone.make_aware(datetime.datetime(2026, 11, 23, 9, 0))


def published_at(page, moment, first=None):
    Page.objects.filter(pk=page.pk).update(last_published_at=moment, first_published_at=first or moment)


@pytest.fixture
def other(site_tree):
    home, _ = site_tree
    return section(home, "other")


@pytest.fixture
def item(other, departments):
    """Return a factory publishing an item of department B (by default) at ``moment``."""

    def make(title, moment, scope=Scope.SHARED, department=None, first=None):
        page = OtherSharedInfoPage(title=title, department=department or departments[1], scope=scope,
                                   formed_date=moment.date(), body=f"<p>{title}</p>")
        other.add_child(instance=page)
        page.save_revision().publish()
        published_at(page, moment, first)
        return page

    return make


def test_first_visit_counts_the_last_week_as_new(staff):
    visit = record_visit(staff[0], "s1", now=T0)
    assert visit.first_visit and visit.since == T0 - FIRST_VISIT_WINDOW


def test_reloads_within_a_visit_keep_the_previous_visits_cut_off(staff):
    user = staff[0]
    record_visit(user, "s1", now=T0)
    record_visit(user, "s1", now=T0 + datetime.timedelta(minutes=10))
    # The next day, a new session: "new" starts where yesterday's visit ended (09:10), not now.
    next_day = T0 + datetime.timedelta(days=1)
    assert record_visit(user, "s2", now=next_day).since == T0 + datetime.timedelta(minutes=10)
    reload = record_visit(user, "s2", now=next_day + datetime.timedelta(minutes=5))
    assert reload.since == T0 + datetime.timedelta(minutes=10) and not reload.first_visit


def test_a_long_pause_in_the_same_session_begins_a_new_visit(staff):
    user = staff[0]
    record_visit(user, "s1", now=T0)
    later = T0 + VISIT_GAP + datetime.timedelta(minutes=1)
    assert record_visit(user, "s1", now=later).since == T0
    assert DashboardVisit.objects.get(user=user).visit_started_at == later


def test_new_items_are_what_others_published_since_and_the_user_may_see(item, staff, departments):
    a, b = departments
    since = T0
    item("乙部门共享的新信息", T0 + datetime.timedelta(hours=1))
    item("乙部门公开的新信息", T0 + datetime.timedelta(hours=2), scope=Scope.PUBLIC)
    item("乙部门内部的新信息", T0 + datetime.timedelta(hours=1), scope=Scope.INTERNAL)
    item("乙部门不予共享的新信息", T0 + datetime.timedelta(hours=1), scope=Scope.PRIVATE)
    item("乙部门以前的信息", T0 - datetime.timedelta(days=1))
    item("本部门自己的新信息", T0 + datetime.timedelta(hours=1), department=a)
    items, total = new_items(staff[0], since)
    assert [i.page.title for i in items] == ["乙部门公开的新信息", "乙部门共享的新信息"]
    assert total == 2
    # Department B's own staff see A's item instead (and B's internal one is B's own, so not "shared with").
    assert [i.page.title for i in new_items(staff[1], since)[0]] == ["本部门自己的新信息"]


def test_an_item_published_again_after_the_cut_off_is_marked_as_an_update(item, staff):
    item("修订后再次发布的信息", T0 + datetime.timedelta(hours=1), first=T0 - datetime.timedelta(days=30))
    (entry,), _ = new_items(staff[0], T0)
    assert entry.is_update


def test_dashboard_lists_new_items_once_and_keeps_them_on_reload(client, item, staff):
    user = staff[0]
    # The previous visit ended yesterday at 09:00.
    DashboardVisit.objects.create(user=user, session_key="old", visit_started_at=T0, last_seen_at=T0)
    item("联席会议纪要（第三次）", timezone.now() - datetime.timedelta(minutes=5))
    item("上周的旧纪要", T0 - datetime.timedelta(days=7))
    client.force_login(user)
    first = client.get("/staff/").content.decode()
    assert "上次访问以来的新信息（1 条）" in first
    assert "联席会议纪要（第三次）" in first and "上周的旧纪要" not in first
    assert "上次访问：2026-11-23 09:00" in first
    assert "联席会议纪要（第三次）" in client.get("/staff/").content.decode()  # a reload keeps them


def test_dashboard_shows_subscriptions_categories_and_links_to_every_tool(client, site_tree, staff, departments):
    home, _ = site_tree
    a, b = departments
    DepartmentSubscription.objects.create(subscriber=a, category="penalties", source_department=b)
    workflow = publish_workflow(section(home, "workflows"), a, title="行政处罚一般程序流程")
    client.force_login(staff[0])
    html = client.get("/staff/").content.decode()
    assert "住建局发布的“行政处罚、行政强制”" in html
    for url in ("/search/", "/staff/browse/", "/staff/browse/penalties/", "/staff/discretion/", "/staff/workflows/",
                f"/staff/workflows/{workflow.pk}/", "/staff/subscriptions/"):
        assert f'href="{url}"' in html, url
    assert "行政处罚一般程序流程" in html


def test_dashboard_hides_workflows_the_user_may_not_see(client, site_tree, staff, departments):
    home, _ = site_tree
    a, b = departments
    publish_workflow(section(home, "workflows"), b, title="住建局内部流程", scope=Scope.INTERNAL)
    client.force_login(staff[0])
    assert "住建局内部流程" not in client.get("/staff/").content.decode()
    client.force_login(staff[1])
    assert "住建局内部流程" in client.get("/staff/").content.decode()


def test_category_counts_on_the_dashboard_follow_the_access_policy(client, item, staff):
    item("共享一", T0)
    item("内部一", T0, scope=Scope.INTERNAL)
    client.force_login(staff[0])
    counts = {code: n for code, _label, n in client.get("/staff/").context["category_counts"]}
    assert counts["other"] == 1 and counts["laws"] == 0
    client.force_login(staff[1])
    counts = {code: n for code, _label, n in client.get("/staff/").context["category_counts"]}
    assert counts["other"] == 2
