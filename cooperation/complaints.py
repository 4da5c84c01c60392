"""首问负责 (周政办字〔2018〕18号 二（四）4): the register of reports, complaints and petitions, and its shared status.

A record::

    已登记 --分办--> 办理中 --答复并办结--> 已办结

- The department that first receives a matter is responsible for it (首问责任部门) and
  registers it with the person's name and phone (personal data).
- It classifies the matter (二（四）4): its own competence (本部门办理); another
  department's — verify preliminarily (初步调查核实), then transfer by the case-transfer
  rules (按照案件移送制度的相关规定办理, so within the 2 working days of 二（四）3) and tell
  the person (移送); clearly outside its functions — tell the person to go to the competent
  organ (告知…向有权的机关提出, 告知去向).
- The department that finally handles the matter (最终办结部门) replies to the person and closes it
  (二（四）4: 涉及划转行政处罚事项的举报、投诉、信访，由最终办结部门负责向举报人、投诉人或信访人进行答复).
  ``final_department`` says which: the first department for a matter it handles itself or
  refers elsewhere (告知); for a matter it transferred, the department that closed the linked
  ``CaseTransfer`` (the receiver, or the sender again when the jurisdiction ruling gives it back).
  Until that transfer is closed, nobody can close the matter, and the first department can
  never reply for a matter another department handled. Closing without a reply is refused.
- The handling department may ask a related department's opinion, and the asked department
  answers on the portal (二（四）4: 需征求相关行政管理部门意见的，相关行政管理部门要予以配合):
  ``ask_opinion`` / ``give_opinion`` record which department, asked when, and its answer.
  The directive sets no time limit for the answer.
- The handling status is shareable information (二（四）5（8）: 举报、投诉、信访案件的受理与处理情况);
  ``publish_handling`` drafts a ``ComplaintHandlingPage`` with the person's name,
  phone and other personal data masked (二（四）5: 不得泄露…个人隐私), for the usual review and 签发.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import escape

from cooperation import limits, transfers
from cooperation.models import CaseTransfer, ComplaintConsultation, ComplaintRecord
from cooperation.permissions import department_ids, member_of, sees_every_record, speaks_for
from cooperation.states import Machine, TransitionError, lock, refresh, require, require_text, transition
from lib.masking import mask_names_in_text, mask_phone, mask_text
from portal.models import CategoryIndexPage, ComplaintHandlingPage, Scope

S, C = ComplaintRecord.Status, ComplaintRecord.Classification
MACHINE = Machine(S, [
    transition("edit", "修改登记信息", {S.REGISTERED}),
    transition("classify", "分办", {S.REGISTERED}, S.IN_PROGRESS),
    transition("link_transfer", "关联案件移送", {S.IN_PROGRESS}),
    transition("consult", "征求相关部门意见", {S.REGISTERED, S.IN_PROGRESS}),
    transition("close", "办结", {S.IN_PROGRESS}, S.CLOSED),
    transition("publish", "发布处理情况", {S.REGISTERED, S.IN_PROGRESS, S.CLOSED}),
])

NO_REPLY = "未答复当事人，不能办结：由最终办结部门负责向举报人、投诉人或信访人答复（二（四）4），请填写答复内容。"


def _save(obj, user, **kwargs):
    obj._history_user = user
    obj.save(**kwargs)


def _today(on):
    return on or timezone.localdate()


def register(user, *, first_department, channel: str, received_date: datetime.date, subject: str, content: str,
             complainant_name: str = "", complainant_phone: str = "", today: datetime.date | None = None
             ) -> ComplaintRecord:
    """Return a new register entry of the first receiving department; the user is the 首问责任人."""
    require(first_department is not None and member_of(user, first_department),
            f"您不是{first_department}的工作人员，不能以该部门名义登记。")
    require(channel in ComplaintRecord.Channel.values, "请选择来源渠道（举报、投诉或信访）。")
    require(received_date is not None and received_date <= _today(today), "受理日期不能晚于今天。")
    record = ComplaintRecord(
        first_department=first_department, received_by=user, channel=channel, received_date=received_date,
        subject=require_text(subject, "请填写事项摘要。"), content=require_text(content, "请填写反映内容。"),
        complainant_name=(complainant_name or "").strip(), complainant_phone=(complainant_phone or "").strip(),
    )
    _save(record, user)
    return record


def _require_first(user, record: ComplaintRecord, what: str) -> None:
    require(member_of(user, record.first_department),
            f"只有首问责任部门{record.first_department}的工作人员可以{what}。")


def update_record(record: ComplaintRecord, user, **fields) -> ComplaintRecord:
    """Correct a registered entry before it is classified (首问责任部门); return it."""
    allowed = {"channel", "received_date", "subject", "content", "complainant_name", "complainant_phone"}
    with transaction.atomic():
        fresh = lock(record)
        MACHINE.check("edit", fresh.status)
        _require_first(user, fresh, "修改登记信息")
        for name, value in fields.items():
            require(name in allowed, f"不能修改字段 {name}。")
            setattr(fresh, name, value.strip() if isinstance(value, str) else value)
        require_text(fresh.subject, "请填写事项摘要。")
        require_text(fresh.content, "请填写反映内容。")
        _save(fresh, user)
    refresh(record, fresh)
    return record


def classify(record: ComplaintRecord, user, *, classification: str, preliminary_result: str = "",
             inform_where: str = "") -> ComplaintRecord:
    """Classify a registered matter (首问责任部门, 二（四）4); return the record, now 办理中."""
    with transaction.atomic():
        fresh = lock(record)
        t = MACHINE.check("classify", fresh.status)
        _require_first(user, fresh, "分办")
        require(classification in C.values, "请选择分办类型。")
        preliminary_result = (preliminary_result or "").strip()
        inform_where = (inform_where or "").strip()
        if classification == C.TRANSFER:
            require(bool(preliminary_result), "移送其他部门办理的，应当先进行初步调查核实并填写核实情况（二（四）4）。")
            fresh.transfer_due = limits.safe_deadline(limits.transfer_deadline, fresh.received_date)
        if classification == C.INFORM:
            require(bool(inform_where), "请写明告知当事人向哪个有权的机关提出（二（四）4）。")
        fresh.classification, fresh.status = classification, t.target
        fresh.preliminary_result, fresh.inform_where = preliminary_result, inform_where
        _save(fresh, user)
    refresh(record, fresh)
    return record


def link_transfer(record: ComplaintRecord, user, transfer: CaseTransfer) -> ComplaintRecord:
    """Link the CaseTransfer that carries a matter classified for transfer (the same first department)."""
    with transaction.atomic():
        fresh = lock(record)
        MACHINE.check("link_transfer", fresh.status)
        _require_first(user, fresh, "关联案件移送")
        require(fresh.classification == C.TRANSFER, "只有分办为“移送有关部门”的事项才能关联案件移送。")
        require(transfer.from_department_id == fresh.first_department_id,
                "只能关联本首问责任部门移送的案件。")
        fresh.transfer = transfer
        _save(fresh, user)
    refresh(record, fresh)
    return record


def draft_transfer(record: ComplaintRecord, user, *, to_department, title: str = "",
                   today: datetime.date | None = None) -> CaseTransfer:
    """Return a draft CaseTransfer written from the record (received date as discovery date), linked to it."""

    with transaction.atomic():
        fresh = lock(record)
        MACHINE.check("link_transfer", fresh.status)
        _require_first(user, fresh, "起草案件移送")
        require(fresh.classification == C.TRANSFER, "只有分办为“移送有关部门”的事项才能起草案件移送。")
        require(fresh.transfer_id is None, "该事项已关联案件移送。")
        transfer = transfers.create_transfer(
            user, from_department=fresh.first_department, to_department=to_department,
            title=title or fresh.subject, discovered_date=fresh.received_date, today=today,
            facts=f"{fresh.get_channel_display()}事项：{fresh.content}\n\n初步核实情况：{fresh.preliminary_result}",
        )
        fresh.transfer = transfer
        _save(fresh, user)
    refresh(record, fresh)
    return transfer


TS = CaseTransfer.Status


def final_department(record: ComplaintRecord):
    """Return (the 最终办结部门 of the matter, "") or (None, why it is not known yet), 二（四）4.

    A matter handled by the first department itself (本部门办理) or referred to the competent organ
    (告知) is closed by the first department. A matter it transferred is closed by the department
    that finally handled the transfer: the receiver once it has closed it, or the first department
    again when the jurisdiction ruling gives the case back to the sender.
    """
    if record.classification != C.TRANSFER:
        return record.first_department, ""
    t = record.transfer
    if t is None:
        return None, "分办为移送的事项，须先关联案件移送记录后才能办结。"
    if t.ruling == CaseTransfer.Ruling.OTHER:
        return None, "裁定由其他部门管辖：须移送有管辖权的部门，由其办结后答复（二（四）4）。"
    if t.status != TS.CLOSED:
        return None, (f"关联的案件移送{t.number}尚未办结（{t.get_status_display()}）：由最终办结部门负责答复"
                      f"（二（四）4），请待承办部门办结后由其答复。")
    if t.ruling == CaseTransfer.Ruling.SENDER:
        return t.from_department, ""
    if t.to_department_id is None:
        return None, (f"该事项由{t.get_judicial_organ_display()}最终办结，应由其答复（二（四）4）；"
                      "首问责任部门不能代为答复办结。")
    return t.to_department, ""


def _involved(user, record: ComplaintRecord) -> bool:
    """Return True for members of the first department or of the department the matter was transferred to."""
    if member_of(user, record.first_department):
        return True
    return bool(record.transfer_id and member_of(user, record.transfer.to_department))


def _may_close(user, record: ComplaintRecord) -> bool:
    department, _ = final_department(record)
    return department is not None and member_of(user, department)


def close(record: ComplaintRecord, user, *, reply: str, closing_department=None,
          replied_date: datetime.date | None = None) -> ComplaintRecord:
    """Close the matter with the reply of its 最终办结部门 (二（四）4); refused without a reply or by any other department.

    ``closing_department`` may be given to state it (it must then be that department).
    """
    with transaction.atomic():
        fresh = lock(record)
        t = MACHINE.check("close", fresh.status)
        final, why = final_department(fresh)
        require(final is not None, why)
        if closing_department is not None:
            require(closing_department.pk == final.pk,
                    f"该事项的最终办结部门是{final}，由其负责向当事人答复（二（四）4），{closing_department}不能答复办结。")
        require(member_of(user, final),
                f"由最终办结部门负责向举报人、投诉人或信访人答复（二（四）4）：只有{final}的工作人员可以答复办结。")
        reply = require_text(reply, NO_REPLY)
        replied = _today(replied_date)
        require(replied >= fresh.received_date, "答复日期不能早于受理日期。")
        fresh.reply, fresh.replied_date, fresh.closing_department = reply, replied, final
        fresh.status, fresh.closed_by = t.target, user
        _save(fresh, user)
    refresh(record, fresh)
    return record


# --- 征求相关行政管理部门意见 (二（四）4) ----------------------------------------------------------------

def handling_department(record: ComplaintRecord):
    """Return the department handling the matter now: its 最终办结部门 once known, else the first department."""
    final, _ = final_department(record)
    if final is not None:
        return final
    t = record.transfer
    if t is not None and t.to_department_id and t.status in (TS.ACCEPTED, TS.RULED) and (
            t.ruling in ("", CaseTransfer.Ruling.RECEIVER)):
        return t.to_department
    return record.first_department


def ask_opinion(record: ComplaintRecord, user, *, department, question: str,
                on: datetime.date | None = None) -> ComplaintConsultation:
    """The handling department asks a related department's opinion on the matter (二（四）4); return the request."""
    with transaction.atomic():
        fresh = lock(record)
        MACHINE.check("consult", fresh.status)
        handling = handling_department(fresh)
        require(member_of(user, handling), f"只有办理该事项的{handling}的工作人员可以征求相关部门意见。")
        require(department is not None, "请选择征求意见的部门。")
        require(department.pk != handling.pk, "不能征求本部门的意见。")
        asked = _today(on)
        require(asked >= fresh.received_date, "征求意见日期不能早于受理日期。")
        consultation = ComplaintConsultation(
            record=fresh, asking_department=handling, department=department, asked_date=asked, asked_by=user,
            question=require_text(question, "请写明需要征求意见的事项。"),
        )
        _save(consultation, user)
    return consultation


def give_opinion(consultation: ComplaintConsultation, user, *, opinion: str,
                 on: datetime.date | None = None) -> ComplaintConsultation:
    """The asked department answers (二（四）4: 相关行政管理部门要予以配合), once; return the consultation."""
    with transaction.atomic():
        fresh = ComplaintConsultation.objects.select_for_update().get(pk=consultation.pk)
        if fresh.answered_date:
            raise TransitionError(f"{fresh.department}已于{fresh.answered_date:%Y-%m-%d}回复意见，不能重复回复。")
        require(speaks_for(user, fresh.department),
                f"只有被征求意见部门{fresh.department}的分管领导或信息联络员可以回复意见。")
        answered = _today(on)
        require(answered >= fresh.asked_date, "回复日期不能早于征求意见日期。")
        fresh.opinion = require_text(opinion, "请填写回复意见。")
        fresh.answered_date, fresh.answered_by = answered, user
        _save(fresh, user)
    refresh(consultation, fresh)
    return consultation


# --- the shared handling status (category 8) ------------------------------------------------------

def masked(record: ComplaintRecord, text: str) -> str:
    """Return text with the complainant's name (and any other personal data) masked (二（四）5: 不得泄露…个人隐私)."""
    names = [record.complainant_name] if record.complainant_name else []
    text = mask_names_in_text(text or "", names)
    if record.complainant_phone:
        text = text.replace(record.complainant_phone, "***")
    return mask_text(text)


def phone_hidden(record: ComplaintRecord, text: str) -> str:
    """Return text with the complainant's recorded phone number shown masked, as the detail screen shows the field.

    Only that number: addresses and names in 反映内容 are what the handling departments work with.
    """
    phone = (record.complainant_phone or "").strip()
    if not phone or not text:
        return text or ""
    return text.replace(phone, mask_phone(phone))


def _page_status(record: ComplaintRecord) -> str:

    if record.status == S.CLOSED:
        return ComplaintHandlingPage.Status.CLOSED
    if record.classification == C.TRANSFER and record.transfer_id and record.transfer.sent_date:
        return ComplaintHandlingPage.Status.TRANSFERRED
    return ComplaintHandlingPage.Status.ACCEPTED


def handling_fields(record: ComplaintRecord) -> dict:
    """Return the ComplaintHandlingPage fields that tell the record's handling status, personal data masked.

    The complainant's name goes to the page's 反映人姓名 (never shown to the public), so that the
    privacy rule masks it wherever an editor writes it into the page later.
    """
    handling = record.closing_department
    if handling is None and record.transfer_id:
        handling = record.transfer.to_department
    lines = [f"来源渠道：{record.get_channel_display()}", f"受理日期：{record.received_date:%Y-%m-%d}",
             f"反映内容：{record.content}"]
    if record.classification:
        lines.append(f"分办情况：{record.get_classification_display()}"
                     + (f"（{record.inform_where}）" if record.inform_where else ""))
    if record.preliminary_result:
        lines.append(f"初步核实情况：{record.preliminary_result}")
    if record.reply:
        lines.append(f"答复情况：{record.reply}")
    body = "".join(f"<p>{escape(masked(record, line))}</p>" for line in lines)
    result = record.reply if record.status == S.CLOSED else (record.preliminary_result or "正在办理。")
    return {
        "title": masked(record, f"{record.subject}的处理情况")[:255],
        "channel": record.channel,
        "received_date": record.received_date,
        "first_department": record.first_department,
        "handling_department": handling,
        "handling_status": _page_status(record),
        "result": masked(record, result),
        "body": body,
        "department": record.first_department,
        "formed_date": record.replied_date or timezone.localdate(),
        "complainant": record.complainant_name,
    }


def complaints_section():
    """Return the CategoryIndexPage of category 8 (section "complaints"), or None."""

    return CategoryIndexPage.objects.filter(section="complaints").order_by("path").first()


def publish_handling(record: ComplaintRecord, user):
    """Return a DRAFT ComplaintHandlingPage under the complaints section telling the record's status, masked.

    The first time, a new draft page (scope 共享) is created; later calls save a new draft
    revision of the same page. Publishing it is the ordinary 科室审核 → 分管领导签发 workflow.
    Refused for users who may not add pages there, or outside the departments handling the matter.
    """

    with transaction.atomic():
        fresh = lock(record)
        MACHINE.check("publish", fresh.status)
        require(_involved(user, fresh), f"只有首问责任部门{fresh.first_department}或承办部门的工作人员可以发布处理情况。")
        section = complaints_section()
        require(section is not None, "未找到“举报投诉信访受理处理情况”栏目，请先创建该栏目。")
        require(section.permissions_for_user(user).can_add_subpage(), "您没有在“举报投诉信访受理处理情况”栏目中添加信息的权限。")
        fields = handling_fields(fresh)
        page = fresh.published_page
        if page is None:
            page = ComplaintHandlingPage(slug=f"complaint-record-{fresh.pk}", live=False, scope=Scope.SHARED,
                                         owner=user, **fields)
            if ComplaintHandlingPage.objects.filter(slug=page.slug).exists():
                raise TransitionError("该栏目下已有同名页面，请联系管理员处理。")
            section.add_child(instance=page)
        else:
            page = page.get_latest_revision_as_object()
            for name, value in fields.items():
                setattr(page, name, value)
        page.save_revision(user=user, log_action=True)
        fresh.published_page = page
        _save(fresh, user)
    refresh(record, fresh)
    return page


# --- who sees what ---------------------------------------------------------------------------------

def visible_complaints(user) -> QuerySet:
    """Return the register entries the user may see: of their departments (first, closing, receiving, consulted), or all."""
    qs = ComplaintRecord.objects.select_related("first_department", "closing_department", "transfer")
    if sees_every_record(user):
        return qs
    ids = department_ids(user)
    if not ids:
        return qs.none()
    return qs.filter(Q(first_department__in=ids) | Q(closing_department__in=ids) | Q(transfer__to_department__in=ids)
                     | Q(consultations__department__in=ids)).distinct()


def can_view_complaint(user, record: ComplaintRecord) -> bool:
    return visible_complaints(user).filter(pk=record.pk).exists()


def consultation_actions(consultation: ComplaintConsultation, user) -> list[str]:
    """Return ["answer"] when the user may answer this consultation now, else []."""
    return ["answer"] if not consultation.answered and speaks_for(user, consultation.department) else []


def complaint_actions(record: ComplaintRecord, user) -> list[str]:
    """Return the actions open to the user on this record now (for buttons; the functions check again)."""
    first = member_of(user, record.first_department)
    checks = {
        "edit": first,
        "classify": first,
        "link_transfer": first and record.classification == C.TRANSFER and record.transfer_id is None,
        "consult": member_of(user, handling_department(record)),
        "close": _may_close(user, record),
        "publish": _involved(user, record),
    }
    return [a for a, ok in checks.items() if ok and MACHINE.allows(a, record.status)]
