"""Information between departments on request or by notice: requests under 周政办字〔2018〕18号 二（四）5 (penalty data,
consulting and copying) and the 案情通报 between the bureau and the judicial organs (二（三）).

A request::

    待答复 --提供--> 已提供
           --拒绝(法律依据+理由; 查阅、复制 only)--> 已拒绝
           --撤回--> 已撤回

The two kinds go in opposite directions, as the directive has them:

- 行政处罚数据材料: a related department asks the 综合行政执法部门 (the bureau), stating for which of
  its work it needs them, and the bureau must provide them within 3 working days of receipt
  (二（四）5: 相关行政管理部门因行业管理、统计分析、档案管理、上级督查考核等实际工作，需要综合行政执法部门
  提供相关行政处罚数据材料的，综合行政执法部门须在3个工作日内提供给相关行政管理部门). The purpose is
  required: one of the four the text names or, since its list ends in 等, 其他实际工作 described in
  words. The bureau 须 provide: it cannot refuse such a request.
- 查阅、复制相关材料: the bureau, investigating a violation, asks a related department, which gives
  access and copies free of charge and refuses only on a legal ground (二（四）5: 综合行政执法部门在查处
  违法行为时，相关行政管理部门应予以配合，提供查阅、复制相关材料的方便。除法定事由外，相关行政管理部门
  不得拒绝综合行政执法部门查询所需的信息资料，并不得收取费用). No fee is recorded anywhere. The
  directive sets no time limit for it, and the portal counts none (an earlier version counted 5
  working days that came from an invented text). A refusal states the legal ground and the reason
  in writing — the written statement is the portal's rule, not the directive's.
- It is answered once, by those who speak for the requested department.

案情通报 (二（三）: 综合行政执法部门要与公安机关、检察机关、审判机关建立信息共享、案情通报、案件移送等制度):
the bureau and a judicial organ (区公安分局, 区检察院, 区法院 on the portal) brief each other on a case,
either way, optionally about a transfer between them; the receiving side 签收 it. The directive
sets no time limit for it.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cooperation.models import JUDICIAL_ORGAN_CODES, CaseBriefing, InformationRequest
from cooperation.permissions import department_ids, member_of, sees_every_record, speaks_for
from cooperation.states import Machine, TransitionError, lock, refresh, require, require_text, transition

S, K, P = InformationRequest.Status, InformationRequest.Kind, InformationRequest.Purpose
MACHINE = Machine(S, [
    transition("provide", "提供信息", {S.SUBMITTED}, S.PROVIDED),
    transition("refuse", "拒绝提供", {S.SUBMITTED}, S.REFUSED),
    transition("withdraw", "撤回请求", {S.SUBMITTED}, S.WITHDRAWN),
])

NO_GROUND = "除法定事由外不得拒绝（二（四）5）：拒绝提供的，请同时填写拒绝的法律依据和理由。"


def _save(obj, user, **kwargs):
    obj._history_user = user
    obj.save(**kwargs)


PURPOSE_NEEDED = ("请选择用途（二（四）5：因行业管理、统计分析、档案管理、上级督查考核等实际工作需要行政处罚数据材料）。")
NOT_REFUSABLE = ("综合行政执法部门须在3个工作日内提供行政处罚数据材料（二（四）5），不能拒绝；"
                 "涉及国家秘密、商业秘密和个人隐私的内容，请脱敏或按规定范围提供。")


def _check_direction(kind: str, requesting_department, requested_department) -> None:
    """Refuse a request that goes the other way than 二（四）5 says for its kind."""
    if kind == K.PENALTY_DATA:
        require(requested_department.is_bureau and not requesting_department.is_bureau,
                "行政处罚数据材料由相关行政管理部门向综合行政执法部门提出（二（四）5），被请求部门应为区综合行政执法局。")
    else:
        require(requesting_department.is_bureau and not requested_department.is_bureau,
                "查阅、复制相关材料由综合行政执法部门在查处违法行为时向相关行政管理部门提出（二（四）5），"
                "请求部门应为区综合行政执法局。")


def submit_request(user, *, requesting_department, requested_department, kind: str, subject: str,
                   purpose: str = "", purpose_kind: str = "",
                   received_date: datetime.date | None = None) -> InformationRequest:
    """Return a new written request from a member of the requesting department; its deadline is set.

    Penalty data: ``purpose_kind`` is one of ``InformationRequest.Purpose`` (``purpose`` explains
    其他实际工作). 查阅、复制: ``purpose`` names the violation under investigation.
    """
    require(requesting_department is not None and member_of(user, requesting_department),
            f"您不是{requesting_department}的工作人员，不能以该部门名义提出请求。")
    require(requested_department is not None, "请选择被请求部门。")
    require(requested_department.pk != requesting_department.pk, "不能向本部门提出信息请求。")
    require(kind in K.values, "请选择请求类型。")
    _check_direction(kind, requesting_department, requested_department)
    purpose, purpose_kind = (purpose or "").strip(), (purpose_kind or "").strip()
    if kind == K.PENALTY_DATA:
        require(purpose_kind in P.values, PURPOSE_NEEDED)
        require(purpose_kind != P.OTHER or bool(purpose), "用途为“其他实际工作”的，请写明是何种实际工作（二（四）5）。")
    else:
        require(not purpose_kind, "查阅、复制相关材料的用途是查处违法行为，请在用途说明中写明正在查处的违法行为。")
        require(bool(purpose), "请写明正在查处的违法行为（二（四）5：综合行政执法部门在查处违法行为时）。")
    request = InformationRequest(
        requesting_department=requesting_department, requested_department=requested_department, kind=kind,
        subject=require_text(subject, "请填写请求事项。"), purpose=purpose, purpose_kind=purpose_kind,
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
    """Refuse 查阅、复制 in writing with the legal ground and the reason (二（四）5: 除法定事由外); penalty data never."""
    require(request.kind != K.PENALTY_DATA, NOT_REFUSABLE)
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
        "refuse": request.kind != K.PENALTY_DATA and speaks_for(user, request.requested_department),
        "withdraw": member_of(user, request.requesting_department),
    }
    return [a for a, ok in checks.items() if ok and MACHINE.allows(a, request.status)]


# --- 案情通报 (二（三）) --------------------------------------------------------------------------------

def is_judicial_department(department) -> bool:
    """Return True for the member units that are judicial organs (区公安分局, 区检察院, 区法院)."""
    return department is not None and department.code in JUDICIAL_ORGAN_CODES.values()


def brief_case(user, *, from_department, to_department, subject: str, content: str, transfer=None,
               on: datetime.date | None = None) -> CaseBriefing:
    """Return a new 案情通报 from the bureau to a judicial organ or back (二（三）), by a member of the sender."""
    require(from_department is not None and member_of(user, from_department),
            f"您不是{from_department}的工作人员，不能以该单位名义通报案情。")
    require(to_department is not None, "请选择被通报单位。")
    pair = (from_department, to_department)
    require(sum(d.is_bureau for d in pair) == 1 and sum(is_judicial_department(d) for d in pair) == 1,
            "案情通报在综合行政执法部门与公安机关、检察机关、审判机关之间进行（二（三）），"
            "请选择区综合行政执法局与区公安分局、区检察院或区法院。")
    if transfer is not None:
        require({transfer.from_department_id, transfer.to_department_id} == {d.pk for d in pair},
                "只能关联通报双方之间的案件移送。")
    day = on or timezone.localdate()
    require(day <= timezone.localdate(), "通报日期不能晚于今天。")
    briefing = CaseBriefing(from_department=from_department, to_department=to_department, transfer=transfer,
                            subject=require_text(subject, "请填写通报事项。"), content=require_text(content, "请填写案情。"),
                            briefed_date=day, briefed_by=user)
    _save(briefing, user)
    return briefing


def acknowledge(briefing: CaseBriefing, user, *, on: datetime.date | None = None) -> CaseBriefing:
    """A member of the briefed unit 签收 the 案情通报, once; return it."""
    with transaction.atomic():
        fresh = lock(briefing)
        if fresh.received_date:
            raise TransitionError(f"该案情通报已于{fresh.received_date:%Y-%m-%d}签收。")
        require(member_of(user, fresh.to_department), f"只有被通报单位{fresh.to_department}的工作人员可以签收。")
        day = on or timezone.localdate()
        require(day >= fresh.briefed_date, "签收日期不能早于通报日期。")
        fresh.received_date, fresh.received_by = day, user
        _save(fresh, user)
    refresh(briefing, fresh)
    return briefing


def visible_briefings(user) -> QuerySet:
    """Return the 案情通报 the user may see: sent or received by their units, or all for those who see every record."""
    qs = CaseBriefing.objects.select_related("from_department", "to_department", "transfer")
    if sees_every_record(user):
        return qs
    ids = department_ids(user)
    return qs.filter(Q(from_department__in=ids) | Q(to_department__in=ids)) if ids else qs.none()


def briefing_actions(briefing: CaseBriefing, user) -> list[str]:
    return ["acknowledge"] if not briefing.received_date and member_of(user, briefing.to_department) else []
