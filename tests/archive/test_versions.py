"""Published versions of a regulation, their plain text, and the version in force on a date."""
import datetime
from pathlib import Path

import pytest
from wagtail.models import PageLogEntry

from archive.review import review_versions
from archive.versions import (
    DatedText,
    published_versions,
    regulation_text,
    text_in_force,
    version_in_force,
)
from lib.align import compare_laws
from lib.lawtext import parse_law_text
from portal.models import RegulationPage

from .conftest import NEW_TEXT, OLD_TEXT

pytestmark = pytest.mark.django_db


def test_wagtail_logs_each_publication_with_its_revision(two_versions):
    page, old_id, new_id = two_versions
    logged = list(PageLogEntry.objects.filter(page=page, action="wagtail.publish")
                  .order_by("timestamp").values_list("revision_id", flat=True))
    assert logged == [old_id, new_id]


def test_published_versions_carry_the_dates_of_their_own_revision(two_versions):
    page, old_id, new_id = two_versions
    versions = published_versions(page)
    assert [v.revision_id for v in versions] == [old_id, new_id]
    old, new = versions
    assert (old.publish_date, old.effective_date, old.revision_basis) == (
        datetime.date(2017, 9, 1), datetime.date(2017, 9, 1), "")
    assert (new.publish_date, new.effective_date, new.revision_basis) == (
        datetime.date(2023, 9, 1), datetime.date(2024, 1, 1), "2023年9月1日第一次修订")
    assert old.created_at < new.created_at


def test_a_draft_is_not_a_published_version(two_versions):
    page, old_id, new_id = two_versions
    page.title = "草稿标题"
    page.save_revision()
    assert [v.revision_id for v in published_versions(page)] == [old_id, new_id]


def test_republishing_a_revision_does_not_duplicate_the_version(two_versions):
    page, old_id, new_id = two_versions
    page.live_revision.publish()
    assert [v.revision_id for v in published_versions(page)] == [old_id, new_id]


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2017, 8, 31), None),
        (datetime.date(2017, 9, 1), "old"),
        (datetime.date(2023, 12, 31), "old"),  # published in September, in force from January
        (datetime.date(2024, 1, 1), "new"),
        (datetime.date(2030, 1, 1), "new"),
    ],
)
def test_version_in_force_follows_the_effective_date(two_versions, date, expected):
    page, old_id, new_id = two_versions
    version = version_in_force(page, date)
    assert (version and version.revision_id) == {"old": old_id, "new": new_id, None: None}[expected]


def test_version_without_effective_date_applies_from_its_publish_date(make_regulation):
    page = make_regulation(publish_date=datetime.date(2020, 5, 1))
    page.refresh_from_db()
    assert version_in_force(page, datetime.date(2020, 4, 30)) is None
    assert version_in_force(page, datetime.date(2020, 5, 1)).revision_id == page.live_revision_id


def test_regulation_text_reads_back_as_the_same_articles(two_versions):
    page, old_id, _ = two_versions
    old_object = page.revisions.get(pk=old_id).as_object()
    law = parse_law_text(regulation_text(old_object))
    assert law.title == "测试复议条例"
    assert [a.label for a in law.articles()] == ["第一条", "第二条", "第三条"]
    assert law.articles()[1].text == "行政复议机关应当依法履行职责。"
    assert regulation_text(page).count("第四条") == 1


def test_regulation_text_keeps_chapters_and_sections(make_regulation):
    text = ("第一章 总则\n\n第一条 为了测试，制定本条例。\n\n第二章 分则\n\n第一节 许可\n\n"
            "第二条 许可应当公开。\n\n第二节 处罚\n\n第三条 处罚应当公正。")
    page = make_regulation(text=text)
    law = parse_law_text(regulation_text(RegulationPage.objects.get(pk=page.pk)))
    assert [d.heading for d in law.divisions()] == ["第一章 总则", "第二章 分则", "第一节 许可", "第二节 处罚"]
    assert [a.label for a in law.divisions()[1].children[0].children] == ["第二条"]


def test_compare_laws_on_two_revisions_finds_the_edit_and_the_insertion(two_versions):
    page, old_id, new_id = two_versions
    old = page.revisions.get(pk=old_id).as_object()
    new = page.revisions.get(pk=new_id).as_object()
    comparison = compare_laws(regulation_text(old), regulation_text(new))
    statuses = [(p.old and p.old.label, p.new and p.new.label, p.status) for p in comparison.articles]
    assert statuses == [
        ("第一条", "第一条", "unchanged"),
        ("第二条", "第二条", "modified"),
        (None, "第三条", "inserted"),
        ("第三条", "第四条", "unchanged"),
    ]
    changed = [(k, t) for k, t in comparison.articles[1].ops if k != "equal"]
    assert changed == [("delete", "关"), ("insert", "构")]


def test_text_in_force_explains_a_bad_date_in_chinese(two_versions):
    page, _, _ = two_versions
    dated = text_in_force(page, "2020-13-45")
    assert dated.version is None and "无效" in dated.notice
    assert text_in_force(page, "") == DatedText()


def test_text_in_force_banner_names_requested_and_effective_dates(two_versions):
    page, old_id, _ = two_versions
    dated = text_in_force(page, "2020-01-01")
    assert dated.version.revision_id == old_id
    assert dated.banner == "以下为2020年1月1日施行的文本（生效日期：2017年9月1日）"


def test_text_in_force_before_the_first_version_says_so(two_versions):
    page, _, _ = two_versions
    dated = text_in_force(page, "2000-01-01")
    assert dated.version is None
    assert "尚未施行" in dated.notice and "2017年9月1日" in dated.notice


def test_fixture_texts_differ_only_where_the_tests_say():
    # Guards the expectations above: the second article changes 机关 -> 机构 only.
    assert OLD_TEXT.replace("机关", "机构") in NEW_TEXT.replace("第三条 行政复议应当坚持公正、高效、便民。\n\n第四条", "第三条")


def test_review_rows_show_renumbered_chapters_but_not_chapters_whose_articles_changed():
    from archive.review import review_from_comparison

    first, last = "为了规范行政执法信息共享工作，制定本条例。", "本条例自二〇二六年一月一日起施行。"
    old = f"# 条例\n\n第一章 总则\n\n第一条 {first}\n\n第二章 附则\n\n第二条 {last}"
    new = (f"# 条例\n\n第一章 总则\n\n第一条 {first.replace('规范', '促进')}\n\n第二章 管理\n\n"
           f"第二条 各部门应当及时共享信息。\n\n第三章 附则\n\n第三条 {last}")
    review = review_from_comparison(compare_laws(old, new))
    rows = [(r.old_label, r.new_label, r.labels) for r in review.division_rows]
    assert ("第一章", "第一章", ["修改"]) not in rows  # only its article changed: shown in the article rows
    assert ("", "第二章", ["新增"]) in rows
    assert ("第二章", "第三章", ["章节号变更"]) in rows
    assert [r.labels for r in review.article_rows] == [["修改"], ["新增"], ["条号变更"]]


# --- a 公文 in two versions -------------------------------------------------------------------

DIRECTIVE = Path(__file__).resolve().parents[1] / "fixtures" / "zhouzhengban-2018-18.txt"


def test_two_published_versions_of_a_gongwen_compare_provision_by_provision(make_regulation):
    source = DIRECTIVE.read_text(encoding="utf-8")
    page = make_regulation(title="关于加强综合行政执法协作配合的实施意见", slug="directive")
    page.set_text(source)
    page.save_revision().publish()
    old = RegulationPage.objects.get(pk=page.pk)
    # The text as stored reads back whole, then one deadline changes in 二（四）3（1）.
    assert regulation_text(old).count("2个工作日") == source.count("2个工作日") == 5
    changed = source.replace("应当在2个工作日内将有关证据材料移送综合行政执法部门，如有特殊情况", "应当在10个工作日内将有关证据材料移送综合行政执法部门，如有特殊情况")
    page = RegulationPage.objects.get(pk=page.pk)
    page.set_text(changed)
    page.save_revision().publish()
    revisions = [v.object for v in published_versions(page)]
    review = review_versions(revisions[-2], revisions[-1])
    assert review.error == ""
    rows = [(row.old_label, row.status) for row in review.article_rows if row.status != "unchanged"]
    assert rows == [("二（四）3（1）", "modified")]
    assert len(review.article_rows) == 43
