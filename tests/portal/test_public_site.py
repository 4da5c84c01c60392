"""The public site: home, section lists and the regulation library's filters, regulation pages
(table of contents, anchors, citation, print view), the metadata block of every document type,
statistics period filters, the designed 404 and the WCAG basics every page keeps."""
import datetime
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import override_settings

from lib.periods import period_labels, select_periods
from portal.models import (
    CategoryIndexPage,
    DiscretionStandardPage,
    InterpretationPage,
    LicenceDecisionPage,
    NewsPage,
    PenaltyDecisionPage,
    Scope,
    StatisticsPage,
    WorkflowPage,
)
from publicsite.listing import VALIDITY_ALL, parse_listing_filters
from tests.conftest import refreshed, regulation_factory

BASE_DIR = Path(__file__).resolve().parents[2]
LAW_TEXT = "## 第一章 总则\n\n第一条 为了规范户外广告设置，制定本办法。\n\n第二条 本办法适用于本区。\n\n" \
           "## 第二章 附则\n\n第三条 本办法自发布之日起施行。"
MONTHS = [["月份", "立案数", "结案数"]] + [[f"{m}月", str(100 + m), str(90 + m)] for m in range(1, 13)]


def add_section(home, section, title):
    page = CategoryIndexPage(title=title, slug=section, section=section)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_news(index, numbers, department=None):
    """Publish 执法新闻NN dated 2026-01-01 + NN days under the news section, for each NN."""
    for n in numbers:
        publish(index, NewsPage(title=f"执法新闻{n:02d}", slug=f"news-{n}", department=department, body="<p>正文</p>",
                                date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n)))


@pytest.fixture(scope="module")
def _portal_world(module_site_tree, module_departments):
    """Build the world of ``portal_world`` once for the module (``module_transaction`` in tests/conftest.py)."""
    home, laws = module_site_tree
    a, b = module_departments
    make_regulation = regulation_factory(laws, module_departments)
    w = {"home": home, "laws": laws}
    w["regulation"] = make_regulation(title="户外广告设置管理办法", slug="ads", text=LAW_TEXT, regulation_kind="normative",
                                      doc_number="测执法〔2026〕3号", publish_date=datetime.date(2026, 3, 2))
    w["law"] = make_regulation(title="城市市容和环境卫生管理条例", slug="city", regulation_kind="admin_regulation",
                               department=b, publish_date=datetime.date(2024, 5, 6), formed_date=datetime.date(2024, 5, 1))
    w["abolished"] = make_regulation(title="已废止的旧办法", slug="old", effective_date=datetime.date(2010, 1, 1),
                                     abolished_date=datetime.date(2020, 1, 1), formed_date=datetime.date(2010, 1, 1))
    w["pending"] = make_regulation(title="尚未施行的新办法", slug="new", effective_date=datetime.date(2099, 1, 1))
    w["shared"] = make_regulation(title="仅供共享的内部规定", slug="shared", scope=Scope.SHARED)

    w["news_index"] = add_section(home, "news", "新闻动态")
    add_news(w["news_index"], range(18, 25), department=a)
    w["news"] = NewsPage.objects.get(slug="news-24")
    w["interp_index"] = add_section(home, "interpretation", "政策解读")
    w["interpretation"] = publish(w["interp_index"], InterpretationPage(
        title="《户外广告设置管理办法》解读", slug="ads-explained", date=datetime.date(2026, 3, 3), department=a,
        body="<p>解读正文</p>", interprets=w["regulation"]))
    w["shared_interpretation"] = publish(w["interp_index"], InterpretationPage(
        title="内部规定解读", slug="shared-explained", date=datetime.date(2026, 3, 4), body="<p>解读</p>",
        interprets=w["shared"]))

    w["penalties"] = add_section(home, "penalties", "行政处罚")
    w["penalty"] = publish(w["penalties"], PenaltyDecisionPage(
        title="行政处罚决定书（张三擅自占道经营案）", slug="penalty-1", department=a, scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 3, 5), party_name="张三", party_id_number="110101199001011234"))
    w["decisions"] = add_section(home, "decisions", "行政许可")
    w["licence"] = publish(w["decisions"], LicenceDecisionPage(
        title="户外广告设置许可决定", slug="licence-1", department=a, scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 3, 6), applicant="某某广告有限公司", matter="户外广告设置"))

    w["statistics_index"] = add_section(home, "statistics", "统计分析数据")
    w["statistics"] = publish(w["statistics_index"], StatisticsPage(
        title="2025年城市管理案件月度统计", slug="monthly", department=a, scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 1, 8), publish_date=datetime.date(2026, 1, 12), period="2025年1—12月",
        chart_kind="line", data=[("table", {"data": MONTHS, "first_row_is_table_header": True})]))
    w["discretion_index"] = add_section(home, "discretion", "裁量标准")
    w["discretion"] = publish(w["discretion_index"], DiscretionStandardPage(
        title="户外广告裁量基准", slug="discretion-1", department=a, scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 2, 1), rows=[("row", {
            "violation": "擅自设置户外广告", "legal_basis": "《条例》第十条", "penalty_basis": "《条例》第三十条",
            "level": "轻微", "standard": "责令改正", "conditions": ""})]))
    w["workflow_index"] = add_section(home, "workflows", "执法流程")
    w["workflow"] = publish(w["workflow_index"], WorkflowPage(
        title="案件移送流程", slug="workflow-1", department=a, scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 2, 2), steps=[("step", {"name": "移送", "time_limit_days": 3})]))
    return w


@pytest.fixture
def portal_world(_portal_world, db):
    """Return a small public site: the library with documents of several kinds, departments, years and
    validities; news and interpretations; a public penalty decision naming a person; a statistics report.

    Built once for the module; each test gets its own copies of the objects.
    """
    return refreshed(_portal_world)


@pytest.fixture
def departments(module_departments, db):
    """Return the module's departments A and B (those of ``portal_world``)."""
    return refreshed(module_departments)


@pytest.fixture
def site_tree(module_site_tree, db):
    """Return the module's (home, laws section) (those of ``portal_world``)."""
    return refreshed(module_site_tree)


def html_of(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def listed_titles(html: str) -> list[str]:
    """Return the link texts of a page's item list(s)."""
    lists = re.findall(r'<ul class="item-list">(.*?)</ul>', html, re.S)
    return [re.sub(r"<[^>]+>", "", t) for block in lists for t in re.findall(r'<li><a href="[^"]*">(.*?)</a>', block)]


# --- home and lists -------------------------------------------------------------

def test_home_shows_news_interpretations_latest_regulations_and_decisions_and_a_search_box(client, portal_world):
    html = html_of(client, "/")
    for heading in ("新闻动态", "政策解读", "最新法规文件", "最新执法决定"):
        assert f">{heading}</h2>" in html
    titles = listed_titles(html)
    assert "执法新闻24" in titles and "执法新闻19" in titles and "执法新闻18" not in titles  # the newest six
    assert "《户外广告设置管理办法》解读" in titles
    assert "户外广告设置管理办法" in titles and "城市市容和环境卫生管理条例" in titles
    assert "户外广告设置许可决定" in titles
    assert "已废止的旧办法" not in titles and "仅供共享的内部规定" not in titles
    # The search box: labelled, sent to /search/ as q.
    form = re.search(r'<form class="search-box[^"]*" role="search" action="/search/" method="get">(.*?)</form>', html, re.S)
    assert form and 'name="q"' in form.group(1) and '<label for="home-q"' in form.group(1)
    assert f'<a href="{portal_world["news_index"].url}">更多新闻动态</a>' in html
    assert f'<a href="{portal_world["laws"].url}">进入法规库</a>' in html


def test_the_public_sees_penalty_titles_with_the_party_masked_and_staff_as_recorded(client, portal_world, staff):
    for url in ["/", portal_world["penalties"].url]:
        html = html_of(client, url)
        assert "行政处罚决定书（张某擅自占道经营案）" in html and "张三" not in html
    client.force_login(staff[0])
    assert "行政处罚决定书（张三擅自占道经营案）" in html_of(client, portal_world["penalties"].url)


def test_news_list_is_paginated_newest_first_and_past_the_end_shows_the_last_page(client, portal_world):
    add_news(portal_world["news_index"], range(18))
    index = portal_world["news_index"].url
    first = listed_titles(html_of(client, index))
    assert len(first) == 20 and first[0] == "执法新闻24"
    html = html_of(client, index + "?page=99")
    assert listed_titles(html) == [f"执法新闻{n:02d}" for n in range(4, -1, -1)]
    assert "第 2 / 2 页" in html and 'href="?page=1" rel="prev"' in html
    assert listed_titles(html_of(client, index + "?page=abc")) == first


def test_interpretation_names_the_document_it_explains_only_when_the_visitor_may_open_it(client, portal_world, staff):
    html = html_of(client, portal_world["interpretation"].url)
    assert f'解读文件：<a href="{portal_world["regulation"].url}">户外广告设置管理办法</a>' in html
    html = html_of(client, portal_world["shared_interpretation"].url)
    assert "解读文件" not in html and "仅供共享的内部规定" not in html
    client.force_login(staff[0])
    assert "仅供共享的内部规定" in html_of(client, portal_world["shared_interpretation"].url)


# --- the regulation library ------------------------------------------------------------

def test_library_shows_documents_in_force_by_default(client, portal_world):
    html = html_of(client, portal_world["laws"].url)
    assert set(listed_titles(html)) == {"户外广告设置管理办法", "城市市容和环境卫生管理条例"}
    assert '<option value="in_force" selected>现行有效</option>' in html
    assert "共 2 条现行有效的信息" in html


def test_library_shows_everything_or_only_the_abolished_on_request(client, portal_world):
    laws = portal_world["laws"].url
    assert set(listed_titles(html_of(client, laws + "?validity=all"))) == {
        "户外广告设置管理办法", "城市市容和环境卫生管理条例", "已废止的旧办法", "尚未施行的新办法"}
    assert listed_titles(html_of(client, laws + "?validity=已废止")) == ["已废止的旧办法"]
    assert listed_titles(html_of(client, laws + "?validity=pending")) == ["尚未施行的新办法"]
    html = html_of(client, laws)
    assert 'href="?validity=all">显示全部</a>' in html and 'href="?validity=abolished">只看已废止</a>' in html


@pytest.mark.parametrize("query, expected", [
    ("?kind=admin_regulation", ["城市市容和环境卫生管理条例"]),
    ("?kind=规范性文件", ["户外广告设置管理办法"]),
    ("?department=ZJB", ["城市市容和环境卫生管理条例"]),
    ("?department=住建局", ["城市市容和环境卫生管理条例"]),
    ("?department=城管", ["户外广告设置管理办法"]),  # an alias of department A
    ("?year=2024", ["城市市容和环境卫生管理条例"]),
    ("?year=2026年", ["户外广告设置管理办法"]),
    ("?year=2010&validity=all", ["已废止的旧办法"]),
    ("?kind=normative&department=ZFA&year=2026", ["户外广告设置管理办法"]),
    ("?kind=normative&department=ZJB", []),
])
def test_library_filters_by_kind_department_validity_and_year(client, portal_world, query, expected):
    html = html_of(client, portal_world["laws"].url + query)
    assert listed_titles(html) == expected
    assert '<ul class="notices"' not in html
    if not expected:
        assert "没有符合条件的信息" in html


@pytest.mark.parametrize("query, notice", [
    ("?kind=小说", "没有“小说”这一文件类别，已忽略该条件。"),
    ("?department=不存在的局", "没有找到发布机构“不存在的局”"),
    ("?validity=永久有效", "有效性“永久有效”无法识别"),
    ("?department=" + "长" * 500, "没有找到发布机构“" + "长" * 20 + "…”"),
    ("?department=<script>alert(1)</script>", "没有找到发布机构“&lt;script&gt;alert(1)&lt;/sc…”"),
])
def test_bad_filter_values_are_ignored_with_a_chinese_notice(client, portal_world, query, notice):
    html = html_of(client, portal_world["laws"].url + query)
    assert notice in html
    assert '<ul class="notices" role="status">' in html
    # The value is ignored: the list is what it is without it.
    assert set(listed_titles(html)) == {"户外广告设置管理办法", "城市市容和环境卫生管理条例"}
    assert "<script>alert" not in html


@pytest.mark.parametrize("query, message", [
    ("?year=二〇二六", "年份“二〇二六”无效"),
    ("?year=99999", "年份“99999”无效"),
    ("?year=1200", "年份“1200”无效"),
    ("?year=٢٠٢٦", "年份“٢٠٢٦”无效"),
    ("?year=<script>alert(1)</script>", "年份“&lt;script&gt;alert(1)&lt;/sc…”无效"),
])
def test_a_malformed_year_is_refused_400_in_chinese(client, portal_world, query, message):
    response = client.get(portal_world["laws"].url + query)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and "<script>alert" not in html


def test_a_kind_filter_outside_the_library_is_ignored_with_a_notice(client, portal_world):
    html = html_of(client, portal_world["penalties"].url + "?kind=law&page=-3")
    assert "本栏目不按文件类别筛选" in html
    assert listed_titles(html) == ["行政处罚决定书（张某擅自占道经营案）"]


def test_pagination_keeps_the_filters_and_drops_values_it_did_not_understand(client, portal_world, make_regulation):
    for n in range(21):
        make_regulation(title=f"规章{n:02d}", slug=f"rule-{n}", regulation_kind="rule")
    html = html_of(client, portal_world["laws"].url + "?kind=rule&department=不存在的局&page=1")
    assert len(listed_titles(html)) == 20
    assert 'href="?kind=rule&amp;page=2" rel="next"' in html
    html = html_of(client, portal_world["laws"].url + "?kind=rule&page=5")
    assert len(listed_titles(html)) == 1 and "第 2 / 2 页" in html


def test_filter_form_offers_only_departments_and_years_with_visible_items(client, portal_world):
    html = html_of(client, portal_world["laws"].url)
    form = re.search(r'<form class="list-filters".*?</form>', html, re.S).group(0)
    assert '<label for="f-kind">类别</label>' in form and '<label for="f-department">发布机构</label>' in form
    assert '<option value="ZFA">测试区综合行政执法局</option>' in form
    assert '<option value="2024">2024年</option>' in form and '<option value="2010">2010年</option>' in form
    assert '<option value="2026">2026年</option>' in form


def test_statistics_list_filters_by_the_year_of_the_period(client, portal_world):
    url = portal_world["statistics_index"].url
    html = html_of(client, url)
    assert '<label for="f-year">统计年度</label>' in html and '<option value="2025">2025年</option>' in html
    assert listed_titles(html_of(client, url + "?year=2025")) == ["2025年城市管理案件月度统计"]
    assert listed_titles(html_of(client, url + "?year=2024")) == []


def test_parse_listing_filters_accepts_codes_and_chinese_labels(departments):
    filters = parse_listing_filters({"kind": "法律", "department": "zjb", "validity": "全部", "year": " 2020 "}, "laws")
    assert (filters.kind, filters.department, filters.validity, filters.year) == ("law", departments[1], VALIDITY_ALL, 2020)
    assert filters.notices == []
    assert filters.query_string() == "?kind=law&department=ZJB&validity=all&year=2020"
    assert parse_listing_filters({}, "laws").is_default


# --- regulation pages -----------------------------------------------------------------

def test_regulation_page_has_a_toc_by_chapter_article_anchors_and_a_citation_button_per_article(client, portal_world):
    html = html_of(client, portal_world["regulation"].url)
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.S).group(0)
    assert '<a href="#第一条">第一章 总则</a>' in toc and '<a href="#第三条">第二章 附则</a>' in toc
    for label in ("第一条", "第二条", "第三条"):
        assert f'<section class="article" id="{label}">' in html
        assert f'<a class="article-label" href="#{label}">{label}</a>' in html
        # Hidden until citation.js shows it: without scripts there is no button that does nothing.
        assert (f'<button type="button" class="cite-button" data-citation="《户外广告设置管理办法》{label}" '
                f'aria-label="复制引用：{label}" hidden>复制引用</button>') in html
    assert '<script src="/static/js/citation.js" defer></script>' in html
    assert '<div id="cite-status" class="cite-status" role="status" aria-live="polite" hidden></div>' in html


def test_citation_script_is_vendored_and_has_a_fallback_without_the_clipboard_api():
    script = (BASE_DIR / "static" / "js" / "citation.js").read_text(encoding="utf-8")
    assert "navigator.clipboard" in script and 'execCommand("copy")' in script
    assert "请按 Ctrl+C" in script


def test_breadcrumbs_lead_from_home_through_the_section(client, portal_world):
    html = html_of(client, portal_world["regulation"].url)
    crumbs = re.search(r'<nav aria-label="当前位置" class="breadcrumbs wrap">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r"<li[^>]*>(.*?)</li>", crumbs, re.S) == [
        '<a href="/">首页</a>', f'<a href="{portal_world["laws"].url}">法律法规</a>', "户外广告设置管理办法"]


def test_every_document_page_links_to_its_print_view(client, portal_world):
    for key in ("regulation", "penalty", "statistics", "news"):
        assert '<a href="?print=1" rel="nofollow">打印版</a>' in html_of(client, portal_world[key].url), key


def test_print_view_uses_the_print_stylesheet_on_screen_and_hides_the_navigation(client, portal_world):
    normal = html_of(client, portal_world["regulation"].url)
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in normal
    assert "print-view" not in normal and 'name="robots"' not in normal
    html = html_of(client, portal_world["regulation"].url + "?print=1")
    assert '<link rel="stylesheet" href="/static/css/print.css" media="all">' in html
    assert '<body class=" print-view">' in html and '<meta name="robots" content="noindex">' in html
    assert 'class="print-toolbar"' in html and ">打印本页</button>" in html and "返回网页版" in html
    assert "打印版</a>" not in html
    assert '<section class="article" id="第三条">' in html  # the whole text is there
    css = (BASE_DIR / "static" / "css" / "print.css").read_text(encoding="utf-8")
    hidden = css.split("{ display: none !important; }")[0]
    for selector in (".site-header", ".site-nav", ".site-footer", ".breadcrumbs", ".cite-button", ".page-tools"):
        assert selector in hidden, selector


@pytest.mark.parametrize("key, labels", [
    ("regulation", ["索引号", "发布机构", "主题分类", "发文字号", "发布日期", "有效性"]),
    ("abolished", ["索引号", "生效日期", "废止日期", "有效性"]),
    ("penalty", ["索引号", "发布机构", "主题分类", "有效性"]),
    ("licence", ["索引号", "发布机构", "有效性"]),
    ("statistics", ["索引号", "发布机构", "发布日期", "有效性"]),
    ("discretion", ["索引号", "发布机构", "有效性"]),
    ("workflow", ["索引号", "发布机构", "有效性"]),
    ("news", ["发布机构", "主题分类", "发布日期"]),
    ("interpretation", ["发布机构", "主题分类", "发布日期"]),
])
def test_every_document_type_shows_the_government_information_metadata_block(client, portal_world, key, labels):
    html = html_of(client, portal_world[key].url)
    block = re.search(r'<table class="metadata">.*?</table>', html, re.S)
    assert block, key
    shown = re.findall(r'<th scope="row">(.*?)</th>', block.group(0))
    assert set(labels) <= set(shown), (key, shown)


# --- statistics --------------------------------------------------------------------------

def test_statistics_page_draws_chart_and_table_from_the_same_chosen_periods(client, portal_world):
    url = portal_world["statistics"].url
    html = html_of(client, url)
    assert '<label for="p-from">起始期间</label>' in html and '<label for="p-to">截止期间</label>' in html
    assert html.count("<option") == 24
    table = re.search(r'<table class="data-table">.*?</table>', html, re.S).group(0)
    assert table.count('<th scope="row">') == 12

    html = html_of(client, url + "?from=3月&to=5月")
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))  # well-formed
    # Every number and label the chart prints or reads out (its <text>, <title> and <desc>).
    said = set(re.findall(r"\d+月|\d+", " ".join(svg.itertext())))
    table = re.search(r'<table class="data-table">.*?</table>', html, re.S).group(0)
    assert re.findall(r'<th scope="row">(.*?)</th>', table) == ["3月", "4月", "5月"]
    assert set(re.findall(r"<td>(\d+)</td>", table)) == {"103", "104", "105", "93", "94", "95"}
    assert {"3月", "4月", "5月", "103", "104", "105", "93", "94", "95"} <= said
    assert not {"2月", "6月", "102", "106", "92", "96"} & said
    assert "2025年1—12月，3月至5月" in html
    assert '<option selected>3月</option>' in html and '<option selected>5月</option>' in html


@pytest.mark.parametrize("query, notice", [
    ("?from=13月", "本表没有“13月”这一期间，已忽略起始期间。"),
    ("?to=<b>x</b>", "本表没有“&lt;b&gt;x&lt;/b&gt;”这一期间，已忽略截止期间。"),
    ("?from=9月&to=2月", "起始期间晚于截止期间，已对调。"),
])
def test_bad_period_values_are_ignored_with_a_notice(client, portal_world, query, notice):
    html = html_of(client, portal_world["statistics"].url + query)
    assert notice in html and "<b>x</b>" not in html


def test_select_periods_picks_a_range_and_leaves_tables_without_periods_whole():
    assert period_labels(MONTHS) == [f"{m}月" for m in range(1, 13)]
    chosen = select_periods(MONTHS, "11月", None)
    assert [row[0] for row in chosen.rows] == ["月份", "11月", "12月"] and chosen.label == "11月至12月"
    assert select_periods(MONTHS, "9月", "2月").label == "2月至9月"
    assert select_periods(MONTHS, "", "").rows == MONTHS and not select_periods(MONTHS).is_filtered
    departments = [["部门", "案件数"], ["执法局", "5"], ["住建局", "3"]]
    assert period_labels(departments) == []
    whole = select_periods(departments, "执法局", "住建局")
    assert whole.rows == departments and "不能按期间筛选" in whole.notices[0]
    for labels in (["2023年", "2024年"], ["第一季度", "第二季度"], ["2025-01", "2025-02"], ["上半年", "下半年"]):
        assert period_labels([["期间", "数"], *[[label, "1"] for label in labels]]) == labels


# --- feeds announced in <head> ---------------------------------------------------------------

def test_every_feed_a_page_announces_is_well_formed_and_public_only(client, portal_world):
    hrefs = set()
    for key in ("home", "laws", "regulation", "news_index", "penalties", "statistics"):
        html = html_of(client, portal_world[key].url)
        head = html[: html.index("</head>")]
        links = re.findall(r'<link rel="alternate" type="application/(?:rss|atom)\+xml" title="[^"]+" href="([^"]+)">', head)
        assert links, key
        hrefs.update(links)
    assert {"/feeds/news/rss/", "/feeds/laws/rss/", "/feeds/laws/atom/", "/feeds/penalties/atom/"} <= hrefs
    for href in hrefs:
        body = html_of(client, href)
        ET.fromstring(body.encode())
        for secret in ("仅供共享的内部规定", "张三", "110101199001011234"):
            assert secret not in body, (href, secret)


# --- 404 ---------------------------------------------------------------------------------------

@override_settings(DEBUG=False)
def test_unknown_page_gets_the_designed_chinese_404_with_debug_off(client, portal_world):
    for url in ["/no-such-page/", portal_world["laws"].url + "no-such-law/", portal_world["shared"].url]:
        html = html_of(client, url, status=404)
        assert "<h1 id=\"h-404\">页面不存在</h1>" in html and '<html lang="zh-Hans">' in html
        assert re.search(r'<form class="search-box[^"]*" role="search" action="/search/"', html)
        assert '<label for="nf-q"' in html and 'id="nf-q" type="search" name="q"' in html
        assert "仅供共享的内部规定" not in html and "Traceback" not in html


# The same 404 through a real HTTP server: tests/portal/test_public_site_live.py.


# --- accessibility basics --------------------------------------------------------------------

class PageStructure(HTMLParser):
    """Collects what the WCAG basics below look at: landmarks, headings, ids, form fields and labels, images."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.open_labels = 0
        self.fields_in_labels: set[int] = set()
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "html":
            self.html_lang = attrs.get("lang")
        if tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        if tag in ("input", "select", "textarea") and self.open_labels:
            self.fields_in_labels.add(len(self.tags) - 1)

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def structure(html: str) -> PageStructure:
    parser = PageStructure()
    parser.feed(html)
    return parser


def accessibility_problems(html: str) -> list[str]:
    page = structure(html)
    problems = []
    tags = [tag for tag, _ in page.tags]
    if page.html_lang != "zh-Hans":
        problems.append(f"lang={page.html_lang}")
    for landmark in ("header", "main", "footer"):
        if tags.count(landmark) != 1:
            problems.append(f"{tags.count(landmark)} <{landmark}>")
    navs = [attrs for tag, attrs in page.tags if tag == "nav"]
    if not navs or any(not (a.get("aria-label") or a.get("aria-labelledby")) for a in navs):
        problems.append("a <nav> without a name")
    skip = page.tags[[t for t, _ in page.tags].index("a")][1]
    if skip.get("class") != "skip-link" or skip.get("href") != "#main" or "main" not in page.ids:
        problems.append("no skip link to #main first")
    if tags.count("h1") != 1:
        problems.append(f"{tags.count('h1')} <h1>")
    for i, (tag, attrs) in enumerate(page.tags):
        if tag == "img" and "alt" not in attrs:
            problems.append(f"<img> without alt: {attrs.get('src')}")
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit", "button"):
            named = attrs.get("id") in page.label_for or i in page.fields_in_labels or attrs.get("aria-label")
            if not named:
                problems.append(f"<{tag} name={attrs.get('name')}> without a label")
        if tag == "svg" and not (attrs.get("role") == "img" and attrs.get("aria-labelledby")) and \
                attrs.get("aria-hidden") != "true":
            problems.append("an <svg> without role=img and a name")
    return problems


def test_public_pages_keep_the_wcag_basics(client, portal_world):
    urls = ["/", portal_world["laws"].url, portal_world["laws"].url + "?kind=小说", portal_world["news_index"].url,
            portal_world["regulation"].url, portal_world["regulation"].url + "?print=1", portal_world["news"].url,
            portal_world["statistics"].url, portal_world["penalty"].url, "/search/?q=户外广告"]
    for url in urls:
        assert accessibility_problems(html_of(client, url)) == [], url
    assert accessibility_problems(html_of(client, "/no-such-page/", status=404)) == []


def test_the_main_navigation_marks_the_current_section(client, portal_world):
    html = html_of(client, portal_world["regulation"].url)
    nav = re.search(r'<nav class="site-nav" aria-label="主导航">(.*?)</nav>', html, re.S).group(1)
    assert f'<a href="{portal_world["laws"].url}" aria-current="page">法规库</a>' in nav
    assert '<a href="/search/">检索</a>' in nav and '<a href="/">首页</a>' in nav


def relative_luminance(colour: str) -> float:
    colour = colour.lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_text_colours_of_the_stylesheet_meet_wcag_aa_contrast():
    css = (BASE_DIR / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{3,6})", css))
    pairs = {
        "body text": (var["ink"], "#ffffff"),
        "links": (var["link"], "#ffffff"),
        "links on grey panels": (var["link"], var["bg"]),
        "muted text": (var["muted"], "#ffffff"),
        "muted text on grey panels": (var["muted"], var["bg"]),
        "title bar": ("#ffffff", var["red"]),
        "main navigation": ("#ffffff", "#8c1b16"),
        "current section": ("#ffffff", "#6e1511"),
        "notices": (var["ink"], "#fff8c5"),
        "abolished banner": (var["ink"], "#ffebe9"),
        "citation box": ("#ffffff", var["ink"]),
    }
    assert re.search(r"\.site-nav \{ background: #8c1b16; \}", css)
    low = {name: round(contrast(*pair), 2) for name, pair in pairs.items() if contrast(*pair) < 4.5}
    assert not low, f"below 4.5:1: {low}"
