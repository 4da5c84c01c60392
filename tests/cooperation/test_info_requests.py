"""Information requests: 3 working days for penalty data, refusal only with a legal ground, answered once."""
from datetime import date as D

import pytest

from cooperation import info_requests
from cooperation.models import InformationRequest
from cooperation.states import TransitionError

S = InformationRequest.Status


def ask(world, kind="penalty_data", received=D(2026, 9, 30)):
    return info_requests.submit_request(world.b_clerk, requesting_department=world.b, requested_department=world.a,
                                        kind=kind, subject="第三季度处罚决定", purpose="信用监管",
                                        received_date=received)


def test_penalty_data_is_due_three_working_days_after_receipt_across_national_day(world):
    request = ask(world, received=D(2026, 9, 30))
    assert request.due_date == D(2026, 10, 10)  # 10-08, 10-09 and the make-up Saturday 10-10
    assert request.deadline_key(D(2026, 10, 9)) == "due_soon"
    assert request.deadline_key(D(2026, 10, 12)) == "overdue"


def test_consulting_materials_gets_five_working_days(world):
    request = ask(world, kind="consult_copy", received=D(2026, 3, 2))
    assert request.due_date == D(2026, 3, 9)


def test_request_needs_a_purpose_and_another_department(world):
    with pytest.raises(TransitionError, match="用途"):
        info_requests.submit_request(world.b_clerk, requesting_department=world.b, requested_department=world.a,
                                     kind="penalty_data", subject="数据", purpose="")
    with pytest.raises(TransitionError, match="本部门"):
        info_requests.submit_request(world.b_clerk, requesting_department=world.b, requested_department=world.b,
                                     kind="penalty_data", subject="数据", purpose="监管")


def test_requested_department_provides_and_is_on_time(world, document):
    request = ask(world)
    info_requests.provide(request, world.a_liaison, note="已提供37件。", document=document("数据"),
                          on=D(2026, 10, 9))
    assert request.status == S.PROVIDED and request.deadline_key(D(2026, 12, 1)) == "on_time"


@pytest.mark.parametrize("ground, reason", [("", ""), ("《信访工作条例》第四十六条", ""), ("", "涉及举报人信息")])
def test_refusing_without_ground_and_reason_is_refused(world, ground, reason):
    request = ask(world, kind="consult_copy")
    with pytest.raises(TransitionError, match="请同时填写拒绝的法律依据和理由"):
        info_requests.refuse(request, world.a_liaison, ground=ground, reason=reason)
    request.refresh_from_db()
    assert request.status == S.SUBMITTED and request.answered_date is None


def test_refusal_with_a_stated_legal_ground_is_recorded(world):
    request = ask(world, kind="consult_copy")
    info_requests.refuse(request, world.a_head, ground="《信访工作条例》第四十六条", reason="案卷载有举报人身份信息。",
                         on=D(2026, 10, 9))
    assert request.status == S.REFUSED and request.refusal_ground.startswith("《信访工作条例》")


def test_answering_twice_is_refused(world):
    request = ask(world)
    info_requests.provide(request, world.a_liaison, note="已提供。", on=D(2026, 10, 8))
    with pytest.raises(TransitionError, match="不能重复答复"):
        info_requests.refuse(request, world.a_head, ground="依据", reason="理由")
    request.refresh_from_db()
    assert request.status == S.PROVIDED


@pytest.mark.parametrize("who", ["a_clerk", "b_liaison", "outsider"])
def test_only_the_requested_departments_head_or_liaison_answers(world, who):
    request = ask(world)
    with pytest.raises(TransitionError, match="被请求部门"):
        info_requests.provide(request, getattr(world, who), note="已提供。")


def test_requesting_department_withdraws_an_unanswered_request(world):
    request = ask(world)
    with pytest.raises(TransitionError, match="请求部门"):
        info_requests.withdraw(request, world.a_liaison)
    info_requests.withdraw(request, world.b_clerk)
    assert request.status == S.WITHDRAWN and request.deadline_key(D(2026, 12, 1)) == ""
    with pytest.raises(TransitionError, match="已撤回"):
        info_requests.provide(request, world.a_liaison, note="已提供")
