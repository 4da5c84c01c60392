"""Information requests (二（四）5): penalty data from the bureau within 3 working days, for a stated purpose, never
refused; 查阅、复制 for the bureau, free, refused only on a legal ground, with no time limit; answered once."""
from datetime import date as D

import pytest

from cooperation import info_requests
from cooperation.models import InformationRequest
from cooperation.states import TransitionError

S = InformationRequest.Status


def ask(world, kind="penalty_data", received=D(2026, 9, 30)):
    """Penalty data: B asks the bureau A; 查阅、复制: the bureau A asks B (the directions of 二（四）5)."""
    if kind == "penalty_data":
        return info_requests.submit_request(world.b_clerk, requesting_department=world.b, requested_department=world.a,
                                            kind=kind, subject="第三季度处罚决定", purpose_kind="industry",
                                            purpose="信用监管", received_date=received)
    return info_requests.submit_request(world.a_clerk, requesting_department=world.a, requested_department=world.b,
                                        kind=kind, subject="物业管理检查记录", purpose="查处某小区违法搭建案",
                                        received_date=received)


def test_penalty_data_due_in_three_working_days_二四5(world):
    request = ask(world, received=D(2026, 9, 30))
    assert request.due_date == D(2026, 10, 10)  # 10-08, 10-09 and the make-up Saturday 10-10
    assert request.deadline_key(D(2026, 10, 9)) == "due_soon"
    assert request.deadline_key(D(2026, 10, 12)) == "overdue"


def test_consulting_and_copying_has_no_time_limit_二四5(world):
    request = ask(world, kind="consult_copy", received=D(2026, 3, 2))
    assert request.due_date is None and not request.has_time_limit
    assert request.deadline_key(D(2027, 3, 2)) == ""


def test_penalty_data_needs_a_purpose_the_directive_names_二四5(world):
    def submit(**kw):
        return info_requests.submit_request(world.b_clerk, requesting_department=world.b, requested_department=world.a,
                                            kind="penalty_data", subject="数据", **kw)

    for bad in ("", "信用监管", "fee"):
        with pytest.raises(TransitionError, match="请选择用途"):
            submit(purpose_kind=bad, purpose="信用监管")
    with pytest.raises(TransitionError, match="何种实际工作"):
        submit(purpose_kind="other", purpose=" ")
    assert not InformationRequest.objects.exists()
    labels = [label for _, label in InformationRequest.Purpose.choices]
    assert labels == ["行业管理", "统计分析", "档案管理", "上级督查考核", "其他实际工作"]
    for key in ("industry", "statistics", "archives", "inspection"):
        assert submit(purpose_kind=key).purpose_text == InformationRequest.Purpose(key).label
    assert submit(purpose_kind="other", purpose="信用监管").purpose_text == "其他实际工作：信用监管"


def test_penalty_data_is_asked_of_the_bureau_by_a_related_department_二四5(world):
    with pytest.raises(TransitionError, match="被请求部门应为区综合行政执法局"):
        info_requests.submit_request(world.a_clerk, requesting_department=world.a, requested_department=world.b,
                                     kind="penalty_data", subject="数据", purpose_kind="statistics")
    with pytest.raises(TransitionError, match="本部门"):
        info_requests.submit_request(world.b_clerk, requesting_department=world.b, requested_department=world.b,
                                     kind="penalty_data", subject="数据", purpose_kind="statistics")


def test_consulting_and_copying_is_asked_by_the_bureau_for_an_investigation_二四5(world):
    with pytest.raises(TransitionError, match="请求部门应为区综合行政执法局"):
        info_requests.submit_request(world.b_clerk, requesting_department=world.b, requested_department=world.a,
                                     kind="consult_copy", subject="案卷", purpose="核实")
    with pytest.raises(TransitionError, match="正在查处的违法行为"):
        info_requests.submit_request(world.a_clerk, requesting_department=world.a, requested_department=world.b,
                                     kind="consult_copy", subject="案卷", purpose="")


def test_bureau_cannot_refuse_penalty_data_二四5(world):
    request = ask(world)
    assert "refuse" not in info_requests.request_actions(request, world.a_liaison)
    with pytest.raises(TransitionError, match="不能拒绝"):
        info_requests.refuse(request, world.a_liaison, ground="《某法》", reason="涉密")
    request.refresh_from_db()
    assert request.status == S.SUBMITTED and request.answered_date is None


def test_consulting_and_copying_is_free_of_charge_二四5(client, world):
    from django.urls import reverse

    # Nothing in the record can hold a fee, and the screens say none may be charged.
    names = {f.name for f in InformationRequest._meta.get_fields()}
    assert not {n for n in names if any(w in n for w in ("fee", "charge", "cost", "price", "amount"))}
    request = ask(world, kind="consult_copy")
    client.force_login(world.b_liaison)
    page = client.get(reverse("cooperation_admin:request_detail", args=[request.pk])).content.decode()
    assert "不得收取费用" in page and "未规定期限" in page
    form = client.get(reverse("cooperation_admin:request_action", args=[request.pk, "provide"])).content.decode()
    assert "不得收取费用" in form


def test_requested_department_provides_and_is_on_time(world, document):
    request = ask(world)
    info_requests.provide(request, world.a_liaison, note="已提供37件。", document=document("数据"),
                          on=D(2026, 10, 9))
    assert request.status == S.PROVIDED and request.deadline_key(D(2026, 12, 1)) == "on_time"


@pytest.mark.parametrize("ground, reason", [("", ""), ("《信访工作条例》第四十六条", ""), ("", "涉及举报人信息")])
def test_refusing_without_ground_and_reason_is_refused(world, ground, reason):
    request = ask(world, kind="consult_copy")
    with pytest.raises(TransitionError, match="请同时填写拒绝的法律依据和理由"):
        info_requests.refuse(request, world.b_liaison, ground=ground, reason=reason)
    request.refresh_from_db()
    assert request.status == S.SUBMITTED and request.answered_date is None


def test_refusal_with_a_stated_legal_ground_is_recorded(world):
    request = ask(world, kind="consult_copy")
    info_requests.refuse(request, world.b_head, ground="《某法》有关条款", reason="所请求材料依法不得提供。",
                         on=D(2026, 10, 9))
    assert request.status == S.REFUSED and request.refusal_ground.startswith("《某法》")


def test_answering_twice_is_refused(world):
    request = ask(world, kind="consult_copy")
    info_requests.provide(request, world.b_liaison, note="已提供。", on=D(2026, 10, 8))
    with pytest.raises(TransitionError, match="不能重复答复"):
        info_requests.refuse(request, world.b_head, ground="依据", reason="理由")
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
