"""Amendment impact (issue 21): real versions of two laws (tests/data/amendments, LawRefBook) and the
discretion standards that cite them.

Articles chosen by reading the texts and the alignment (lib.align):
- 反垄断法 2007 → 2022: 第二条 is unchanged in place; 第一条 was rewritten (加强预防和制止垄断行为 …);
  第五条 (经营者可以通过公平竞争、自愿联合，依法实施集中) is verbatim 第六条 of 2022.
- 行政复议法 2017 → 2023: 第四十二条 (本法施行前公布的法律有关行政复议的规定 …) is gone; 第四十一条 is
  verbatim 第八十九条 of 2023. (No article of 行政复议法 keeps both its text and its number, so the
  unchanged citation is of 反垄断法.)
"""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from amendments import services
from amendments.models import Amendment, CitationImpact
from citations.models import Citation
from jobs import table
from jobs.models import OutgoingMail
from lib.align import compare_laws
from lib.impact import CHANGED, RENUMBERED, REPEALED, UNCHANGED, citation_status, provision_changes
from portal import roles
from portal.models import DiscretionStandardPage, RegulationPage, Scope, User
from portal.models.sharing import Notification
from sharing import deadlines
from tests.citations.worlds import ROW, publish_law
from tests.portal.staff_worlds import publish_discretion, publish_workflow, section

DATA = Path(__file__).resolve().parents[1] / "data" / "amendments"


def text(name: str) -> str:
    return (DATA / f"{name}.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def antitrust():
    return provision_changes(compare_laws(text("反垄断法_old"), text("反垄断法_new")))


@pytest.fixture(scope="module")
def review():
    return provision_changes(compare_laws(text("行政复议法_old"), text("行政复议法_new")))


# --- plain functions ------------------------------------------------------------------------------

def test_each_old_article_is_unchanged_changed_renumbered_or_repealed(antitrust, review):
    assert antitrust.by_old["第二条"].status == UNCHANGED
    assert antitrust.by_old["第一条"].status == CHANGED
    assert (antitrust.by_old["第五条"].status, antitrust.by_old["第五条"].new_label) == (RENUMBERED, "第六条")
    assert review.by_old["第四十二条"].status == REPEALED
    assert (review.by_old["第四十一条"].status, review.by_old["第四十一条"].new_label) == (RENUMBERED, "第八十九条")
    # 2022 inserted 13 articles (the alignment's count); none of them is an old article.
    assert antitrust.counts()["inserted"] == 13
    assert antitrust.counts()["repealed"] == 0


def test_a_citation_of_a_paragraph_follows_its_renumbered_article(review):
    impact = citation_status(review, "第四十一条第一款")
    assert (impact.status, impact.new_place, impact.label) == (RENUMBERED, "第八十九条第一款",
                                                               "条号已变更（第八十九条第一款）")
    assert citation_status(review, "第四十二条").label == "条文已废止"
    assert citation_status(review, "") is None
    assert citation_status(review, "第九十九条") is None  # the old version has no such article


def test_a_changed_article_carries_both_texts_for_the_comparison(antitrust):
    impact = citation_status(antitrust, "第一条")
    assert impact.label == "条文已修改"
    assert "保护市场公平竞争" in impact.old_text and impact.old_text != impact.new_text
    assert "鼓励创新" in impact.new_text


# --- publishing a new version -----------------------------------------------------------------------

CITING_ROWS = [
    ROW | {"legal_basis": "《中华人民共和国反垄断法》第二条", "penalty_basis": "《中华人民共和国反垄断法》第一条"},
    ROW | {"legal_basis": "《中华人民共和国反垄断法》第五条", "penalty_basis": "《中华人民共和国行政复议法》第四十二条"},
]


@pytest.fixture
def world(site_tree, departments):
    a, b = departments
    groups = roles.ensure_roles()
    liaisons = {}
    for dept, name in ((a, "liaison_a"), (b, "liaison_b")):
        user = User.objects.create_user(name, password="pw-liaison-2026", department=dept, email=f"{name}@example.gov.cn")
        dept.liaisons.add(user)
        user.groups.add(groups[roles.LIAISONS])
        liaisons[dept.pk] = user
    laws = site_tree[1]
    antitrust = publish_law(laws, a, text("反垄断法_old"))
    review = publish_law(laws, a, text("行政复议法_old"))
    discretion = section(site_tree[0], "discretion")
    # A's standard is 部门内部: nothing of it may reach B (the wall), whatever B is told or shown.
    standard_a = publish_discretion(discretion, a, title="反垄断执法裁量基准", scope=Scope.INTERNAL, rows=CITING_ROWS)
    standard_b = publish_discretion(discretion, b, title="复议告知裁量基准", scope=Scope.PUBLIC, rows=[
        ROW | {"legal_basis": "《中华人民共和国行政复议法》第四十一条", "penalty_basis": "《城市市容和环境卫生管理条例》第三十六条"}])
    return {"home": site_tree[0], "a": a, "b": b, "liaisons": liaisons, "antitrust": antitrust, "review": review,
            "standard_a": standard_a, "standard_b": standard_b}


def publish_version(page, new_text, **fields):
    page = type(page).objects.get(pk=page.pk)
    page.set_text(new_text)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision(log_action=True).publish()
    table.amendment_impacts()  # the scheduler's job
    return page


def statuses(standard) -> dict[str, str]:
    return {f"{i.citation_text}": i.status_label
            for i in CitationImpact.objects.filter(citing_page_id=standard.pk)}


def test_publishing_new_versions_flags_exactly_the_changed_renumbered_and_repealed_citations(world):
    publish_version(world["antitrust"], text("反垄断法_new"))
    publish_version(world["review"], text("行政复议法_new"))
    assert statuses(world["standard_a"]) == {
        "《中华人民共和国反垄断法》第一条": "条文已修改",
        "《中华人民共和国反垄断法》第五条": "条号已变更（第六条）",
        "《中华人民共和国行政复议法》第四十二条": "条文已废止",
    }
    assert statuses(world["standard_b"]) == {"《中华人民共和国行政复议法》第四十一条": "条号已变更（第八十九条）"}
    # The unchanged 第二条 is in the citation index, and has no impact: its absence above means something.
    assert Citation.objects.filter(citing_page_id=world["standard_a"].pk, cited_place="第二条").count() == 1
    # One notification per owning department per new version: 反垄断法 concerns A only, 行政复议法 A and B.
    sent = Notification.objects.filter(subject__startswith="【法规更新】")
    assert sorted((n.recipient.username, "反垄断法" in n.subject) for n in sent) == [
        ("liaison_a", False), ("liaison_a", True), ("liaison_b", False)]
    to_b = sent.get(recipient=world["liaisons"][world["b"].pk])
    assert "复议告知裁量基准" in to_b.message and "反垄断执法裁量基准" not in to_b.message
    assert "修改前" in to_b.message and "外国人、无国籍人、外国组织" in to_b.message


def test_republishing_the_same_text_records_no_amendment(world):
    publish_version(world["antitrust"], text("反垄断法_old"))
    assert not Amendment.objects.exists()


def test_a_renumbered_citation_is_updated_in_one_action_that_saves_a_revision(world, client):
    publish_version(world["review"], text("行政复议法_new"))
    impact = CitationImpact.objects.get(citing_page_id=world["standard_b"].pk)
    editor = User.objects.create_superuser("editor_b", "e@example.gov.cn", "pw-editor-2026", department=world["b"])
    before = world["standard_b"].revisions.count()
    client.force_login(editor)  # the one action: the 更新为第八十九条 button of the 法规更新 page
    answer = client.post(reverse("amendments_admin:update", args=[impact.pk]), follow=True).content.decode()
    assert "已在该文件的新修订版本中更新引用的条号" in answer
    assert world["standard_b"].revisions.count() == before + 1
    revision = world["standard_b"].revisions.order_by("-pk").first()
    draft = revision.as_object()
    assert draft.rows[0].value["legal_basis"] == "《中华人民共和国行政复议法》第八十九条"
    live = DiscretionStandardPage.objects.get(pk=world["standard_b"].pk)
    assert live.rows[0].value["legal_basis"] == "《中华人民共和国行政复议法》第四十一条"  # not published by it
    impact.refresh_from_db()
    assert (impact.state, impact.revision_id) == (CitationImpact.State.UPDATED, revision.pk)


def test_a_changed_citation_stays_flagged_until_reviewed_with_a_note(world):
    publish_version(world["antitrust"], text("反垄断法_new"))
    impact = CitationImpact.objects.get(citing_page_id=world["standard_a"].pk, status=CHANGED)
    editor = User.objects.create_superuser("editor_a", "a@example.gov.cn", "pw-editor-2026", department=world["a"])
    with pytest.raises(services.AmendmentError, match="请填写审核说明"):
        services.mark_reviewed(impact, editor, "  ")
    impact.refresh_from_db()
    assert impact.state == CitationImpact.State.OPEN
    with pytest.raises(services.AmendmentError, match="只有条号已变更"):
        services.apply_renumbering(impact, editor)
    services.mark_reviewed(impact, editor, "裁量基准第1项处罚依据经核对仍适用")
    impact.refresh_from_db()
    assert (impact.state, impact.note) == (CitationImpact.State.REVIEWED, "裁量基准第1项处罚依据经核对仍适用")


def test_a_law_repealed_as_a_whole_flags_every_citation_of_it(world):
    publish_version(world["review"], text("行政复议法_old"), abolished_date=datetime.date(2026, 1, 1))
    assert statuses(world["standard_b"]) == {"《中华人民共和国行政复议法》第四十一条": "条文已废止"}
    assert statuses(world["standard_a"]) == {"《中华人民共和国行政复议法》第四十二条": "条文已废止"}
    assert Citation.objects.filter(citing_page_id=world["standard_a"].pk).count() == 4


def test_a_workflow_step_citing_a_renumbered_article_is_a_citing_place_updated_in_its_step(world, client):
    step = {"name": "告知复议权利", "department": world["a"], "time_limit_days": 1,
            "basis": "涉外当事人适用《中华人民共和国行政复议法》第四十一条"}
    flow = publish_workflow(section(world["home"], "workflows"), world["a"],
                            title="行政复议告知流程", steps=[{"name": "立案", "basis": ""}, step])
    row = Citation.objects.get(citing_page_id=flow.pk)
    assert (row.place, row.place_label, row.cited_place) == ("step-2", "第2环节 依据", "第四十一条")
    publish_version(world["review"], text("行政复议法_new"))
    impact = CitationImpact.objects.get(citing_page_id=flow.pk)
    assert (impact.status_label, impact.department_id) == ("条号已变更（第八十九条）", world["a"].pk)
    client.force_login(world["liaisons"][world["a"].pk])
    shown = client.get(flow.url).content.decode()
    # The staff notice, and the step's 依据 links the cited law (the citation rendering of the other page types).
    assert "法规更新提示" in shown and f'href="{world["review"].url}#' in shown
    editor = User.objects.create_superuser("editor_w", "w@example.gov.cn", "pw-editor-2026", department=world["a"])
    revision = services.apply_renumbering(impact, editor)
    assert revision.as_object().steps[1].value["basis"] == "涉外当事人适用《中华人民共和国行政复议法》第八十九条"


def test_publishing_a_new_version_shares_its_update_on_the_owning_departments_sharing_clock(world):
    today = timezone.localdate()
    # 反垄断法's editor dated the 更新情况 (信息形成日期 moved forward): 2026-11-02, due 2026-11-09, shared today.
    publish_version(world["antitrust"], text("反垄断法_new"), formed_date=datetime.date(2026, 11, 2))
    publish_version(world["review"], text("行政复议法_new"))  # not dated: formed the day its new version was begun
    report = deadlines.department_deadline_report(world["a"], today=today)
    updates = {row.page.pk: row for row in report.rows if row.what == deadlines.UPDATE}
    late, on_time = updates[world["antitrust"].pk], updates[world["review"].pk]
    assert (late.formed, late.due, late.shared, late.status) == (
        datetime.date(2026, 11, 2), datetime.date(2026, 11, 9), today, deadlines.LATE)
    assert (on_time.formed, on_time.shared, on_time.status) == (today, today, deadlines.ON_TIME)
    assert on_time.title_suffix == f"（更新情况 {today:%Y-%m-%d}）"
    # Each law is on the clock once as itself and once per new version; B shares nothing of A's laws.
    assert [row.page.pk for row in report.rows].count(world["review"].pk) == 2
    assert not [row for row in deadlines.department_deadline_report(world["b"], today=today).rows if row.what]


def test_the_liaisons_daily_reminder_lists_their_departments_citations_still_to_handle(world):
    publish_version(world["review"], text("行政复议法_new"))
    liaison_b = world["liaisons"][world["b"].pk]
    assert "法规更新待处理的引用 2 处" in table.remind_deadlines()  # the scheduler's daily job: one for A, one for B
    to_b = Notification.objects.get(kind=Notification.Kind.REMINDER, recipient=liaison_b)
    assert to_b.subject.endswith("法规更新待处理 1 处")
    assert "复议告知裁量基准" in to_b.message and "条号已变更（第八十九条）" in to_b.message
    assert "反垄断执法裁量基准" not in to_b.message  # A's 部门内部 standard
    assert [m.to for m in OutgoingMail.objects.filter(subject=to_b.subject)] == [[liaison_b.email]]
    services.mark_reviewed(CitationImpact.objects.get(citing_page_id=world["standard_b"].pk), liaison_b, "已核对")
    Notification.objects.all().delete()
    table.remind_deadlines()
    assert not Notification.objects.filter(recipient=liaison_b).exists()  # nothing left to tell B


def test_a_liaison_opens_the_notification_from_the_dashboard_and_no_one_else_can(world, client):
    publish_version(world["review"], text("行政复议法_new"))
    liaison_b = world["liaisons"][world["b"].pk]
    notification = Notification.objects.get(recipient=liaison_b)
    url = reverse("staff_notification", args=[notification.pk])
    client.force_login(liaison_b)
    assert url in client.get(reverse("staff_dashboard")).content.decode()
    shown = client.get(url).content.decode()
    assert "复议告知裁量基准" in shown and "外国人、无国籍人、外国组织" in shown and "修改后（第八十九条）" in shown
    notification.refresh_from_db()
    assert notification.read_at is not None
    client.force_login(world["liaisons"][world["a"].pk])
    assert client.get(url).status_code == 404


def test_a_new_version_of_another_departments_internal_law_tells_no_one_outside_it(world, client):
    RegulationPage.objects.filter(pk=world["antitrust"].pk).update(scope=Scope.INTERNAL)  # A's 部门内部 text
    theirs = publish_discretion(section(world["home"], "discretion"), world["b"], title="乙部门引用基准",
                                scope=Scope.PUBLIC, rows=[ROW | {"legal_basis": "《中华人民共和国反垄断法》第一条"}])
    publish_version(world["antitrust"], text("反垄断法_new"))
    assert CitationImpact.objects.get(citing_page_id=theirs.pk).department_id == world["b"].pk
    liaison_b = world["liaisons"][world["b"].pk]
    assert Notification.objects.filter(recipient=world["liaisons"][world["a"].pk]).count() == 1
    table.remind_deadlines()
    assert not Notification.objects.filter(recipient=liaison_b).exists()  # neither told nor reminded
    client.force_login(liaison_b)
    assert "法规更新提示" not in client.get(theirs.url).content.decode()
    assert "反垄断法" not in client.get(reverse("amendments_admin:index")).content.decode()


# --- the 法规更新 page and the staff notice ------------------------------------------------------------

def test_the_amendments_page_shows_each_department_only_its_own_impacts(world, client):
    publish_version(world["review"], text("行政复议法_new"))
    amendment = Amendment.objects.get()
    client.force_login(world["liaisons"][world["b"].pk])
    listing = client.get(reverse("amendments_admin:index")).content.decode()
    assert "中华人民共和国行政复议法" in listing
    page = client.get(reverse("amendments_admin:detail", args=[amendment.pk])).content.decode()
    assert "复议告知裁量基准" in page and "反垄断执法裁量基准" not in page
    assert "条号已变更（第八十九条）" in page and "外国人、无国籍人、外国组织" in page
    assert "<p>外国人、无国籍人、外国组织" in page and "&lt;p&gt;" not in page  # the 对照 as markup, not escaped
    # A's impact (a 部门内部 standard) cannot be opened, reviewed or updated by B: 404, nothing changed.
    theirs = CitationImpact.objects.get(citing_page_id=world["standard_a"].pk)
    for name in ("review", "update"):
        answer = client.post(reverse(f"amendments_admin:{name}", args=[theirs.pk]), {"note": "越权"})
        assert answer.status_code == 404 and "反垄断执法裁量基准" not in answer.content.decode()
    theirs.refresh_from_db()
    assert theirs.state == CitationImpact.State.OPEN
    # Nor does its page (with the staff notice) open for B.
    assert client.get(world["standard_a"].url).status_code in (403, 404)


def test_a_liaison_marks_an_impact_reviewed_from_the_page_and_an_empty_note_changes_nothing(world, client):
    publish_version(world["review"], text("行政复议法_new"))
    impact = CitationImpact.objects.get(citing_page_id=world["standard_a"].pk)
    other = world["liaisons"][world["b"].pk]
    with pytest.raises(services.AmendmentError, match="无权"):
        services.mark_reviewed(impact, other, "不是本部门的文件")
    client.force_login(world["liaisons"][world["a"].pk])
    url = reverse("amendments_admin:review", args=[impact.pk])
    answer = client.post(url, {"note": ""}, follow=True).content.decode()
    assert "请填写审核说明" in answer
    impact.refresh_from_db()
    assert impact.state == CitationImpact.State.OPEN
    client.post(url, {"note": "第四十二条已删除，本基准第2项处罚依据改引第八十九条以外的条文待修订"})
    impact.refresh_from_db()
    assert impact.state == CitationImpact.State.REVIEWED


def test_a_citing_page_shows_staff_a_notice_with_the_comparison_and_the_public_nothing(world, client):
    publish_version(world["review"], text("行政复议法_new"))
    url = world["standard_b"].url
    assert "法规更新提示" not in client.get(url).content.decode()
    client.force_login(world["liaisons"][world["a"].pk])
    shown = client.get(url).content.decode()
    assert "法规更新提示" in shown and "条号已变更（第八十九条）" in shown
    assert f"/archive/versions/{world['review'].pk}/compare/?from=" in shown
