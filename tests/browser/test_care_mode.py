"""关怀版 and 【字体：大 中 小】 in a real browser (issue 20): the reader's choice is applied by static/js/care.js,
kept in localStorage (the page itself, and so the page cache, stays the same for everyone), and undone."""
import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from publicsite.models import SiteIdentification

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY_FONT_PX = "parseFloat(getComputedStyle(document.body).fontSize)"


def test_visitor_switches_to_care_mode_it_is_remembered_after_reload_and_switches_back(page, site_tree):
    SiteIdentification.objects.create(site=Site.objects.get(is_default_site=True), sponsor="测试区综合行政执法局")
    page.goto("/")
    tools = page.get_by_role("group", name="阅读设置")
    expect(tools).to_be_visible()
    assert page.evaluate(BODY_FONT_PX) == 16

    tools.get_by_role("button", name="大字体").click()
    expect(tools.get_by_role("button", name="大字体")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(BODY_FONT_PX) == 20

    tools.get_by_role("button", name="关怀版").click()
    assert page.evaluate(BODY_FONT_PX) >= 24  # 18pt and more
    nav_link = page.get_by_role("navigation", name="主导航").get_by_role("link", name="首页")
    assert nav_link.bounding_box()["height"] >= 44

    page.reload()
    tools = page.get_by_role("group", name="阅读设置")
    expect(tools.get_by_role("button", name="返回标准版")).to_be_visible()
    assert page.evaluate(BODY_FONT_PX) >= 24
    assert page.evaluate("document.documentElement.className") == "font-large care"
    # The page served is the same for everyone: the choice lives in the browser alone.
    assert '<html lang="zh-Hans">' in page.evaluate("fetch('/').then(r => r.text())")

    tools.get_by_role("button", name="返回标准版").click()
    tools.get_by_role("button", name="中字体").click()
    expect(tools.get_by_role("button", name="关怀版")).to_be_visible()
    assert page.evaluate(BODY_FONT_PX) == 16
    assert page.evaluate("[localStorage.getItem('portal.care'), localStorage.getItem('portal.fontSize')]") == [None, None]

    # The footer names the site's 主办单位 and leads to the 网站地图.
    footer = page.get_by_role("contentinfo")
    expect(footer.locator(".site-identification")).to_contain_text(re.compile(r"主办单位\s*测试区综合行政执法局"))
    footer.get_by_role("link", name="网站地图").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("网站地图")
    expect(page.get_by_role("main").get_by_role("link", name="法律法规")).to_be_visible()
