"""Discretion lookup (/staff/discretion/): a 违法行为 → the matching rows with 裁量阶次 and 裁量幅度, each citable."""
import re

import pytest

from portal.models import Scope
from staff.discretion import HINT, lookup
from tests.conftest import refreshed
from tests.portal.staff_worlds import publish_discretion, section

URL = "/staff/discretion/"


@pytest.fixture(scope="module")
def _standards(module_site_tree, module_departments):
    """Build ``standards`` once for the module (``module_transaction`` in tests/conftest.py)."""
    home, _ = module_site_tree
    a, b = module_departments
    parent = section(home, "discretion")
    demo = publish_discretion(parent, a, scope=Scope.SHARED, slug="shirong")
    internal = publish_discretion(parent, b, title="住建领域内部裁量基准", doc_number="", scope=Scope.INTERNAL,
                                  slug="zhujian-internal", rows=[{
                                      "violation": "施工工地占道堆放建筑材料", "legal_basis": "《城市道路管理条例》",
                                      "penalty_basis": "第四十二条", "level": "一般：占道面积较小",
                                      "standard": "处500元以上1000元以下罚款", "conditions": ""}])
    private = publish_discretion(parent, a, title="执法局不予共享的裁量意见", doc_number="", scope=Scope.PRIVATE,
                                 slug="private-opinion", rows=[{
                                     "violation": "夜间占道烧烤", "legal_basis": "内部", "penalty_basis": "内部",
                                     "level": "内部掌握", "standard": "内部掌握", "conditions": ""}])
    return demo, internal, private


@pytest.fixture
def standards(_standards, db):
    """Return (A's shared demo standard, B's internal standard of one row, A's private standard of one row).

    Built once for the module; each test gets its own copies of the pages.
    """
    return refreshed(_standards)


@pytest.fixture
def departments(module_departments, db):
    """Return the module's departments A and B (those of ``standards``)."""
    return refreshed(module_departments)


@pytest.fixture
def site_tree(module_site_tree, db):
    """Return the module's (home, laws section) (those of ``standards``)."""
    return refreshed(module_site_tree)


def test_a_sub_word_finds_the_violation_with_all_its_levels_and_ranges(standards, staff):
    demo, _, _ = standards
    result = lookup(staff[0], "占道")
    group = next(g for g in result.groups if "占道经营" in g.violation)
    assert group.standard.pk == demo.pk
    assert [row.number for row in group.rows] == [1, 2, 3]
    assert [row.level.split("：")[0] for row in group.rows] == ["轻微", "一般", "严重"]
    assert "处50元以上200元以下罚款" in group.rows[1].range
    assert "<mark>" in group.violation_html


def test_citation_names_the_standard_its_number_the_row_and_the_range(standards, staff):
    demo, _, _ = standards
    row = lookup(staff[0], "占道经营").groups[0].rows[1]
    assert row.citation.startswith(f"《{demo.title}》（周综执〔2025〕16号）第2项")
    assert "违法行为：未经批准擅自在街道两侧和公共场地摆摊设点" in row.citation
    assert "裁量幅度：责令停止违法行为、限期清理，处50元以上200元以下罚款" in row.citation


def test_each_row_links_to_its_anchor_on_the_standards_own_page(client, standards, staff):
    demo, _, _ = standards
    client.force_login(staff[0])
    row = lookup(staff[0], "乱张贴").groups[0].rows[0]
    assert row.number == 4 and row.url == f"{demo.url}#{row.anchor}"
    page = client.get(demo.url).content.decode()
    assert f'id="{row.anchor}"' in page


def test_lookup_page_shows_rows_with_copyable_citations(client, standards, staff):
    client.force_login(staff[0])
    response = client.get(URL, {"q": "占道经营"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "第1项" in html and "第3项" in html
    shown = lookup(staff[0], "占道经营").groups
    assert "占道经营" in shown[0].violation and [r.number for r in shown[0].rows] == [1, 2, 3]
    assert html.count('data-copy="cite-') == sum(len(g.rows) for g in shown)  # a copy button for every row
    assert "处200元以上500元以下罚款" in html
    assert re.search(r'<p class="citation" id="cite-\d+-2">《[^<]+》（周综执〔2025〕16号）第2项', html)


def test_words_that_never_meet_in_one_row_fall_back_to_any_word_with_a_notice(standards, staff):
    # 乱张贴 and 渣土 are rows of their own (the lexicon now makes 渣土车 and 遗撒 meet in one row).
    result = lookup(staff[0], "乱张贴 渣土车")
    assert result.groups and all("张贴" in g.violation or "渣土" in g.violation for g in result.groups)
    assert any("之一" in n for n in result.notices)


def test_other_departments_internal_standard_is_found_only_by_its_own_department(standards, staff):
    a_staff, b_staff = staff
    assert not any("施工工地" in g.violation for g in lookup(a_staff, "占道").groups)
    assert any("施工工地" in g.violation for g in lookup(b_staff, "占道").groups)


def test_private_standard_is_found_by_nobody(standards, staff):
    for user in staff:
        assert not any("烧烤" in g.violation for g in lookup(user, "烧烤").groups)


def test_empty_query_gives_a_hint_and_the_directory_of_violations(client, standards, staff):
    client.force_login(staff[0])
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert HINT in html
    assert "可查询的违法行为" in html and "个人随意倾倒、抛撒、堆放生活垃圾" in html
    assert "施工工地占道堆放建筑材料" not in html  # B's internal standard is not A's to see


@pytest.mark.parametrize("query", [
    "   ", "！！！", "-", '"', "“”", "（）", "%", "\x00\x01", "<script>alert(1)</script>", "OR", "占道 -经营 -占道",
    "类别:法律", "部门:不存在的部门", "年份:abcd", "占" * 500, "a" * 101, "' OR 1=1 --", "\\", "*", "NEAR(占道",
])
def test_odd_queries_get_a_page_never_a_server_error(client, standards, staff, query):
    client.force_login(staff[0])
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "裁量基准查询" in html


def test_a_query_with_nothing_to_find_says_so_in_chinese(standards, staff):
    result = lookup(staff[0], "！！！")
    assert not result.groups and result.hint.startswith("未能从“！！！”中识别出检索词")


def test_a_long_query_is_cut_with_a_notice(standards, staff):
    result = lookup(staff[0], "占道经营" * 40)
    assert len(result.query) == 100
    assert any("过长" in n for n in result.notices)


def test_nothing_found_says_so(standards, staff):
    result = lookup(staff[0], "无人机黑飞")
    assert not result.groups
    assert any("没有找到与“无人机黑飞”相符的违法行为" in n for n in result.notices)


def test_lookup_is_for_signed_in_staff_only(client, standards, departments):
    from portal.models import User

    assert client.get(URL, {"q": "占道"}).status_code == 302
    outsider = User.objects.create_user("outsider", password="pw-outsider-2026")  # no department
    client.force_login(outsider)
    assert client.get(URL, {"q": "占道"}).status_code == 404


def test_every_violation_in_the_directory_finds_itself(standards, staff):
    from staff.discretion import directory

    ((standard, violations),) = [(s, v) for s, v in directory(staff[0]) if s.pk == standards[0].pk]
    assert len(violations) == 7
    for violation in violations:
        found = lookup(staff[0], violation)
        assert found.groups and found.groups[0].violation == violation, violation
