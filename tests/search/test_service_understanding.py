"""Query understanding in the search service (issue 18): the same for the public and staff pages.

Real FTS5 inside the test database, real law texts (tests/data/search) published as RegulationPages.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from portal.models import Scope
from search import service
from search.models import LexiconEntry

ANONYMOUS = AnonymousUser()
pytestmark = pytest.mark.django_db


def test_a_cited_article_with_arabic_numerals_is_the_first_result(food_laws):
    page = service.search(ANONYMOUS, "食品安全法 136条")
    assert page.results[0].title == "中华人民共和国食品安全法 第一百三十六条"
    assert page.results[0].url.endswith("#第一百三十六条")
    assert "已将“136条”按“第一百三十六条”查找。" in page.understood_messages
    assert "已定位到“中华人民共和国食品安全法 第一百三十六条”，列为第一条结果。" in page.understood_messages
    assert page.as_json()["understood"]["citations"] == [{"typed": "136条", "rewritten": "第一百三十六条"}]


def test_an_article_the_viewer_may_not_see_is_neither_pinned_nor_named(make_regulation, departments):
    make_regulation(title="某区内部考核办法", scope=Scope.PRIVATE,
                    text="第一条 为了考核，制定本办法。\n\n第二条 考核结果内部通报。")
    page = service.search(ANONYMOUS, "某区内部考核办法第2条")
    assert page.results == []
    assert not any("某区内部考核办法" in m and "定位" in m for m in page.understood_messages)


def test_initials_of_a_public_held_title_search_for_that_title(food_laws):
    page = service.search(ANONYMOUS, "spaqf")
    assert page.results[0].title == "中华人民共和国食品安全法"
    assert "已按“食品安全法”查找（spaqf）。" in page.understood_messages


def test_question_words_no_longer_empty_the_result_list(food_laws):
    page = service.search(ANONYMOUS, "食品召回 怎么处罚")
    assert page.count > 0
    assert "已忽略提问用语：怎么处罚。" in page.understood_messages


def test_an_editors_lexicon_entry_is_used_from_the_next_search_on(make_regulation):
    make_regulation(title="某区文明养犬规定", text="第一条 饲养犬只不得干扰他人正常生活。\n\n第二条 本规定自发布之日起施行。")
    assert service.search(ANONYMOUS, "狗狗乱叫").count == 0
    LexiconEntry.objects.create(colloquial="狗狗乱叫", legal_terms="饲养犬只\n干扰他人正常生活")
    page = service.search(ANONYMOUS, "狗狗乱叫")
    assert [r.title for r in page.results][:1] == ["某区文明养犬规定 第一条"] or page.results[0].title == "某区文明养犬规定"
    assert "同时检索：饲养犬只、干扰他人正常生活（“狗狗乱叫”的法律用语）" in page.understood_messages


@pytest.mark.parametrize("colloquial, terms, field, message", [
    ("", "违法建设", "colloquial", "请填写口语说法"),
    ("私搭 乱建", "违法建设", "colloquial", "不能含空格"),
    ("私搭乱建", " \n ", "legal_terms", "请至少填写一个法律用语"),
    ("私搭乱建", "私搭乱建", "legal_terms", "法律用语与口语说法相同"),
    ("私搭乱建", "😀", "legal_terms", "须含汉字、字母或数字"),
])
def test_a_bad_lexicon_entry_is_refused_with_a_chinese_message(colloquial, terms, field, message):
    entry = LexiconEntry(colloquial=colloquial, legal_terms=terms)
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_the_search_page_shows_what_was_understood(client, food_laws):
    response = client.get("/search/", {"q": "食品安全法第136条 怎么处罚"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "检索词理解" in html and "已忽略提问用语：怎么处罚。" in html and "第一百三十六条" in html


def test_an_editor_adds_a_lexicon_entry_in_the_admin_and_a_bad_one_is_refused_in_chinese(admin_client):
    url = "/admin/snippets/search/lexiconentry/add/"
    assert admin_client.get(url).status_code == 200
    refused = admin_client.post(url, {"colloquial": "占道 摆摊", "legal_terms": "占用城市道路", "field": ""})
    assert refused.status_code == 200 and "口语说法不能含空格" in refused.content.decode()
    assert not LexiconEntry.objects.exists()
    admin_client.post(url, {"colloquial": "占道摆卖", "legal_terms": "占用城市道路\n设摊", "field": "占道经营",
                            "enabled": "on"})
    assert LexiconEntry.objects.get().terms() == ["占用城市道路", "设摊"]
    assert service.prepare_query("占道摆卖").understood.expansions == [("占道摆卖", ("占用城市道路", "设摊"))]


def test_a_lexicon_term_shaped_like_a_name_is_searched_for_the_public(make_regulation):
    make_regulation(title="某区养犬规定", slug="dogs", text="第一条 犬只户外活动时由成年人使用束犬链（绳）牵领。")
    page = service.search(ANONYMOUS, "遛狗不拴绳")
    assert [r.title for r in page.results] == ["某区养犬规定"]
    assert not any("个人信息" in n for n in page.notices)


def test_three_concepts_with_one_document_holding_all_also_list_those_holding_most(make_regulation):
    make_regulation(title="某区工地管理规定", slug="site", text="第一条 工地夜间施工不得扰民。")
    make_regulation(title="某区噪声规定", slug="noise", text="第一条 禁止夜间进行产生噪声的建筑施工作业，造成噪声污染。")
    page = service.search(ANONYMOUS, "工地夜间施工扰民")
    assert [r.title for r in page.results] == ["某区工地管理规定", "某区噪声规定"]
    assert page.fallback and "只有 1 条结果包含全部检索词，以下按包含检索词的多少排列。" in page.notices


def test_a_question_typed_as_one_word_finds_what_holds_two_of_its_words_never_one(make_regulation):
    make_regulation(title="某区听证规则", slug="hearing", text="第一条 举行听证的七日前，通知当事人及有关人员。")
    make_regulation(title="某区档案规则", slug="files", text="第一条 档案应当提前整理。")
    page = service.search(ANONYMOUS, "听证提前通知当事人")
    assert [r.title for r in page.results] == ["某区听证规则"]
    assert page.fallback and page.missing == ["提前"]


def test_the_words_of_a_section_heading_find_the_articles_beneath_it(make_regulation):
    make_regulation(title="某区执法规则", slug="rules",
                    text="## 第一章 总则\n\n第一条 为了规范执法，制定本规则。\n\n### 第一节 简易程序\n\n"
                         "第二条 违法事实确凿的，执法人员可以当场处理。")
    page = service.search(ANONYMOUS, "简易程序", collapse=False)
    assert [r.anchor for r in page.results if r.kind == "article"] == ["第二条"]
