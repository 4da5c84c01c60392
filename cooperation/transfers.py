"""案件移送 (周政办字〔2018〕18号 二（四）3): draft, approval, materials, sending, the written answer, disputes, result.

A transfer::

    草稿 --提交审批--> 待审批 --审批同意--> 已审批 --移送--> 已移送 --受理--> 已受理 --办结--> 已办结
                         └--退回修改--> 草稿                  └--不予受理(说明理由)--> 不予受理
                                                                --提请裁定--> 管辖争议待裁定 --登记裁定--> 已裁定

- Whoever discovers a violation outside their competence transfers it within 2
  working days of discovery (二（四）3: （1）（2） for the related departments, （3） of the bureau's own
  list for the bureau); a late transfer is still sent, and counted late. The directive lets the
  2 days be extended 如有特殊情况 (二（四）3（1）); the portal does not yet record such an extension.
- The department head — the 分管领导 of the sending department — approves before sending
  (二（四）3: 移送的案件应当经部门负责人批准方可移送).
- Sending needs a 涉嫌违法案件移送函 and at least one 案源材料 (现场检查记录 or
  举报投诉材料) among the materials (二（四）3 移送的案件材料（1）（2）); evidence and other materials
  are optional here, though the directive lists them too (（3）（4）: 事实清楚、证据齐全).
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
from cooperation.models import JUDICIAL_ORGAN_CODES, POLICE_CODE, CaseTransfer, TransferEvent, TransferMaterial
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
])

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
                    party: str = "", today: datetime.date | None = None, case_type: str = "") -> CaseTransfer:
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
        )
        _save(t, user)
        _event(t, "create", user, to_status=S.DRAFT, department=from_department,
               note=f"应于{t.transfer_due:%Y-%m-%d}前移送（发现之日起2个工作日内）。" if t.transfer_due else "")
    return t


def update_transfer(transfer: CaseTransfer, user, **fields) -> CaseTransfer:
    """Change a draft transfer (members of the sending department); return it."""
    allowed = {"title", "facts", "discovered_date", "to_department", "judicial_organ", "suspected_crime", "party",
               "case_type"}
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
        missing = limits.missing_materials(t.materials.values_list("kind", flat=True))
        require(not missing, f"缺少必需的移送材料：{'、'.join(missing)}。请先上传后再移送（二（四）3：移送的案件材料）。")
        require(sent >= t.discovered_date, "移送日期不能早于发现日期。")

    def apply(t):
        # Delivered through the platform, the transfer is received the day it is sent.
        return {"sent_by": user, "sent_date": sent,
                "answer_due": limits.safe_deadline(limits.acceptance_reply_deadline, sent)}

    def describe():
        fresh = CaseTransfer.objects.get(pk=transfer.pk)
        parts = [note.strip()] if note and note.strip() else []
        if fresh.transfer_due and sent > fresh.transfer_due:
            parts.append(f"超过应移送日期{fresh.transfer_due:%Y-%m-%d}（二（四）3：2个工作日内移送）。")
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
        require_text(result, "请填写处理结果。")

    return _transition(
        transfer, "close", user, check=check,
        note=f"{CaseTransfer.Outcome(outcome).label if outcome in CaseTransfer.Outcome.values else ''}："
             f"{(result or '').strip()}",
        apply=lambda t: {"outcome": outcome, "result": result.strip(), "closed_by": user, "closed_date": _today(on)},
    )


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
    }
    return [a for a, ok in checks.items() if MACHINE.allows(a, transfer.status) and ok(transfer)]


def _may_answer(user, t: CaseTransfer) -> bool:
    if t.answered_date:
        return False
    if t.receiver_on_portal:
        return speaks_for(user, t.to_department)
    return member_of(user, t.from_department)
