"""The domain dictionary (userdict.txt, rebuilt by build_userdict.py) and the synonym groups."""

from __future__ import annotations

import subprocess
import sys

import pytest

from search import synonyms
from search.dict import build_userdict
from search.segment import USERDICT_PATH
from tests.search.lawdocs import CORPUS_DIR


def _entries() -> dict[str, int]:
    return {w: int(f) for w, f in (line.split() for line in USERDICT_PATH.read_text(encoding="utf-8").splitlines())}


def test_user_dictionary_has_enough_weighted_entries():
    entries = _entries()
    assert len(entries) >= 500
    assert all(freq >= build_userdict.MINED_FREQ_FLOOR for freq in entries.values())


@pytest.mark.parametrize("term", ["行政处罚", "自由裁量", "综合行政执法", "联席会议", "信息联络员", "案件移送", "首问负责",
                                  "不予受理", "听证", "责令改正", "没收违法所得", "住房和城乡建设局", "住建局", "生态环境局",
                                  "环保局", "市场监督管理局", "市场监管局", "城市管理局", "城管", "综合行政执法局",
                                  "公安分局", "区编办", "区政府法制办"])
def test_user_dictionary_holds_the_named_terms(term):
    assert term in _entries()


def test_seed_terms_come_first_and_mined_terms_follow():
    seeds = build_userdict.read_seeds()
    words = list(_entries())
    assert words[: len(seeds)] == seeds
    assert len(words) > len(seeds) + 300, "the corpus miner contributes most entries"


def test_user_dictionary_is_reproducible_from_the_corpus():
    command = [sys.executable, str(build_userdict.__file__), str(CORPUS_DIR), "--check"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def fresh_synonyms():
    synonyms.reset()
    yield synonyms
    synonyms.reset()


@pytest.mark.parametrize(("term", "alias"), [
    ("城管", "综合行政执法"), ("综合行政执法", "城市管理"), ("住建局", "住房和城乡建设局"), ("环保局", "生态环境分局"),
    ("市场监管局", "工商局"), ("食药监局", "食品药品监督管理局"), ("ＡＢＣ", "abc"),
])
def test_expand_returns_the_whole_group_both_ways(fresh_synonyms, term, alias):
    if term == "ＡＢＣ":
        fresh_synonyms.add_group(["abc", "字母"])
    assert alias in fresh_synonyms.expand(term)
    assert fresh_synonyms.normalize(term) in fresh_synonyms.expand(alias)


def test_term_without_synonyms_expands_to_itself(fresh_synonyms):
    assert fresh_synonyms.expand("行政强制") == {"行政强制"}


def test_groups_added_at_run_time_join_the_file_groups(fresh_synonyms):
    fresh_synonyms.add_group(["测试区综合行政执法局", "执法局", "城管"])
    assert "测试区综合行政执法局" in fresh_synonyms.expand("城管")
    assert "城市管理局" in fresh_synonyms.expand("城管")
    fresh_synonyms.add_group(["孤词", " "])
    assert fresh_synonyms.expand("孤词") == {"孤词"}


def test_synonym_file_lines_parse_into_groups():
    assert synonyms.parse_groups("# 注释\nA b  # 尾注\n单\n") == [frozenset({"a", "b"})]
