"""A 信息联络员 signs in, finds the department's overdue item on the sharing dashboard, opens it, and the opening
is in the view log."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from portal import roles
from portal.models import CategoryIndexPage, OtherSharedInfoPage, Scope, User, ViewLog
from sharing import deadlines
from tests.browser.conftest import ARTIFACTS, log_in

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data (see test_editorial_workflow.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Zhifa-Test-2026"
TODAY = datetime.date(2026, 11, 25)
OVERDUE_TITLE = "润园小区违法搭建巡查情况（内部）"


@pytest.fixture
def liaison_world(site_tree, departments, monkeypatch):
    """Return the liaison of department A, A's overdue 部门内部 draft, and an item A shared on time."""
    # The live server runs in this process: the dashboard's "today" stays inside the holiday calendar.
    monkeypatch.setattr(deadlines, "current_date", lambda: TODAY)
    groups = roles.ensure_roles()
    home, _ = site_tree
    a, b = departments
    section = CategoryIndexPage(title="其他共享信息", slug="other", section="other")
    home.add_child(instance=section)
    section.save_revision().publish()

    liaison = User.objects.create_user("lianluoyuan", password=PASSWORD, department=a, last_name="赵",
                                       first_name="欣悦", email="liaison@example.gov.cn")
    liaison.groups.add(groups[roles.LIAISONS])
    a.liaisons.add(liaison)

    # Formed on Monday 2026-11-02, due 2026-11-09, never published: overdue on 2026-11-25.
    overdue = OtherSharedInfoPage(title=OVERDUE_TITLE, department=a, scope=Scope.INTERNAL, live=False,
                                  formed_date=datetime.date(2026, 11, 2), body="<p>巡查发现违法搭建两处。</p>")
    section.add_child(instance=overdue)
    overdue.save_revision()
    on_time = OtherSharedInfoPage(title="联席会议纪要", department=a, scope=Scope.SHARED,
                                  formed_date=TODAY, body="<p>纪要</p>")
    section.add_child(instance=on_time)
    on_time.save_revision().publish()
    # Shared on the fixed "today", whatever the wall clock says (after 16:00 UTC it is tomorrow in 北京时间).
    shared_at = datetime.datetime.combine(TODAY, datetime.time(10), tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    OtherSharedInfoPage.objects.filter(pk=on_time.pk).update(first_published_at=shared_at, last_published_at=shared_at)
    other = OtherSharedInfoPage(title="乙部门的逾期信息", department=b, scope=Scope.SHARED, live=False,
                                formed_date=datetime.date(2026, 11, 2), body="<p>乙</p>")
    section.add_child(instance=other)
    other.save_revision()
    return liaison, overdue


def test_liaison_sees_the_overdue_item_opens_it_and_the_opening_is_logged(page, liaison_world):
    liaison, overdue = liaison_world

    log_in(page, liaison.username, PASSWORD)
    # The admin home points to the dashboard too.
    expect(page.get_by_role("link", name="打开信息共享工作台")).to_be_visible()

    page.goto("/")
    page.get_by_role("navigation", name="账户").get_by_role("link", name="工作台").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("信息共享工作台")

    overdue_table = page.locator("table").filter(has=page.locator("caption", has_text="逾期未共享"))
    expect(overdue_table).to_have_count(1)
    row = overdue_table.get_by_role("row").filter(has_text=OVERDUE_TITLE)
    expect(row).to_contain_text("2026-11-02")
    expect(row).to_contain_text("2026-11-09")
    expect(row).to_contain_text("未共享")
    expect(row.locator(".status")).to_have_text("逾期")
    expect(page.locator(".count-overdue dd")).to_have_text("1")
    expect(page.locator(".count-on_time dd")).to_have_text("1")
    expect(page.get_by_text("乙部门的逾期信息")).to_have_count(0)
    assert not ViewLog.objects.exists()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "test_liaison_dashboard--dashboard.png"), full_page=True)

    row.get_by_role("link", name=OVERDUE_TITLE).click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{overdue.pk}/edit/$"))
    expect(page.locator('input[name="title"]')).to_have_value(OVERDUE_TITLE)

    entry = ViewLog.objects.get()
    assert entry.kind == ViewLog.Kind.ADMIN_OPEN
    assert entry.user_id == liaison.pk and entry.username == "lianluoyuan"
    assert entry.page_id == overdue.pk and entry.page_title == OVERDUE_TITLE
    assert entry.scope == Scope.INTERNAL
    assert entry.ip_address == "127.0.0.1"
    assert entry.path == f"/admin/pages/{overdue.pk}/edit/"
