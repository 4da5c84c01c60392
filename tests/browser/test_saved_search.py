"""A member of staff saves a search; a matching item published afterwards appears on the dashboard and opens."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from portal.models import User
from search.models import SavedSearch
from sharing import deadlines
from tests.browser.conftest import log_in
from tests.conftest import regulation_factory

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data (see test_editorial_workflow.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Zhifa-Test-2026"
NEW_TITLE = "户外广告设施安全管理规定"


def test_a_saved_search_shows_a_newly_published_matching_item_on_the_dashboard(page, site_tree, departments,
                                                                                 monkeypatch):
    monkeypatch.setattr(deadlines, "current_date", lambda: datetime.date(2026, 11, 25))
    a, b = departments
    user = User.objects.create_user("jiansuo", password=PASSWORD, department=a)
    publish = regulation_factory(site_tree[1], departments)

    log_in(page, user.username, PASSWORD)

    page.goto("/staff/saved/?q=户外广告")
    page.get_by_label("名称").fill("户外广告")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存检索“户外广告”")).to_be_visible()
    assert SavedSearch.objects.filter(user=user, query="户外广告").exists()

    published = publish(title=NEW_TITLE, slug="ads-new", department=b)
    page.goto("/staff/")
    alerts = page.locator("section.saved-alerts")
    expect(alerts).to_contain_text("1 条新信息")
    alerts.get_by_role("link", name=NEW_TITLE).click()
    expect(page).to_have_url(re.compile(re.escape(published.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_TITLE)
