"""抄告 on publication (only to liaisons who may see the item) and the remind_deadlines command.

E-mails are queued (jobs.mail) and sent by the scheduler's mail job: ``deliver()`` runs it before the outbox is read.
"""
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from jobs.mail import deliver_due
from jobs.models import OutgoingMail
from portal import roles
from portal.models import (
    Category,
    CategoryIndexPage,
    Department,
    DepartmentSubscription,
    Notification,
    OtherSharedInfoPage,
    Scope,
    User,
)
from sharing import deadlines


def deliver() -> list:
    """Run the mail job's delivery and return Django's outbox."""
    deliver_due()
    return mail.outbox


@pytest.fixture
def world(site_tree, departments):
    """Return departments A, B, C with a liaison each (C's has no email), and the 'other' section."""
    home, _ = site_tree
    section = CategoryIndexPage(title="其他共享信息", slug="other", section="other")
    home.add_child(instance=section)
    section.save_revision().publish()
    a, b = departments
    c = Department.objects.create(name="测试区市场监督管理局", short_name="市场监管局", code="SJC")
    liaisons = {}
    for dept, username, email in [(a, "liaison_a", "a@example.gov.cn"), (b, "liaison_b", "b@example.gov.cn"),
                                  (c, "liaison_c", "")]:
        user = User.objects.create_user(username, password="pw-liaison-2026", department=dept, email=email)
        dept.liaisons.add(user)
        liaisons[dept.code] = user
    return {"section": section, "a": a, "b": b, "c": c, "liaisons": liaisons}


def publish(world, title, scope, department=None, formed=datetime.date(2026, 11, 20), live=True):
    page = OtherSharedInfoPage(title=title, department=department or world["a"], scope=scope, formed_date=formed,
                               live=live, body="<p>正文</p>")
    world["section"].add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


def subscribe(subscriber, category="", source=None):
    return DepartmentSubscription.objects.create(subscriber=subscriber, category=category, source_department=source)


def test_publishing_a_shared_item_emails_the_subscribed_departments_liaisons(world):
    subscribe(world["b"], category=Category.OTHER)
    subscribe(world["c"], source=world["a"])
    page = publish(world, "联席会议纪要", Scope.SHARED)
    assert mail.outbox == []  # queued, not sent inside the publication
    assert [m.to for m in deliver()] == [["b@example.gov.cn"]]  # C's liaison has no email address
    assert "联席会议纪要" in mail.outbox[0].subject and "抄告" in mail.outbox[0].subject
    assert page.url in mail.outbox[0].body
    recipients = set(Notification.objects.filter(page=page).values_list("recipient__username", flat=True))
    assert recipients == {"liaison_b", "liaison_c"}


def test_internal_item_is_announced_to_nobody_outside_its_department(world):
    subscribe(world["b"])  # everything from everyone
    publish(world, "内部简报", Scope.INTERNAL)
    publish(world, "不予共享通报", Scope.PRIVATE)
    assert deliver() == []
    assert not Notification.objects.exists() and not OutgoingMail.objects.exists()


def test_subscription_to_another_category_or_department_is_not_told(world):
    subscribe(world["b"], category=Category.PENALTIES)
    subscribe(world["b"], source=world["c"])
    publish(world, "其他类信息", Scope.PUBLIC)
    assert deliver() == []


def test_republishing_tells_no_one_twice_but_tells_those_a_wider_scope_lets_in(world):
    subscribe(world["b"])
    page = publish(world, "先内部后共享", Scope.INTERNAL)
    assert deliver() == []
    page.scope = Scope.SHARED
    page.save_revision().publish()
    assert len(deliver()) == 1
    page.title = "先内部后共享（修订）"
    page.save_revision().publish()
    assert len(deliver()) == 1


def test_a_department_cannot_subscribe_to_the_same_thing_twice(world):
    subscribe(world["b"], category=Category.OTHER)
    with pytest.raises(IntegrityError), transaction.atomic():
        subscribe(world["b"], category=Category.OTHER)


def test_liaison_adds_and_removes_a_subscription_from_the_dashboard(client, world):
    client.force_login(world["liaisons"]["ZJB"])
    response = client.post("/staff/subscriptions/", {"department": world["b"].pk, "category": "penalties",
                                                     "source_department": world["a"].pk})
    assert response.status_code == 302
    subscription = DepartmentSubscription.objects.get(subscriber=world["b"])
    assert (subscription.category, subscription.source_department) == ("penalties", world["a"])
    page = client.get("/staff/subscriptions/").content.decode()
    assert "执法局发布的“行政处罚、行政强制”" in page
    again = client.post("/staff/subscriptions/", {"department": world["b"].pk, "category": "penalties",
                                                  "source_department": world["a"].pk})
    assert "已有相同的订阅。" in again.content.decode()
    response = client.post(f"/staff/subscriptions/{subscription.pk}/delete/")
    assert response.status_code == 302
    assert not DepartmentSubscription.objects.exists()


def test_staff_of_another_department_cannot_remove_a_subscription(client, world):
    subscription = subscribe(world["b"])
    client.force_login(world["liaisons"]["ZFA"])
    assert client.post(f"/staff/subscriptions/{subscription.pk}/delete/").status_code == 404
    assert DepartmentSubscription.objects.filter(pk=subscription.pk).exists()


def test_plain_staff_member_sees_but_cannot_change_subscriptions(client, world):
    clerk = User.objects.create_user("clerk_b", password="pw-clerk-2026", department=world["b"])
    client.force_login(clerk)
    assert client.get("/staff/subscriptions/").status_code == 200
    assert client.post("/staff/subscriptions/", {"department": world["b"].pk, "category": ""}).status_code == 404


def test_remind_deadlines_emails_each_departments_liaisons_their_urgent_items(world, monkeypatch):
    publish(world, "逾期未共享的检查记录", Scope.SHARED, formed=datetime.date(2026, 11, 2), live=False)  # due 11-09
    publish(world, "即将到期的简报", Scope.SHARED, formed=datetime.date(2026, 11, 19), live=False)  # due 11-26
    publish(world, "刚形成的信息", Scope.SHARED, formed=datetime.date(2026, 11, 24), live=False)
    publish(world, "乙部门逾期信息", Scope.INTERNAL, department=world["b"], formed=datetime.date(2026, 10, 9),
            live=False)
    publish(world, "丙部门逾期信息", Scope.SHARED, department=world["c"], formed=datetime.date(2026, 10, 9), live=False)
    out = io.StringIO()
    call_command("remind_deadlines", "--date", "2026-11-25", stdout=out)
    line = out.getvalue().strip()
    assert line == "已向 3 个部门的信息联络员排队发送 2 封提醒邮件：即将到期 1 条，逾期 3 条。"
    by_recipient = {m.to[0]: m for m in deliver()}
    assert set(by_recipient) == {"a@example.gov.cn", "b@example.gov.cn"}
    body_a = by_recipient["a@example.gov.cn"].body
    assert "逾期未共享的检查记录" in body_a and "2026-11-09" in body_a
    assert "即将到期的简报" in body_a
    assert "刚形成的信息" not in body_a
    assert "乙部门逾期信息" not in body_a
    # C's liaison has no email but still finds the reminder on the dashboard.
    assert Notification.objects.filter(recipient=world["liaisons"]["SJC"], kind="reminder").count() == 1


def test_remind_deadlines_past_the_calendar_remind_with_the_estimated_date_marked(world):
    # No 2027 arrangement: 12-29, 30, 31, then weekends alone: 2027-01-01 (a Friday), 01-04 (预计), due today.
    publish(world, "年底信息", Scope.SHARED, formed=datetime.date(2026, 12, 28), live=False)
    out = io.StringIO()
    call_command("remind_deadlines", "--date", "2027-01-04", stdout=out)
    assert out.getvalue().strip() == "已向 1 个部门的信息联络员排队发送 1 封提醒邮件：即将到期 1 条，逾期 0 条。"
    assert "年底信息（信息形成日期 2026-12-28，应共享日期 2027-01-04（预计））" in deliver()[0].body
    out = io.StringIO()
    call_command("remind_deadlines", "--date", "2003-12-30", stdout=out)  # before the calendar's data
    assert "1 条因节假日数据不足无法计算" in out.getvalue()
    assert len(deliver()) == 1  # the 2003 run queued no second mail


def test_remind_deadlines_rejects_a_malformed_date(world):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind_deadlines", "--date", "2026/11/25")


def test_notifications_appear_on_the_dashboard_and_admin_home(client, world, monkeypatch):
    monkeypatch.setattr(deadlines, "current_date", lambda: datetime.date(2026, 11, 25))
    subscribe(world["b"])
    publish(world, "共享的处罚通报", Scope.SHARED)
    liaison = world["liaisons"]["ZJB"]
    client.force_login(liaison)
    dashboard = client.get("/staff/").content.decode()
    assert "共享的处罚通报" in dashboard and "1 条未读" in dashboard
    liaison.groups.add(roles.ensure_roles()[roles.LIAISONS])
    home = client.get("/admin/").content.decode()
    assert "抄告与提醒" in home and "共享的处罚通报" in home
    client.post("/staff/notifications/read/")
    assert not Notification.objects.filter(recipient=liaison, read_at__isnull=True).exists()
