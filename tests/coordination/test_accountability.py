"""责任追究 (二（四）7): cases from overdue or refused cooperation, proposed from the overdue items."""
import datetime

import pytest

from cooperation.models import CaseTransfer, InformationRequest
from cooperation.states import TransitionError
from coordination import accountability
from coordination.models import AccountabilityCase

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
A = AccountabilityCase


@pytest.fixture
def overdue(world):
    late_transfer = CaseTransfer.objects.create(title="违规设置户外广告", from_department=world.b,
                                                to_department=world.a, facts="巡查发现。",
                                                discovered_date=datetime.date(2026, 11, 2))
    unanswered = CaseTransfer.objects.create(title="占道经营", from_department=world.a, to_department=world.b,
                                             facts="群众举报。", discovered_date=datetime.date(2026, 11, 2),
                                             status=CaseTransfer.Status.SENT, sent_date=datetime.date(2026, 11, 3),
                                             answer_due=datetime.date(2026, 11, 10))
    on_time = CaseTransfer.objects.create(title="渣土撒漏", from_department=world.a, to_department=world.b,
                                          facts="巡查发现。", discovered_date=datetime.date(2026, 11, 19))
    request = InformationRequest.objects.create(
        requesting_department=world.b, requested_department=world.a, kind=InformationRequest.Kind.PENALTY_DATA,
        subject="2026年第三季度行政处罚数据", purpose="统计分析", received_date=datetime.date(2026, 11, 2))
    return {"late": late_transfer, "unanswered": unanswered, "on_time": on_time, "request": request}


def test_overdue_transfers_and_requests_are_proposed_with_the_department_concerned_二四7(world, overdue):
    found = {c.key: c for c in accountability.candidates(TODAY)}
    late, unanswered, request = overdue["late"], overdue["unanswered"], overdue["request"]
    assert set(found) == {f"transfer-send:{late.pk}", f"transfer-answer:{unanswered.pk}", f"request:{request.pk}"}
    assert found[f"transfer-send:{late.pk}"].department == world.b  # the sender did not send
    assert found[f"transfer-answer:{unanswered.pk}"].department == world.b  # the receiver did not answer
    assert found[f"request:{request.pk}"].department == world.a
    assert "2个工作日内移送" in found[f"transfer-send:{late.pk}"].facts
    assert found[f"request:{request.pk}"].source == A.Source.REQUEST_OVERDUE


def test_a_registered_candidate_is_linked_and_not_proposed_again_二四7(world, overdue):
    key = f"transfer-send:{overdue['late'].pk}"
    case = accountability.register_candidate(world.bb_liaison, key, today=TODAY)
    assert (case.transfer, case.department, case.registered_department, case.status) == (
        overdue["late"], world.b, world.bb, A.Status.OPEN)
    assert key not in {c.key for c in accountability.candidates(TODAY)}
    with pytest.raises(TransitionError, match="已登记"):
        accountability.register_candidate(world.fzb_liaison, key, today=TODAY)


def test_only_the_coordinators_register_and_handle_a_case_二四7(world, overdue):
    key = f"request:{overdue['request'].pk}"
    for user in (world.a_liaison, world.root, world.zfb_liaison):
        with pytest.raises(TransitionError, match="区编办、区政府法制办"):
            accountability.register_candidate(user, key, today=TODAY)
    assert not A.objects.exists()
    case = accountability.register_candidate(world.fzb_liaison, key, today=TODAY)
    with pytest.raises(TransitionError, match="区编办、区政府法制办"):
        accountability.handle(case, world.a_liaison, consequences="x", handling="y")
    with pytest.raises(TransitionError, match="重大损失或严重后果"):
        accountability.handle(case, world.bb_liaison, consequences=" ", handling="通报批评。")
    accountability.handle(case, world.bb_liaison, consequences="影响季度考核数据报送。",
                          handling="按照《周村区综合行政执法责任追究实施办法》予以通报批评。", on=TODAY)
    case = A.objects.get(pk=case.pk)
    assert (case.status, case.handled_date, case.handled_by) == (A.Status.HANDLED, TODAY, world.bb_liaison)


def test_refused_cooperation_is_registered_and_may_be_dismissed_with_a_reason_二四7(world):
    case = accountability.register(world.bb_liaison, source=A.Source.REFUSED, department=world.b,
                                   title="拒绝提供查阅资料", facts="无法定事由拒绝执法局查阅许可档案。", on=TODAY)
    with pytest.raises(TransitionError, match="不予追究的理由"):
        accountability.dismiss(case, world.bb_liaison, reason="")
    accountability.dismiss(case, world.fzb_liaison, reason="未造成重大损失或严重后果。", on=TODAY)
    assert A.objects.get(pk=case.pk).status == A.Status.DISMISSED


def test_a_case_is_seen_by_the_coordinators_and_the_department_concerned_only_二四7(world):
    case = accountability.register(world.bb_liaison, source=A.Source.REFUSED, department=world.b,
                                   title="拒绝配合取证", facts="未在2个工作日内提供材料。", on=TODAY)
    for user in (world.b_clerk, world.b_liaison, world.bb_liaison, world.fzb_liaison, world.root):
        assert accountability.can_view(user, case), user
        assert list(accountability.visible_cases(user)) == [case], user
    for user in (world.a_liaison, world.c_liaison, world.zfb_liaison):
        assert not accountability.can_view(user, case), user
        assert list(accountability.visible_cases(user)) == [], user
