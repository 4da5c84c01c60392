"""Disputes: 协商 first, then 区编办 and 区政府法制办 jointly, then 区政府 (二（四）3 案件移送的其他情形③; 二（一）)."""
import datetime

import pytest

from cooperation.models import CaseTransfer
from cooperation.states import TransitionError
from coordination import disputes
from coordination.models import CoordinatorOpinion, Dispute

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 2)
S = Dispute.Status


def _dispute(world, kind=Dispute.Kind.JURISDICTION):
    return disputes.raise_dispute(world.a_liaison, department=world.a, parties=[world.b], kind=kind,
                                  title="占道经营处罚归属", facts="双方均认为不属本部门管辖。", on=DAY)


def _consulted(world, kind=Dispute.Kind.JURISDICTION):
    d = _dispute(world, kind)
    disputes.record_consultation(d, world.a_liaison, department=world.a, date=DAY, note="电话协商，未达成一致。",
                                 today=DAY)
    disputes.record_consultation(d, world.b_liaison, department=world.b, date=DAY, note="书面回复，坚持原意见。",
                                 today=DAY)
    return d


def _referred(world, kind=Dispute.Kind.JURISDICTION):
    d = _consulted(world, kind)
    return disputes.refer(d, world.b_liaison, reason="两次协商未果。", on=DAY)


def test_a_referral_needs_the_consultation_of_every_party_first_二四3(world):
    d = _dispute(world)
    disputes.record_consultation(d, world.a_liaison, department=world.a, date=DAY, note="已函商住建局。", today=DAY)
    with pytest.raises(TransitionError, match="应充分协商.*住建局尚未登记协商情况"):
        disputes.refer(d, world.a_liaison, reason="协商未果。", on=DAY)
    d.refresh_from_db()
    assert d.status == S.CONSULTING
    disputes.record_consultation(d, world.b_liaison, department=world.b, date=DAY, note="不同意。", today=DAY)
    disputes.refer(d, world.a_liaison, reason="协商未果。", on=DAY)
    assert Dispute.objects.get(pk=d.pk).status == S.REFERRED


def test_only_a_party_records_its_own_consultation_二四3(world):
    d = _dispute(world)
    with pytest.raises(TransitionError, match="住房和城乡建设局的分管领导"):
        disputes.record_consultation(d, world.a_liaison, department=world.b, date=DAY, note="代为登记", today=DAY)
    with pytest.raises(TransitionError, match="争议一方"):
        disputes.record_consultation(d, world.c_liaison, department=world.c, date=DAY, note="旁观", today=DAY)
    assert not d.consultations.exists()


def test_dispute_goes_to_both_coordinators_jointly_二四3(world):
    d = _referred(world)
    disputes.record_opinion(d, world.bb_liaison, coordinator=world.bb, competent_department=world.a,
                            text="属于划转事项，由执法局管辖。", on=DAY)
    assert Dispute.objects.get(pk=d.pk).status == S.REFERRED  # one coordinator alone decides nothing
    assert Dispute.objects.get(pk=d.pk).competent_department is None
    with pytest.raises(TransitionError, match="不能重复登记"):
        disputes.record_opinion(d, world.bb_liaison, coordinator=world.bb, competent_department=world.a,
                                text="再次认定", on=DAY)
    disputes.record_opinion(d, world.fzb_liaison, coordinator=world.fzb, competent_department=world.a,
                            text="同意区编办意见。", on=DAY)
    d = Dispute.objects.get(pk=d.pk)
    assert (d.status, d.competent_department, d.resolved_date) == (S.DETERMINED, world.a, DAY)


def test_one_coordinator_cannot_speak_for_the_other_二四3(world):
    d = _referred(world)
    with pytest.raises(TransitionError, match="法制办公室的分管领导或信息联络员"):
        disputes.record_opinion(d, world.bb_liaison, coordinator=world.fzb, competent_department=world.a,
                                text="代法制办认定", on=DAY)
    with pytest.raises(TransitionError, match="区编办或区政府法制办"):
        disputes.record_opinion(d, world.a_liaison, coordinator=world.a, competent_department=world.a,
                                text="自行认定", on=DAY)
    assert not CoordinatorOpinion.objects.filter(dispute=d).exists()


def test_no_joint_determination_goes_with_both_proposals_to_the_district_government_二四3(world):
    d = _referred(world)
    disputes.record_opinion(d, world.bb_liaison, coordinator=world.bb, competent_department=world.a, text="执法局",
                            on=DAY)
    disputes.record_opinion(d, world.fzb_liaison, coordinator=world.fzb, competent_department=world.b, text="住建局",
                            on=DAY)
    assert Dispute.objects.get(pk=d.pk).status == S.PROPOSING  # 无法认定
    with pytest.raises(TransitionError, match="当前状态"):
        disputes.record_decision(d, world.zfb_liaison, number="周政字〔2026〕1号", decision="由执法局管辖",
                                 competent_department=world.a)
    disputes.record_opinion(d, world.bb_liaison, coordinator=world.bb, text="建议由执法局管辖。", on=DAY)
    assert Dispute.objects.get(pk=d.pk).status == S.PROPOSING
    disputes.record_opinion(d, world.fzb_liaison, coordinator=world.fzb, text="建议由住建局管辖。", on=DAY)
    d = Dispute.objects.get(pk=d.pk)
    assert d.status == S.REPORTED
    with pytest.raises(TransitionError, match="区政府办公室"):
        disputes.record_decision(d, world.a_liaison, number="周政字〔2026〕1号", decision="由执法局管辖",
                                 competent_department=world.a)
    disputes.record_decision(d, world.zfb_liaison, number="周政字〔2026〕1号", decision="由执法局管辖。",
                             competent_department=world.a, on=DAY)
    d = Dispute.objects.get(pk=d.pk)
    assert (d.status, d.competent_department, d.decision_number) == (S.DECIDED, world.a, "周政字〔2026〕1号")


def test_unclear_duty_split_takes_the_same_path_to_the_district_government_二一(world):
    d = _referred(world, Dispute.Kind.DUTIES)
    assert d.coordinators_step == "协调" and d.basis == "二（一）"
    disputes.record_opinion(d, world.bb_liaison, coordinator=world.bb, text="协调不一致。", on=DAY)
    disputes.record_opinion(d, world.fzb_liaison, coordinator=world.fzb, competent_department=world.b,
                            text="由住建局监管。", on=DAY)
    assert Dispute.objects.get(pk=d.pk).status == S.PROPOSING  # 协调不一致：一方无法认定
    for who, dept in ((world.bb_liaison, world.bb), (world.fzb_liaison, world.fzb)):
        disputes.record_opinion(d, who, coordinator=dept, competent_department=world.b, text="处理意见", on=DAY)
    disputes.record_decision(d, world.bb_liaison, number="周政字〔2026〕2号", decision="由住建局监管。",
                             competent_department=world.b, on=DAY)
    assert Dispute.objects.get(pk=d.pk).status == S.DECIDED


def test_agreement_in_consultation_ends_the_dispute_without_the_coordinators_二四3(world):
    d = _dispute(world)
    with pytest.raises(TransitionError, match="住建局"):
        disputes.settle(d, world.a_liaison, competent_department=world.a, settlement="由执法局管辖")
    d = _consulted(world)
    disputes.settle(d, world.a_liaison, competent_department=world.b, settlement="协商一致，由住建局管辖。", on=DAY)
    d = Dispute.objects.get(pk=d.pk)
    assert (d.status, d.competent_department) == (S.SETTLED, world.b)
    assert not d.opinions.exists()


def test_a_dispute_needs_two_parties_and_no_coordinator_among_them_二一(world):
    with pytest.raises(TransitionError, match="两个部门"):
        disputes.raise_dispute(world.a_liaison, department=world.a, parties=[], kind=Dispute.Kind.DUTIES,
                               title="x", facts="y")
    with pytest.raises(TransitionError, match="不能作为争议一方"):
        disputes.raise_dispute(world.a_liaison, department=world.a, parties=[world.bb], kind=Dispute.Kind.DUTIES,
                               title="x", facts="y")
    with pytest.raises(TransitionError, match="分管领导或信息联络员"):
        disputes.raise_dispute(world.a_clerk, department=world.a, parties=[world.b], kind=Dispute.Kind.DUTIES,
                               title="x", facts="y")
    assert not Dispute.objects.exists()


def test_a_refused_transfer_gives_a_jurisdiction_dispute_and_stays_as_it_was_二四3(world):
    t = CaseTransfer.objects.create(title="违规堆放建筑材料", from_department=world.a, to_department=world.b,
                                    facts="现场检查发现。", discovered_date=DAY, status=CaseTransfer.Status.SENT)
    with pytest.raises(TransitionError, match="不予受理后"):
        disputes.dispute_from_transfer(t, world.a_liaison, reason="对方拖延")
    CaseTransfer.objects.filter(pk=t.pk).update(status=CaseTransfer.Status.REJECTED, answer_reasons="不属本局")
    t.refresh_from_db()
    d = disputes.dispute_from_transfer(t, world.a_liaison, reason="我局认为属住建局职责。", on=DAY)
    assert d.transfer == t and d.kind == Dispute.Kind.JURISDICTION
    assert set(d.parties.all()) == {world.a, world.b} and t.title in d.title
    assert list(disputes.transfer_disputes(t)) == [d]
    with pytest.raises(TransitionError, match="已有正在协调"):
        disputes.dispute_from_transfer(t, world.b_liaison, reason="再次提出")
    t.refresh_from_db()
    assert t.status == CaseTransfer.Status.REJECTED and t.arbiter_id is None


def test_other_departments_see_no_dispute_but_the_coordinators_see_all_二四3(world):
    d = _referred(world)
    assert disputes.can_view(world.b_clerk, d) and disputes.can_view(world.bb_liaison, d)
    assert disputes.can_view(world.root, d)
    assert not disputes.can_view(world.c_liaison, d) and not disputes.can_view(world.zfb_liaison, d)
    assert list(disputes.visible_disputes(world.c_liaison)) == []
    assert list(disputes.visible_disputes(world.fzb_liaison)) == [d]


def test_a_coordinator_that_has_spoken_is_offered_no_second_opinion_二四3(world):
    d = _referred(world)
    assert disputes.actions(d, world.bb_liaison) == ["opinion"]
    assert disputes.actions(d, world.a_liaison) == []  # the parties wait for the coordinators
    disputes.record_opinion(d, world.bb_liaison, coordinator=world.bb, competent_department=world.a, text="执法局",
                            on=DAY)
    assert disputes.actions(d, world.bb_liaison) == [] and disputes.actions(d, world.fzb_liaison) == ["opinion"]
