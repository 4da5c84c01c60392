"""Snippets are cut from the original text, HTML-escaped, with the matches in <mark>."""

from __future__ import annotations

from search.query import parse_query
from search.snippets import highlight, highlight_terms, make_snippet

ARTICLE = ("第五十三条 违反本法规定，有下列情形之一的，由县级以上人民政府食品安全监督管理部门责令改正，给予警告；"
           "拒不改正的，处五千元以上五万元以下罚款。" * 3 + "建立综合行政执法联席会议制度，由信息联络员负责日常联络。")


def test_snippet_marks_the_match_in_the_original_text():
    snippet = make_snippet(ARTICLE, ["联席会议"])
    assert "<mark>联席会议</mark>" in snippet
    assert snippet.startswith("…") and len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 122


def test_snippet_window_prefers_the_part_with_the_most_different_terms():
    snippet = make_snippet(ARTICLE, ["责令改正", "信息联络员", "联席会议"])
    assert "<mark>信息联络员</mark>" in snippet and "<mark>联席会议</mark>" in snippet


def test_snippet_escapes_html_outside_and_inside_marks():
    snippet = make_snippet("<b>通知</b> & “<script>”罚款", ["<script>", "罚款"])
    assert "<b>" not in snippet and "&lt;b&gt;" in snippet and "&amp;" in snippet
    assert "<mark>&lt;script&gt;</mark>" in snippet and "<mark>罚款</mark>" in snippet


def test_snippet_matches_full_width_text_with_half_width_terms():
    assert make_snippet("依据ＧＢ２７６０标准处理", ["gb2760"]) == "依据<mark>ＧＢ２７６０</mark>标准处理"


def test_snippet_without_match_is_the_beginning_of_the_text():
    assert make_snippet("第一条 为了规范。" * 30, ["不存在"], length=20) == "第一条 为了规范。第一条 为了规范。第一…"


def test_snippet_collapses_whitespace_and_handles_empty_text():
    assert make_snippet("罚款\n\n  警告", ["警告"]) == "罚款 <mark>警告</mark>"
    assert make_snippet("", ["x"]) == ""


def test_highlight_terms_cover_term_synonyms_and_pieces():
    terms = highlight_terms(parse_query('执法联席 住建局 "责令 改正" -警告'))
    assert {"执法联席", "执法", "联席", "住建局", "住房和城乡建设局", "责令改正"} <= set(terms)
    assert "警告" not in terms and not any(len(t) == 1 for t in terms)


def test_pieces_mark_a_sub_word_split_across_the_text():
    snippet = make_snippet("本条所称执法部门，应当参加联席会议。", highlight_terms(parse_query("执法联席")))
    assert "<mark>执法</mark>" in snippet and "<mark>联席</mark>" in snippet


def test_highlight_marks_the_whole_title():
    assert highlight("中华人民共和国食品安全法", ["食品安全法"]) == "中华人民共和国<mark>食品安全法</mark>"
