"""The segmenter: normalisation, the domain dictionary, and query tokens that find sub-words."""

from __future__ import annotations

import re
import sqlite3

import pytest

from search import segment
from search.backends.base import IndexDoc
from search.backends.fts5 import FTS5Backend
from search.query import parse_query
from tests.search.lawdocs import data_files, parse_law

SENTENCE = "建立综合行政执法联席会议制度，明确各成员单位的信息联络员。"


def test_normalize_folds_full_width_and_case():
    assert segment.normalize("ＡＢＣ１２３（第十条）：") == "abc123(第十条):"


def test_full_width_text_gives_the_same_tokens_as_half_width():
    assert segment.tokens_for_index("ＧＢ２７６０标准") == segment.tokens_for_index("gb2760标准")


def test_index_tokens_are_search_mode_without_punctuation():
    tokens = segment.tokens_for_index(SENTENCE)
    assert tokens[:5] == ["建立", "综合", "行政", "执法", "综合行政执法"]
    assert not any(re.fullmatch(r"\W+", t) for t in tokens)
    assert segment.segment_for_fts(SENTENCE) == " ".join(tokens)


@pytest.mark.parametrize("term", ["住建局", "综合行政执法", "信息联络员", "行政处罚", "自由裁量", "首问负责",
                                  "不予受理", "责令改正", "没收违法所得", "市场监督管理局", "公安分局", "区政府法制办"])
def test_user_dictionary_keeps_domain_terms_whole(term):
    assert term in segment.get_segmenter().cut(f"由{term}负责")


def test_segmenter_is_loaded_once_per_process():
    assert segment.get_segmenter() is segment.get_segmenter()
    assert segment.segmenter_info()["userdict_entries"] >= 500


def test_private_tokenizer_ignores_words_added_to_global_jieba():
    import jieba

    jieba.add_word("执法联席", 10**9)
    try:
        assert "执法联席" not in segment.tokens_for_index(SENTENCE)
    finally:
        jieba.del_word("执法联席")


@pytest.mark.parametrize(("query", "leaves"), [
    ("联席会议", ["联席", "会议"]),
    ("执法联席", ["执法", "联席"]),
    ("行政执法", ["行政", "执法"]),
    ("住建局", ["住建局"]),
])
def test_query_word_becomes_the_pieces_search_mode_indexes(query, leaves):
    assert segment.tokens_for_query(query) == leaves


def test_sub_word_is_not_an_index_token_but_its_pieces_are():
    # The reason for query leaves: search mode never emits the 4-character 联席会议 inside the
    # dictionary word 联席会议制度, only its 2- and 3-character pieces.
    tokens = segment.tokens_for_index(SENTENCE)
    assert "联席会议" not in tokens
    assert set(segment.tokens_for_query("联席会议")) <= set(tokens)


def _sentences() -> list[str]:
    title, body, articles = parse_law(next(p for p in data_files() if p.name.startswith("行政执法机关移送")))
    return [s for _n, text in articles for s in re.split(r"[。；]", text) if len(s) > 12]


@pytest.mark.parametrize("query", ["联席会议", "执法联席", "行政执法", "综合行政执法", "涉嫌犯罪", "移送", "公安机关",
                                   "案件移送", "行政执法机关", "执法机关移送", "立案侦查", "涉嫌犯罪案件"])
def test_sub_word_query_finds_every_real_sentence_containing_it(query):
    sentences = _sentences() + [SENTENCE, "区综合行政执法局牵头召开执法联席会议。"]
    backend = FTS5Backend(connection=sqlite3.connect(":memory:", isolation_level=None))
    backend.index_documents(IndexDoc(id=f"s:{i}", body=s, scope="公开") for i, s in enumerate(sentences))
    expected = {f"s:{i}" for i, s in enumerate(sentences) if query in s}
    assert expected, f"no test sentence contains {query}"
    found = {h.id for h in backend.search(parse_query(query), limit=1000).hits}
    assert expected <= found


def test_segment_many_matches_sequential_segmentation():
    _title, _body, articles = parse_law(data_files()[0])
    texts = [text for _n, text in articles] * 3
    expected = [segment.segment_for_fts(t) for t in texts]
    assert segment.segment_many(texts, processes=2, min_parallel_bytes=0) == expected
    assert segment.segment_many(texts[:2], processes=3, min_parallel_bytes=0) == expected[:2]  # own share ≥ 1 text


@pytest.mark.parametrize("text", ["", "   ", "，。！", "😀🚓", "\x00\x07", "_", "-+#&%", "a" * 5000])
def test_odd_text_never_breaks_segmentation(text):
    assert isinstance(segment.segment_for_fts(text), str)
    assert isinstance(segment.analyze_query(text), segment.QueryTokens)
