"""The citation index (citations.index): rebuilt when a page is published, resolved to held documents.

Real texts: the demo's 城市市容和环境卫生管理条例 (demo/data/laws), the directive (tests/fixtures,
周政办字〔2018〕18号), the demo's discretion rows and decisions' 处罚依据 (demo/data).
"""
from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from citations import index
from citations.models import Citation
from tests.citations.worlds import DIRECTIVE, ROW, SHIRONG, publish_decision, publish_law
from tests.portal.staff_worlds import publish_discretion, section


def rows_of(page) -> list[tuple]:
    return list(Citation.objects.filter(citing_page_id=page.pk).order_by("position").values_list(
        "place_label", "cited", "cited_place", "cited_page_id", "cited_anchor"))


@pytest.fixture
def shirong(site_tree, departments):
    return publish_law(site_tree[1], departments[0], SHIRONG)


@pytest.fixture
def discretion_section(site_tree):
    return section(site_tree[0], "discretion")


def test_a_discretion_row_cites_the_article_of_a_held_law_at_its_anchor(shirong, discretion_section, departments):
    standard = publish_discretion(discretion_section, departments[0], title="市容裁量基准", rows=[ROW | {
        "legal_basis": "《城市市容和环境卫生管理条例》第十四条", "penalty_basis": "《城市市容和环境卫生管理条例》第三十六条第（二）项"}])
    assert rows_of(standard) == [
        ("第1项 法律依据", "城市市容和环境卫生管理条例", "第十四条", shirong.pk, "第十四条"),
        ("第1项 处罚依据", "城市市容和环境卫生管理条例", "第三十六条第二项", shirong.pk, "第三十六条第二项"),
    ]
    row_id = standard.rows[0].id
    assert set(Citation.objects.filter(citing_page_id=standard.pk).values_list("place", flat=True)) == {f"row-{row_id}"}


def test_a_paragraph_citation_lands_on_the_paragraph_and_an_unknown_article_on_nothing(shirong, discretion_section,
                                                                                        departments):
    standard = publish_discretion(discretion_section, departments[0], title="张贴裁量基准", rows=[ROW | {
        "legal_basis": "《城市市容和环境卫生管理条例》第十七条第二款", "penalty_basis": "《城市市容和环境卫生管理条例》第九十九条"}])
    assert [(r[2], r[3], r[4]) for r in rows_of(standard)] == [
        ("第十七条第二款", shirong.pk, "第十七条第二款"), ("第九十九条", shirong.pk, "")]


def test_a_short_title_resolves_to_the_full_one(site_tree, departments, discretion_section):
    law = publish_law(site_tree[1], departments[0], "# 中华人民共和国行政处罚法\n\n第三十二条 当事人有下列情形之一，应当从轻或者减轻行政处罚：\n"
                      "（一）主动消除或者减轻违法行为危害后果的；\n（二）受他人胁迫或者诱骗实施违法行为的。")
    standard = publish_discretion(discretion_section, departments[0], title="从轻裁量", rows=[ROW | {
        "legal_basis": "《行政处罚法》第三十二条第（一）项", "penalty_basis": "依照行政处罚法第三十二条"}])
    assert [(r[3], r[4]) for r in rows_of(standard)] == [(law.pk, "第三十二条第一项"), (law.pk, "第三十二条")]


def test_a_citation_written_before_the_law_was_held_finds_it_when_it_is_published(site_tree, departments,
                                                                                     discretion_section):
    standard = publish_discretion(discretion_section, departments[0], title="先写的裁量基准", rows=[ROW | {
        "legal_basis": "《城市市容和环境卫生管理条例》第十四条", "penalty_basis": ""}])
    assert rows_of(standard) == [("第1项 法律依据", "城市市容和环境卫生管理条例", "第十四条", None, "")]
    law = publish_law(site_tree[1], departments[0], SHIRONG)
    assert rows_of(standard) == [("第1项 法律依据", "城市市容和环境卫生管理条例", "第十四条", law.pk, "第十四条")]


def test_republishing_without_the_citation_drops_its_row_and_unpublishing_drops_all(shirong, discretion_section,
                                                                                      departments):
    standard = publish_discretion(discretion_section, departments[0], title="会改的裁量基准", rows=[ROW | {
        "legal_basis": "《城市市容和环境卫生管理条例》第十四条", "penalty_basis": "《城市市容和环境卫生管理条例》第十六条"}])
    assert len(rows_of(standard)) == 2
    standard.rows = [{"type": "row", "value": ROW | {"legal_basis": "《城市市容和环境卫生管理条例》第十六条",
                                                     "penalty_basis": ""}}]
    standard.save_revision().publish()
    assert [r[2] for r in rows_of(standard)] == ["第十六条"]
    standard.unpublish()
    assert rows_of(standard) == []


def test_a_law_citing_itself_makes_no_row_but_citing_another_law_does(shirong, site_tree, departments):
    text = ("# 测试区市容管理办法\n\n第一条 依据《城市市容和环境卫生管理条例》，制定本办法。\n\n"
            "第二条 违反本办法第一条规定的，依照城市市容和环境卫生管理条例第三十六条处理。\n"
            "有前款行为，情节严重的，依照第一条从重处理。")
    local = publish_law(site_tree[1], departments[0], text)
    assert rows_of(local) == [
        ("第一条", "城市市容和环境卫生管理条例", "", shirong.pk, ""),
        ("第二条第一款", "城市市容和环境卫生管理条例", "第三十六条", shirong.pk, "第三十六条"),
    ]


def test_a_decision_cites_a_gongwen_provision_by_its_number(site_tree, departments):
    directive = publish_law(site_tree[1], departments[0], DIRECTIVE, doc_number="周政办字〔2018〕18号")
    assert directive.document().kind == "gongwen"
    decision = publish_decision(section(site_tree[0], "penalties"), departments[0], "行政处罚决定书（测试案）",
                                basis="《城市市容和环境卫生管理条例》第十四条；周政办字〔2018〕18号 二（四）3（4）")
    assert rows_of(decision) == [
        ("处罚依据", "城市市容和环境卫生管理条例", "第十四条", None, ""),
        ("处罚依据", "周政办字〔2018〕18号", "二（四）3（4）", directive.pk, "二（四）3（4）"),
    ]
    assert "二（四）3（4）" in {p["anchor"] for p in directive.provisions()}


def test_the_current_version_wins_when_two_share_a_title(site_tree, departments, discretion_section):
    old = publish_law(site_tree[1], departments[0], SHIRONG, validity="revised", effective_date=datetime.date(1992, 8, 1))
    current = publish_law(site_tree[1], departments[0], SHIRONG, effective_date=datetime.date(2017, 3, 1))
    standard = publish_discretion(discretion_section, departments[0], title="版本裁量", rows=[ROW | {
        "legal_basis": "《城市市容和环境卫生管理条例》第十四条", "penalty_basis": ""}])
    assert old.pk != current.pk
    assert rows_of(standard)[0][3] == current.pk


def test_rebuild_citations_gives_the_rows_publishing_gave(shirong, discretion_section, departments):
    standard = publish_discretion(discretion_section, departments[0])  # the demo's 19 rows
    before = rows_of(standard)
    assert any(r[3] == shirong.pk for r in before)
    out = StringIO()
    call_command("rebuild_citations", stdout=out)
    assert rows_of(standard) == before
    assert f"共 {Citation.objects.count()} 处引用" in out.getvalue()


def test_the_title_index_follows_what_is_live(shirong):
    assert index.held_index().resolve_title("城市市容和环境卫生管理条例") == shirong.pk
    shirong.unpublish()
    assert index.held_index().resolve_title("城市市容和环境卫生管理条例") is None
