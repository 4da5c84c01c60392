"""A 分管领导 of one department, in a real browser, cannot publish, unpublish or bin another department's page, and
sees none of that department's non-public titles anywhere in the admin (portal.walls.permissions)."""
import datetime

import pytest
from playwright.sync_api import expect

from portal import roles
from portal.models import CategoryIndexPage, OtherSharedInfoPage, Scope, User
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data (see test_editorial_workflow.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Zhifa-Test-2026"
SECRET_TITLES = {Scope.INTERNAL: "乙部门内部研判 MKB-INTERNAL", Scope.PRIVATE: "乙部门不予共享线索 MKB-PRIVATE"}


@pytest.fixture
def two_departments(site_tree, departments):
    """Return A's leader, A's own 共享 item, and B's items of every scope but 公开 (live)."""
    groups = roles.ensure_roles()
    home, _ = site_tree
    a, b = departments
    section = CategoryIndexPage(title="其他共享信息", slug="other", section="other")
    home.add_child(instance=section)
    section.save_revision().publish()
    leader = User.objects.create_user("lingdao_a", password=PASSWORD, department=a, last_name="张", first_name="领导")
    leader.groups.add(groups[roles.LEADERS])

    def item(title, dept, scope):
        page = OtherSharedInfoPage(title=title, department=dept, scope=scope, body=f"<p>{title}</p>",
                                   formed_date=datetime.date(2026, 11, 2))
        section.add_child(instance=page)
        page.save_revision().publish()
        return page

    own = item("甲部门共享巡查通报", a, Scope.SHARED)
    others = {scope: item(title, b, scope) for scope, title in SECRET_TITLES.items()}
    others[Scope.SHARED] = item("乙部门共享执法简报", b, Scope.SHARED)
    return leader, own, section, others


def test_leader_cannot_publish_unpublish_or_bin_another_departments_page(page, pages, two_departments):
    leader, own, section, others = two_departments
    log_in(page, leader.username, PASSWORD)

    # The explorer of the section lists the leader's own item, and none of department B's.
    page.goto(f"/admin/pages/{section.pk}/")
    expect(page.get_by_role("link", name=own.title).first).to_be_visible()
    expect(page.get_by_text("乙部门")).to_have_count(0)

    # Page search (titles and bodies) finds nothing of B's.
    page.goto("/admin/pages/search/?q=乙部门")
    expect(page.get_by_text("MKB-")).to_have_count(0)
    page.goto("/admin/pages/search/?q=MKB")
    expect(page.get_by_text("MKB-")).to_have_count(0)

    # Reports and the site history do not name B's items either.
    for report in ("/admin/reports/site-history/", "/admin/reports/workflow/", "/admin/reports/aging-pages/",
                   "/admin/reports/locked/"):
        page.goto(report)
        expect(page.get_by_text("MKB-")).to_have_count(0)

    # Every door to B's items answers 404, the same as a page that does not exist.
    for target in others.values():
        for path in (f"/admin/pages/{target.pk}/edit/", f"/admin/pages/{target.pk}/unpublish/",
                     f"/admin/pages/{target.pk}/delete/", f"/admin/pages/{target.pk}/view_draft/",
                     f"/admin/pages/{target.pk}/history/"):
            pages.expect_status(page, 404, path)
            response = page.goto(path)
            assert response.status == 404, path
            expect(page.get_by_text("MKB-")).to_have_count(0)
    # A bulk publish or unpublish naming them is refused too.
    ids = "&".join(f"id={p.pk}" for p in others.values())
    for action in ("unpublish", "publish", "delete"):
        path = f"/admin/bulk/wagtailcore/page/{action}/?{ids}"
        pages.expect_status(page, 404, path.split("?")[0])
        assert page.goto(path).status == 404

    for target in others.values():
        target.refresh_from_db()
        assert target.live and target.get_parent().pk == section.pk

    # The leader's own item: the actions are there.
    page.goto(f"/admin/pages/{own.pk}/edit/")
    expect(page.locator('input[name="title"]')).to_have_value(own.title)
