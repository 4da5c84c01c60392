"""Information requests between departments (周政办字〔2018〕18号 二（四）5): penalty data, consulting and copying.

A request::

    待答复 --提供--> 已提供
           --拒绝(法律依据+理由)--> 已拒绝
           --撤回--> 已撤回

- Penalty data is due within 3 working days of receipt (二（四）5: 相关行政管理部门因行业管理、
  统计分析、档案管理、上级督查考核等实际工作，需要综合行政执法部门提供相关行政处罚数据材料的，
  综合行政执法部门须在3个工作日内提供).
- Consulting or copying materials is supported free of charge (二（四）5: 提供查阅、复制相关材料的
  方便…不得收取费用). The directive sets no time limit for it; the 5 working days used here
  are the portal's own reminder period (``cooperation.limits.CONSULT_DAYS``).
- A request is refused only on a legal ground (二（四）5: 除法定事由外…不得拒绝), stated in
  writing with the reason — the written statement is the portal's rule, not the directive's:
  a refusal without ground or reason is itself refused.
- It is answered once, by those who speak for the requested department.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cooperation.models import InformationRequest
from cooperation.permissions import department_ids, member_of, sees_every_record, speaks_for
from cooperation.states import Machine, TransitionError, lock, refresh, require, require_text, transition

S, K = InformationRequest.Status, InformationRequest.Kind
MACHINE = Machine(S, [
    transition("provide", "提供信息", {S.SUBMITTED}, S.PROVIDED),
    transition("refuse", "拒绝提供", {S.SUBMITTED}, S.REFUSED),
    transition("withdraw", "撤回请求", {S.SUBMITTED}, S.WITHDRAWN),
])

NO_GROUND = "除法定事由外不得拒绝（二（四）5）：拒绝提供的，请同时填写拒绝的法律依据和理由。"


def _save(obj, user, **kwargs):
    obj._history_user = user
    obj.save(**kwargs)


def submit_request(user, *, requesting_department, requested_department, kind: str, subject: str, purpose: str,
                   received_date: datetime.date | None = None) -> InformationRequest:
    """Return a new written request from a member of the requesting department; its deadline is set."""
    require(requesting_department is not None and member_of(user, requesting_department),
            f"您不是{requesting_department}的工作人员，不能以该部门名义提出请求。")
    require(requested_department is not None, "请选择被请求部门。")
    require(requested_department.pk != requesting_department.pk, "不能向本部门提出信息请求。")
    require(kind in K.values, "请选择请求类型。")
    request = InformationRequest(
        requesting_department=requesting_department, requested_department=requested_department, kind=kind,
        subject=require_text(subject, "请填写请求事项。"),
        purpose=require_text(purpose, "请说明用途（二（四）5：如行业管理、统计分析、档案管理、上级督查考核）。"),
        received_date=received_date or timezone.localdate(), requested_by=user,
    )
    _save(request, user)
    return request


def _answer(request: InformationRequest, user, action: str, apply) -> InformationRequest:
    with transaction.atomic():
        fresh = lock(request)
        if fresh.answered_date:
            raise TransitionError(
                f"该请求已于{fresh.answered_date:%Y-%m-%d}答复（{fresh.get_status_display()}），不能重复答复。"
            )
        t = MACHINE.check(action, fresh.status)
        department = fresh.requested_department
        require(speaks_for(user, department), f"只有被请求部门{department}的分管领导或信息联络员可以答复。")
        for name, value in apply(fresh).items():
            setattr(fresh, name, value)
        require(fresh.answered_date >= fresh.received_date, "答复日期不能早于收到请求的日期。")
        fresh.status, fresh.answered_by = t.target, user
        _save(fresh, user)
    refresh(request, fresh)
    return request


def provide(request: InformationRequest, user, *, note: str, document=None,
            on: datetime.date | None = None) -> InformationRequest:
    """Record that the information was provided (free of charge, 二（四）5), with an optional file."""
    note = require_text(note, "请说明提供情况（提供了哪些信息、以何种方式提供）。")
    return _answer(request, user, "provide", lambda r: {
        "answer_note": note, "response_document": document, "answered_date": on or timezone.localdate(),
    })


def refuse(request: InformationRequest, user, *, ground: str, reason: str,
           on: datetime.date | None = None) -> InformationRequest:
    """Refuse in writing with the legal ground and the reason; without either it is refused (二（四）5: 除法定事由外)."""
    ground, reason = (ground or "").strip(), (reason or "").strip()
    require(bool(ground and reason), NO_GROUND)
    return _answer(request, user, "refuse", lambda r: {
        "refusal_ground": ground, "refusal_reason": reason, "answered_date": on or timezone.localdate(),
    })


def withdraw(request: InformationRequest, user) -> InformationRequest:
    """The requesting department withdraws an unanswered request."""
    with transaction.atomic():
        fresh = lock(request)
        t = MACHINE.check("withdraw", fresh.status)
        require(member_of(user, fresh.requesting_department),
                f"只有请求部门{fresh.requesting_department}的工作人员可以撤回。")
        fresh.status = t.target
        _save(fresh, user)
    refresh(request, fresh)
    return request


def visible_requests(user) -> QuerySet:
    """Return the requests the user may see: made by or to their departments, or all for supervisors."""
    qs = InformationRequest.objects.select_related("requesting_department", "requested_department")
    if sees_every_record(user):
        return qs
    ids = department_ids(user)
    return qs.filter(Q(requesting_department__in=ids) | Q(requested_department__in=ids)) if ids else qs.none()


def can_view_request(user, request: InformationRequest) -> bool:
    return sees_every_record(user) or bool(
        department_ids(user) & {request.requesting_department_id, request.requested_department_id})


def request_actions(request: InformationRequest, user) -> list[str]:
    checks = {
        "provide": speaks_for(user, request.requested_department),
        "refuse": speaks_for(user, request.requested_department),
        "withdraw": member_of(user, request.requesting_department),
    }
    return [a for a, ok in checks.items() if ok and MACHINE.allows(a, request.status)]
