"""您是不是要找 (search/understanding/correct.py): the nearest known word by a sound-weighted edit distance."""

from __future__ import annotations

import pytest

from search.understanding.correct import NEAR_SOUND, OTHER, SAME_SOUND, Vocabulary, correct, distance, replace_cost

TITLES = ["中华人民共和国行政处罚法", "行政处罚法", "食品安全法", "城乡规划法", "道路交通安全法"]
TERMS = ["行政处罚", "行政许可", "罚款", "违法建设", "责令改正"]
VOCABULARY = Vocabulary.build(TITLES, TERMS)


@pytest.mark.parametrize(("typed", "meant"), [
    ("行政处法", "行政处罚法"),  # a character left out
    ("行证处罚", "行政处罚"),  # 证 for 政: the same sound
    ("食品安全发", "食品安全法"),  # 发 for 法
    ("城相规划法", "城乡规划法"),  # 相 for 乡: the same sound, another tone
    ("道路交通按全法", "道路交通安全法"),
    ("违法建摄", "违法建设"),  # 摄 for 设 (she)
])
def test_a_typo_or_near_homophone_is_corrected_to_the_known_word(typed, meant):
    assert correct(typed, VOCABULARY) == meant


def test_only_the_mistyped_word_of_several_is_replaced():
    assert correct("行政处法 罚款", VOCABULARY) == "行政处罚法 罚款"


@pytest.mark.parametrize("text", ["行政处罚", "罚款 食品安全法", "天气预报", "处罚法", "xzcf", "", "“行政处法”", "标题:行政处法"])
def test_known_words_unrelated_words_and_the_users_own_syntax_are_left_alone(text):
    assert correct(text, VOCABULARY) == ""


def test_a_title_is_preferred_to_a_dictionary_word_when_both_are_near():
    # 行政处法 is one same-sound replacement from 行政处罚 and one character short of 行政处罚法.
    assert distance("行政处法", "行政处罚") < distance("行政处法", "行政处罚法")
    assert correct("行政处法", VOCABULARY) == "行政处罚法"


def test_same_sounds_cost_less_than_near_sounds_and_near_less_than_others():
    assert replace_cost("政", "证") == SAME_SOUND  # zheng / zheng
    assert replace_cost("则", "这") == NEAR_SOUND  # ze / zhe
    assert replace_cost("政", "罚") == OTHER
    assert replace_cost("a", "政") == OTHER and replace_cost("法", "法") == 0
