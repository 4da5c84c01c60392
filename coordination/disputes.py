"""Disputes between departments and their path: 协商, then 区编办 and 区政府法制办 jointly, then 区政府.

Two provisions give the path:

- 二（四）3 案件移送的其他情形③ (jurisdiction over a case): 综合行政执法部门与相关行政管理部门因案件管辖问题发生
  争议的，应充分协商；协商未果的，由区编办、区政府法制办认定，无法认定的由区编办、区政府法制办提出处理意见，
  报区政府作出决定。
- 二（一） (supervisory duties): 对监管职责分工不明确的，由区编办、区政府法制办进行协调；协调不一致的，由区编办、
  区政府法制办提出处理意见，报区政府作出决定。 二（一） names no consultation between the departments; the
  portal asks for it on both paths (issue 16: "the same path for unclear duty splits"), and calls the
  coordinators' first step 协调 there, 认定 for a case.

A dispute::

    部门协商中 --协商一致--> 协商一致
              --协商未果，提请--> 待区编办、区政府法制办认定
                  --two matching opinions--> 已认定
                  --otherwise (无法认定 or two different departments)--> 无法认定，待提出处理意见
                      --both 处理意见 recorded--> 已报区政府决定 --登记区政府决定--> 区政府已决定

- The parties' 分管领导 and 信息联络员 (``speaks_for``) raise the dispute, record the consultation and
  refer it; a referral needs a consultation record of every party (应充分协商).
- 区编办 **and** 区政府法制办 each record their own opinion: the 认定 is joint, made only when both name
  the same competent department. Neither can decide alone.
- The 区政府's decision is recorded by the 区政府办公室 or by either coordinator, with its 文号.

A dispute may arise from a ``cooperation.CaseTransfer`` (``dispute_from_transfer`` reads it and never
changes it: the transfer's own ``raise_dispute``/``record_ruling`` remain as they are) or stand alone.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cooperation.models import CaseTransfer
from cooperation.permissions import speaks_for
from cooperation.states import Machine, TransitionError, lock, refresh, require, require_text, transition
from coordination.models import Consultation, CoordinatorOpinion, Dispute
from portal.models import Department
from portal.walls import coordination as wall

S = Dispute.Status
MACHINE = Machine(S, [
    transition("consult", "登记协商情况", {S.CONSULTING}),
    transition("settle", "登记协商一致", {S.CONSULTING}, S.SETTLED),
    transition("refer", "协商未果，提请区编办、区政府法制办", {S.CONSULTING}, S.REFERRED),
    transition("opinion", "登记认定／协调意见", {S.REFERRED}),
    transition("proposal", "登记处理意见", {S.PROPOSING}),
    transition("decide", "登记区政府决定", {S.REPORTED}, S.DECIDED),
])
OPEN = [S.CONSULTING, S.REFERRED, S.PROPOSING, S.REPORTED]
TRANSFER_DISPUTABLE = {CaseTransfer.Status.REJECTED, CaseTransfer.Status.DISPUTED}


def _today(on):
    return on or timezone.localdate()


def _save(obj, user):
    obj._history_user = user
    obj.save()


def coordinators() -> list[Department]:
    """Return 区编办 and 区政府法制办 (codes BB, FZB), in that order; missing ones are left out."""
    found = {d.code: d for d in Department.objects.filter(code__in=wall.COORDINATOR_CODES)}
    return [found[code] for code in wall.COORDINATOR_CODES if code in found]


def _require_both_coordinators() -> list[Department]:
    both = coordinators()
    require(len(both) == len(wall.COORDINATOR_CODES),
            "系统中尚未设置区编办（BB）和区政府法制办（FZB）两个部门，不能提请认定。")
    return both


def _party_ids(dispute: Dispute) -> set[int]:
    return set(dispute.parties.values_list("pk", flat=True))


def _require_party(user, dispute: Dispute, department, what: str) -> None:
    require(department is not None and department.pk in _party_ids(dispute), "请选择争议一方的部门。")
    require(speaks_for(user, department), f"只有{department}的分管领导或信息联络员可以{what}。")


def _speaking_party(user, dispute: Dispute):
    return next((d for d in dispute.parties.all() if speaks_for(user, d)), None)


# --- raising a dispute ------------------------------------------------------------------------------

def raise_dispute(user, *, department, parties, kind: str, title: str, facts: str,
                  transfer: CaseTransfer | None = None, on: datetime.date | None = None) -> Dispute:
    """Return a new dispute in 部门协商中, raised in ``department``'s name between ``parties``."""
    parties = list({p.pk: p for p in list(parties or []) + ([department] if department else [])}.values())
    require(department is not None and speaks_for(user, department),
            f"只有{department or '争议一方'}的分管领导或信息联络员可以提出争议。")
    require(kind in Dispute.Kind.values, "请选择争议类型（案件管辖争议或监管职责分工不明确）。")
    require(len(parties) >= 2, "争议至少涉及两个部门，请选择争议的另一方。")
    require(not any(p.code in wall.COORDINATOR_CODES for p in parties),
            "区编办、区政府法制办负责协调认定，不能作为争议一方。")
    title = require_text(title, "请填写争议事项。")
    facts = require_text(facts, "请填写争议情况。")
    with transaction.atomic():
        dispute = Dispute(title=title, kind=kind, facts=facts, transfer=transfer, raised_by=user,
                          raised_department=department, raised_date=_today(on))
        _save(dispute, user)
        dispute.parties.set(parties)
    return dispute


def dispute_from_transfer(transfer: CaseTransfer, user, *, reason: str,
                          on: datetime.date | None = None) -> Dispute:
    """Return a jurisdiction dispute over a refused transfer, between its sender and its receiver.

    Reads the transfer only: its status and its own ruling (``cooperation.transfers``) are left as they are.
    """
    require(transfer.to_department_id is not None,
            "移送司法机关的案件不在平台上协商管辖，不能据此提出争议。")
    require(transfer.status in TRANSFER_DISPUTABLE,
            f"该移送当前状态为“{transfer.get_status_display()}”；接收部门不予受理后方可就管辖提出争议。")
    require(not Dispute.objects.filter(transfer=transfer, status__in=OPEN).exists(),
            "该移送案件已有正在协调的管辖争议。")
    side = next((d for d in (transfer.from_department, transfer.to_department) if speaks_for(user, d)), None)
    require(side is not None, "只有争议双方部门的分管领导或信息联络员可以提出管辖争议。")
    return raise_dispute(user, department=side, parties=[transfer.from_department, transfer.to_department],
                         kind=Dispute.Kind.JURISDICTION, title=f"案件管辖争议：{transfer.title}（{transfer.number}）",
                         facts=reason, transfer=transfer, on=on)


def disputable_transfers(user) -> QuerySet:
    """Return the refused transfers the user's departments may take to a jurisdiction dispute (none open yet)."""
    ids = wall.department_ids(user)
    return CaseTransfer.objects.filter(status__in=TRANSFER_DISPUTABLE, to_department__isnull=False).filter(
        Q(from_department__in=ids) | Q(to_department__in=ids)).exclude(
        coordination_disputes__status__in=OPEN).select_related("from_department", "to_department").distinct()


def transfer_disputes(transfer: CaseTransfer) -> QuerySet:
    """Return the disputes that arose from the transfer (newest first)."""
    return Dispute.objects.filter(transfer=transfer)


# --- the steps ----------------------------------------------------------------------------------------

def _step(dispute: Dispute, action: str, user, check, apply=None) -> Dispute:
    with transaction.atomic():
        fresh = lock(dispute)
        t = MACHINE.check(action, fresh.status)
        check(fresh)
        for name, value in (apply(fresh) if apply else {}).items():
            setattr(fresh, name, value)
        if t.target:
            fresh.status = t.target
        _save(fresh, user)
    refresh(dispute, fresh)
    return dispute


def record_consultation(dispute: Dispute, user, *, department, date: datetime.date, note: str,
                        today: datetime.date | None = None) -> Consultation:
    """A party records a round of consultation (二（四）3 案件移送的其他情形③: 应充分协商)."""
    with transaction.atomic():
        fresh = lock(dispute)
        MACHINE.check("consult", fresh.status)
        _require_party(user, fresh, department, "登记协商情况")
        require(date is not None and date <= _today(today), "协商日期不能晚于今天。")
        require(date >= fresh.raised_date, "协商日期不能早于提出争议的日期。")
        entry = Consultation(dispute=fresh, department=department, date=date, recorded_by=user,
                             note=require_text(note, "请填写协商情况。"))
        entry.save()
    return entry


def _missing_consultations(dispute: Dispute) -> list[str]:
    consulted = set(dispute.consultations.values_list("department_id", flat=True))
    return [d.display_name for d in dispute.parties.all() if d.pk not in consulted]


def settle(dispute: Dispute, user, *, competent_department, settlement: str,
           on: datetime.date | None = None) -> Dispute:
    """Record that the consultation reached agreement; every party must have recorded its consultation."""
    def check(d):
        require(_speaking_party(user, d) is not None, "只有争议各方的分管领导或信息联络员可以登记协商结果。")
        missing = _missing_consultations(d)
        require(not missing, f"尚有争议一方未登记协商情况：{'、'.join(missing)}。")
        require(competent_department is not None, "请选择协商确定的管辖／监管部门。")
        require_text(settlement, "请填写协商结果。")

    return _step(dispute, "settle", user, check, lambda d: {
        "competent_department": competent_department, "settlement": settlement.strip(),
        "resolved_date": _today(on)})


def refer(dispute: Dispute, user, *, reason: str, on: datetime.date | None = None) -> Dispute:
    """协商未果: a party refers the dispute to 区编办 and 区政府法制办 (both)."""
    def check(d):
        require(_speaking_party(user, d) is not None, "只有争议各方的分管领导或信息联络员可以提请认定。")
        missing = _missing_consultations(d)
        require(not missing, f"应充分协商（二（四）3 案件移送的其他情形③）：{'、'.join(missing)}尚未登记协商情况，"
                             f"不能提请区编办、区政府法制办。")
        _require_both_coordinators()
        require_text(reason, "请说明协商未果的情况。")

    return _step(dispute, "refer", user, check, lambda d: {
        "settlement": reason.strip(), "referred_by": user, "referred_date": _today(on)})


def _stage_of(status: str) -> str:
    return CoordinatorOpinion.Stage.PROPOSAL if status == S.PROPOSING else CoordinatorOpinion.Stage.DETERMINATION


def record_opinion(dispute: Dispute, user, *, coordinator, text: str, competent_department=None,
                   on: datetime.date | None = None) -> CoordinatorOpinion:
    """区编办 or 区政府法制办 records its opinion; once both have, the dispute moves on (see the module docstring).

    While 待认定 it is the 认定／协调意见 (``competent_department`` None: 无法认定); while 待提出处理意见 it is
    the 处理意见 to the 区政府 (``competent_department``: the department it proposes, if any).
    """
    day = _today(on)
    with transaction.atomic():
        fresh = lock(dispute)
        stage = _stage_of(fresh.status)
        MACHINE.check("proposal" if stage == CoordinatorOpinion.Stage.PROPOSAL else "opinion", fresh.status)
        require(coordinator is not None and coordinator.code in wall.COORDINATOR_CODES,
                "请选择区编办或区政府法制办。")
        require(speaks_for(user, coordinator), f"只有{coordinator}的分管领导或信息联络员可以登记其意见。")
        require(not fresh.opinions.filter(coordinator=coordinator, stage=stage).exists(),
                f"{coordinator.display_name}已登记{CoordinatorOpinion.Stage(stage).label}，不能重复登记。")
        opinion = CoordinatorOpinion(dispute=fresh, coordinator=coordinator, stage=stage, recorded_by=user, date=day,
                                     competent_department=competent_department,
                                     text=require_text(text, "请填写意见。"))
        _save(opinion, user)
        opinions = list(fresh.opinions.filter(stage=stage))
        if len({o.coordinator_id for o in opinions}) == len(wall.COORDINATOR_CODES):
            _conclude(fresh, stage, opinions, day, user)
    refresh(dispute, fresh)
    return opinion


def _conclude(dispute: Dispute, stage: str, opinions: list[CoordinatorOpinion], day, user) -> None:
    """Both coordinators have spoken: a joint 认定, or 无法认定 and on to the 处理意见; or 报区政府."""
    if stage == CoordinatorOpinion.Stage.PROPOSAL:
        dispute.status = S.REPORTED
    else:
        named = {o.competent_department_id for o in opinions}
        if None not in named and len(named) == 1:
            dispute.status = S.DETERMINED
            dispute.competent_department_id = named.pop()
            dispute.resolved_date = day
        else:
            dispute.status = S.PROPOSING
    _save(dispute, user)


def may_record_decision(user) -> bool:
    """Return True for those who record the 区政府's decision: 区政府办公室, 区编办 and 区政府法制办 speakers."""
    codes = (wall.GOVERNMENT_OFFICE_CODE, *wall.COORDINATOR_CODES)
    return any(speaks_for(user, d) for d in Department.objects.filter(code__in=codes))


def record_decision(dispute: Dispute, user, *, number: str, decision: str, competent_department,
                    on: datetime.date | None = None) -> Dispute:
    """Record the 区政府's decision on a dispute reported to it (报区政府作出决定)."""
    def check(d):
        require(may_record_decision(user), "只有区政府办公室、区编办或区政府法制办的分管领导或信息联络员可以登记区政府决定。")
        require_text(number, "请填写区政府决定的文号。")
        require_text(decision, "请填写区政府决定的内容。")
        require(competent_department is not None, "请选择区政府决定的管辖／监管部门。")

    return _step(dispute, "decide", user, check, lambda d: {
        "decision_number": number.strip(), "decision": decision.strip(), "competent_department": competent_department,
        "decision_recorded_by": user, "resolved_date": _today(on)})


# --- who sees what, who may do what -------------------------------------------------------------------

def visible_disputes(user) -> QuerySet:
    """Return the disputes the user may see (portal.walls.coordination)."""
    qs = Dispute.objects.select_related("raised_department", "competent_department", "transfer")
    if wall.sees_all(user):
        return qs
    q = Q(parties__in=wall.department_ids(user))
    if wall.GOVERNMENT_OFFICE_CODE in wall.acting_codes(user):
        q |= Q(status__in=[S.REPORTED, S.DECIDED])
    return qs.filter(q).distinct() if wall.may_open_door(user) else qs.none()


def can_view(user, dispute: Dispute) -> bool:
    return wall.may_see_dispute(user, _party_ids(dispute), dispute.status in (S.REPORTED, S.DECIDED))


def actions(dispute: Dispute, user) -> list[str]:
    """Return the steps open to the user on the dispute now (for buttons; the functions check again)."""
    party = _speaking_party(user, dispute) is not None
    stage = _stage_of(dispute.status)
    spoken = set(dispute.opinions.filter(stage=stage).values_list("coordinator_id", flat=True))
    may_opine = any(speaks_for(user, c) and c.pk not in spoken for c in coordinators())
    checks = {
        "consult": party, "settle": party, "refer": party,
        "opinion": may_opine, "proposal": may_opine,
        "decide": dispute.status == S.REPORTED and may_record_decision(user),
    }
    return [a for a, ok in checks.items() if ok and MACHINE.allows(a, dispute.status)]


__all__ = ["MACHINE", "OPEN", "TransitionError", "actions", "can_view", "coordinators", "disputable_transfers",
           "dispute_from_transfer",
           "raise_dispute", "record_consultation", "record_decision", "record_opinion", "refer", "settle",
           "transfer_disputes", "visible_disputes"]
