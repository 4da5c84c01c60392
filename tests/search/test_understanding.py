"""Query understanding as plain functions (search.understanding): no engine, no Django."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.citations import TitleIndex
from search.query import parse_query
from search.understanding.lexicon import Lexicon, make_entry, parse_lexicon
from search.understanding.pinyin import PinyinTitles
from search.understanding.prepare import prepare
from search.understanding.rewrite import chinese_number, drop_fillers, rewrite_numerals

TITLES = TitleIndex([("中华人民共和国行政处罚法", 1), ("中华人民共和国食品安全法", 2),
                     ("中华人民共和国食品安全法实施条例", 3)])
PINYIN = PinyinTitles(["中华人民共和国行政处罚法", "中华人民共和国食品安全法"])


def groups(prepared) -> list[list[str]]:
    return [[t.text for t in g] for g in prepared.query.groups]


@pytest.mark.parametrize("n, text", [(1, "一"), (10, "十"), (12, "十二"), (32, "三十二"), (100, "一百"),
                                     (105, "一百零五"), (110, "一百一十"), (136, "一百三十六"), (1010, "一千零一十")])
def test_arabic_numbers_are_written_as_laws_number_their_articles(n, text):
    assert chinese_number(n) == text


def test_citation_numerals_become_the_laws_own_numbering():
    changes = []
    assert rewrite_numerals("第32条 第3款 第2项 136条 第32条之1", changes) == "第三十二条 第三款 第二项 第一百三十六条 第三十二条之一"
    assert ("第32条", "第三十二条") in changes and ("136条", "第一百三十六条") in changes


def test_numbers_that_cite_nothing_stay_as_typed():
    assert rewrite_numerals("2018年 7号 第0条", []) == "2018年 7号 第0条"


@pytest.mark.parametrize("raw, left, gone", [
    ("无证行医 怎么处罚", "无证行医", ["怎么处罚"]),
    ("垃圾乱倒罚多少", "垃圾乱倒", ["罚多少"]),
    ("门口乱堆货 怎么管", "门口乱堆货", ["怎么管"]),
    ("占道经营是否许可呢", "占道经营 许可", ["是否", "呢"]),
    ("当场罚款最多能罚多少", "当场罚款", ["最多能", "罚多少"]),
    ("听证要提前几天通知当事人", "听证要提前 通知当事人", ["几天"]),
    ("哪些行为属于违法建设", "行为属于违法建设", ["哪些"]),
])
def test_question_words_and_filler_are_dropped(raw, left, gone):
    dropped = []
    assert drop_fillers(raw, dropped) == left
    assert dropped == gone


def test_a_query_of_question_words_only_is_kept_as_typed():
    prepared = prepare("怎么")
    assert groups(prepared) == [["怎么"]] and prepared.understood.dropped == []


def test_quoted_phrases_are_never_rewritten():
    prepared = prepare('"是否 第32条" 怎么处罚 处罚')
    assert prepared.query.groups[0][0].text == "是否 第32条" and prepared.query.groups[0][0].phrase
    assert prepared.understood.dropped == ["怎么处罚"]


def test_traditional_characters_are_folded_to_simplified():
    prepared = prepare("違法建設 行政處罰法")
    assert prepared.text == "违法建设 行政处罚法" and prepared.understood.folded
    assert "已将繁体字转为简体字查找。" in prepared.understood.messages()
    assert not prepare("违法建设").understood.folded


def test_a_cited_article_of_a_held_law_is_found_with_the_resolver_of_the_citation_index():
    for raw, key, article in [("行政处罚法第32条", 1, "第三十二条"), ("食品安全法 136条", 2, "第一百三十六条"),
                              ("《食品安全法实施条例》第10条第2款", 3, "第十条")]:
        provision = prepare(raw, titles=TITLES).understood.provision
        assert (provision.key, provision.article) == (key, article), raw


def test_a_law_not_held_is_no_provision():
    assert prepare("城乡规划法第40条", titles=TITLES).understood.provision is None


@pytest.mark.parametrize("typed, title", [("xzcff", "行政处罚法"), ("XingZhengChuFaFa", "行政处罚法"),
                                          ("spaqf", "食品安全法"), ("shipinanquanfa", "食品安全法")])
def test_pinyin_and_initials_of_a_held_title_find_the_title(typed, title):
    prepared = prepare(typed, pinyin=PINYIN)
    assert groups(prepared) == [[title]]
    assert f"已按“{title}”查找（{typed}）。" in prepared.understood.messages()


def test_latin_words_that_spell_no_title_and_the_operators_stay():
    assert groups(prepare("abc OR pdf", pinyin=PINYIN)) == [["abc", "pdf"]]


def test_a_colloquial_word_is_or_ed_with_its_legal_terms_and_a_place_word_beside_it_dropped():
    prepared = prepare("小区私搭乱建")
    assert groups(prepared) == [["私搭乱建", "违法建设", "未取得建设工程规划许可证"]]
    assert prepared.understood.places == ["小区"]
    assert "同时检索：违法建设、未取得建设工程规划许可证（“私搭乱建”的法律用语）" in prepared.understood.messages()


def test_the_other_words_of_a_query_still_must_match():
    assert groups(prepare("遛狗不拴绳 罚款")) == [["遛狗不拴绳", "携带犬只出户", "束犬链", "系犬绳"], ["罚款"]]


def test_a_penalty_question_is_marked_for_ranking():
    assert prepare("垃圾乱倒 罚多少").understood.penalty
    assert not prepare("垃圾乱倒").understood.penalty


def test_editors_entries_add_to_the_files_targets():
    lexicon = Lexicon([make_entry("私搭乱建", "擅自搭建\n违法建设"), make_entry("狗狗乱叫", "犬只|噪声")])
    assert lexicon.targets("私搭乱建") == ("违法建设", "未取得建设工程规划许可证", "擅自搭建")
    assert groups(prepare("狗狗乱叫", lexicon=lexicon)) == [["狗狗乱叫", "犬只", "噪声"]]


def test_lexicon_lines_without_targets_are_skipped():
    assert parse_lexicon("# 注释\n空词\t\t市容\n酒驾\t饮酒后驾驶机动车\t交通\n") == [
        make_entry("酒驾", "饮酒后驾驶机动车", "交通")]
    assert make_entry("  ", "违法建设") is None and make_entry("酒驾", " | ") is None


@pytest.mark.parametrize("raw", ["", "   ", "😀😀", "第99999条", "a" * 500, "“未闭合 怎么", "-怎么", "OR", "xzcff" * 20,
                                 "第３２条", "标题:怎么", "吗"])
def test_any_input_is_prepared_without_an_error(raw):
    prepared = prepare(raw, titles=TITLES, pinyin=PINYIN)
    assert isinstance(prepared.understood.as_dict()["messages"], list)


_ALPHABET = list("怎么处罚罚多少是否吗呢小区私搭乱建酒驾遛狗不拴绳第条款项之一二十0123456789３２xzcffXZ 　\"“”-:：|OR違法處罰😀\t\n")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_understanding_never_raises_and_never_empties_a_query_with_terms(raw):
    prepared = prepare(raw, titles=TITLES, pinyin=PINYIN)
    assert isinstance(prepared.understood.as_dict()["messages"], list)
    if parse_query(raw).has_terms:
        assert prepared.query.has_terms
