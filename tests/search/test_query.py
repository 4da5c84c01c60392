"""The search-box query language: features, and safety on any input."""

from __future__ import annotations

import pytest

from search.backends.fts5_query import compile_match
from search.query import MAX_QUERY_LENGTH, MAX_TERMS, Query, Term, parse_query


def test_words_are_all_required():
    q = parse_query("食品 经营许可")
    assert q.groups == [[Term("食品")], [Term("经营许可")]]


@pytest.mark.parametrize("raw", ['"责令 改正"', "“责令 改正”", "「责令 改正」", "『责令 改正』", "＂责令 改正＂"])
def test_phrases_in_ascii_and_chinese_quotes(raw):
    assert parse_query(raw).groups == [[Term("责令 改正", phrase=True)]]


def test_minus_excludes_words_and_phrases():
    q = parse_query('罚款 -警告 -"通报 批评"')
    assert q.groups == [[Term("罚款")]]
    assert q.excluded == [Term("警告"), Term("通报 批评", phrase=True)]


def test_or_joins_the_terms_on_either_side():
    q = parse_query("住建局 OR 城管 | 环保局 罚款")
    assert q.groups == [[Term("住建局"), Term("城管"), Term("环保局")], [Term("罚款")]]


@pytest.mark.parametrize(("raw", "key", "value"), [
    ("部门:住建局", "department", "住建局"), ("dept：住建局", "department", "住建局"),
    ("类别:行政处罚", "category", "行政处罚"), ("category:行政处罚", "category", "行政处罚"),
    ("有效性:有效", "validity", "现行有效"), ("validity:废止", "validity", "已废止"),
    ("年份:2020", "year", "2020"), ("year:2018-2020", "year", "2018-2020"), ("年份：2018至2020", "year", "2018-2020"),
    ("文号:周政办字〔2018〕18号", "doc_number", "周政办字〔2018〕18号"), ("docnum:\"周政办字 〔2018〕 18号\"", "doc_number",
                                                               "周政办字 〔2018〕 18号"),
])
def test_field_filters_with_chinese_and_ascii_names(raw, key, value):
    q = parse_query(raw)
    assert q.filters == {key: [value]} and not q.groups


def test_title_field_is_a_term_limited_to_titles():
    q = parse_query("标题:食品安全法 TITLE：“实施 条例”")
    assert q.groups == [[Term("食品安全法", field="title")], [Term("实施 条例", phrase=True, field="title")]]


def test_bad_year_is_dropped_with_a_notice():
    q = parse_query("年份:去年 罚款")
    assert "year" not in q.filters and q.groups == [[Term("罚款")]]
    assert any("年份" in n for n in q.notices)


def test_long_query_is_cut_and_says_so():
    q = parse_query("行政处罚" * 3000)
    assert len(q.groups[0][0].text) == MAX_QUERY_LENGTH
    assert any(str(MAX_QUERY_LENGTH) in n for n in q.notices)


def test_too_many_terms_are_cut_and_say_so():
    q = parse_query(" ".join(f"词{i}" for i in range(MAX_TERMS + 10)))
    assert len(q.positive_terms()) == MAX_TERMS
    assert any("过多" in n for n in q.notices)


def test_joined_text_runs_plain_terms_together():
    assert parse_query("中华人民共和国 食品安全法").joined_text() == "中华人民共和国食品安全法"
    assert parse_query("住建局 OR 城管").joined_text() == ""


HOSTILE = [
    "", " ", "\u3000", '"', "“", "「未闭合", '"a" "b', "-", "--", "- -", "*", "**", "NEAR(", "NEAR(a b, 3)", "AND", "OR",
    "NOT", "a AND", "OR b", "AND OR NOT", "(", ")", "()", "{title}:x", "title_seg:x", "x:y:z", ":", "：", "标题:", "部门：",
    "-部门:住建局", "年份:99999", "^", "$", "\\", "'", "''", "%", "_", "a%b_c", "\x00", "\x07\x1b[31m", "\u200b\u200e",
    "😀", "🚓执法", "👨‍👩‍👧", "ﷺ", "\ud800" if False else "\uffff", "a" * 10000, "执法 " * 3000, '"' * 501,
    "1e999", "-1", "0x41", "NaN", "null", "<script>alert(1)</script>", "' OR 1=1 --", "\"; DROP TABLE x; --",
    "col:\"unterminated", "title:\"a", "\n\n\t", "中华人民共和国食品安全法*", "食品^安全", "罚款 -",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_any_input_parses_and_compiles_without_error(raw):
    q = parse_query(raw)
    assert isinstance(q, Query) and isinstance(q.notices, list)
    match, exclude = compile_match(q)
    assert isinstance(match, str) and isinstance(exclude, str)


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_input_runs_as_a_search(raw, backend):
    from search.backends.base import IndexDoc

    backend.index_documents([IndexDoc(id="d:1", title="行政处罚决定书", body="对违法行为给予警告、罚款。")])
    results = backend.search(parse_query(raw), facets=["category", "year"])
    assert results.count >= 0


def test_non_string_input_is_tolerated():
    assert parse_query(None).groups == []  # type: ignore[arg-type]
