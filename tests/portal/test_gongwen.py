"""Tests of lib.lawtext on 公文: kind detection, provisions 一、/（一）/1．/（1）/①, preamble and back matter.

The real 公文 is the directive (tests/fixtures/zhouzhengban-2018-18.txt, 周政办字〔2018〕18号); the
synthetic texts below only exercise layouts the directive does not have (附件, 落款, 印发) and say so.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.lawtext import (
    Passage,
    Provision,
    document_from_stream,
    document_to_stream,
    parse_document,
    parse_law_text,
    plain_text,
    render_text,
    source_characters,
)

ROOT = Path(__file__).resolve().parents[2]
DIRECTIVE = ROOT / "tests" / "fixtures" / "zhouzhengban-2018-18.txt"


@pytest.fixture(scope="module")
def directive_text() -> str:
    return DIRECTIVE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def directive(directive_text):
    return parse_document(directive_text)


def by_anchor(doc, anchor: str) -> Provision:
    return next(p for p in doc.provisions() if p.anchor == anchor)


# ---------------------------------------------------------------- the directive
def test_directive_is_a_gongwen_titled_by_its_title_line_not_its_issuer(directive):
    assert directive.kind == "gongwen"
    assert directive.title == "关于加强综合行政执法协作配合的实施意见"
    assert directive.articles() == []
    assert directive.notices == []


def test_directive_preamble_keeps_issuer_title_number_addressees_and_lead_paragraph(directive):
    roles = [(p.role, p.text) for p in directive.front]
    assert roles[:4] == [
        ("issuer", "周村区人民政府办公室"),
        ("title", "关于加强综合行政执法协作配合的实施意见"),
        ("doc_number", "周政办字〔2018〕18号"),
        ("addressee", "各镇政府、街道办事处，周村经济开发区管委会，区政府有关部门，有关单位："),
    ]
    assert roles[4][0] == "lead" and roles[4][1].startswith("为加强综合行政执法部门与相关行政管理部门的协作配合")
    assert roles[4][1].endswith("结合实际，制定本意见。")
    assert len(roles) == 5


def test_directive_closing_block_keeps_the_copy_line_and_its_continuation(directive):
    assert [(p.role, p.part) for p in directive.back] == [("copy", "closing"), ("copy", "closing")]
    assert directive.back[0].text.startswith("抄送：区委办，区人大办")
    assert directive.back[1].text == "区检察院。"
    assert [part for part, _ in directive.parts()] == ["preamble", "closing"]


def test_directive_provisions_carry_labels_in_the_documents_own_numbering(directive):
    labels = [p.label for p in directive.provisions()]
    assert labels[:4] == ["一", "二", "二（一）", "二（二）"]
    assert "二（四）3（1）" in labels and "二（四）5（9）" in labels and "三（四）" in labels
    assert [p.label for p in directive.children] == ["一", "二", "三"]
    assert [p.label for p in by_anchor(directive, "二（四）").children] == [f"二（四）{n}" for n in range(1, 8)]
    assert [(p.marker, p.title) for p in directive.children] == [("一、", "工作目标"), ("二、", "主要任务"),
                                                                ("三、", "有关要求")]


def test_directive_anchors_are_unique_and_repeated_series_are_numbered(directive):
    anchors = [p.anchor for p in directive.provisions()]
    assert len(anchors) == len(set(anchors))
    three = by_anchor(directive, "二（四）3")
    series = [c.anchor for c in three.children if isinstance(c, Provision)]
    assert series == (["二（四）3（1）", "二（四）3（2）", "二（四）3（3）", "二（四）3（4）", "二（四）3（5）"]
                      + [f"二（四）3（{n}）-2" for n in range(1, 5)] + [f"二（四）3（{n}）-3" for n in range(1, 5)])
    # The label stays the document's own citation; only the anchor tells the series apart.
    assert by_anchor(directive, "二（四）3（1）-2").label == "二（四）3（1）"


def test_directive_cited_provision_holds_its_own_text(directive):
    first = by_anchor(directive, "二（四）3（1）")
    assert first.paragraphs[0].startswith("发现公民、法人和其他组织在依法取得本部门行政许可后")
    assert "应当在2个工作日内将有关证据材料移送综合行政执法部门" in first.text
    # The inline ①②③ stay inside the item that lists them.
    item = by_anchor(directive, "二（四）3（4）-2")
    assert item.text.startswith("案件移送的其他情形，包括：①对于历史遗留问题") and "③综合行政执法部门" in item.text


def test_paragraph_after_a_series_of_items_belongs_to_the_provision_above_them(directive):
    three = by_anchor(directive, "二（四）3")
    own = [c.text for c in three.children if isinstance(c, Passage)]
    assert [text[:20] for text in own] == ["综合行政执法部门应当在划转行政处罚事项的",
                                          "综合行政执法部门及相关行政管理部门在互相",
                                          "综合行政执法部门及相关行政管理部门应在5"]
    assert "综合行政执法部门应当在划转行政处罚事项的范围内" not in by_anchor(directive, "二（四）3（5）").text
    assert three.paragraphs == ["建立综合执法案件移送制度。相关行政管理部门的全部或部分行政处罚权纳入综合行政执法范围后，"
                                "应与综合行政执法部门建立案件移送制度。",
                                "相关行政管理部门在履行监管职能过程中发现涉及划转事项的违法行为时，按照下列要求分别处理："]


def test_member_units_of_the_joint_meeting_are_in_provision_two_four_one(directive):
    text = by_anchor(directive, "二（四）1").text
    assert "部门联席会议成员单位由区检察院、区法院、区住建局" in text and "周村规划分局、区政府法制办等组成" in text
    assert "联席会议办公室负责会议纪要的整理" in text  # its later paragraphs, after a blank line, too


def test_directive_keeps_every_character_in_order(directive, directive_text):
    assert source_characters(plain_text(directive)) == source_characters(directive_text)


def test_directive_renders_and_parses_back_to_the_same_document(directive):
    assert parse_law_text(render_text(directive)) == directive


def test_directive_stream_data_rebuilds_the_same_document(directive):
    rebuilt = document_from_stream(directive.title, ((b["type"], b["value"]) for b in document_to_stream(directive)))
    assert rebuilt == directive


# ---------------------------------------------------------------- numbering
def test_every_spelling_of_the_third_level_marker_opens_a_provision():
    doc = parse_document("关于某事项的通知\n一、要求\n1．甲。\n2.乙。\n3、丙。\n⒋丁。\n")
    assert [(p.label, p.marker) for p in doc.provisions()] == [
        ("一", "一、"), ("一1", "1．"), ("一2", "2."), ("一3", "3、"), ("一4", "⒋")]


def test_decimal_numbers_and_quoted_lines_open_no_provision():
    doc = parse_document("关于某事项的通知\n一、罚款标准\n1.5万元以下的，从轻处罚。\n“（一）引用的原文。”\n")
    assert [p.label for p in doc.provisions()] == ["一"]
    assert doc.children[0].paragraphs == ["1.5万元以下的，从轻处罚。", "“（一）引用的原文。”"]


def test_fourth_and_fifth_levels_nest_under_the_third():
    doc = parse_document("关于某事项的意见\n（一）总体安排。\n1．分工如下：\n（1）甲；\n⑵乙；\n①子项；\n②子项。\n")
    assert [p.label for p in doc.provisions()] == ["（一）", "（一）1", "（一）1（1）", "（一）1（2）",
                                                  "（一）1（2）①", "（一）1（2）②"]


def test_number_running_backwards_is_kept_as_an_unplaced_paragraph_and_reported():
    doc = parse_document("关于某事项的通知\n一、甲\n（一）子甲。\n（二）子乙。\n（二）重复的项。\n二、乙\n")
    second = doc.children[0].children[1]
    assert [p.label for p in doc.provisions()] == ["一", "一（一）", "一（二）", "二"]
    assert second.children == [Passage("（二）重复的项。", "unplaced")]  # right after the item it followed
    assert len(doc.notices) == 1 and "第5行" in doc.notices[0] and "已作为段落保留在原处" in doc.notices[0]
    assert source_characters(plain_text(doc)).endswith("（二）重复的项。二、乙")


def test_a_gap_in_the_numbering_is_placed_but_reported():
    doc = parse_document("关于某事项的通知\n一、甲\n三、丙\n")
    assert [p.label for p in doc.provisions()] == ["一", "三"]
    assert len(doc.notices) == 1 and "不连续" in doc.notices[0]


# ---------------------------------------------------------------- parts
# A synthetic notice in the GB/T 9704 layout (not the directive): 附件说明, 落款, 日期, 附注, 附件, 版记.
NOTICE = """某区人民政府办公室文件
某政办发〔2020〕3号
关于印发某项工作
实施方案的通知
各街道办事处：
现将有关事项通知如下。
一、工作要求
（一）按时报送。
附件：1．某项工作实施方案
2．某项工作任务分解表
某区人民政府办公室
2020年3月1日
（此件公开发布）
附件1
某项工作实施方案
一、目标
完成任务。
抄送：区委办公室，
区人大常委会办公室。
某区人民政府办公室　　2020年3月2日印发
"""


def test_notice_parts_are_kept_apart_with_their_roles():
    doc = parse_document(NOTICE)
    assert doc.kind == "gongwen" and doc.title == "关于印发某项工作实施方案的通知"
    assert [p.role for p in doc.front] == ["issuer", "doc_number", "title", "title", "addressee", "lead"]
    assert [p.label for p in doc.provisions()] == ["一", "一（一）"]  # the attachment's 一、 is no provision
    assert [(p.role, p.text) for p in doc.back] == [
        ("attachment_note", "附件：1．某项工作实施方案"), ("attachment_note", "2．某项工作任务分解表"),
        ("signature", "某区人民政府办公室"), ("date", "2020年3月1日"), ("note", "（此件公开发布）"),
        ("attachment", "附件1"), ("attachment_text", "某项工作实施方案"), ("attachment_text", "一、目标"),
        ("attachment_text", "完成任务。"), ("copy", "抄送：区委办公室，"), ("copy", "区人大常委会办公室。"),
        ("printed", "某区人民政府办公室  2020年3月2日印发"),
    ]
    assert [part for part, _ in doc.parts()] == ["preamble", "closing", "attachment", "closing"]
    assert source_characters(plain_text(doc)) == source_characters(NOTICE)


def test_text_with_neither_articles_nor_numbering_is_kept_whole_as_paragraphs():
    text = "关于做好春节期间值班工作的通知\n各科室：\n请各科室安排好值班人员。\n值班表于节前报办公室。\n某局办公室\n2024年2月1日\n"
    doc = parse_law_text(text)
    assert doc.kind == "plain" and doc.title == "关于做好春节期间值班工作的通知"
    assert [p.role for p in doc.front] == ["title", "addressee"]
    assert [c.text for c in doc.children] == ["请各科室安排好值班人员。", "值班表于节前报办公室。"]
    assert [p.role for p in doc.back] == ["signature", "date"]


def test_markdown_title_of_a_gongwen_is_its_title_and_not_repeated():
    doc = parse_document("# 关于某事项的决定\n\n一、同意。\n\n二、本决定自公布之日起施行。\n")
    assert doc.title == "关于某事项的决定" and doc.front == []
    assert plain_text(doc).splitlines()[0] == "关于某事项的决定"


def test_a_given_title_finds_the_title_lines_inside_a_pasted_body(directive_text):
    doc = parse_document(directive_text, title="关于加强综合行政执法协作配合的实施意见")
    assert [p.role for p in doc.front][:3] == ["issuer", "title", "doc_number"]
    assert source_characters(plain_text(doc)) == source_characters(directive_text)


@pytest.mark.parametrize("text", ["", "  \n\n", "<!-- INFO END -->\n"])
def test_only_a_text_without_characters_is_refused(text):
    with pytest.raises(ValueError, match="文本为空"):
        parse_document(text)


# ---------------------------------------------------------------- generated structures
_WORDS = "综合行政执法部门应当依法履行职责加强协作配合信息共享案件移送区政府有关单位"
_sentence = st.text(alphabet=_WORDS + "，。；：、", min_size=1, max_size=30)
_MARKERS = {1: lambda n: "一二三四五六七八九十"[n - 1] + "、", 2: lambda n: f"（{'一二三四五六七八九十'[n - 1]}）",
            3: lambda n: f"{n}{'．.、'[n % 3]}", 4: lambda n: f"（{n}）", 5: lambda n: "①②③④⑤⑥⑦⑧⑨⑩"[n - 1]}


@st.composite
def _tree(draw, level: int, depth: int) -> list[str]:
    lines = []
    for n in range(1, draw(st.integers(1, 4)) + 1):
        lines.append(_MARKERS[level](n) + draw(_sentence))
        lines += draw(st.lists(_sentence, max_size=2))
        if depth < 3 and level < 5 and draw(st.booleans()):
            lines += draw(_tree(draw(st.integers(level + 1, 5)), depth + 1))
    return lines


@st.composite
def _gongwen(draw) -> str:
    lines = draw(st.sampled_from([[], ["某区人民政府办公室"], ["# 某区关于某事项的决定", "2020年1月1日 某会议通过",
                                                          "<!-- INFO END -->"]]))
    lines += ["关于" + draw(st.text(alphabet=_WORDS, min_size=2, max_size=10)) + "的意见"]
    lines += draw(st.sampled_from([[], ["某政办发〔2021〕7号"]])) + ["各有关单位："]
    lines += draw(st.lists(_sentence, max_size=2))
    lines += draw(_tree(draw(st.integers(1, 3)), 0))
    lines += draw(st.sampled_from([[], ["某区人民政府办公室", "2021年5月1日"], ["附件：1．某表", "2．某册"],
                                   ["抄送：区委办，", "区人大办。"]]))
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(_gongwen())
def test_generated_gongwen_keeps_every_character_and_survives_the_stream(text):
    doc = parse_document(text)
    assert doc.kind == "gongwen"
    assert source_characters(plain_text(doc)) == source_characters(text)
    assert len({p.anchor for p in doc.provisions()}) == len(doc.provisions())
    rebuilt = document_from_stream(doc.title, ((b["type"], b["value"]) for b in document_to_stream(doc)))
    assert rebuilt == doc


# A synthetic amendment decision laid out like the real 决定 of the Supreme People's Court (not a real text):
# a markdown title, the history block, a lead sentence ending in a colon, 一、二、 items quoting new articles.
DECISION = """# 某法院关于修改《关于办理某类案件若干问题的解释》的决定

2020年1月2日 某法院审判委员会第1次会议通过

<!-- INFO END -->

根据审判实践，现决定对《解释》作如下修改：

一、将《解释》原第三条修改为：“具有下列情形之一的，应当认定为情节严重：

“（一）多次实施的；

“（二）造成严重后果的。”

二、增加一条，作为《解释》第四条：“本解释自公布之日起施行。”

三、将《解释》原第四条改为第五条。
"""


def test_an_amendment_decision_numbered_yi_er_san_is_a_gongwen_with_its_quotes_inside_the_items():
    doc = parse_document(DECISION)
    assert doc.kind == "gongwen" and doc.notices == []
    assert doc.title == "某法院关于修改《关于办理某类案件若干问题的解释》的决定"
    assert doc.history == ["2020年1月2日 某法院审判委员会第1次会议通过"]
    assert [(p.role, p.text) for p in doc.front] == [("lead", "根据审判实践，现决定对《解释》作如下修改：")]
    assert [p.label for p in doc.provisions()] == ["一", "二", "三"]
    assert doc.children[0].paragraphs[1:] == ["“（一）多次实施的；", "“（二）造成严重后果的。”"]
    assert source_characters(plain_text(doc)) == source_characters(DECISION)
    rebuilt = document_from_stream(doc.title, ((b["type"], b["value"]) for b in document_to_stream(doc)))
    assert rebuilt == doc and plain_text(rebuilt) == plain_text(doc)
