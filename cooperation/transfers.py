"""案件移送 (周政办字〔2018〕18号 二（四）3): draft, approval, materials, sending, the written answer, disputes, result.

A transfer::

    草稿 --提交审批--> 待审批 --审批同意--> 已审批 --移送--> 已移送 --受理--> 已受理 --办结--> 已办结
                         └--退回修改--> 草稿                  └--不予受理(说明理由)--> 不予受理
                                                                --提请裁定--> 管辖争议待裁定 --登记裁定--> 已裁定

- Whoever discovers a violation outside their competence transfers it within 2
  working days of discovery (二（四）3: （1）（2） for the related departments, （3） of the bureau's own
  list for the bureau); a late transfer is still sent, and counted late. For a licensed party's breach
  (``licence_breach``, 二（四）3（1）) the department 通知当事人整改 (recorded before sending,
  ``record_rectification``) and 如有特殊情况 may extend the 2 days (``extend_transfer_limit``: the reason and
  the working days, recorded before sending and by the original date — the portal's rule, so that an
  extension cannot excuse a delay after the fact); sent by the extended date it is not late.
- The department head — the 分管领导 of the sending department — approves before sending
  (二（四）3: 移送的案件应当经部门负责人批准方可移送).
- Sending needs a 涉嫌违法案件移送函, at least one 案源材料 (现场检查记录 or 举报投诉材料) and
  证据材料 (二（四）3 移送的案件材料（1）—（3）; 事实清楚、证据齐全; （1）（2）: 将有关证据材料移送);
  other materials are optional. A 鉴定、检测 the related department commissions from a qualified body
  (``commission_appraisal``, 二（四）3（3）) must have its conclusion before sending; the conclusion is
  handed to the bureau with the transfer.
- Until the bureau has decided (closed) a related department's transfer, the department may not grant its
  当事人 a licence (二（四）3（4）; ``licence_hold``, checked by ``portal.models.LicenceDecisionPage``; the party is
  matched by name, ignoring spaces; a transfer whose party is unknown, e.g. a 流动摊贩, holds nothing). When the bureau closes such a
  transfer with a 行政处罚, it 抄告 the decision to the department within 2 working days
  (``notify_penalty``; the clock is ``penalty_notice_due``, listed by ``penalty_notice_rows``).
- 重大安全隐患或必须立即停止违法行为 (``major_hazard``, 二（四）3（5）): the bureau 第一时间到达现场 and
  records when it arrived and what it did (``record_arrival``); it cannot close the transfer before.
- 历史遗留问题 (``historical_issue``, 二（四）3 案件移送的其他情形①): the consultation between the bureau and
  the department and its result are recorded before sending (``record_consultation``).
- The bureau's requests to a related department for 配合取证、认定、鉴定 are ``AssistanceRequest``: the
  materials and 书面意见 within 2 working days, a 延期 told before the due date with its reason
  (二（四）3 综合行政执法部门发现违法行为（1）).
- The receiver answers 受理 or 不予受理 in writing within 5 working days of receipt,
  giving reasons for a refusal (二（四）3: 应在5个工作日内书面告知移送部门是否受理…不予受理的，
  应当书面告知移送部门并说明理由); it answers once. It may ask for
  supplementary materials within an agreed number of working days.
- A suspected crime goes to a judicial organ (公安/检察/法院) and is never closed by a
  行政处罚 (二（三）: 不得以罚代刑; 二（四）3 案件移送的其他情形②: 不得以行政处罚代替移送). A judicial organ that is a member unit (公安分局)
  answers on the portal; otherwise the sender records the organ's written answer.
- Jurisdiction disputes go to 区编办 (职责划分) or 区政府法制办 (法律适用), whose staff
  record the decision. The directive (二（四）3 案件移送的其他情形③) says 应充分协商 first, then
  由区编办、区政府法制办认定 — both together — and, failing that, 报区政府作出决定; the split by kind
  of dispute is the portal's, not the directive's.

Every step writes a ``TransferEvent`` (the timeline both sides see).
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cooperation import limits
from cooperation.models import (
    JUDICIAL_ORGAN_CODES,
    POLICE_CODE,
    AssistanceRequest,
    CaseTransfer,
    TechnicalAppraisal,
    TransferEvent,
    TransferMaterial,
)
from cooperation.permissions import (
    actor_department,
    department_ids,
    member_of,
    sees_every_record,
    speaks_for,
)
from cooperation.states import Machine, TransitionError, lock, refresh, require, require_text, transition
from lib.workdays import add_working_days

S = CaseTransfer.Status
ANSWERABLE = {S.SENT}
MACHINE = Machine(S, [
    transition("edit", "修改移送信息", {S.DRAFT}),
    transition("add_material", "添加移送材料", {S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.SENT}),
    transition("remove_material", "删除移送材料", {S.DRAFT}),
    transition("submit", "提交审批", {S.DRAFT}, S.PENDING_APPROVAL),
    transition("approve", "审批同意移送", {S.PENDING_APPROVAL}, S.APPROVED),
    transition("return", "退回修改", {S.PENDING_APPROVAL}, S.DRAFT),
    transition("send", "移送", {S.APPROVED}, S.SENT),
    transition("request_materials", "要求补充材料", {S.SENT}),
    transition("accept", "作出受理决定", {S.SENT}, S.ACCEPTED),
    transition("reject", "作出不予受理决定", {S.SENT}, S.REJECTED),
    transition("dispute", "提请管辖争议裁定", {S.REJECTED}, S.DISPUTED),
    transition("rule", "登记裁定结果", {S.DISPUTED}, S.RULED),
    transition("close", "办结", {S.ACCEPTED, S.RULED}, S.CLOSED),
    transition("rectify", "登记通知当事人整改", {S.DRAFT, S.PENDING_APPROVAL, S.APPROVED}),
    transition("extend", "延长移送时间", {S.DRAFT, S.PENDING_APPROVAL, S.APPROVED}),
    transition("consult", "登记历史遗留问题协商结果", {S.DRAFT, S.PENDING_APPROVAL, S.APPROVED}),
    transition("appraise", "委托鉴定、检测", {S.DRAFT, S.PENDING_APPROVAL, S.APPROVED}),
    transition("conclude", "登记鉴定、检测结论", {S.DRAFT, S.PENDING_APPROVAL, S.APPROVED}),
    transition("arrive", "登记到达现场", {S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.SENT, S.ACCEPTED}),
    transition("notify_penalty", "抄告行政处罚决定", {S.CLOSED}),
])
# A transfer holds the party's licences from the moment it is sent until the bureau has decided (closed it).
# 不予受理 releases it: the bureau then makes no decision on the matter (二（四）3（4）: 未对移交的违法行为作出行政处罚前).
HOLDING = (S.SENT, S.ACCEPTED, S.DISPUTED, S.RULED)
LICENCE_RULE = "二（四）3（4）"
HAZARD_RULE = "二（四）3（5）"
HISTORY_RULE = "二（四）3 案件移送的其他情形①"


MAX_MATERIAL_DAYS = 30


EVENT_LABELS = {"create": "起草移送", "add_material": "添加移送材料", "supplement": "补充移送材料"}


def _event(transfer: CaseTransfer, action: str, user, *, from_status: str = "", to_status: str = "",
           note: str = "", department=None, label: str = "") -> TransferEvent:
    label = label or EVENT_LABELS.get(action) or MACHINE[action].label
    return TransferEvent.objects.create(
        transfer=transfer, action=action, label=label,
        from_status=from_status, to_status=to_status, actor=user, at=timezone.now(), note=note,
        actor_department=department or actor_department(user, transfer.from_department, transfer.to_department),
    )


def _save(obj, user, **kwargs):
    obj._history_user = user
    obj.save(**kwargs)


def _today(on):
    return on or timezone.localdate()


def _require_sender(user, transfer: CaseTransfer, what: str) -> None:
    require(member_of(user, transfer.from_department),
            f"只有移送部门{transfer.from_department}的工作人员可以{what}。")


def _answering_side(transfer: CaseTransfer):
    """Return the department that answers: the receiver on the portal, else the sender recording the organ's reply."""
    return transfer.to_department if transfer.receiver_on_portal else transfer.from_department


def _require_receiver(user, transfer: CaseTransfer, what: str) -> None:
    if transfer.receiver_on_portal:
        require(speaks_for(user, transfer.to_department),
                f"只有接收部门{transfer.to_department}的分管领导或信息联络员可以{what}。")
    else:
        # A judicial organ outside the portal answers on paper; the sender records its answer.
        _require_sender(user, transfer, f"登记{transfer.get_judicial_organ_display()}的书面答复")


def _validate_destination(from_department, to_department, judicial_organ: str, suspected_crime: bool,
                          case_type: str = "") -> None:
    """Refuse a destination the directive forbids (二（三）; 二（四）3 案件移送的其他情形②; 二（四）6)."""
    require(from_department is not None, "请选择移送部门。")
    require(to_department is not None or bool(judicial_organ), "请选择接收部门或司法机关。")
    require(to_department is None or to_department.pk != from_department.pk, "接收部门不能是移送部门本身。")
    require(not suspected_crime or bool(judicial_organ),
            "涉嫌犯罪的案件应当移送司法机关（二（三）），请选择司法机关。")
    if case_type == CaseTransfer.CaseType.OBSTRUCTION:
        require(to_department is not None and to_department.code == POLICE_CODE
                and judicial_organ in ("", CaseTransfer.JudicialOrgan.POLICE),
                "以暴力、威胁方法阻碍依法行使综合行政执法权的，由公安机关及时依法作出处理（二（四）6），"
                "只能移交区公安分局。")
    else:
        require(not case_type or case_type in CaseTransfer.CaseType.values, "请选择案件类型。")
    require(not judicial_organ or to_department is None or to_department.code == JUDICIAL_ORGAN_CODES.get(judicial_organ),
            "涉嫌犯罪的，应当直接移送司法机关处理，不得再移送其他部门（二（四）3 案件移送的其他情形②）："
            "移送司法机关的，接收部门只能是所选司法机关本身。")


# --- drafting -----------------------------------------------------------------------------------

def create_transfer(user, *, from_department, title: str, facts: str, discovered_date: datetime.date,
                    to_department=None, judicial_organ: str = "", suspected_crime: bool = False,
                    party: str = "", today: datetime.date | None = None, case_type: str = "",
                    licence_breach: bool = False, major_hazard: bool = False,
                    historical_issue: bool = False) -> CaseTransfer:
    """Return a new draft transfer written by a member of the sending department."""
    require(from_department is not None and member_of(user, from_department),
            f"您不是{from_department}的工作人员，不能以该部门名义移送案件。")
    _validate_destination(from_department, to_department, judicial_organ, suspected_crime, case_type)
    require(discovered_date is not None and discovered_date <= _today(today), "发现日期不能晚于今天。")
    with transaction.atomic():
        t = CaseTransfer(
            from_department=from_department, to_department=to_department, judicial_organ=judicial_organ or "",
            suspected_crime=suspected_crime, title=require_text(title, "请填写案由。"),
            facts=require_text(facts, "请填写案件情况。"), discovered_date=discovered_date,
            party=(party or "").strip(), created_by=user, case_type=case_type or CaseTransfer.CaseType.GENERAL,
            licence_breach=licence_breach, major_hazard=major_hazard, historical_issue=historical_issue,
        )
        _save(t, user)
        note = f"应于{t.transfer_due:%Y-%m-%d}前移送（发现之日起2个工作日内）。" if t.transfer_due else ""
        if major_hazard:
            note += f"存在重大安全隐患或必须立即停止违法行为，综合行政执法部门应当在第一时间到达现场（{HAZARD_RULE}）。"
        _event(t, "create", user, to_status=S.DRAFT, department=from_department, note=note)
    return t


def update_transfer(transfer: CaseTransfer, user, **fields) -> CaseTransfer:
    """Change a draft transfer (members of the sending department); return it."""
    allowed = {"title", "facts", "discovered_date", "to_department", "judicial_organ", "suspected_crime", "party",
               "licence_breach", "major_hazard", "historical_issue", "case_type"}
    with transaction.atomic():
        fresh = lock(transfer)
        MACHINE.check("edit", fresh.status)
        _require_sender(user, fresh, "修改移送信息")
        for name, value in fields.items():
            require(name in allowed, f"不能修改字段 {name}。")
            setattr(fresh, name, value)
        _validate_destination(fresh.from_department, fresh.to_department, fresh.judicial_organ, fresh.suspected_crime,
                              fresh.case_type)
        require_text(fresh.title, "请填写案由。")
        require_text(fresh.facts, "请填写案件情况。")
        _save(fresh, user)
    refresh(transfer, fresh)
    return transfer


def add_material(transfer: CaseTransfer, user, *, kind: str, document, description: str = "",
                 on: datetime.date | None = None) -> TransferMaterial:
    """Attach a document to the transfer (sending department); after sending it is a supplementary material."""
    require(kind in TransferMaterial.Kind.values, "请选择材料类型。")
    with transaction.atomic():
        fresh = lock(transfer)
        MACHINE.check("add_material", fresh.status)
        _require_sender(user, fresh, "添加移送材料")
        supplementary = fresh.status == S.SENT
        material = TransferMaterial(transfer=fresh, kind=kind, document=document, supplementary=supplementary,
                                    description=(description or "").strip(), added_by=user)
        _save(material, user)
        label = "补充移送材料" if supplementary else "添加移送材料"
        if supplementary and fresh.materials_request and not fresh.materials_supplied_date:
            fresh.materials_supplied_date = _today(on)
            _save(fresh, user)
        _event(fresh, "add_material", user, label=label,
               note=f"{material.get_kind_display()}：{document.filename}")
    refresh(transfer, fresh)
    return material


def remove_material(material: TransferMaterial, user) -> None:
    """Remove a material from a draft transfer (sending department)."""
    with transaction.atomic():
        fresh = lock(material.transfer)
        MACHINE.check("remove_material", fresh.status)
        _require_sender(user, fresh, "删除移送材料")
        note = f"{material.get_kind_display()}：{material.document.filename}"
        material._history_user = user
        material.delete()
        _event(fresh, "remove_material", user, note=note)


# --- approval and sending ---------------------------------------------------------------------------

def _transition(transfer: CaseTransfer, action: str, user, *, check, apply=None, note="", precheck=None) -> CaseTransfer:
    """Run one step: lock the row, check the transition and the actor, apply the changes, log the event.

    ``precheck`` runs before the status check (for a more precise refusal, e.g. a second answer);
    ``check`` raises TransitionError to refuse; ``apply`` returns the fields to set; ``note``
    (a string, or a callable run after saving) is the timeline's text.
    """
    with transaction.atomic():
        fresh = lock(transfer)
        if precheck:
            precheck(fresh)
        t = MACHINE.check(action, fresh.status)
        check(fresh)
        before = fresh.status
        for name, value in (apply(fresh) if apply else {}).items():
            setattr(fresh, name, value)
        if t.target:
            fresh.status = t.target
        _save(fresh, user)
        _event(fresh, action, user, from_status=before, to_status=fresh.status if t.target else "",
               note=note() if callable(note) else note)
    refresh(transfer, fresh)
    return transfer


def submit(transfer: CaseTransfer, user, *, note: str = "") -> CaseTransfer:
    """Submit a draft for the department head's approval (members of the sending department)."""
    return _transition(transfer, "submit", user, note=(note or "").strip(),
                       check=lambda t: _require_sender(user, t, "提交审批"))


def _require_head(user, t: CaseTransfer, what: str) -> None:
    leader = t.from_department.leader
    who = f"（{leader.get_full_name()}）" if leader else "（该部门尚未指定分管领导）"
    require(leader is not None and leader.pk == user.pk,
            f"案件移送须经移送部门{t.from_department}的分管领导{who}审批，您不能{what}。")


def approve(transfer: CaseTransfer, user, *, note: str = "") -> CaseTransfer:
    """The sending department's 分管领导 approves the transfer."""
    return _transition(transfer, "approve", user, note=(note or "").strip() or "同意移送。",
                       check=lambda t: _require_head(user, t, "审批"),
                       apply=lambda t: {"approved_by": user, "approved_at": timezone.now()})


def return_for_revision(transfer: CaseTransfer, user, *, note: str) -> CaseTransfer:
    """The 分管领导 sends the draft back with the reason; the approval is cleared."""
    def check(t):
        _require_head(user, t, "退回")
        require_text(note, "请说明退回修改的理由。")

    return _transition(transfer, "return", user, note=(note or "").strip(), check=check,
                       apply=lambda t: {"approved_by": None, "approved_at": None})


def send(transfer: CaseTransfer, user, *, on: datetime.date | None = None, note: str = "") -> CaseTransfer:
    """Send an approved transfer with its mandatory materials; the receiver's 5-working-day clock starts."""
    sent = _today(on)

    def check(t):
        _require_sender(user, t, "移送")
        for problem in send_blockers(t):
            raise TransitionError(problem)
        missing = limits.missing_materials(t.materials.values_list("kind", flat=True))
        require(not missing, f"缺少必需的移送材料：{'、'.join(missing)}。请先上传后再移送"
                             "（二（四）3：移送的案件应当做到事实清楚、证据齐全，移送的案件材料应当包括证据材料）。")
        require(sent >= t.discovered_date, "移送日期不能早于发现日期。")

    def apply(t):
        t.appraisals.filter(conclusion_date__isnull=False).update(handed_over_date=sent)
        # Delivered through the platform, the transfer is received the day it is sent.
        return {"sent_by": user, "sent_date": sent,
                "answer_due": limits.safe_deadline(limits.acceptance_reply_deadline, sent)}

    def describe():
        fresh = CaseTransfer.objects.get(pk=transfer.pk)
        parts = [note.strip()] if note and note.strip() else []
        if fresh.send_due and sent > fresh.send_due:
            if fresh.extended_due:
                parts.append(f"超过延长后的应移送日期{fresh.send_due:%Y-%m-%d}（二（四）3（1））。")
            else:
                parts.append(f"超过应移送日期{fresh.send_due:%Y-%m-%d}（二（四）3：2个工作日内移送）。")
        elif fresh.extended_due and fresh.transfer_due and sent > fresh.transfer_due:
            parts.append(f"在延长后的应移送日期{fresh.extended_due:%Y-%m-%d}内移送（二（四）3（1）：如有特殊情况，可适当延长）。")
        appraisals = fresh.appraisals.count()
        if appraisals:
            parts.append(f"随案移交鉴定、检测结论{appraisals}份（二（四）3（3））。")
        if fresh.answer_due:
            parts.append(f"接收部门应于{fresh.answer_due:%Y-%m-%d}前书面答复是否受理（二（四）3）。")
        return "".join(parts)

    return _transition(transfer, "send", user, check=check, apply=apply, note=describe)


# --- the receiver's answer -----------------------------------------------------------------------------

def request_materials(transfer: CaseTransfer, user, *, request: str, days: int,
                      on: datetime.date | None = None) -> CaseTransfer:
    """The receiver asks for supplementary materials within ``days`` working days (agreed with the sender)."""
    asked = _today(on)

    def check(t):
        _require_receiver(user, t, "要求补充材料")
        require_text(request, "请写明需要补充的材料。")
        require(isinstance(days, int) and 1 <= days <= MAX_MATERIAL_DAYS,
                f"补充材料的期限应为1至{MAX_MATERIAL_DAYS}个工作日。")

    def apply(t):
        return {"materials_request": request.strip(), "materials_supplied_date": None,
                "materials_due": limits.safe_deadline(add_working_days, asked, days)}

    return _transition(transfer, "request_materials", user, check=check, apply=apply,
                       note=f"{(request or '').strip()}（{days}个工作日内补充）")


def answer(transfer: CaseTransfer, user, *, accept: bool, reasons: str = "",
           on: datetime.date | None = None) -> CaseTransfer:
    """Record the written decision 受理 or 不予受理 (with reasons); a transfer is answered once (二（四）3)."""
    answered = _today(on)
    action = "accept" if accept else "reject"
    reasons = (reasons or "").strip()

    def precheck(t):
        if t.answered_date:
            decision = "受理" if t.status in (S.ACCEPTED, S.CLOSED) else "不予受理"
            raise TransitionError(f"该移送案件已于{t.answered_date:%Y-%m-%d}作出“{decision}”的书面答复，不能重复答复。")

    def check(t):
        _require_receiver(user, t, "答复是否受理")
        if not accept:
            require(bool(reasons), "不予受理的，应当书面告知移送部门并说明理由（二（四）3）。")
        require(answered >= t.sent_date, "答复日期不能早于移送日期。")

    def describe():
        fresh = CaseTransfer.objects.get(pk=transfer.pk)
        late = fresh.answer_due and answered > fresh.answer_due
        text = reasons or ("决定受理。" if accept else "")
        if not fresh.receiver_on_portal:
            text = f"登记{fresh.get_judicial_organ_display()}书面答复：{text}"
        return text + (f"（超过应答复日期{fresh.answer_due:%Y-%m-%d}）" if late else "")

    return _transition(transfer, action, user, check=check, note=describe, precheck=precheck,
                       apply=lambda t: {"answered_by": user, "answered_date": answered, "answer_reasons": reasons})


# --- disputes and closing ------------------------------------------------------------------------------

def raise_dispute(transfer: CaseTransfer, user, *, kind: str, arbiter, reason: str,
                  on: datetime.date | None = None) -> CaseTransfer:
    """Either side takes a refused transfer to 区编办 or 区政府法制办 for a decision (二（四）3 案件移送的其他情形③, see above)."""
    def check(t):
        require(speaks_for(user, t.from_department) or (t.to_department and speaks_for(user, t.to_department)),
                "只有争议双方部门的分管领导或信息联络员可以提请裁定。")
        require(kind in CaseTransfer.DisputeKind.values, "请选择争议类型（职责划分或法律适用）。")
        require(arbiter is not None, "请选择协调确定的机关（区编办或区政府法制办）。")
        require(arbiter.pk not in {t.from_department_id, t.to_department_id}, "争议一方不能作为协调确定机关。")
        require_text(reason, "请说明争议理由。")

    return _transition(
        transfer, "dispute", user, check=check, note=f"提请{arbiter}协调确定：{(reason or '').strip()}",
        apply=lambda t: {"dispute_kind": kind, "arbiter": arbiter, "dispute_reason": reason.strip(),
                         "dispute_raised_by": user, "dispute_raised_date": _today(on)},
    )


def record_ruling(transfer: CaseTransfer, user, *, ruling: str, text: str,
                  on: datetime.date | None = None) -> CaseTransfer:
    """The arbiter's staff record its decision on jurisdiction (二（四）3 案件移送的其他情形③: 由区编办、区政府法制办认定)."""
    def check(t):
        require(speaks_for(user, t.arbiter), f"只有{t.arbiter}的分管领导或信息联络员可以登记裁定结果。")
        require(ruling in CaseTransfer.Ruling.values, "请选择裁定结果。")
        require_text(text, "请填写裁定意见。")

    label = CaseTransfer.Ruling(ruling).label if ruling in CaseTransfer.Ruling.values else ""
    return _transition(
        transfer, "rule", user, check=check, note=f"{label}。{(text or '').strip()}",
        apply=lambda t: {"ruling": ruling, "ruling_text": text.strip(), "ruled_by": user, "ruled_date": _today(on)},
    )


def closing_side(transfer: CaseTransfer):
    """Return the department that reports the result, or None when nobody can close (ruled to a third party)."""
    if transfer.status == S.RULED:
        if transfer.ruling == CaseTransfer.Ruling.RECEIVER:
            return _answering_side(transfer)
        if transfer.ruling == CaseTransfer.Ruling.SENDER:
            return transfer.from_department
        return None
    return _answering_side(transfer)


def close(transfer: CaseTransfer, user, *, outcome: str, result: str, on: datetime.date | None = None) -> CaseTransfer:
    """Record the result of an accepted (or ruled) transfer; a suspected crime is never closed by a penalty."""
    def check(t):
        side = closing_side(t)
        require(side is not None, "裁定由其他部门管辖的，请由移送部门另行移送有管辖权的部门，本移送不能办结。")
        require(speaks_for(user, side) or (side == t.from_department and member_of(user, side)),
                f"只有{side}的分管领导或信息联络员可以登记处理结果。")
        require(outcome in CaseTransfer.Outcome.values, "请选择处理结果类型。")
        require(not (t.suspected_crime and outcome == CaseTransfer.Outcome.PENALTY),
                "涉嫌犯罪的案件不得以行政处罚代替移送（二（三）、二（四）3），不能以“作出行政处罚”办结。")
        require(not (t.major_hazard and t.to_department_id and t.to_department.is_bureau and t.arrived_at is None),
                f"该案件存在重大安全隐患或必须立即停止违法行为，请先登记综合行政执法部门到达现场的时间和采取的措施（{HAZARD_RULE}）。")
        require_text(result, "请填写处理结果。")

    def apply(t):
        closed = _today(on)
        fields = {"outcome": outcome, "result": result.strip(), "closed_by": user, "closed_date": closed}
        if outcome == CaseTransfer.Outcome.PENALTY and t.to_bureau and closing_side(t) == t.to_department:
            fields["penalty_notice_due"] = limits.safe_deadline(limits.penalty_notice_deadline, closed)
        return fields

    def describe():
        fresh = CaseTransfer.objects.get(pk=transfer.pk)
        text = (f"{CaseTransfer.Outcome(outcome).label if outcome in CaseTransfer.Outcome.values else ''}："
                f"{(result or '').strip()}")
        if fresh.penalty_notice_due:
            text += (f"行政处罚决定应于{fresh.penalty_notice_due:%Y-%m-%d}前抄告{fresh.from_department}"
                     f"（{LICENCE_RULE}：2个工作日内）。")
        return text

    return _transition(transfer, "close", user, check=check, note=describe, apply=apply)


# --- who sees what, who may do what ---------------------------------------------------------------------

def visible_transfers(user) -> QuerySet:
    """Return the transfers the user may see: those of their departments (either side or arbiter), or all."""
    qs = CaseTransfer.objects.select_related("from_department", "to_department", "arbiter")
    if sees_every_record(user):
        return qs
    ids = department_ids(user)
    if not ids:
        return qs.none()
    return qs.filter(Q(from_department__in=ids) | Q(to_department__in=ids) | Q(arbiter__in=ids))


def can_view_transfer(user, transfer: CaseTransfer) -> bool:
    """Return True when the user may see the transfer, its materials and its timeline."""
    if sees_every_record(user):
        return True
    ids = department_ids(user)
    return bool(ids & {transfer.from_department_id, transfer.to_department_id, transfer.arbiter_id})


def transfer_actions(transfer: CaseTransfer, user) -> list[str]:
    """Return the actions open to the user on this transfer now (for buttons; the functions check again)."""
    checks = {
        "edit": lambda t: member_of(user, t.from_department),
        "add_material": lambda t: member_of(user, t.from_department),
        "remove_material": lambda t: member_of(user, t.from_department),
        "submit": lambda t: member_of(user, t.from_department),
        "approve": lambda t: t.from_department.leader_id == user.pk,
        "return": lambda t: t.from_department.leader_id == user.pk,
        "send": lambda t: member_of(user, t.from_department),
        "request_materials": lambda t: t.receiver_on_portal and speaks_for(user, t.to_department),
        "accept": lambda t: _may_answer(user, t),
        "reject": lambda t: _may_answer(user, t),
        "dispute": lambda t: speaks_for(user, t.from_department) or bool(
            t.to_department and speaks_for(user, t.to_department)),
        "rule": lambda t: t.arbiter is not None and speaks_for(user, t.arbiter),
        "close": lambda t: (side := closing_side(t)) is not None and (
            speaks_for(user, side) or (side == t.from_department and member_of(user, side))),
        "rectify": lambda t: t.licence_breach and member_of(user, t.from_department),
        "extend": lambda t: t.licence_breach and not t.extension_days and member_of(user, t.from_department),
        "consult": lambda t: t.historical_issue and member_of(user, t.from_department),
        "appraise": lambda t: t.to_bureau and member_of(user, t.from_department),
        "arrive": lambda t: t.major_hazard and t.arrived_at is None and bool(
            t.to_department and t.to_department.is_bureau and member_of(user, t.to_department)),
        "notify_penalty": lambda t: bool(t.penalty_notice_due and not t.penalty_notified_date
                                         and speaks_for(user, t.to_department)),
    }
    return [a for a, ok in checks.items() if MACHINE.allows(a, transfer.status) and ok(transfer)]


def _may_answer(user, t: CaseTransfer) -> bool:
    if t.answered_date:
        return False
    if t.receiver_on_portal:
        return speaks_for(user, t.to_department)
    return member_of(user, t.from_department)


# --- before sending: 整改, extension, consultation, appraisal (二（四）3（1）（3）, 其他情形①) -------------------

def send_blockers(t: CaseTransfer) -> list[str]:
    """Return why the transfer cannot be sent yet, beyond its materials (each a Chinese sentence citing its rule)."""
    problems = []
    if t.licence_breach and not t.rectification_date:
        problems.append("当事人违反本部门行政许可规定的，应当通知当事人整改（二（四）3（1））：请先登记整改通知的日期和内容。")
    if t.historical_issue and not t.consultation_date:
        problems.append(f"对于历史遗留问题，在移送前，综合行政执法部门与相关行政管理部门应当进行充分协商（{HISTORY_RULE}）："
                        "请先登记协商情况和协商结果。")
    pending = [a for a in t.appraisals.all() if a.conclusion_date is None]
    if pending:
        problems.append(f"委托的鉴定、检测尚未作出结论（{len(pending)}项）：鉴定、检测机构作出结论后，方可移交综合行政执法部门处理"
                        "（二（四）3（3））。")
    return problems


def _step(transfer: CaseTransfer, action: str, user, *, check, apply, note) -> CaseTransfer:
    return _transition(transfer, action, user, check=check, apply=apply, note=note)


def record_rectification(transfer: CaseTransfer, user, *, notified: datetime.date, content: str,
                         on: datetime.date | None = None) -> CaseTransfer:
    """Record that the department 通知当事人整改 (date, content) of a licensed party's breach (二（四）3（1））."""
    def check(t):
        _require_sender(user, t, "登记通知当事人整改")
        require(t.licence_breach, "只有当事人违反本部门行政许可规定的移送（二（四）3（1））需登记通知整改；请先在移送信息中勾选。")
        require(notified is not None and t.discovered_date <= notified <= _today(on),
                "整改通知日期应在发现日期之后，且不能晚于今天。")
        require_text(content, "请填写整改通知的内容。")

    return _step(transfer, "rectify", user, check=check,
                 apply=lambda t: {"rectification_date": notified, "rectification_content": content.strip(),
                                  "rectification_by": user},
                 note=f"{notified:%Y-%m-%d}通知当事人整改：{(content or '').strip()}" if notified else "")


def extend_transfer_limit(transfer: CaseTransfer, user, *, days: int, reason: str,
                          on: datetime.date | None = None) -> CaseTransfer:
    """Extend the 2-working-day limit by ``days`` working days for a 特殊情况, recorded with its reason (二（四）3（1））."""
    today = _today(on)

    def check(t):
        _require_sender(user, t, "延长移送时间")
        require(t.licence_breach, "只有当事人违反本部门行政许可规定的移送，如有特殊情况可延长移送时间（二（四）3（1））；"
                                  "其他移送应在2个工作日内完成。")
        require(not t.extension_days, f"移送时间已延长至{t.extended_due:%Y-%m-%d}，不能再次延长。"
                if t.extended_due else "移送时间已延长，不能再次延长。")
        require(isinstance(days, int) and 1 <= days <= limits.MAX_EXTENSION_DAYS,
                f"延长时间应为1至{limits.MAX_EXTENSION_DAYS}个工作日（本意见只说“可适当延长”，上限为平台自定）。")
        require_text(reason, "请说明需要延长时间的特殊情况（二（四）3（1））。")
        require(t.transfer_due is None or today <= t.transfer_due,
                f"原定应移送日期{t.transfer_due:%Y-%m-%d}已过，不能再登记延长（平台规则：延长应在期限届满前登记）。"
                if t.transfer_due else "")

    def describe():
        fresh = CaseTransfer.objects.get(pk=transfer.pk)
        due = f"，应于{fresh.extended_due:%Y-%m-%d}前移送" if fresh.extended_due else ""
        return f"因特殊情况延长{days}个工作日{due}（二（四）3（1））：{(reason or '').strip()}"

    return _step(transfer, "extend", user, check=check, note=describe,
                 apply=lambda t: {"extension_days": days, "extension_reason": reason.strip(), "extended_by": user,
                                  "extended_date": today})


def record_consultation(transfer: CaseTransfer, user, *, held: datetime.date, parties: str, result: str,
                        on: datetime.date | None = None) -> CaseTransfer:
    """Record the consultation on a 历史遗留问题 between the bureau and the department, and its result."""
    def check(t):
        _require_sender(user, t, "登记协商结果")
        require(t.historical_issue, "只有历史遗留问题需要在移送前登记协商结果；请先在移送信息中勾选“历史遗留问题”。")
        require(t.from_department.is_bureau or bool(t.to_department and t.to_department.is_bureau),
                f"历史遗留问题由综合行政执法部门与相关行政管理部门协商（{HISTORY_RULE}），本移送的双方没有综合行政执法部门。")
        require(held is not None and held <= _today(on), "协商日期不能晚于今天。")
        require_text(parties, "请填写参加协商的单位和人员。")
        require_text(result, "请填写协商结果。")

    return _step(transfer, "consult", user, check=check,
                 apply=lambda t: {"consultation_date": held, "consultation_parties": parties.strip(),
                                  "consultation_result": result.strip(), "consultation_by": user},
                 note=f"{held:%Y-%m-%d}协商（{(parties or '').strip()}）：{(result or '').strip()}" if held else "")


def commission_appraisal(transfer: CaseTransfer, user, *, kind: str, items: str, institution: str,
                         qualification: str, commissioned: datetime.date,
                         on: datetime.date | None = None) -> TechnicalAppraisal:
    """The related department commissions a qualified body for a 鉴定 or 检测 (二（四）3（3））; return the record."""
    with transaction.atomic():
        fresh = lock(transfer)
        MACHINE.check("appraise", fresh.status)
        _require_sender(user, fresh, "委托鉴定、检测")
        require(fresh.to_bureau, "需要技术鉴定、检测的事项，由相关行政管理部门委托鉴定、检测后移交综合行政执法部门处理"
                                 "（二（四）3（3））：只有相关行政管理部门向综合行政执法部门的移送可以登记委托。")
        require(kind in TechnicalAppraisal.Kind.values, "请选择鉴定或检测。")
        require(commissioned is not None and commissioned <= _today(on), "委托日期不能晚于今天。")
        appraisal = TechnicalAppraisal(
            transfer=fresh, kind=kind, items=require_text(items, "请填写鉴定、检测事项。"),
            institution=require_text(institution, "请填写受委托的鉴定、检测机构。"),
            qualification=require_text(qualification, "请填写受委托机构的鉴定、检测资质（资质证书名称及编号）（二（四）3（3）：具备鉴定资质的机构）。"),
            commissioned_date=commissioned, commissioned_by=user)
        _save(appraisal, user)
        _event(fresh, "appraise", user, note=f"委托{appraisal.institution}（{appraisal.qualification}）"
                                             f"{appraisal.get_kind_display()}：{appraisal.items}")
    refresh(transfer, fresh)
    return appraisal


def record_appraisal_conclusion(appraisal: TechnicalAppraisal, user, *, conclusion: str,
                                concluded: datetime.date, document=None,
                                on: datetime.date | None = None) -> TechnicalAppraisal:
    """Record the body's conclusion (and its report, carried as a material of the transfer)."""
    with transaction.atomic():
        fresh = lock(appraisal.transfer)
        MACHINE.check("conclude", fresh.status)
        _require_sender(user, fresh, "登记鉴定、检测结论")
        row = TechnicalAppraisal.objects.select_for_update().get(pk=appraisal.pk)
        require(row.conclusion_date is None, f"该{row.get_kind_display()}已于{row.conclusion_date}登记结论。"
                if row.conclusion_date else "")
        require(concluded is not None and row.commissioned_date <= concluded <= _today(on),
                "结论日期应在委托日期之后，且不能晚于今天。")
        row.conclusion = require_text(conclusion, "请填写鉴定、检测结论。")
        row.conclusion_date, row.conclusion_by = concluded, user
        _save(row, user)
        if document is not None:
            _save(TransferMaterial(transfer=fresh, kind=TransferMaterial.Kind.APPRAISAL, document=document,
                                   description=f"{row.institution}{row.get_kind_display()}结论", added_by=user), user)
        _event(fresh, "conclude", user, note=f"{row.institution}{row.get_kind_display()}结论（{concluded:%Y-%m-%d}）："
                                             f"{row.conclusion}")
    refresh(appraisal, row)
    return appraisal


# --- the bureau on site, and its penalty decision 抄告 (二（四）3（5）（4）) -------------------------------------

def record_arrival(transfer: CaseTransfer, user, *, arrived_at: datetime.datetime, measures: str) -> CaseTransfer:
    """The bureau records when it arrived on site and the measures it took to stop the violation (二（四）3（5））."""
    def check(t):
        require(t.major_hazard, f"只有存在重大安全隐患或必须立即停止违法行为的移送需登记到达现场（{HAZARD_RULE}）。")
        require(t.to_department is not None and t.to_department.is_bureau and member_of(user, t.to_department),
                f"到达现场由综合行政执法部门登记（{HAZARD_RULE}）。")
        require(t.arrived_at is None, "已登记到达现场的时间。")
        require(arrived_at is not None and arrived_at <= timezone.now(), "到达现场时间不能晚于现在。")
        require(timezone.localtime(arrived_at).date() >= t.discovered_date, "到达现场时间不能早于发现日期。")
        require_text(measures, "请填写到场后在相关行政管理部门配合、协助下采取的制止措施。")

    return _step(transfer, "arrive", user, check=check,
                 apply=lambda t: {"arrived_at": arrived_at, "arrival_measures": measures.strip(),
                                  "arrival_recorded_by": user},
                 note=(f"{timezone.localtime(arrived_at):%Y-%m-%d %H:%M}到达现场（{HAZARD_RULE}：第一时间到达现场）："
                       f"{(measures or '').strip()}") if arrived_at else "")


def notify_penalty(transfer: CaseTransfer, user, *, notice: str, on: datetime.date | None = None) -> CaseTransfer:
    """The bureau 抄告 its 行政处罚决定 to the transferring department (二（四）3（4）: 2个工作日内)."""
    notified = _today(on)

    def check(t):
        require(t.penalty_notice_due is not None, "只有综合行政执法部门对移交案件作出的行政处罚决定需要抄告移送部门。")
        require(t.penalty_notified_date is None, f"已于{t.penalty_notified_date}抄告。" if t.penalty_notified_date else "")
        require(speaks_for(user, t.to_department), f"抄告由{t.to_department}的分管领导或信息联络员办理。")
        require(notified >= t.closed_date, "抄告日期不能早于处罚决定日期。")
        require_text(notice, "请填写抄告的处罚决定内容（决定书文号、处罚内容）。")

    def describe():
        fresh = CaseTransfer.objects.get(pk=transfer.pk)
        late = f"（超过应抄告日期{fresh.penalty_notice_due:%Y-%m-%d}）" if notified > fresh.penalty_notice_due else ""
        return f"抄告{fresh.from_department}：{(notice or '').strip()}{late}"

    return _step(transfer, "notify_penalty", user, check=check, note=describe,
                 apply=lambda t: {"penalty_notified_date": notified, "penalty_notice": notice.strip(),
                                  "penalty_notified_by": user})


def penalty_notice_rows(user, today: datetime.date | None = None) -> list[dict]:
    """Return the 抄告 clock's rows the user may see (bureau and transferring department): overdue first."""
    today = _today(today)
    rows = []
    for t in visible_transfers(user).filter(penalty_notice_due__isnull=False):
        rows.append({"transfer": t, "due": t.penalty_notice_due, "notified": t.penalty_notified_date,
                     "status": t.penalty_notice_status(today)})
    order = {"overdue": 0, "due_soon": 1, "pending": 2, "unknown": 3, "late": 4, "on_time": 5}
    return sorted(rows, key=lambda r: (order.get(r["status"], 9), r["due"]))


# --- the licence hold (二（四）3（4）) ---------------------------------------------------------------------

def _party_key(name: str) -> str:
    return "".join((name or "").split())


def licence_hold(department, party: str) -> CaseTransfer | None:
    """Return an open transfer of ``department`` to the bureau against ``party`` (sent, not yet decided), or None."""
    key = _party_key(party)
    if department is None or not key:
        return None
    candidates = CaseTransfer.objects.filter(from_department=department, to_department__is_bureau=True,
                                             status__in=HOLDING).select_related("to_department")
    return next((t for t in candidates.order_by("sent_date", "pk") if _party_key(t.party) == key), None)


def licence_hold_message(department, party: str) -> str:
    """Return the Chinese refusal for granting ``party`` a licence of ``department``, or "" when nothing holds it."""
    t = licence_hold(department, party)
    if t is None:
        return ""
    return (f"不能为当事人“{party.strip()}”办理行政许可：本部门移交{t.to_department}的案件“{t.title}”（{t.number}，"
            f"{t.get_status_display()}）尚未作出处理决定。综合行政执法部门未对移交的违法行为作出行政处罚前，"
            f"相关行政管理部门不得为当事人办理行政许可手续（{LICENCE_RULE}）。")


# --- 配合取证、认定、鉴定 (二（四）3 综合行政执法部门发现违法行为（1）) ----------------------------------------

def request_assistance(user, *, bureau, department, kind: str, subject: str, details: str,
                       received_date: datetime.date | None = None) -> AssistanceRequest:
    """The bureau asks a related department to 配合取证、认定、鉴定; the 2-working-day clock starts on receipt."""
    received = _today(received_date)
    require(bureau is not None and bureau.is_bureau and member_of(user, bureau),
            "配合取证、认定、鉴定请求由综合行政执法部门的工作人员提出。")
    require(department is not None and department.pk != bureau.pk, "请选择需要配合的相关行政管理部门。")
    require(kind in AssistanceRequest.Kind.values, "请选择配合事项类型（配合取证、认定或鉴定）。")
    with transaction.atomic():
        req = AssistanceRequest(bureau=bureau, department=department, kind=kind,
                                subject=require_text(subject, "请填写案件或事项。"),
                                details=require_text(details, "请写明需要配合的内容。"), received_date=received,
                                requested_by=user)
        _save(req, user)
    return req


def _locked_request(req: AssistanceRequest) -> AssistanceRequest:
    return AssistanceRequest.objects.select_for_update().select_related("bureau", "department").get(pk=req.pk)


def notify_assistance_delay(req: AssistanceRequest, user, *, reason: str, new_due: datetime.date,
                            on: datetime.date | None = None) -> AssistanceRequest:
    """The department tells the bureau in advance (by the due date) that it needs until ``new_due``, and why."""
    told = _today(on)
    with transaction.atomic():
        fresh = _locked_request(req)
        require(fresh.status == AssistanceRequest.Status.SUBMITTED,
                f"当前状态为“{fresh.get_status_display()}”，不能告知延期。")
        require(speaks_for(user, fresh.department), f"延期由{fresh.department}的分管领导或信息联络员告知。")
        require(fresh.due_date is None or told <= fresh.due_date,
                f"因特殊情况需延期的，应当事先告知（{limits.ASSISTANCE_RULE}）：应提供日期{fresh.due_date:%Y-%m-%d}已过，"
                "不能再告知延期。" if fresh.due_date else "")
        require(new_due is not None and (fresh.due_date is None or new_due > fresh.due_date),
                "延期后的提供日期应晚于原应提供日期。")
        fresh.delay_reason = require_text(reason, "请说明需延期的特殊情况。")
        fresh.delay_notified_date, fresh.delayed_due, fresh.delay_notified_by = told, new_due, user
        fresh.status = AssistanceRequest.Status.DELAYED
        _save(fresh, user)
    refresh(req, fresh)
    return req


def answer_assistance(req: AssistanceRequest, user, *, opinion: str, document=None, vouched: bool = False,
                      on: datetime.date | None = None) -> AssistanceRequest:
    """The department provides its 书面意见 (and evidence) and answers for their 真实性、准确性."""
    answered = _today(on)
    with transaction.atomic():
        fresh = _locked_request(req)
        require(fresh.status != AssistanceRequest.Status.ANSWERED, "已出具书面意见，不能重复出具。")
        require(speaks_for(user, fresh.department), f"书面意见由{fresh.department}的分管领导或信息联络员出具。")
        require(answered >= fresh.received_date, "出具日期不能早于收到请求日期。")
        require(vouched, f"相关行政管理部门对材料的真实性、准确性负责（{limits.ASSISTANCE_RULE}）：请确认后出具。")
        fresh.opinion = require_text(opinion, "请填写书面意见。")
        fresh.document, fresh.answered_date, fresh.answered_by = document, answered, user
        fresh.status = AssistanceRequest.Status.ANSWERED
        _save(fresh, user)
    refresh(req, fresh)
    return req


def visible_assistance(user) -> QuerySet:
    """Return the assistance requests of the user's departments (either side), or all for those who see all."""
    qs = AssistanceRequest.objects.select_related("bureau", "department")
    if sees_every_record(user):
        return qs
    ids = department_ids(user)
    return qs.filter(Q(bureau__in=ids) | Q(department__in=ids)) if ids else qs.none()


def can_view_assistance(user, req: AssistanceRequest) -> bool:
    """Return True when the user may see the request and its materials (either side, or those who see all)."""
    return sees_every_record(user) or bool(department_ids(user) & {req.bureau_id, req.department_id})


def assistance_actions(req: AssistanceRequest, user) -> list[str]:
    """Return the actions open to the user on the request now."""
    if req.status == AssistanceRequest.Status.ANSWERED or not speaks_for(user, req.department):
        return []
    return ["delay", "answer"] if req.status == AssistanceRequest.Status.SUBMITTED else ["answer"]
