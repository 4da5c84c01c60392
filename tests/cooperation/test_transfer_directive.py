"""The case-transfer rules of 周政办字〔2018〕18号 二（四）3, one test (or two) per obligation.

Each test name ends with the provision it proves. 二（四）3 has two series numbered （1）…: the related
departments' findings (cited 二（四）3（1）…（5）) and the bureau's own findings (the document's anchors
二（四）3（1）-2 …（4）-2, cited 二（四）3 综合行政执法部门发现违法行为（1） and 二（四）3 案件移送的其他情形①);
in the names: ``_二四3_1`` … for the first, ``_二四3_1_2`` and ``_二四3_4_2`` for the second, ``_二四3`` for the
paragraph on the materials (事实清楚、证据齐全).

In this world A is the bureau and B a related department: transfers to the bureau go from B to A.
"""
from datetime import date as D
from datetime import datetime, time

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from cooperation import limits, transfers
from cooperation.models import AssistanceRequest, CaseTransfer, TechnicalAppraisal
from cooperation.states import TransitionError
from jobs import table
from lib.workdays import add_working_days
from portal.models import CategoryIndexPage, LicenceDecisionPage, Scope
from portal.models.enforcement import LicenceDecisionForm, LicenceHeld
from portal.walls.admin_doors import LicenceHeldMiddleware

S = CaseTransfer.Status
PARTY = "周村区某餐饮有限公司"


def to_bureau(world, discovered=D(2026, 3, 10), **kw):
    fields = dict(from_department=world.b, to_department=world.a, title="超出许可范围经营", party=PARTY,
                  facts="检查发现该公司超出许可范围经营。", discovered_date=discovered, today=discovered)
    fields.update(kw)
    return transfers.create_transfer(world.b_clerk, **fields)


def materials(t, world, document, kinds=("letter", "inspection", "evidence")):
    for kind in kinds:
        transfers.add_material(t, world.b_clerk, kind=kind, document=document(kind, world.b_clerk))
    return t


def approve(t, world):
    transfers.submit(t, world.b_clerk)
    transfers.approve(t, world.b_head)
    return t


def sent(world, document, on=D(2026, 3, 11), **kw):
    t = approve(materials(to_bureau(world, **kw), world, document), world)
    transfers.send(t, world.b_clerk, on=on)
    return t


def decided(t, world, outcome="penalty", on=D(2026, 3, 20)):
    transfers.answer(t, world.a_liaison, accept=True, on=t.sent_date)
    transfers.close(t, world.a_liaison, outcome=outcome, result="罚款五千元。", on=on)
    return t


# --- 证据材料 (事实清楚、证据齐全) -------------------------------------------------------------------

def test_sending_without_evidence_is_refused_and_changes_nothing_二四3(world, document):
    t = approve(materials(to_bureau(world), world, document, kinds=("letter", "inspection")), world)
    with pytest.raises(TransitionError, match="证据材料.*事实清楚、证据齐全"):
        transfers.send(t, world.b_clerk, on=D(2026, 3, 11))
    t.refresh_from_db()
    assert t.status == S.APPROVED and t.sent_date is None
    transfers.add_material(t, world.b_clerk, kind="evidence", document=document("照片", world.b_clerk))
    transfers.send(t, world.b_clerk, on=D(2026, 3, 11))
    assert t.status == S.SENT


# --- the 2 working days and the 特殊情况 extension (二（四）3（1）) ---------------------------------------

def test_extended_transfer_sent_within_its_extension_is_not_late_二四3_1(world, document):
    t = to_bureau(world, licence_breach=True)
    assert t.transfer_due == D(2026, 3, 12)
    transfers.extend_transfer_limit(t, world.b_clerk, days=3, reason="需等待当事人提交许可档案原件。", on=D(2026, 3, 11))
    assert t.extended_due == add_working_days(D(2026, 3, 12), 3) == D(2026, 3, 17)
    assert "需等待当事人提交许可档案原件" in t.events.get(action="extend").note
    transfers.record_rectification(t, world.b_clerk, notified=D(2026, 3, 10), content="限期整改。", on=D(2026, 3, 11))
    approve(materials(t, world, document), world)
    transfers.send(t, world.b_clerk, on=D(2026, 3, 16))
    assert t.send_status(D(2026, 3, 20)) == "on_time"
    assert "在延长后的应移送日期2026-03-17内移送" in t.events.get(action="send").note


def test_extension_past_its_new_date_is_late_and_a_second_one_refused_二四3_1(world, document):
    t = to_bureau(world, licence_breach=True)
    transfers.extend_transfer_limit(t, world.b_clerk, days=1, reason="鉴定人员外出。", on=D(2026, 3, 12))
    with pytest.raises(TransitionError, match="不能再次延长"):
        transfers.extend_transfer_limit(t, world.b_clerk, days=1, reason="再等等。", on=D(2026, 3, 12))
    assert t.send_status(D(2026, 3, 16)) == "overdue"


@pytest.mark.parametrize("kw, error", [
    ({"days": 2, "reason": "   "}, "特殊情况"),
    ({"days": 0, "reason": "理由"}, "1至10个工作日"),
    ({"days": 2, "reason": "理由", "on": D(2026, 3, 13)}, "原定应移送日期2026-03-12已过"),
])
def test_extension_needs_a_reason_a_bound_and_time_left_二四3_1(world, kw, error):
    t = to_bureau(world, licence_breach=True)
    with pytest.raises(TransitionError, match=error):
        transfers.extend_transfer_limit(t, world.b_clerk, **{"on": D(2026, 3, 11), **kw})
    t.refresh_from_db()
    assert t.extension_days is None and t.extended_due is None


def test_only_a_licensed_partys_breach_may_be_extended_二四3_1(world):
    t = to_bureau(world)
    with pytest.raises(TransitionError, match="其他移送应在2个工作日内完成"):
        transfers.extend_transfer_limit(t, world.b_clerk, days=2, reason="理由", on=D(2026, 3, 11))


# --- 通知当事人整改 (二（四）3（1）) ------------------------------------------------------------------

def test_licence_breach_needs_a_recorded_rectification_notice_before_sending_二四3_1(world, document):
    t = approve(materials(to_bureau(world, licence_breach=True), world, document), world)
    with pytest.raises(TransitionError, match="应当通知当事人整改"):
        transfers.send(t, world.b_clerk, on=D(2026, 3, 11))
    with pytest.raises(TransitionError, match="内容"):
        transfers.record_rectification(t, world.b_clerk, notified=D(2026, 3, 10), content=" ", on=D(2026, 3, 11))
    transfers.record_rectification(t, world.b_clerk, notified=D(2026, 3, 10),
                                   content="责令3日内停止超范围经营。", on=D(2026, 3, 11))
    assert (t.rectification_date, t.rectification_content) == (D(2026, 3, 10), "责令3日内停止超范围经营。")
    transfers.send(t, world.b_clerk, on=D(2026, 3, 11))
    assert t.status == S.SENT


# --- 鉴定、检测 (二（四）3（3）) -----------------------------------------------------------------------

def test_appraisal_by_a_qualified_body_is_concluded_then_handed_to_the_bureau_二四3_3(world, document):
    t = approve(materials(to_bureau(world), world, document, kinds=("letter", "inspection")), world)
    with pytest.raises(TransitionError, match="资质"):
        transfers.commission_appraisal(t, world.b_clerk, kind="testing", items="油烟排放浓度", institution="某检测公司",
                                       qualification="", commissioned=D(2026, 3, 10), on=D(2026, 3, 11))
    appraisal = transfers.commission_appraisal(
        t, world.b_clerk, kind="testing", items="油烟排放浓度", institution="某检测公司",
        qualification="检验检测机构资质认定证书 编号（演示）", commissioned=D(2026, 3, 10), on=D(2026, 3, 11))
    with pytest.raises(TransitionError, match="尚未作出结论"):
        transfers.send(t, world.b_clerk, on=D(2026, 3, 11))
    transfers.record_appraisal_conclusion(appraisal, world.b_clerk, conclusion="排放浓度超标。", concluded=D(2026, 3, 11),
                                          document=document("检测报告", world.b_clerk), on=D(2026, 3, 11))
    transfers.send(t, world.b_clerk, on=D(2026, 3, 11))  # the report is the evidence
    appraisal = TechnicalAppraisal.objects.get(pk=appraisal.pk)
    assert appraisal.handed_over_date == D(2026, 3, 11) and t.status == S.SENT
    assert "随案移交鉴定、检测结论1份" in t.events.get(action="send").note


def test_the_bureau_does_not_commission_a_related_departments_appraisal_二四3_3(world):
    t = transfers.create_transfer(world.a_clerk, from_department=world.a, to_department=world.b, title="x",
                                  facts="y", discovered_date=D(2026, 3, 10), today=D(2026, 3, 10))
    with pytest.raises(TransitionError, match="相关行政管理部门委托"):
        transfers.commission_appraisal(t, world.a_clerk, kind="appraisal", items="z", institution="某机构",
                                       qualification="资质", commissioned=D(2026, 3, 10), on=D(2026, 3, 10))
    assert not t.appraisals.exists()


# --- the licence hold and the 抄告 clock (二（四）3（4）) -------------------------------------------------

@pytest.fixture
def decisions(world, module_site_tree):
    home, _laws = module_site_tree
    section = CategoryIndexPage(title="行政许可", slug="licences", section="decisions")
    home.add_child(instance=section)
    return section


def licence(world, section, applicant=f" {PARTY} ", kind="licence"):
    page = LicenceDecisionPage(title="食品经营许可决定", slug="licence-test", department=world.b, scope=Scope.PUBLIC,
                               formed_date=D(2026, 3, 12), applicant=applicant, matter="食品经营许可",
                               decision_kind=kind, live=False)
    section.add_child(instance=page)
    return page


def test_no_licence_for_a_party_while_its_transfer_is_open_二四3_4(world, document, decisions):
    t = sent(world, document)
    message = LicenceDecisionPage.hold_message(world.b, "licence", PARTY)
    assert "不得为当事人办理行政许可手续（二（四）3（4））" in message and t.number in message
    page = licence(world, decisions)
    with pytest.raises(ValidationError, match="二（四）3（4）"):
        page.save_revision().publish()
    assert not LicenceDecisionPage.objects.get(pk=page.pk).live
    # 备案 is not a licence; another department's licences and other parties are not held.
    assert LicenceDecisionPage.hold_message(world.b, "filing", PARTY) == ""
    assert LicenceDecisionPage.hold_message(world.police, "licence", PARTY) == ""
    assert LicenceDecisionPage.hold_message(world.b, "licence", "周村区另一公司") == ""


def test_licence_form_refuses_publishing_but_keeps_a_draft_二四3_4(world, document, decisions):
    sent(world, document)
    page = licence(world, decisions)
    data = {"title": page.title, "slug": page.slug, "department": world.b.pk, "scope": Scope.PUBLIC,
            "formed_date": "2026-03-12", "applicant": PARTY, "matter": "食品经营许可", "decision_kind": "licence"}
    form_class = LicenceDecisionPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, LicenceDecisionForm)
    form = form_class(data, instance=page, parent_page=decisions, for_user=world.b_clerk)
    assert not form.is_valid()
    assert "二（四）3（4）" in " ".join(form.errors["applicant"])
    draft = form_class(data, instance=page, parent_page=decisions, for_user=world.b_clerk)
    draft.defer_required_fields()
    assert "applicant" not in (draft.errors if not draft.is_valid() else {})


def test_licence_goes_through_after_the_bureaus_decision_二四3_4(world, document, decisions):
    t = sent(world, document)
    decided(t, world)
    assert LicenceDecisionPage.hold_message(world.b, "licence", PARTY) == ""
    page = licence(world, decisions)
    page.save_revision().publish()
    assert LicenceDecisionPage.objects.get(pk=page.pk).live


def test_a_scheduled_licence_held_by_a_transfer_is_postponed_and_the_others_still_go_live_二四3_4(
        world, document, decisions):
    sent(world, document)
    held = licence(world, decisions)
    free = LicenceDecisionPage(title="另一许可决定", slug="licence-free", department=world.b, scope=Scope.PUBLIC,
                               formed_date=D(2026, 3, 12), applicant="周村区另一公司", matter="食品经营许可",
                               decision_kind="licence", live=False)
    decisions.add_child(instance=free)
    due = timezone.now() - timezone.timedelta(minutes=5)
    for page in (held, free):
        revision = page.save_revision(approved_go_live_at=due)
        revision.approved_go_live_at = due
        revision.save(update_fields=["approved_go_live_at"])
    cancelled = PageLogEntry.objects.filter(page=held, action="wagtail.schedule.cancel").count()
    result = table.publish_scheduled()
    assert "暂缓 1 项" in result and "《食品经营许可决定》" in result and "二（四）3（4）" in result
    assert not LicenceDecisionPage.objects.get(pk=held.pk).live
    assert LicenceDecisionPage.objects.get(pk=free.pk).live
    assert not held.revisions.filter(approved_go_live_at__isnull=False).exists()  # unscheduled, kept
    entries = PageLogEntry.objects.filter(page=held, action="wagtail.schedule.cancel").order_by("pk")
    assert entries.count() > cancelled  # the page's history says its scheduled publish was cancelled
    assert entries.last().data["revision"]["go_live_at"] == due.isoformat()
    assert "暂缓" not in table.publish_scheduled()  # the next round does not stop at it again


def test_an_admin_action_stopped_by_the_hold_shows_its_reason_on_the_edit_screen_二四3_4(
        world, document, decisions):
    sent(world, document)
    page = licence(world, decisions)
    with pytest.raises(LicenceHeld) as refused:
        page.save_revision().publish()
    request = RequestFactory().post(f"/admin/pages/{page.pk}/workflow/action/approve/1/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    middleware = LicenceHeldMiddleware(lambda r: None)
    response = middleware.process_exception(request, refused.value)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert [str(m) for m in request._messages] == [f"未能发布：{refused.value.text}"]
    assert "二（四）3（4）" in refused.value.text
    outside = RequestFactory().post("/staff/")
    assert middleware.process_exception(outside, refused.value) is None
    assert middleware.process_exception(request, ValueError("x")) is None


def test_penalty_decision_is_due_to_the_department_in_two_working_days_二四3_4(world, document):
    t = decided(sent(world, document), world, on=D(2026, 3, 20))  # a Friday
    assert t.penalty_notice_due == limits.penalty_notice_deadline(D(2026, 3, 20)) == D(2026, 3, 24)
    assert t.penalty_notice_status(D(2026, 3, 25)) == "overdue"
    for user in (world.a_liaison, world.b_clerk):  # both sides see the row, overdue
        rows = transfers.penalty_notice_rows(user, D(2026, 3, 25))
        assert [(r["transfer"].pk, r["status"]) for r in rows] == [(t.pk, "overdue")]
    assert transfers.penalty_notice_rows(world.police_liaison, D(2026, 3, 25)) == []
    with pytest.raises(TransitionError, match="分管领导或信息联络员"):
        transfers.notify_penalty(t, world.b_clerk, notice="周综执罚决字〔2026〕1号", on=D(2026, 3, 23))
    transfers.notify_penalty(t, world.a_liaison, notice="周综执罚决字〔2026〕1号，罚款五千元。", on=D(2026, 3, 23))
    assert t.penalty_notice_status(D(2026, 3, 25)) == "on_time"


def test_no_notice_clock_without_a_penalty_二四3_4(world, document):
    t = decided(sent(world, document), world, outcome="no_penalty")
    assert t.penalty_notice_due is None and t.penalty_notice_status(D(2026, 4, 1)) == ""


# --- 重大安全隐患 (二（四）3（5）) ------------------------------------------------------------------------

def test_major_hazard_needs_the_bureaus_recorded_arrival_二四3_5(world, document):
    t = to_bureau(world, major_hazard=True)
    assert "第一时间到达现场" in t.events.get(action="create").note
    assert "arrive" in transfers.transfer_actions(t, world.a_clerk)  # already while the draft is written
    assert "arrive" not in transfers.transfer_actions(t, world.b_clerk)
    approve(materials(t, world, document), world)
    transfers.send(t, world.b_clerk, on=D(2026, 3, 10))
    transfers.answer(t, world.a_liaison, accept=True, on=D(2026, 3, 10))
    with pytest.raises(TransitionError, match="到达现场"):
        transfers.close(t, world.a_liaison, outcome="penalty", result="罚款。", on=D(2026, 3, 12))
    arrived = timezone.make_aware(datetime.combine(D(2026, 3, 10), time(10, 25)))
    with pytest.raises(TransitionError, match="综合行政执法部门登记"):
        transfers.record_arrival(t, world.b_clerk, arrived_at=arrived, measures="责令停止。")
    transfers.record_arrival(t, world.a_clerk, arrived_at=arrived, measures="责令立即停止使用液化气罐，现场查封。")
    assert t.arrived_at == arrived and "10:25到达现场" in t.events.get(action="arrive").note
    transfers.close(t, world.a_liaison, outcome="penalty", result="罚款。", on=D(2026, 3, 12))
    assert t.status == S.CLOSED


# --- 历史遗留问题 (二（四）3 案件移送的其他情形①) -------------------------------------------------------------

def test_historical_issue_needs_a_recorded_consultation_before_sending_二四3_4_2(world, document):
    t = approve(materials(to_bureau(world, historical_issue=True), world, document), world)
    with pytest.raises(TransitionError, match="充分协商"):
        transfers.send(t, world.b_clerk, on=D(2026, 3, 11))
    with pytest.raises(TransitionError, match="协商结果"):
        transfers.record_consultation(t, world.b_clerk, held=D(2026, 3, 11), parties="双方", result="",
                                      on=D(2026, 3, 11))
    transfers.record_consultation(t, world.b_clerk, held=D(2026, 3, 11), parties="区住建局、区综合行政执法局",
                                  result="按2018年以前建成的建筑处理，移送执法局调查。", on=D(2026, 3, 11))
    transfers.send(t, world.b_clerk, on=D(2026, 3, 11))
    assert t.status == S.SENT and t.consultation_date == D(2026, 3, 11)


# --- 配合取证、认定、鉴定 (二（四）3 综合行政执法部门发现违法行为（1）) ---------------------------------------------

def assistance(world, received=D(2026, 3, 10)):
    return transfers.request_assistance(world.a_clerk, bureau=world.a, department=world.b, kind="determination",
                                        subject="某工地违法建设", details="请认定该建筑是否取得规划许可。",
                                        received_date=received)


def test_assistance_due_in_two_working_days_二四3_1_2(world):
    req = assistance(world, received=D(2026, 4, 30))  # before 劳动节 (05-01..05-05)
    assert req.due_date == D(2026, 5, 7) == limits.assistance_deadline(D(2026, 4, 30))
    assert req.deadline_key(D(2026, 5, 8)) == "overdue"
    with pytest.raises(TransitionError, match="真实性、准确性"):
        transfers.answer_assistance(req, world.b_liaison, opinion="未取得规划许可。", on=D(2026, 5, 6))
    transfers.answer_assistance(req, world.b_liaison, opinion="未取得规划许可。", vouched=True, on=D(2026, 5, 6))
    assert req.status == AssistanceRequest.Status.ANSWERED and req.deadline_key(D(2026, 5, 8)) == "on_time"


def test_assistance_delay_is_told_in_advance_with_its_reason_二四3_1_2(world):
    req = assistance(world)
    assert req.due_date == D(2026, 3, 12)
    with pytest.raises(TransitionError, match="应当事先告知"):
        transfers.notify_assistance_delay(req, world.b_liaison, reason="档案在市局。", new_due=D(2026, 3, 18),
                                          on=D(2026, 3, 13))
    req.refresh_from_db()
    assert req.status == AssistanceRequest.Status.SUBMITTED and req.delayed_due is None
    transfers.notify_assistance_delay(req, world.b_liaison, reason="档案在市局。", new_due=D(2026, 3, 18),
                                      on=D(2026, 3, 12))
    assert req.status == AssistanceRequest.Status.DELAYED and req.deadline_key(D(2026, 3, 16)) == "pending"
    transfers.answer_assistance(req, world.b_liaison, opinion="意见。", vouched=True, on=D(2026, 3, 18))
    assert req.deadline_key(D(2026, 3, 20)) == "on_time"


def test_only_the_bureau_asks_and_only_the_department_answers_二四3_1_2(world):
    with pytest.raises(TransitionError, match="综合行政执法部门"):
        transfers.request_assistance(world.b_clerk, bureau=world.b, department=world.a, kind="evidence",
                                     subject="x", details="y", received_date=D(2026, 3, 10))
    req = assistance(world)
    with pytest.raises(TransitionError, match="住建局|住房"):
        transfers.answer_assistance(req, world.a_liaison, opinion="意见。", vouched=True, on=D(2026, 3, 11))
    assert transfers.assistance_actions(req, world.b_liaison) == ["delay", "answer"]
    assert transfers.assistance_actions(req, world.a_clerk) == []


# --- the admin screens ------------------------------------------------------------------------------

def test_assistance_screens_take_the_request_the_delay_and_the_opinion_二四3_1_2(client, world):
    client.force_login(world.a_clerk)
    response = client.post(reverse("cooperation_admin:assistance_add"), {
        "bureau": world.a.pk, "department": world.b.pk, "kind": "evidence", "subject": "某工地违法建设",
        "details": "请提供该工地的施工许可档案。", "received_date": "2026-03-10"})
    req = AssistanceRequest.objects.get()
    assert response.status_code == 302 and req.due_date == D(2026, 3, 12)
    client.force_login(world.b_liaison)
    page = client.get(reverse("cooperation_admin:assistance_detail", args=[req.pk])).content.decode()
    assert "2026-03-12前（2个工作日内，二（四）3 综合行政执法部门发现违法行为（1））" in page and "告知延期" in page
    url = reverse("cooperation_admin:assistance_action", args=[req.pk, "answer"])
    refused = client.post(url, {"opinion": "已提供。"}).content.decode()
    assert "真实性、准确性" in refused
    req.refresh_from_db()
    assert req.status == AssistanceRequest.Status.SUBMITTED
    assert client.post(url, {"opinion": "已提供。", "vouched": "on"}).status_code == 302
    req.refresh_from_db()
    assert req.status == AssistanceRequest.Status.ANSWERED and req.answered_by == world.b_liaison


def test_notice_clock_page_flags_the_overdue_notice_for_both_sides_二四3_4(client, world, document):
    t = decided(sent(world, document), world, on=D(2026, 3, 20))
    for user in (world.a_liaison, world.b_clerk):
        client.force_login(user)
        page = client.get(reverse("cooperation_admin:penalty_notice_index")).content.decode()
        assert t.number in page and "coop-deadline--overdue" in page and "未抄告" in page
        detail = client.get(reverse("cooperation_admin:transfer_detail", args=[t.pk])).content.decode()
        assert "2026-03-24前抄告" in detail
    client.force_login(world.police_liaison)
    assert t.number not in client.get(reverse("cooperation_admin:penalty_notice_index")).content.decode()


def test_transfer_page_shows_what_blocks_sending_二四3_1(client, world, document):
    t = to_bureau(world, licence_breach=True, historical_issue=True, major_hazard=True)
    client.force_login(world.b_clerk)
    page = client.get(reverse("cooperation_admin:transfer_detail", args=[t.pk])).content.decode()
    assert "应当通知当事人整改" in page and "充分协商" in page and "第一时间到达现场" in page
    for action in ("rectify", "extend", "consult", "appraise"):
        assert reverse("cooperation_admin:transfer_action", args=[t.pk, action]) in page
    response = client.post(reverse("cooperation_admin:transfer_action", args=[t.pk, "extend"]),
                           {"days": "2", "reason": ""})
    assert "请说明需要延长时间的特殊情况" in response.content.decode()
    t.refresh_from_db()
    assert t.extension_days is None
