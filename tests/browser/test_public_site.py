"""Journeys of the public site in a real browser (Debian chromium), each failing on any console error,
failed request or response ≥ 400 (tests/browser/conftest.py), with screenshots in test-artifacts/:

1. A visitor goes from the home page to the news, from a news item to the regulation it names, follows
   an article anchor, copies an article's citation, searches for a phrase, opens the highlighted result
   and prints it.
2. A statistics page draws its chart beside the table of the same data, and the period filter narrows both.
3. The home page at phone width, the designed 404 page, and copying a citation without the Clipboard API.
"""
import datetime
import re

import pytest
from playwright.sync_api import expect

from portal.models import CategoryIndexPage, NewsPage, RegulationPage, Scope, StatisticsPage
from tests.browser.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data (see test_editorial_workflow.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "测试区户外广告设置管理办法"
LAW_TEXT = (
    "## 第一章 总则\n\n"
    "第一条 为了规范户外广告设置，根据有关法律法规，结合本区实际，制定本办法。\n\n"
    "第二条 本办法适用于本区行政区域内户外广告设施的设置及其监督管理。\n\n"
    "## 第二章 设置管理\n\n"
    "第三条 设置户外广告设施，应当向区综合行政执法局申请设置许可。\n\n"
    "第四条 户外广告设施应当安全牢固，设置人应当定期检查维护，发现隐患及时排除。\n\n"
    "## 第三章 附则\n\n"
    "第五条 本办法自发布之日起施行。"
)
PHRASE = "定期检查维护"
MONTHS = [["月份", "立案数", "结案数"]] + [[f"{m}月", str(100 + m), str(90 + m)] for m in range(1, 13)]
PHONE = {"width": 390, "height": 844}


def shot(page, name: str) -> None:
    """Save a full-page screenshot of a step as test-artifacts/public-site--<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"public-site--{name}.png"), full_page=True)


def section(home, slug, title):
    page = CategoryIndexPage(title=title, slug=slug, section=slug)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def public_site(site_tree, departments):
    """Return the regulation, the news item that names it and a statistics report, all public."""
    home, laws = site_tree
    a, _ = departments
    regulation = RegulationPage(title=TITLE, slug="ads", department=a, scope=Scope.PUBLIC,
                                doc_number="测执法〔2026〕3号", formed_date=datetime.date(2026, 3, 2),
                                publish_date=datetime.date(2026, 3, 2))
    regulation.set_text(f"# {TITLE}\n\n{LAW_TEXT}")
    laws.add_child(instance=regulation)
    regulation.save_revision().publish()

    news_index = section(home, "news", "新闻动态")
    for n, title in enumerate(["区执法局开展户外广告专项整治", "联席会议部署信息共享工作"]):
        body = (f'<p>为贯彻落实<a linktype="page" id="{regulation.pk}">《{TITLE}》</a>，区执法局开展专项整治。</p>'
                if n == 0 else "<p>会议要求各成员单位当日共享执法信息。</p>")
        news = NewsPage(title=title, slug=f"news-{n}", department=a, date=datetime.date(2026, 3, 10 - n), body=body)
        news_index.add_child(instance=news)
        news.save_revision().publish()

    statistics_index = section(home, "statistics", "统计分析数据")
    statistics = StatisticsPage(
        title="2025年城市管理案件月度统计", slug="monthly", department=a, scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 1, 8), publish_date=datetime.date(2026, 1, 12), period="2025年1—12月",
        chart_kind="line", data=[("table", {"data": MONTHS, "first_row_is_table_header": True})])
    statistics_index.add_child(instance=statistics)
    statistics.save_revision().publish()
    return {"regulation": regulation, "statistics": statistics}


def test_visitor_reads_news_follows_a_regulation_article_searches_and_prints(page, public_site, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    # Home: news, interpretations, the latest documents, and the search box.
    page.goto("/")
    expect(page).to_have_title(re.compile("测试门户"))
    expect(page.get_by_role("main").get_by_role("search").get_by_role("combobox", name="检索本站")).to_be_visible()
    latest = page.get_by_role("region", name="最新法规文件")
    expect(latest.get_by_role("link", name=TITLE)).to_be_visible()
    shot(page, "1-home")

    # → the news list → a news item → the regulation it names.
    page.get_by_role("link", name="更多新闻动态").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新闻动态")
    page.get_by_role("link", name="区执法局开展户外广告专项整治").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("区执法局开展户外广告专项整治")
    expect(page.get_by_role("table").filter(has_text="发布机构")).to_be_visible()  # the metadata block
    shot(page, "2-news")
    page.get_by_role("main").get_by_role("link", name=f"《{TITLE}》").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    breadcrumbs = page.get_by_role("navigation", name="当前位置")
    expect(breadcrumbs.get_by_role("link", name="法律法规")).to_be_visible()
    expect(page.get_by_role("cell", name="测执法〔2026〕3号")).to_be_visible()

    # → the table of contents takes the visitor to 第二章, whose first article is the target.
    page.get_by_role("navigation", name="目录").get_by_role("link", name="第二章 设置管理").click()
    expect(page.locator("section.article:target")).to_have_attribute("id", "第三条")
    assert page.evaluate("decodeURIComponent(location.hash)") == "#第三条"
    fourth = page.locator("section#第四条")
    fourth.get_by_role("link", name="第四条").click()
    expect(page.locator("section.article:target")).to_have_attribute("id", "第四条")
    expect(fourth).to_be_in_viewport()

    # Copy the article's citation: 《标题》第四条, in the clipboard and said in the status box.
    fourth.get_by_role("button", name="复制引用：第四条").click()
    status = page.get_by_role("status").filter(has_text="已复制引用")
    expect(status).to_have_text(re.compile(f"已复制引用：《{TITLE}》第四条"))
    assert page.evaluate("navigator.clipboard.readText()") == f"《{TITLE}》第四条"
    shot(page, "3-regulation-article")

    # → search for a phrase of 第四条: the result is that article, the phrase highlighted.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="检索").click()
    page.get_by_role("combobox", name="检索词").fill(f"“{PHRASE}”")
    page.get_by_role("combobox", name="检索词").press("Enter")
    results = page.locator("ol.results > li")
    expect(results.first).to_be_visible()
    # Grouped by document: the article is listed beneath its regulation, with its own snippet and link.
    hit = page.locator("ol.results > li ul.children > li").filter(has_text="条文 第四条")
    expect(hit).to_have_count(1)
    marks = hit.locator("mark")
    expect(marks.first).to_be_visible()
    assert PHRASE in "".join(marks.all_inner_texts()) or all(m in PHRASE for m in marks.all_inner_texts())
    expect(hit.locator(".snippet")).to_contain_text(PHRASE)
    shot(page, "4-search")
    hit.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("section.article:target")).to_have_attribute("id", "第四条")

    # → the print view: the text and its metadata without the site's navigation.
    page.get_by_role("link", name="打印版").click()
    expect(page).to_have_url(re.compile(r"\?print=1"))
    expect(page.get_by_role("button", name="打印本页")).to_be_visible()
    for hidden in (".site-header", ".site-nav", ".breadcrumbs", ".site-footer", ".cite-button", ".export-links"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("table.metadata")).to_be_visible()
    expect(page.locator("section#第五条")).to_be_visible()
    shot(page, "5-print-view")
    page.get_by_role("link", name="返回网页版").click()
    expect(page.locator(".site-header")).to_be_visible()


def test_statistics_page_renders_its_chart_and_table_and_filters_periods(page, public_site):
    page.goto(public_site["statistics"].url)
    chart = page.locator("figure.chart-figure svg[role=img]")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 150
    expect(chart.locator("title")).to_have_text(re.compile("2025年城市管理案件月度统计"))
    expect(chart.locator("polyline, path").first).to_be_attached()
    table = page.get_by_role("table", name=re.compile("2025年城市管理案件月度统计"))
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(12)
    shot(page, "6-statistics")

    page.get_by_label("起始期间").select_option("4月")
    page.get_by_label("截止期间").select_option("6月")
    page.get_by_role("button", name="筛选").click()
    expect(table.locator("tbody th")).to_have_text(["4月", "5月", "6月"])
    expect(chart).to_be_visible()
    chart_text = chart.text_content()
    assert "4月" in chart_text and "6月" in chart_text and "7月" not in chart_text
    expect(page.locator("figcaption")).to_contain_text("4月至6月")
    shot(page, "7-statistics-filtered")


def test_home_fits_a_phone_and_regulation_and_statistics_pages_do_too(page, public_site):
    page.set_viewport_size(PHONE)
    for url, name in [("/", "8-phone-home"), (public_site["regulation"].url, "9-phone-regulation"),
                      (public_site["statistics"].url, "10-phone-statistics")]:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        # Nothing wider than the screen: no sideways scrolling of the page (wide tables and charts scroll inside).
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} is {overflow}px wider than a phone"
        shot(page, name)
    page.goto("/")
    search = page.get_by_role("combobox", name="检索本站")
    expect(search).to_be_visible()
    assert search.bounding_box()["width"] >= 200


def test_unknown_page_shows_the_designed_404_with_a_search_box(page, pages, public_site):
    pages.expect_status(page, 404, "/no-such-page/")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    page.get_by_role("combobox", name="检索本站").fill("户外广告")
    shot(page, "11-404")
    page.get_by_role("main").get_by_role("button", name="检索").click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator("ol.results > li").first).to_be_visible()


def test_citation_is_offered_to_copy_by_hand_without_the_clipboard_api(page, public_site):
    # As in an old browser or on a page served without HTTPS: no navigator.clipboard at all.
    page.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'clipboard', {get: function () { return undefined; }, "
        "configurable: true});"
    )
    page.goto(public_site["regulation"].url)
    assert page.evaluate("navigator.clipboard === undefined")
    page.locator("section#第二条").get_by_role("button", name="复制引用：第二条").click()
    field = page.get_by_role("textbox", name="引用文字")
    expect(field).to_have_value(f"《{TITLE}》第二条")
    expect(field).to_be_focused()
    assert page.evaluate("window.getSelection().toString() || document.activeElement.value.substring("
                         "document.activeElement.selectionStart, document.activeElement.selectionEnd)") \
        == f"《{TITLE}》第二条"
    expect(page.locator("#cite-status .cite-message")).to_have_text(re.compile("已复制引用|请按 Ctrl\\+C"))
    shot(page, "12-citation-fallback")
    page.get_by_role("button", name="关闭").click()
    expect(page.locator("#cite-status")).to_be_hidden()
