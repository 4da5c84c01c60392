"""Server-side SVG charts: well-formed, accessible, faithful to the table, safe with any label."""
import datetime
import re
import xml.etree.ElementTree as ET

import pytest

from lib.charts import (
    bar_chart_svg,
    chart_for_table,
    line_chart_svg,
    nice_ticks,
    parse_number,
    pie_chart_svg,
    pie_percentages,
    table_series,
)

SVG = "{http://www.w3.org/2000/svg}"

CASES = [
    ["月份", "立案数", "结案数", "备注"],
    ["一月", "12", "10", "春节"],
    ["二月", "15", "", ""],
    ["三月", "9", "8.5", "—"],
]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    """Return the visible text of the chart (text elements only, tooltips and desc left out)."""
    return ["".join(el.itertext()).strip() for el in root.iter(f"{SVG}text")]


def visible_text(el: ET.Element) -> str:
    """Return a <text> element's own text, without a <title> tooltip inside it."""
    return ((el.text or "") + "".join(child.tail or "" for child in el)).strip()


@pytest.mark.parametrize("kind", ["bar", "line", "pie"])
def test_every_chart_kind_is_well_formed_accessible_svg(kind):
    root = parse(chart_for_table(CASES, kind, "2026年一季度案件统计"))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert "2026年一季度案件统计" in title.text
    assert desc.text and "一月" in desc.text
    # aria-labelledby names the title and the desc of this chart.
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert "Noto Sans CJK SC" in root.get("font-family")
    assert root.find(f".//{SVG}g[@class='legend']") is not None


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_every_number_of_the_table_is_printed_on_the_chart(kind):
    shown = texts(parse(chart_for_table(CASES, kind, "案件")))
    for number in ["12", "10", "15", "9", "8.5"]:
        assert number in shown
    # Both numeric columns are series, named in the legend; the text column is not.
    assert "立案数" in shown and "结案数" in shown
    assert "备注" not in shown and "春节" not in shown


def test_table_series_ignores_non_numeric_cells_and_columns():
    labels, series = table_series(CASES)
    assert labels == ["一月", "二月", "三月"]
    assert series == {"立案数": [12.0, 15.0, 9.0], "结案数": [10.0, None, 8.5]}


def test_a_missing_value_draws_no_bar():
    root = parse(bar_chart_svg(["一月", "二月"], {"立案数": [3, None]}, "t"))
    assert len(root.findall(f".//{SVG}g[@class='series']/{SVG}rect")) == 1


def test_numbers_in_chinese_tables_are_read():
    assert parse_number("１２３") == 123
    assert parse_number("1,234") == 1234
    assert parse_number("12.5%") == 12.5
    assert parse_number("-3") == -3
    for not_a_number in ["", "—", "2026-01", "约10", None, "1.2.3"]:
        assert parse_number(not_a_number) is None


def test_script_in_labels_and_titles_is_escaped_text():
    evil = "<script>alert('x')</script>"
    rows = [["地区", evil], [evil, "5"], ["B&Q", "7"]]
    for kind in ["bar", "line", "pie"]:
        svg = chart_for_table(rows, kind, evil)
        root = parse(svg)  # would fail on a raw "&" or a stray tag
        assert "<script" not in svg
        assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
        assert evil in root.find(f"{SVG}title").text


def test_control_characters_cannot_break_the_xml():
    parse(bar_chart_svg(["a\x00b", "c\x1bd"], {"x\x07": [1, 2]}, "t\x0c"))


def test_pie_percentages_add_up_to_exactly_100():
    for values in ([1, 1, 1], [12, 15, 9, 3], [1, 2, 3, 4, 5, 6, 7], [999, 1]):
        assert sum(pie_percentages(values)) == pytest.approx(100.0, abs=1e-9)
    assert pie_percentages([1, 1, 1]) == [33.4, 33.3, 33.3]


def test_pie_chart_prints_percentages_summing_to_100_and_the_values():
    root = parse(pie_chart_svg(["甲", "乙", "丙"], [1, 1, 1], "三等分"))
    legend = [visible_text(el) for el in root.find(f".//{SVG}g[@class='legend']").iter(f"{SVG}text")]
    shares = [float(m) for entry in legend for m in re.findall(r"（([\d.]+)%）", entry)]
    assert len(shares) == 3
    assert sum(shares) == pytest.approx(100.0)
    assert all(re.search(r"：1（", entry) for entry in legend)


def test_pie_charts_the_first_numeric_column_and_skips_empty_slices():
    rows = [["类别", "件数", "金额"], ["甲", "3", "100"], ["乙", "", "50"], ["丙", "0", "1"], ["丁", "1", "1"]]
    root = parse(chart_for_table(rows, "pie", "处罚"))
    assert "件数" in root.find(f"{SVG}title").text
    assert len(root.findall(f".//{SVG}g[@class='slices']/{SVG}path")) == 2  # 甲 and 丁
    desc = root.find(f"{SVG}desc").text
    assert "甲：3（75.0%）" in desc and "丁：1（25.0%）" in desc


def test_a_single_slice_is_a_full_circle():
    root = parse(pie_chart_svg(["全部"], [5], "t"))
    assert root.find(f".//{SVG}g[@class='slices']/{SVG}circle") is not None


def test_negative_values_get_an_axis_below_zero():
    assert nice_ticks(-3.2, 5)[0] < -3.2 and 0 in nice_ticks(-3.2, 5)
    root = parse(line_chart_svg(["a", "b"], {"增长率": [5, -3.2]}, "t"))
    assert "-3.2" in texts(root)


def test_a_table_without_numbers_gives_no_chart():
    assert chart_for_table([["地区", "说明"], ["甲", "无"]], "bar") == ""
    assert chart_for_table([["只有表头", "数"]], "bar") == ""
    assert chart_for_table([], "pie") == ""


def test_long_labels_are_shortened_but_kept_in_tooltips():
    labels = [f"测试区综合行政执法局第{i}中队" for i in range(10)]
    root = parse(bar_chart_svg(labels, {"件数": list(range(10))}, "t"))
    tooltips = [el.text for el in root.iter(f"{SVG}title")]
    assert labels[3] in tooltips
    assert any(t.endswith("…") for t in (visible_text(el) for el in root.iter(f"{SVG}text")))


@pytest.fixture
def statistics_page(site_tree, departments):
    from portal.models import CategoryIndexPage, Scope, StatisticsPage

    home, _ = site_tree
    section = CategoryIndexPage(title="统计分析数据", slug="statistics", section="statistics")
    home.add_child(instance=section)
    section.save_revision().publish()
    page = StatisticsPage(
        title="2026年第一季度执法统计", department=departments[0], scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 4, 1), period="2026年第一季度", chart_kind="bar",
        data=[("table", {"data": [["月份", "立案数"], ["一月", "12"], ["二月", "15"], ["<b>三月</b>", "9"]],
                         "first_row_is_table_header": True, "first_col_is_header": True})],
    )
    section.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_statistics_page_shows_the_chart_above_the_table_of_the_same_data(client, statistics_page):
    html = client.get(statistics_page.url).content.decode()
    assert html.index('<svg xmlns="http://www.w3.org/2000/svg"') < html.index('<table class="data-table">')
    svg = html[html.index("<svg"): html.index("</svg>") + len("</svg>")]
    shown = texts(parse(svg))
    for number in ["12", "15", "9"]:
        assert number in shown
    assert "<b>三月</b>" not in html  # escaped in chart and table alike
