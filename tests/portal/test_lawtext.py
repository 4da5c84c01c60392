"""Tests of lib.lawtext: numerals, the 编/章/节/条/款/项 parser and the renderer.

Real texts come from tests/data/laws (copies of three corpus files); the whole law corpus
(tests/corpus/laws, or $LAW_CORPUS/laws) and the amendment pairs of tests/data/amendments are checked too.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.lawtext import (
    Article,
    Division,
    LawText,
    LawTextError,
    article_number_key,
    cn_to_int,
    int_to_cn,
    parse_law_text,
    plain_text,
    render_text,
    source_characters,
    split_articles,
)
from tests.lawcorpus import law_files

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "laws"
CORPUS_FILES = law_files() + sorted((ROOT / "tests" / "data" / "amendments").glob("*.md"))
DATA_FILES = sorted(DATA.glob("*.md"))
# A source line that starts an article, counted independently of the parser.
ARTICLE_LINE = re.compile(r"^第[一二三四五六七八九十百千零〇两0-9]+条(之[一二三四五六七八九十]+)?[ \u3000]")


def load(name: str) -> LawText:
    return parse_law_text((DATA / name).read_text(encoding="utf-8"))


def by_label(law: LawText, label: str) -> Article:
    return next(a for a in law.articles() if a.label == label)


# ---------------------------------------------------------------- numerals
@pytest.mark.parametrize("text, value", [
    ("一百零二", 102), ("十", 10), ("十二", 12), ("二十", 20), ("一千零一", 1001), ("两", 2),
    ("〇", 0), ("零", 0), ("102", 102), ("１０２", 102), ("一百一十", 110), ("四百五十二", 452),
    ("一千零一十", 1010), ("一万零二", 10002), ("十万", 100000), ("四千三百零一万", 43010000),
])
def test_cn_to_int_reads_legal_numerals(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("garbage", [
    "", "abc", "一二", "十百", "百", "一百零", "零零", "第十", "一百二", "一万二", "一百二万", "1.5", "十条",
])
def test_cn_to_int_rejects_garbage_and_ambiguous_numerals(garbage):
    with pytest.raises(ValueError):
        cn_to_int(garbage)


@pytest.mark.parametrize("value, text", [
    (102, "一百零二"), (10, "十"), (12, "十二"), (110, "一百一十"), (1001, "一千零一"), (20, "二十"),
    (0, "零"), (1010, "一千零一十"), (100000, "十万"),
])
def test_int_to_cn_writes_legal_numerals(value, text):
    assert int_to_cn(value) == text


@given(st.integers(min_value=1, max_value=9999))
def test_int_to_cn_round_trips_through_cn_to_int(n):
    assert cn_to_int(int_to_cn(n)) == n


@given(st.integers(min_value=10000, max_value=10**8 - 1))
def test_int_to_cn_round_trips_above_ten_thousand(n):
    assert cn_to_int(int_to_cn(n)) == n


@pytest.mark.parametrize("label, key", [
    ("第十条之一", (10, 1)), ("第一百零二条", (102, 0)), ("第1条", (1, 0)), ("第十条之十二", (10, 12)),
])
def test_article_number_key_reads_number_and_zhi_suffix(label, key):
    assert article_number_key(label) == key


@pytest.mark.parametrize("label", ["第十章", "十条", "第十条 正文", "第甲条"])
def test_article_number_key_rejects_non_labels(label):
    with pytest.raises(ValueError):
        article_number_key(label)


# ---------------------------------------------------------------- real laws
def test_administrative_penalty_law_has_86_articles_in_8_chapters():
    law = load("行政处罚法(2021-01-22).md")
    assert law.title == "中华人民共和国行政处罚法"
    assert len(law.articles()) == 86
    chapters = [d for d in law.divisions() if d.kind == "章"]
    assert [c.label for c in chapters][-1] == "第八章" and len(chapters) == 8
    assert chapters[0].title == "总则"
    assert law.articles()[-1].label == "第八十六条"


def test_history_block_is_kept_apart_from_the_articles():
    law = load("行政处罚法(2021-01-22).md")
    assert len(law.history) == 4
    assert law.history[0].startswith("1996年3月17日")
    assert law.preamble == []


def test_sections_nest_inside_their_chapter():
    law = load("行政处罚法(2021-01-22).md")
    chapter5 = next(d for d in law.divisions() if d.label == "第五章")
    assert [d.title for d in chapter5.children] == ["一般规定", "简易程序", "普通程序", "听证程序"]
    assert all(isinstance(a, Article) for a in chapter5.children[3].children)


def test_first_paragraph_has_article_prefix_stripped_and_kuan_split():
    article = by_label(load("行政处罚法(2021-01-22).md"), "第五条")
    assert article.paragraphs[0] == "行政处罚遵循公正、公开的原则。"
    assert len(article.paragraphs) == 3
    assert article.text.count("\n") == 2


def test_xiang_items_are_paragraphs_in_document_order():
    article = by_label(load("行政处罚法(2021-01-22).md"), "第九条")
    assert article.paragraphs[0] == "行政处罚的种类："
    items = article.paragraphs[1:]
    assert [p[:3] for p in items] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]


def test_article_one_hundred_and_two_parses():
    article = by_label(load("刑法.md"), "第一百零二条")
    assert (article.number, article.suffix) == (102, 0)
    assert article.paragraphs[0].startswith("勾结外国")


def test_renumbered_zhiyi_articles_keep_suffix_and_order():
    labels = [a.label for a in load("刑法.md").articles()]
    start = labels.index("第一百二十条")
    zhi = [f"第一百二十条之{int_to_cn(i)}" for i in range(1, 7)]
    assert labels[start:start + 8] == ["第一百二十条", *zhi, "第一百二十一条"]
    assert by_label(load("刑法.md"), "第一百二十条之二").key == (120, 2)


def test_book_contains_chapters_which_contain_sections():
    law = load("刑法.md")
    book = law.children[0]
    assert (book.kind, book.label, book.title) == ("编", "第一编", "总则")
    chapter2 = book.children[1]
    assert (chapter2.kind, chapter2.title) == ("章", "犯罪")
    assert chapter2.children[0].kind == "节" and chapter2.children[0].children[0].label == "第十三条"


def test_unnumbered_heading_after_a_book_is_a_top_level_division():
    law = load("刑法.md")
    assert [(d.kind, d.title) for d in law.children[2:]] == [("其他", "附则"), ("其他", "附件一"), ("其他", "附件二")]
    assert law.children[2].children[0].label == "第四百五十二条"
    assert law.children[3].paragraphs[1] == "1．中华人民共和国惩治军人违反职责罪暂行条例"


def test_deleted_article_placeholder_is_its_text_not_a_heading():
    article = by_label(load("刑法.md"), "第一百九十九条")
    assert article.heading == "" and article.paragraphs == ["（删去）"]


def test_markdown_heading_levels_are_ignored_in_favour_of_kind():
    # The file writes "### 第三章" and then "## 第一节": the 节 still belongs to the 章.
    law = load("上海市实施《食品安全法》办法.md")
    chapter3 = next(d for d in law.divisions() if d.label == "第三章")
    assert [d.label for d in chapter3.children if isinstance(d, Division)] == ["第一节", "第二节"]
    assert next(d for d in law.divisions() if d.label == "第四章") in law.children


# ---------------------------------------------------------------- plain text and traps
PLAIN = """某市城市管理条例
（2020年1月1日某市人民代表大会常务委员会第十次会议通过）

目　　录
第一章　总　　则
第二章　附　　则

第一章　总　　则
第一条　为了规范城市管理，制定本条例。
第二条本条例适用于本市行政区域。\u3000\x20
第二条规定的区域包括：
（一）城区；
（二）**郊区**。
第十条规定的事项，不适用本条例。
第三条【定义】本条例所称城市管理，是指……
第二章 附则
第4条 本条例自2020年1月1日起施行。
"""


def test_plain_text_title_history_and_table_of_contents():
    law = parse_law_text(PLAIN)
    assert law.title == "某市城市管理条例"
    assert law.history == ["（2020年1月1日某市人民代表大会常务委员会第十次会议通过）"]
    # The 目录 entries are dropped, so each chapter appears once; "总　　则" loses its letter-spacing.
    assert [(d.label, d.title) for d in law.divisions()] == [("第一章", "总则"), ("第二章", "附则")]


def test_article_start_needs_no_separator_but_citations_do_not_start_articles():
    law = parse_law_text(PLAIN)
    assert [a.label for a in law.articles()] == ["第一条", "第二条", "第三条", "第四条"]
    assert by_label(law, "第二条").paragraphs == [
        "本条例适用于本市行政区域。", "第二条规定的区域包括：", "（一）城区；", "（二）郊区。",
        "第十条规定的事项，不适用本条例。",
    ]


def test_bracket_heading_is_kept_and_arabic_number_normalised():
    law = parse_law_text(PLAIN)
    assert by_label(law, "第三条").heading == "定义"
    assert by_label(law, "第三条").paragraphs == ["本条例所称城市管理，是指……"]
    assert by_label(law, "第四条").number == 4


def test_parenthesised_short_phrase_before_text_is_a_heading():
    (article,) = split_articles("第一条 （立法目的）为了规范城市管理，制定本条例。")
    assert article.heading == "立法目的"
    assert article.paragraphs == ["为了规范城市管理，制定本条例。"]


def test_quoted_article_in_amendment_decision_is_continuation():
    text = "关于修改某条例的决定\n一、将第十条修改为：\n“第十条 市容环境卫生由城管部门负责。”\n" \
           "第一条 本决定自公布之日起施行。\n"
    law = parse_law_text(text)
    assert [a.label for a in law.articles()] == ["第一条"]
    # Before the first article the quote is preamble text, not 第十条.
    assert law.preamble == ["一、将第十条修改为：", "“第十条 市容环境卫生由城管部门负责。”"]


def test_quoted_article_inside_an_article_stays_in_that_article():
    articles = split_articles("第一条 将第十条修改为：\n“第十条 新的内容。”\n第二条 本决定自公布之日起施行。")
    assert [a.label for a in articles] == ["第一条", "第二条"]
    assert articles[0].paragraphs == ["将第十条修改为：", "“第十条 新的内容。”"]


def test_backward_reference_without_separator_is_not_an_article():
    articles = split_articles("第十条 甲。\n第十一条 乙。\n第五条所列情形除外。")
    assert [a.label for a in articles] == ["第十条", "第十一条"]
    assert articles[1].paragraphs[-1] == "第五条所列情形除外。"


def test_article_label_alone_on_a_line_takes_the_next_line_as_first_paragraph():
    (article,) = split_articles("第一条\n为了规范城市管理，制定本条例。")
    assert article.paragraphs == ["为了规范城市管理，制定本条例。"]


def test_split_articles_handles_bare_zhiyi_sequence():
    articles = split_articles("第十条 甲。\n第十条之一　乙。\n第十一条 丙。")
    assert [(a.label, a.key, a.text) for a in articles] == [
        ("第十条", (10, 0), "甲。"), ("第十条之一", (10, 1), "乙。"), ("第十一条", (11, 0), "丙。"),
    ]


def test_a_notice_without_articles_is_a_gongwen_with_numbered_provisions():
    text = "关于加强执法信息共享的意见\n各区人民政府：\n一、总体要求\n（一）指导思想。坚持依法行政。\n" \
           "二、主要任务\n建立共享平台。\n"
    doc = parse_law_text(text)
    assert doc.kind == "gongwen" and doc.title == "关于加强执法信息共享的意见"
    assert [(p.role, p.text) for p in doc.front] == [("title", "关于加强执法信息共享的意见"), ("addressee", "各区人民政府：")]
    assert [(p.label, p.marker, p.title, p.paragraphs) for p in doc.provisions()] == [
        ("一", "一、", "总体要求", []), ("一（一）", "（一）", "", ["指导思想。坚持依法行政。"]),
        ("二", "二、", "主要任务", ["建立共享平台。"]),
    ]


def test_yi_items_are_not_parts_when_the_document_has_chapters():
    law = parse_law_text("某条例\n第一章 总则\n第一条 下列区域适用本条例：\n一、城区\n二、郊区\n")
    assert [d.kind for d in law.divisions()] == ["章"]
    assert by_label(law, "第一条").paragraphs[1:] == ["一、城区", "二、郊区"]


def test_appendix_line_after_last_article_opens_a_division():
    law = parse_law_text("# 某法\n\n第一条 本法自公布之日起施行。\n\n附表一\n\n税目税额表\n")
    assert by_label(law, "第一条").paragraphs == ["本法自公布之日起施行。"]
    assert (law.children[1].kind, law.children[1].title, law.children[1].paragraphs) == ("其他", "附表一", ["税目税额表"])


def test_html_comments_and_bold_markers_are_dropped():
    law = parse_law_text("# 某法\n\n## 序言\n\n甲。\n\n<!-- FORCE BREAK -->\n\n**乙**。   \n")
    assert law.children[0].paragraphs == ["甲。", "乙。"]


@pytest.mark.parametrize("text, message", [
    ("", "为空"), ("   \n", "为空"), ("第一条 没有标题。", "标题"), ("# 某法\n\n## 第一章 总则\n", "条文"),
])
def test_unusable_text_raises_chinese_error(text, message):
    with pytest.raises(LawTextError, match=message):
        parse_law_text(text)


# ---------------------------------------------------------------- render/parse round trip
_WORDS = "行政处罚机关应当依法律规定的和或者公民组织本条例城市管理执法部门责任"
_body = st.one_of(
    st.text(alphabet=_WORDS + "，。；：、（）", min_size=1, max_size=24).filter(lambda t: t.strip() == t),
    st.sampled_from(["（一）警告、通报批评；", "（二）罚款。", "（删去）", "“第十条 引用的条文。”"]),
)
_title = st.text(alphabet=_WORDS, min_size=1, max_size=8)
_RANKS = {"编": 0, "其他": 0, "章": 1, "部分": 1, "节": 2}


@st.composite
def _nodes(draw, parent_rank: int):
    """Draw articles then sibling divisions whose order the parser can reproduce."""
    nodes = []
    for _ in range(draw(st.integers(0, 3))):
        number, suffix = draw(st.integers(1, 999)), draw(st.sampled_from([0, 0, 1, 2]))
        label = f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")
        nodes.append(Article(number, suffix, label, draw(st.lists(_body, min_size=1, max_size=3)),
                             draw(st.one_of(st.just(""), _title))))
    ranks = sorted({r for r in _RANKS.values() if r > parent_rank})
    if ranks and draw(st.booleans()):
        rank = draw(st.sampled_from(ranks))
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from([k for k, r in _RANKS.items() if r == rank]))
            number = 0 if kind == "其他" else draw(st.integers(1, 99))
            label = {"其他": "", "部分": f"{int_to_cn(number)}、"}.get(kind, f"第{int_to_cn(number)}{kind}")
            title = draw(_title) if kind in ("其他", "部分") else draw(st.one_of(st.just(""), _title))
            nodes.append(Division(kind, number, label, title, draw(_nodes(rank)), draw(st.lists(_body, max_size=2))))
    return nodes


@st.composite
def _laws(draw):
    title = draw(_title)
    # A line after the title that repeats it reads as the title repeated (a 版头), not as history.
    history = draw(st.lists(_body.filter(lambda line: line != title), max_size=2))
    return LawText(title, history, draw(st.lists(_body, max_size=2)), draw(_nodes(-1)))


@settings(max_examples=200, deadline=None)
@given(_laws())
def test_render_then_parse_returns_the_same_law(law):
    text = render_text(law)
    if law.articles() or any(d.kind in ("编", "章", "节") for d in law.divisions()):
        if not law.preamble and not any(isinstance(n, Article) or n.paragraphs for n in _walk(law.children)):
            with pytest.raises(LawTextError):
                parse_law_text(text)
        else:
            assert parse_law_text(text) == law
    else:
        # Neither articles nor 编/章/节: read as a 公文 or plain text, never refused, nothing lost.
        doc = parse_law_text(text)
        assert doc.title == law.title
        assert source_characters(plain_text(doc)) == source_characters(text)


def _walk(nodes):
    for node in nodes:
        yield node
        if isinstance(node, Division):
            yield from _walk(node.children)


def test_article_whose_text_opens_with_a_phrase_in_parentheses_round_trips():
    law = LawText("某法", [], [], [Article(5, 0, "第五条", ["（立法目的）为了规范管理。"])])
    assert parse_law_text(render_text(law)) == law


# ---------------------------------------------------------------- whole files
def check_file_properties(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    law = parse_law_text(source)
    articles = law.articles()
    assert articles, f"{path.name}: no articles"
    keys = [a.key for a in articles]
    assert all(a < b for a, b in zip(keys, keys[1:], strict=False)), f"{path.name}: article numbers do not increase"
    assert all(a.paragraphs and all(a.paragraphs) for a in articles), f"{path.name}: empty article"
    assert sum(1 for line in source.splitlines() if ARTICLE_LINE.match(line)) == len(articles)
    assert parse_law_text(render_text(law)) == law


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.stem)
def test_bundled_law_files_parse_with_increasing_nonempty_articles(path):
    check_file_properties(path)


def test_bundled_law_files_are_present():
    assert len(DATA_FILES) >= 3


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.stem)
def test_every_corpus_file_parses_with_increasing_nonempty_articles(path):
    check_file_properties(path)
