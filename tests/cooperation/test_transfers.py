"""案件移送: approval, mandatory materials, limits across holidays, the single written answer, disputes, crimes."""
from datetime import date as D

import pytest

from cooperation import transfers
from cooperation.models import CaseTransfer, TransferEvent, TransferMaterial
from cooperation.states import TransitionError
from lib.workdays import acceptance_reply_deadline, transfer_deadline

S = CaseTransfer.Status


def draft(world, discovered=D(2026, 3, 10), **kw):
    fields = dict(from_department=world.a, to_department=world.b, title="楼顶违法搭建", facts="发现楼顶新建彩钢房。",
                  discovered_date=discovered, today=discovered)
    fields.update(kw)
    return transfers.create_transfer(world.a_clerk, **fields)


def with_materials(t, world, document, kinds=("letter", "inspection", "evidence")):
    for kind in kinds:
        transfers.add_material(t, world.a_clerk, kind=kind, document=document(kind))
    return t


def approved(world, document, **kw):
    t = with_materials(draft(world, **kw), world, document)
    transfers.submit(t, world.a_clerk)
    transfers.approve(t, world.a_head)
    return t


def sent(world, document, on=D(2026, 3, 11), **kw):
    t = approved(world, document, **kw)
    transfers.send(t, world.a_clerk, on=on)
    return t


# --- limits on the working-day calendar ------------------------------------------------------------

def test_transfer_discovered_before_national_day_is_due_after_the_holiday(world):
    t = draft(world, discovered=D(2025, 9, 30))
    assert transfer_deadline(D(2025, 9, 30)) == D(2025, 10, 10)
    assert t.transfer_due == D(2025, 10, 10)
    assert t.send_status(D(2025, 10, 8)) == "pending"  # the holiday is not counted
    assert t.send_status(D(2025, 10, 11)) == "overdue"


def test_answer_is_due_five_working_days_after_receipt_across_may_day(world, document):
    t = sent(world, document, discovered=D(2026, 4, 28), on=D(2026, 4, 29))
    assert t.answer_due == acceptance_reply_deadline(D(2026, 4, 29))
    assert t.answer_due > D(2026, 5, 5)  # 劳动节 5-01..5-05 is not counted
    transfers.answer(t, world.b_liaison, accept=True, on=t.answer_due)
    assert t.answer_status(D(2026, 6, 1)) == "on_time"


def test_late_sending_is_allowed_but_recorded_late(world, document):
    t = sent(world, document, discovered=D(2026, 3, 10), on=D(2026, 3, 16))
    assert t.status == S.SENT
    assert t.send_status(D(2026, 3, 20)) == "late"
    assert "超过应移送日期2026-03-12" in t.events.get(action="send").note


# --- approval --------------------------------------------------------------------------------------

def test_only_the_sending_departments_head_approves(world, document):
    t = with_materials(draft(world), world, document)
    transfers.submit(t, world.a_clerk)
    for other in (world.a_liaison, world.a_clerk, world.b_head):
        with pytest.raises(TransitionError, match="分管领导"):
            transfers.approve(t, other)
    t.refresh_from_db()
    assert t.status == S.PENDING_APPROVAL and t.approved_by is None
    transfers.approve(t, world.a_head)
    assert t.status == S.APPROVED and t.approved_by == world.a_head


def test_sending_without_approval_is_refused(world, document):
    t = with_materials(draft(world), world, document)
    with pytest.raises(TransitionError, match="当前状态为“草稿”，不能移送"):
        transfers.send(t, world.a_clerk)


def test_head_returns_a_draft_with_a_reason(world, document):
    t = with_materials(draft(world), world, document)
    transfers.submit(t, world.a_clerk)
    with pytest.raises(TransitionError, match="退回修改的理由"):
        transfers.return_for_revision(t, world.a_head, note="")
    transfers.return_for_revision(t, world.a_head, note="补充现场照片。")
    assert t.status == S.DRAFT


def test_other_departments_cannot_draft_in_its_name(world):
    with pytest.raises(TransitionError, match="不是"):
        transfers.create_transfer(world.b_clerk, from_department=world.a, to_department=world.b, title="x",
                                  facts="y", discovered_date=D(2026, 3, 10))


# --- materials --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kinds, missing", [
    ((), "涉嫌违法案件移送函、案源材料（现场检查记录或举报投诉材料）、证据材料"),
    (("letter",), "案源材料"),
    (("inspection", "evidence"), "涉嫌违法案件移送函"),
    (("letter", "evidence", "other"), "案源材料"),
    (("letter", "inspection", "other"), "证据材料"),
])
def test_missing_mandatory_materials_block_sending(world, document, kinds, missing):
    t = with_materials(draft(world), world, document, kinds)
    transfers.submit(t, world.a_clerk)
    transfers.approve(t, world.a_head)
    events = t.events.count()
    with pytest.raises(TransitionError, match=f"缺少必需的移送材料：{missing}"):
        transfers.send(t, world.a_clerk, on=D(2026, 3, 11))
    t.refresh_from_db()
    assert t.status == S.APPROVED and t.sent_date is None and t.events.count() == events


@pytest.mark.parametrize("source", ["inspection", "complaint"])
def test_letter_and_either_source_material_allow_sending(world, document, source):
    t = approved(world, document)
    TransferMaterial.objects.filter(transfer=t, kind="inspection").update(kind=source)
    transfers.send(t, world.a_clerk, on=D(2026, 3, 11))
    assert t.status == S.SENT and t.sent_date == D(2026, 3, 11)


def test_materials_are_removed_only_from_drafts(world, document):
    t = with_materials(draft(world), world, document)
    material = t.materials.first()
    transfers.submit(t, world.a_clerk)
    with pytest.raises(TransitionError, match="删除移送材料"):
        transfers.remove_material(material, world.a_clerk)
    assert TransferMaterial.objects.filter(pk=material.pk).exists()


def test_materials_added_after_sending_are_supplementary(world, document):
    t = sent(world, document)
    transfers.request_materials(t, world.b_liaison, request="补充当事人身份信息", days=3, on=D(2026, 3, 12))
    assert t.materials_due == D(2026, 3, 17)
    m = transfers.add_material(t, world.a_clerk, kind="evidence", document=document("身份信息"), on=D(2026, 3, 13))
    t.refresh_from_db()
    assert m.supplementary and t.materials_supplied_date == D(2026, 3, 13)


# --- the written answer -----------------------------------------------------------------------------

def test_receiver_accepts_in_writing(world, document):
    t = sent(world, document)
    transfers.answer(t, world.b_liaison, accept=True, on=D(2026, 3, 13))
    assert t.status == S.ACCEPTED and t.answered_by == world.b_liaison
    assert t.answer_status(D(2026, 4, 1)) == "on_time"


def test_refusal_without_reasons_is_refused(world, document):
    t = sent(world, document)
    with pytest.raises(TransitionError, match="书面告知移送部门并说明理由"):
        transfers.answer(t, world.b_liaison, accept=False, reasons="  ")
    t.refresh_from_db()
    assert t.status == S.SENT and t.answered_date is None


@pytest.mark.parametrize("first_accept", [True, False])
def test_answering_twice_is_refused(world, document, first_accept):
    t = sent(world, document)
    transfers.answer(t, world.b_liaison, accept=first_accept, reasons="不属于本局职责。", on=D(2026, 3, 13))
    events = t.events.count()
    with pytest.raises(TransitionError, match="不能重复答复"):
        transfers.answer(t, world.b_head, accept=not first_accept, reasons="改变主意", on=D(2026, 3, 14))
    t.refresh_from_db()
    assert t.answered_date == D(2026, 3, 13) and t.answered_by == world.b_liaison
    assert t.status == (S.ACCEPTED if first_accept else S.REJECTED) and t.events.count() == events


@pytest.mark.parametrize("who", ["b_clerk", "a_liaison", "a_head"])
def test_only_the_receivers_head_or_liaison_answers(world, document, who):
    t = sent(world, document)
    with pytest.raises(TransitionError, match="接收部门"):
        transfers.answer(t, getattr(world, who), accept=True)


def test_refused_transfer_goes_to_the_arbiter_and_the_ruling_is_recorded(world, document):
    t = sent(world, document)
    transfers.answer(t, world.b_liaison, accept=False, reasons="属于自然资源部门职责。", on=D(2026, 3, 13))
    with pytest.raises(TransitionError, match="争议一方"):
        transfers.raise_dispute(t, world.a_liaison, kind="duties", arbiter=world.b, reason="职责已划转")
    transfers.raise_dispute(t, world.a_liaison, kind="duties", arbiter=world.bb, reason="职责已划转。")
    assert t.status == S.DISPUTED
    with pytest.raises(TransitionError, match="区编办|测试区委机构编制委员会办公室"):
        transfers.record_ruling(t, world.a_head, ruling="receiver", text="由接收部门管辖")
    transfers.record_ruling(t, world.bb_liaison, ruling="receiver", text="由接收部门依法查处。")
    assert t.status == S.RULED
    transfers.close(t, world.b_liaison, outcome="penalty", result="已责令拆除并罚款。")
    assert t.status == S.CLOSED


# --- suspected crimes --------------------------------------------------------------------------------

def test_suspected_crime_must_go_to_a_judicial_organ(world):
    with pytest.raises(TransitionError, match="司法机关"):
        draft(world, suspected_crime=True)


def test_suspected_crime_is_never_closed_by_a_penalty(world, document):
    t = sent(world, document, to_department=world.police, judicial_organ="police", suspected_crime=True)
    transfers.answer(t, world.police_liaison, accept=True, reasons="已立案侦查。")
    with pytest.raises(TransitionError, match="不得以行政处罚代替移送"):
        transfers.close(t, world.police_liaison, outcome="penalty", result="罚款了事")
    t.refresh_from_db()
    assert t.status == S.ACCEPTED and t.outcome == ""
    transfers.close(t, world.police_liaison, outcome="criminal", result="已移送审查起诉。")
    assert t.status == S.CLOSED


def test_sender_records_the_answer_of_a_judicial_organ_outside_the_portal(world, document):
    t = sent(world, document, to_department=None, judicial_organ="procuratorate", suspected_crime=True)
    with pytest.raises(TransitionError):
        transfers.answer(t, world.b_liaison, accept=True)
    transfers.answer(t, world.a_clerk, accept=True, reasons="检察院书面回复：已受理。")
    assert t.status == S.ACCEPTED
    assert t.events.get(action="accept").note.startswith("登记人民检察院书面答复")


# --- the timeline, for both sides ----------------------------------------------------------------------

def test_every_step_is_on_the_timeline_with_actor_and_department(world, document):
    t = sent(world, document)
    transfers.answer(t, world.b_liaison, accept=False, reasons="不属于本局职责。", on=D(2026, 3, 12))
    steps = list(t.events.values_list("label", "actor__username", "actor_department__code"))
    assert [s[0] for s in steps] == ["起草移送", "添加移送材料", "添加移送材料", "添加移送材料", "提交审批", "审批同意移送",
                                     "移送", "作出不予受理决定"]
    assert steps[5][1:] == ("a_head", "ZFA") and steps[-1][1:] == ("b_liaison", "ZJB")
    assert TransferEvent.objects.get(transfer=t, action="reject").note == "不属于本局职责。"


def test_both_sides_and_the_arbiter_see_the_transfer_others_do_not(world, document):
    t = sent(world, document)
    assert transfers.can_view_transfer(world.a_clerk, t) and transfers.can_view_transfer(world.b_clerk, t)
    assert not transfers.can_view_transfer(world.bb_liaison, t)
    assert not transfers.can_view_transfer(world.outsider, t)
    assert list(transfers.visible_transfers(world.police_liaison)) == []


def test_actions_offered_follow_role_department_and_status(world, document):
    t = approved(world, document)
    assert transfers.transfer_actions(t, world.a_clerk) == ["add_material", "send"]
    assert transfers.transfer_actions(t, world.b_liaison) == []
    transfers.send(t, world.a_clerk, on=D(2026, 3, 11))
    assert set(transfers.transfer_actions(t, world.b_liaison)) == {"request_materials", "accept", "reject"}
    assert transfers.transfer_actions(t, world.b_clerk) == []


def test_refused_transition_leaves_the_callers_object_untouched(world, document):
    t = with_materials(draft(world), world, document)
    with pytest.raises(TransitionError):
        transfers.approve(t, world.a_head)
    assert t.status == S.DRAFT and t.approved_by_id is None
