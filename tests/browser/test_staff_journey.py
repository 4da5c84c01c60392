"""Acceptance journey of a member of staff in a real browser: sign in → dashboard → search with facets
(a facet narrows the count) → discretion lookup (copy a citation, open the cited row) → workflow diagram.

The world is demo-like and built here: the demo's discretion standard and workflow (demo/data/), and two
regulations that speak of 占道, published by department A; the user is department B's 信息联络员.
"""
import re

import pytest
from playwright.sync_api import expect

from portal import roles
from portal.models import Scope, User
from search import service
from tests.browser.conftest import ARTIFACTS
from tests.portal.staff_worlds import demo_discretion, publish_discretion, publish_workflow, section

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data (see test_editorial_workflow.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Zhifa-Test-2026"
STANDARD = demo_discretion()["title"]


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"test_staff_journey--{name}.png"), full_page=True)


@pytest.fixture
def staff_world(site_tree, departments, make_regulation):
    """Return the liaison of department B and the workflow page, in a world with a fresh search index."""
    # The FTS5 index lives in tables Django's flush does not know: start (and leave) it empty.
    service.get_backend().clear()
    groups = roles.ensure_roles()
    home, _ = site_tree
    a, b = departments
    make_regulation(title="测试市市容和环境卫生管理条例", text=(
        "第一条 为了加强市容和环境卫生管理，制定本条例。\n\n"
        "第二十条 任何单位和个人不得擅自占道经营、摆摊设点。\n\n"
        "第二十一条 临时占道的，应当经市容环境卫生行政主管部门同意。"))
    make_regulation(title="测试市城市道路管理办法", scope=Scope.SHARED, text=(
        "第一条 为了加强城市道路管理，制定本办法。\n\n"
        "第十五条 未经批准，任何单位和个人不得占道施工或者占道经营。"))
    publish_discretion(section(home, "discretion"), a, scope=Scope.SHARED, slug="discretion-shirong")
    workflow = publish_workflow(section(home, "workflows"), a, scope=Scope.SHARED)
    liaison = User.objects.create_user("zhujian_lly", password=PASSWORD, department=b, last_name="钱",
                                       first_name="晓东", email="lly@example.gov.cn")
    liaison.groups.add(groups[roles.LIAISONS])
    b.liaisons.add(liaison)
    yield liaison, workflow
    service.get_backend().clear()


def result_count(page) -> int:
    text = page.locator(".result-summary p").first.inner_text()
    return int(re.search(r"共 (\d+) 条结果", text).group(1))


def test_staff_journey_dashboard_search_facets_discretion_lookup_and_workflow_diagram(page, live_server, staff_world):
    liaison, workflow = staff_world
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    # Sign in, straight back to the staff portal.
    page.goto("/admin/login/?next=/staff/")
    page.get_by_role("textbox", name="用户名").fill(liaison.username)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/staff/$"))

    # Dashboard: what department A shared this week is new to B; the doors to the tools are there.
    expect(page.get_by_role("heading", level=1)).to_have_text("信息共享工作台")
    new_items = page.locator("section.new-items")
    expect(new_items.get_by_role("heading", level=2)).to_contain_text("新信息")
    expect(new_items.get_by_role("link", name=STANDARD)).to_be_visible()
    expect(new_items.get_by_role("link", name="测试市市容和环境卫生管理条例")).to_be_visible()
    nav = page.get_by_role("navigation", name="工作台导航")
    for name in ("检索", "分类浏览", "裁量基准查询", "执法流程图"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    shot(page, "1-dashboard")

    # Search with facets: choosing a category narrows the results and the count says so.
    page.get_by_role("combobox", name="检索共享信息").fill("占道")
    page.get_by_role("combobox", name="检索共享信息").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator("ol.results > li").first).to_be_visible()
    everything = result_count(page)
    facets = page.get_by_role("complementary", name="分面筛选")
    facet = facets.get_by_role("link", name="行政处罚自由裁量标准")
    facet_count = int(re.search(r"\((\d+)\)", facet.locator("xpath=..").inner_text()).group(1))
    assert 0 < facet_count < everything
    facet.click()
    expect(page).to_have_url(re.compile(r"category="))
    expect(facets.locator("a[aria-current='true']")).to_have_text("行政处罚自由裁量标准")
    expect(page.locator(".result-summary p").first).to_contain_text(f"共 {facet_count} 条结果")
    assert result_count(page) < everything
    expect(page.locator("ol.results")).not_to_contain_text("测试市市容和环境卫生管理条例")
    shot(page, "2-search-facet")

    # Discretion lookup: a sub-word finds 占道经营 with its three 裁量阶次; a citation is copied.
    page.goto("/staff/")
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="裁量基准查询").click()
    expect(page).to_have_url(re.compile(r"/staff/discretion/$"))
    page.get_by_role("searchbox", name="违法行为").fill("占道")
    page.get_by_role("button", name="查询").click()
    group = page.locator("section.violation-group").filter(has_text="占道经营")
    expect(group).to_have_count(1)
    expect(group.locator("mark").first).to_have_text("占道")
    rows = group.locator("li.discretion-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("dd.level")).to_contain_text("轻微")
    expect(rows.nth(1).locator("dd.range")).to_contain_text("处50元以上200元以下罚款")
    expect(rows.nth(2).locator("dd.level")).to_contain_text("严重")
    rows.nth(1).get_by_role("button", name="复制引用").click()
    expect(rows.nth(1).locator(".copy-status")).to_have_text("已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"《{STANDARD}》（周综执〔2025〕16号）第2项")
    assert "处罚标准/裁量幅度：责令停止违法行为、限期清理，处50元以上200元以下罚款" in copied
    shot(page, "3-discretion-lookup")
    rows.nth(1).get_by_role("link", name="打开原文（第2项）").click()
    expect(page).to_have_url(re.compile(r"#row-[0-9a-f-]+$"))
    expect(page.locator("tr:target")).to_contain_text("占道经营")
    shot(page, "4-cited-row")

    # Workflow diagram, reached from the dashboard, and from the workflow page itself.
    page.goto("/staff/")
    page.locator("section").filter(has=page.get_by_role("heading", name="执法流程图")).get_by_role(
        "link", name=workflow.title).click()
    expect(page).to_have_url(re.compile(rf"/staff/workflows/{workflow.pk}/$"))
    diagram = page.locator("svg.workflow-diagram")
    expect(diagram).to_be_visible()
    expect(diagram.locator("g.step")).to_have_count(10)
    expect(diagram.locator("g.step").nth(3)).to_contain_text("法制审核")
    expect(diagram.locator("g.step").nth(3)).to_contain_text("5 个工作日")
    expect(diagram).to_contain_text("责任部门：测试区综合行政执法局")
    box = diagram.bounding_box()
    assert box["width"] > 400 and box["height"] > 1000  # drawn, not collapsed
    shot(page, "5-workflow-diagram")
    page.get_by_role("link", name="查看流程原文").click()
    page.get_by_role("link", name=re.compile("查看流程图")).click()
    expect(page).to_have_url(re.compile(rf"/staff/workflows/{workflow.pk}/$"))
