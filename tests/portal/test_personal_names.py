"""Tests of lib.personal_names: names told from words by the text alone (no database)."""
from __future__ import annotations

import pytest

from lib.personal_names import is_organisation_name, looks_like_person_name, names_after_role_words


@pytest.mark.parametrize("text", ["张三", "王芳", "程秀兰", "黎卫东", "欧阳小明", "訾海燕", "刘德华"])
def test_surname_and_given_name_look_like_a_person(text):
    assert looks_like_person_name(text)


@pytest.mark.parametrize("text", ["行政许可", "许可", "食品安全法", "安全法", "申请书", "卫健委", "王府井", "张家港",
                                  "高温", "方案", "周村区", "张某", "王某某", "占道经营", "程序"])
def test_words_places_and_masked_names_do_not(text):
    assert not looks_like_person_name(text)


def test_the_portals_own_terms_are_never_names():
    assert looks_like_person_name("易燃") and not looks_like_person_name("易燃", known_words={"易燃"})


@pytest.mark.parametrize("text, names", [
    ("举报人程秀兰通过12345热线反映", ["程秀兰"]),
    ("举报人王芳通过热线反映", ["王芳"]),
    ("当事人为张三，男", ["张三"]),
    ("经营者：孙立红", ["孙立红"]),
    ("当事人张三处以罚款", ["张三"]),
    ("当事人向华强", ["向华强"]),
    ("申请人欧阳小明于3月提出申请", ["欧阳小明"]),
])
def test_names_after_a_role_word_are_found(text, names):
    assert names_after_role_words([text]) == names


@pytest.mark.parametrize("text", [
    "当事人周村区顺通渣土运输有限公司", "举报人满意", "当事人陈述申辩", "当事人应当", "当事人于2026年",
    "当事人王某某", "当事人向人民法院提起诉讼", "申请人和被申请人", "由第三人代履行", "物业主管部门",
    "经营者和消费者", "用户主动申请",
])
def test_organisations_words_and_masked_names_after_a_role_word_are_not(text):
    assert names_after_role_words([text]) == []


def test_organisations_are_told_from_natural_persons():
    assert is_organisation_name("淄博恒岳建筑工程有限公司")
    assert is_organisation_name("周村区佳惠便利店（经营者：孙立红）")
    assert is_organisation_name("周村区某初级中学周边12家食品经营户")
    assert not is_organisation_name("张三") and not is_organisation_name("欧阳小明（经营者）")
