"""Tests of lib.citations: finding citations in real texts, resolving short titles, anchors and links.

The quoted lines are real: laws of tests/data/laws and tests/corpus/laws (LawRefBook), the demo's
discretion rows and decisions, the directive (tests/fixtures/zhouzhengban-2018-18.txt). The property
tests run over every law the repository holds (tests/data/laws, demo/data/laws, tests/corpus/laws): every
citation that resolves lands on an article that exists.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from lib.citations import (
    TitleIndex,
    find_citations,
    line_anchors,
    link_html,
    link_text,
    normalize_title,
    place_anchors,
    title_aliases,
)
from lib.lawtext import parse_document, plain_lines
from tests.lawcorpus import law_files

ROOT = Path(__file__).resolve().parents[2]
DIRECTIVE = ROOT / "tests" / "fixtures" / "zhouzhengban-2018-18.txt"

INDEX = TitleIndex(
    [("中华人民共和国行政处罚法", "处罚法"), ("中华人民共和国食品安全法", "食品法"),
     ("城市市容和环境卫生管理条例", "市容条例"), ("上海市实施《中华人民共和国食品安全法》办法", "上海办法"),
     ("物业管理条例", "物业条例"), ("人民检察院民事诉讼监督规则（试行）", "监督规则")],
    [("周政办字〔2018〕18号", "意见")],
)


def cites(text, index=INDEX, **kwargs):
    return [(c.text, c.cited, c.place, c.key) for c in find_citations(text, index, **kwargs)]


def test_a_short_title_in_brackets_resolves_to_the_full_title():
    assert cites("依照《行政处罚法》第三十二条的规定") == [("《行政处罚法》第三十二条", "行政处罚法", "第三十二条", "处罚法")]


def test_a_full_title_with_a_paragraph_cites_the_paragraph():
    assert cites("违反《中华人民共和国食品安全法》第一百三十六条第二款规定") == [
        ("《中华人民共和国食品安全法》第一百三十六条第二款", "中华人民共和国食品安全法", "第一百三十六条第二款", "食品法")]


def test_an_item_in_parentheses_is_read_as_its_number():
    # demo/data/discretion.json
    found = cites("《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第（一）项")
    assert found == [("《中华人民共和国固体废物污染环境防治法》第一百一十一条第一款第（一）项",
                      "中华人民共和国固体废物污染环境防治法", "第一百一十一条第一款第一项", None)]


def test_a_list_goes_on_citing_the_same_document_until_another_title():
    # demo/data/records.json, a penalty decision's 处罚依据
    found = cites("《城市市容和环境卫生管理条例》第十四条、第三十六条第（二）项；《中华人民共和国行政强制法》第三十五条、第四十四条")
    assert found == [
        ("《城市市容和环境卫生管理条例》第十四条", "城市市容和环境卫生管理条例", "第十四条", "市容条例"),
        ("第三十六条第（二）项", "城市市容和环境卫生管理条例", "第三十六条第二项", "市容条例"),
        ("《中华人民共和国行政强制法》第三十五条", "中华人民共和国行政强制法", "第三十五条", None),
        ("第四十四条", "中华人民共和国行政强制法", "第四十四条", None),
    ]


def test_a_list_of_paragraphs_and_items_stays_in_its_article():
    # 防洪法 第五十五条; 北京市生活垃圾管理条例 第七十四条
    assert [c[2] for c in cites("违反本法第二十二条第二款、第三款规定", own="防洪法")] == ["第二十二条第二款", "第二十二条第三款"]
    found = cites("违反本条例第五十一条第一款第（一）项、第（二）项规定的", own="垃圾条例")
    assert [c[2] for c in found] == ["第五十一条第一款第一项", "第五十一条第一款第二项"]
    assert {c[3] for c in found} == {"垃圾条例"}


def test_a_range_cites_both_ends():
    # 行政处罚法 第五十三条
    found = cites("应当依照本法第六十七条至第六十九条的规定履行。", own="处罚法")
    assert [(c[0], c[2]) for c in found] == [("本法第六十七条", "第六十七条"), ("第六十九条", "第六十九条")]


def test_own_document_citations_need_the_own_key():
    assert cites("依照本法第三十二条", own="本文件") == [("本法第三十二条", "", "第三十二条", "本文件")]
    assert cites("依照本条例第十条") == [("本条例第十条", "", "第十条", None)]
    # 固体废物污染环境防治法 第三十七条: 本条第一款 is the article being read.
    assert cites("违反本条第一款规定的", own="固废法", article="第三十七条") == [
        ("本条第一款", "", "第三十七条第一款", "固废法")]


def test_a_bare_article_cites_the_law_itself_only_where_asked():
    text = "依照第三十条的规定处罚。"
    assert cites(text) == []
    assert cites(text, own="本法", own_bare=True) == [("第三十条", "", "第三十条", "本法")]


def test_a_bare_article_after_an_unknown_title_cites_nothing():
    # 国家赔偿法 第十九条: 刑事诉讼法 is not held; its list must not turn into the law's own articles.
    assert cites("依照刑事诉讼法第十五条、第一百七十三条第二款规定不追究刑事责任", own="赔偿法", own_bare=True) == []


def test_an_article_head_at_the_start_of_a_line_is_no_citation():
    assert cites("第十条 本法自公布之日起施行。\n第十一条 依照第十条执行", own="本法", own_bare=True) == [
        ("第十条", "", "第十条", "本法")]


def test_a_title_without_brackets_is_found_through_the_index():
    # 食品安全法实施条例 第七十六条
    found = cites("食品生产经营者依照食品安全法第六十三条第一款、第二款的规定停止生产")
    assert found == [("食品安全法第六十三条第一款", "食品安全法", "第六十三条第一款", "食品法"),
                     ("第二款", "食品安全法", "第六十三条第二款", "食品法")]
    assert cites("依照行政处罚法第三十二条") == [("行政处罚法第三十二条", "行政处罚法", "第三十二条", "处罚法")]


def test_a_title_without_brackets_inside_a_longer_title_is_not_that_title():
    assert cites("违反浙江省物业管理条例第十条") == []
    assert cites("依照物业管理条例第十条")[0][3] == "物业条例"


def test_a_title_quoting_another_resolves_with_either_bracket():
    assert cites("《上海市实施〈食品安全法〉办法》第三条")[0][3] == "上海办法"
    assert cites("《上海市实施<中华人民共和国食品安全法>办法》第三条")[0][3] == "上海办法"


def test_a_trial_title_is_cited_without_its_suffix():
    assert INDEX.resolve_title("人民检察院民事诉讼监督规则") == "监督规则"
    assert title_aliases("中华人民共和国行政处罚法") == ["中华人民共和国行政处罚法", "行政处罚法"]


def test_a_title_wins_over_another_documents_short_form():
    index = TitleIndex([("中华人民共和国刑法", "国家刑法"), ("刑法", "另一部刑法")])
    assert index.resolve_title("刑法") == "另一部刑法"
    assert index.resolve_title("中华人民共和国刑法") == "国家刑法"


def test_a_gongwen_provision_is_cited_after_its_document_number():
    assert cites("根据周政办字〔2018〕18号 二（四）3的要求") == [
        ("周政办字〔2018〕18号 二（四）3", "周政办字〔2018〕18号", "二（四）3", "意见")]
    assert cites("见周政办字[2018]18号二（四）3（1）。")[0][2:] == ("二（四）3（1）", "意见")


def test_a_number_followed_by_words_cites_the_whole_document():
    assert cites("周政办字〔2018〕18号三个月内") == [("周政办字〔2018〕18号", "周政办字〔2018〕18号", "", "意见")]


def test_a_title_with_its_number_in_brackets_is_one_citation():
    # The directive's preamble.
    text = "和区政府办公室《关于印发周村区综合行政执法体制改革实施意见的通知》（周政办发〔2017〕15号）等有关规定"
    assert cites(text) == [("《关于印发周村区综合行政执法体制改革实施意见的通知》（周政办发〔2017〕15号）",
                            "关于印发周村区综合行政执法体制改革实施意见的通知", "", None)]


def test_a_certificate_in_brackets_is_no_citation():
    # 药品进口管理办法 第十三条
    assert cites("《药品生产许可证》和《企业法人营业执照》复印件") == []
    assert cites("依照《中华人民共和国邮政法》的规定处罚")[0][1:] == ("中华人民共和国邮政法", "", None)


def test_amendment_history_cites_the_amending_decision_not_an_article():
    found = cites("《关于修改〈中华人民共和国产品质量法〉的决定》第一次修正")
    assert found == [("《关于修改〈中华人民共和国产品质量法〉的决定》", "关于修改〈中华人民共和国产品质量法〉的决定", "", None)]


def test_place_anchors_fall_back_to_the_article_and_the_parent_provision():
    assert place_anchors("第十条第二款第三项") == ["第十条第二款第三项", "第十条第二款", "第十条"]
    assert place_anchors("第十条第一款第三项") == ["第十条第一款第三项", "第十条第三项", "第十条第一款", "第十条"]
    assert place_anchors("第十条第三项") == ["第十条第三项", "第十条第一款第三项", "第十条"]
    assert place_anchors("二（四）3（1）") == ["二（四）3（1）", "二（四）3", "二（四）", "二"]
    assert place_anchors("") == []


def test_line_anchors_number_paragraphs_and_their_items():
    lines = ["有下列情形之一的，处以罚款：", "（一）未经批准的；", "（二）逾期不改的。", "有前款情形的，可以并处没收。"]
    assert line_anchors("第十条", lines) == ["第十条第一款", "第十条第一款第一项", "第十条第一款第二项", "第十条第二款"]
    assert line_anchors("第十条", lines[:3]) == ["第十条第一款", "第十条第一项", "第十条第二项"]


def test_link_text_escapes_everything_but_the_links():
    text = "依照<b>《行政处罚法》第三十二条</b>\n处理"
    found = find_citations(text, INDEX)
    html = link_text(text, [(c.start, c.end, "/laws/x/#第三十二条") for c in found], linebreaks=True)
    assert html == ('依照&lt;b&gt;<a class="citation" href="/laws/x/#第三十二条">《行政处罚法》第三十二条</a>'
                    "&lt;/b&gt;<br>处理")


def test_link_html_leaves_an_editors_link_alone():
    markup = '<p>依照《行政处罚法》第三十二条和<a href="/x/">《行政处罚法》第三十三条</a>。</p>'

    def links(text):
        return [(c.start, c.end, "#" + c.place) for c in find_citations(text, INDEX)]

    assert link_html(markup, links) == ('<p>依照<a class="citation" href="#第三十二条">《行政处罚法》第三十二条</a>和'
                                        '<a href="/x/">《行政处罚法》第三十三条</a>。</p>')


def test_normalize_title_reads_angle_brackets_and_half_width_parentheses():
    assert normalize_title(" 关于修改<保险法>的决定(草案) ") == "关于修改《保险法》的决定（草案）"


# ---------------------------------------------------------------- real texts, whole
def _law_files() -> list[Path]:
    files = sorted((ROOT / "tests" / "data" / "laws").glob("*.md")) + sorted((ROOT / "demo" / "data" / "laws").glob("*.md"))
    return files + law_files()


@pytest.fixture(scope="module")
def laws():
    docs = {}
    for path in _law_files():
        doc = parse_document(path.read_text(encoding="utf-8"))
        docs.setdefault(doc.title, doc)
    return docs


def _article_citations(laws):
    index = TitleIndex([(title, title) for title in laws])
    for title, doc in laws.items():
        for article in doc.articles():
            for line in article.paragraphs:
                for c in find_citations(line, index, own=title, own_bare=True, article=article.label):
                    if c.kind == "article":
                        yield title, article.label, line, c


def test_every_resolved_article_citation_in_real_laws_lands_on_an_article_that_exists(laws):
    found = list(_article_citations(laws))
    resolved = [(title, label, c) for title, label, _line, c in found if c.key is not None]
    assert len(resolved) > len(laws)  # laws cite themselves and each other: far more than one citation each
    missing = [(title, label, c.text) for title, label, c in resolved
               if place_anchors(c.place)[-1] not in {a.label for a in laws[c.key].articles()}]
    assert missing == []


def test_the_directive_cites_documents_by_title_and_number():
    doc = parse_document(DIRECTIVE.read_text(encoding="utf-8"))
    index = TitleIndex([("行政执法机关移送涉嫌犯罪案件的规定", "移送规定")])
    found = [c for line in plain_lines(doc) for c in find_citations(line, index)]
    assert ("行政执法机关移送涉嫌犯罪案件的规定", "移送规定") in {(c.cited, c.key) for c in found}
    assert {"关于<周村区综合行政执法体制改革方案>的批复", "周村区综合行政执法责任追究实施办法"} <= {c.cited for c in found}
    assert all(c.kind == "document" for c in found)
