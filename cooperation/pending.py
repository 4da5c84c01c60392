"""What is waiting for whom: a department's pending actions, and the overdue steps that alert both sides.

``dashboard_items(user)`` feeds the /cooperation/ page, the staff dashboard include
(``cooperation/includes/dashboard_panel.html``) and the admin home panel;
``overdue_alerts(today)`` feeds ``send_overdue_alerts``: the scheduler's daily job and
``manage.py check_cooperation_deadlines`` (the e-mails go through the mail queue, jobs.mail).
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cooperation import limits
from cooperation.complaints import final_department
from cooperation.models import (
    AssignedTask,
    AssistanceRequest,
    CaseBriefing,
    CaseTransfer,
    ComplaintConsultation,
    ComplaintRecord,
    InformationRequest,
    JointMeeting,
    MeetingMinutes,
    MeetingTopic,
    is_standing_convener,
    is_standing_vice_convener,
)
from cooperation.permissions import department_ids, is_office_staff, user_departments
from jobs.mail import queue_mail
from portal.models import Department

MEETINGS, TRANSFERS, COMPLAINTS, REQUESTS = "联席会议", "案件移送", "首问负责", "信息请求"
_ORDER = {"overdue": 0, "due_soon": 1, "unknown": 2, "pending": 3, "": 4}


@dataclass
class PendingItem:
    """One thing a department (or a convener) has to do next."""

    system: str
    action: str
    title: str
    url: str
    department: str = ""
    due: datetime.date | None = None
    status: str = ""

    @property
    def status_label(self) -> str:
        return limits.status_label(self.status)

    @property
    def overdue(self) -> bool:
        return self.status == "overdue"


@dataclass
class Alert:
    """An overdue step, and the departments on both sides that are told about it."""

    system: str
    text: str
    url: str
    due: datetime.date | None
    departments: list[Department] = field(default_factory=list)


def _url(name: str, pk: int) -> str:
    return reverse(f"cooperation_admin:{name}", args=[pk])


def _item(system, action, title, url, today, department="", due=None, done=None, track=True) -> PendingItem:
    status = limits.status_of(due, done, today) if track else ""
    return PendingItem(system, action, title, url, str(department or ""), due, status)


def _meeting_items(user, ids: set[int], today) -> list[PendingItem]:
    items = []
    collecting = JointMeeting.objects.filter(status=JointMeeting.Status.COLLECTING, topics_open_date__lte=today)
    member_ids = {d.pk for d in user_departments(user) if d.is_member or d.is_bureau}
    for meeting in collecting:
        proposed = set(meeting.topics.values_list("department_id", flat=True))
        if member_ids and not member_ids & proposed:
            items.append(_item(MEETINGS, "征集议题：可提交议题", str(meeting), _url("meeting_detail", meeting.pk), today,
                               track=False))
    chaired = JointMeeting.objects.filter(Q(convener=user) | Q(vice_convener=user))
    for meeting in chaired.filter(status=JointMeeting.Status.COLLECTING):
        pending = meeting.topics.filter(status=MeetingTopic.Status.ESCALATED).count()
        action = f"审定议题（{pending}个待审定）" if pending else "审定议程"
        items.append(_item(MEETINGS, action, str(meeting), _url("meeting_detail", meeting.pk), today, track=False))
    if is_standing_convener(user) or is_standing_vice_convener(user):
        special = MeetingTopic.objects.filter(for_special=True, meeting__isnull=True,
                                              status=MeetingTopic.Status.SUBMITTED).count()
        if special:
            items.append(_item(MEETINGS, f"审定专题会议议题（{special}个待审定）", "专题会议议题",
                               reverse("cooperation_admin:special_topic_index"), today, track=False))
    for minutes in MeetingMinutes.objects.filter(meeting__convener=user, status=MeetingMinutes.Status.DRAFT,
                                                 meeting__status=JointMeeting.Status.HELD).select_related("meeting"):
        items.append(_item(MEETINGS, "签发会议纪要", str(minutes.meeting), _url("meeting_detail", minutes.meeting_id),
                           today, track=False))
    if is_office_staff(user):
        for meeting in collecting:
            waiting = meeting.topics.filter(status=MeetingTopic.Status.SUBMITTED).count()
            if waiting:
                items.append(_item(MEETINGS, f"初步协调议题（{waiting}个待协调）", str(meeting),
                                   _url("meeting_detail", meeting.pk), today, track=False))
        adopted = MeetingTopic.objects.filter(for_special=True, meeting__isnull=True,
                                              status=MeetingTopic.Status.ADOPTED).count()
        if adopted:
            items.append(_item(MEETINGS, f"召集专题会议（{adopted}个议题已审定）", "专题会议议题",
                               reverse("cooperation_admin:special_topic_index"), today, track=False))
        for meeting in JointMeeting.objects.filter(status=JointMeeting.Status.AGENDA_APPROVED, date__lte=today):
            items.append(_item(MEETINGS, "确认会议已召开", str(meeting), _url("meeting_detail", meeting.pk), today,
                               track=False))
        for meeting in JointMeeting.objects.filter(status=JointMeeting.Status.HELD).filter(
                Q(minutes__isnull=True) | Q(minutes__status=MeetingMinutes.Status.DRAFT)):
            items.append(_item(MEETINGS, "起草会议纪要", str(meeting), _url("meeting_detail", meeting.pk), today,
                               track=False))
    tasks = AssignedTask.objects.filter(responsible_department__in=ids, status=AssignedTask.Status.IN_PROGRESS,
                                        minutes__status=MeetingMinutes.Status.ISSUED).select_related(
        "responsible_department", "minutes__meeting")
    for task in tasks:
        items.append(_item(MEETINGS, "办理交办事项", task.title, _url("meeting_detail", task.minutes.meeting_id) +
                           f"#task-{task.pk}", today, task.responsible_department, task.due_date))
    return items


def _transfer_items(user, ids: set[int], today) -> list[PendingItem]:
    S = CaseTransfer.Status
    items = []
    qs = CaseTransfer.objects.select_related("from_department", "to_department", "arbiter")
    for t in qs.filter(from_department__in=ids, status__in=[S.DRAFT, S.APPROVED]):
        action = "提交审批" if t.status == S.DRAFT else "移送（已审批）"
        items.append(_item(TRANSFERS, action, str(t), _url("transfer_detail", t.pk), today, t.from_department,
                           t.send_due, t.sent_date))
    for t in qs.filter(status=S.PENDING_APPROVAL, from_department__leader=user):
        items.append(_item(TRANSFERS, "审批移送", str(t), _url("transfer_detail", t.pk), today, t.from_department,
                           t.send_due, t.sent_date))
    for t in qs.filter(major_hazard=True, arrived_at__isnull=True, to_department__in=ids,
                       to_department__is_bureau=True).exclude(status__in=[S.REJECTED, S.CLOSED]):
        items.append(_item(TRANSFERS, "重大安全隐患：第一时间到达现场并登记（二（四）3（5））", str(t),
                           _url("transfer_detail", t.pk), today, t.to_department, track=False))
    for t in qs.filter(penalty_notice_due__isnull=False, penalty_notified_date__isnull=True, to_department__in=ids):
        items.append(_item(TRANSFERS, f"抄告行政处罚决定给{t.from_department.display_name}（二（四）3（4））", str(t),
                           _url("transfer_detail", t.pk), today, t.to_department, t.penalty_notice_due))
    for r in AssistanceRequest.objects.filter(department__in=ids).exclude(
            status=AssistanceRequest.Status.ANSWERED).select_related("bureau", "department"):
        items.append(_item(TRANSFERS, f"出具书面意见（{r.get_kind_display()}）", str(r), _url("assistance_detail", r.pk),
                           today, r.department, r.effective_due))
    for t in qs.filter(status=S.SENT).filter(Q(to_department__in=ids) | Q(to_department__isnull=True,
                                                                          from_department__in=ids)):
        action = "书面答复是否受理" if t.to_department_id else f"登记{t.get_judicial_organ_display()}的答复"
        side = t.to_department or t.from_department
        items.append(_item(TRANSFERS, action, str(t), _url("transfer_detail", t.pk), today, side, t.answer_due,
                           t.answered_date))
    for t in qs.filter(status=S.SENT, from_department__in=ids, materials_due__isnull=False,
                       materials_supplied_date__isnull=True):
        items.append(_item(TRANSFERS, "补充移送材料", str(t), _url("transfer_detail", t.pk), today, t.from_department,
                           t.materials_due))
    for t in qs.filter(status=S.ACCEPTED).filter(Q(to_department__in=ids) | Q(to_department__isnull=True,
                                                                              from_department__in=ids)):
        items.append(_item(TRANSFERS, "办理并告知处理结果", str(t), _url("transfer_detail", t.pk), today,
                           t.to_department or t.from_department, track=False))
    for t in qs.filter(status=S.DISPUTED, arbiter__in=ids):
        items.append(_item(TRANSFERS, "协调确定管辖争议", str(t), _url("transfer_detail", t.pk), today, t.arbiter,
                           track=False))
    return items


def _complaint_items(ids: set[int], today) -> list[PendingItem]:
    S, C = ComplaintRecord.Status, ComplaintRecord.Classification
    items = []
    qs = ComplaintRecord.objects.filter(first_department__in=ids).select_related("first_department", "transfer")
    for r in qs.filter(status=S.REGISTERED):
        due = limits.safe_deadline(limits.transfer_deadline, r.received_date)
        items.append(_item(COMPLAINTS, "分办（属其他部门职责的2个工作日内移送）", r.subject,
                           _url("complaint_detail", r.pk), today, r.first_department, due))
    for r in qs.filter(status=S.IN_PROGRESS):
        if r.classification == C.TRANSFER and not (r.transfer_id and r.transfer.sent_date):
            items.append(_item(COMPLAINTS, "移送有关部门", r.subject, _url("complaint_detail", r.pk), today,
                               r.first_department, r.transfer_due))
    # The reply is the 最终办结部门's (二（四）4), once it is known: the first department's or the receiver's.
    open_records = ComplaintRecord.objects.filter(Q(first_department__in=ids) | Q(transfer__to_department__in=ids),
                                                  status=S.IN_PROGRESS).select_related("first_department", "transfer")
    for r in open_records.distinct():
        final, _ = final_department(r)
        if final is not None and final.pk in ids:
            items.append(_item(COMPLAINTS, "答复当事人并办结", r.subject, _url("complaint_detail", r.pk), today,
                               final, track=False))
    for q in ComplaintConsultation.objects.filter(department__in=ids, answered_date__isnull=True).select_related(
            "record", "department", "asking_department"):
        items.append(_item(COMPLAINTS, f"回复{q.asking_department.display_name}征求的意见", q.record.subject,
                           _url("complaint_detail", q.record_id) + f"#consultation-{q.pk}", today, q.department,
                           track=False))
    return items


def _request_items(ids: set[int], today) -> list[PendingItem]:
    qs = InformationRequest.objects.filter(requested_department__in=ids,
                                           status=InformationRequest.Status.SUBMITTED).select_related(
        "requested_department", "requesting_department")
    items = [_item(REQUESTS, f"答复{r.requesting_department.display_name}的请求", str(r), _url("request_detail", r.pk),
                   today, r.requested_department, r.due_date, track=r.has_time_limit) for r in qs]
    # 案情通报 (二（三）) to 签收; the directive sets no time limit.
    items += [_item(TRANSFERS, f"签收{b.from_department.display_name}的案情通报", b.subject,
                    _url("briefing_detail", b.pk), today, b.to_department, track=False)
              for b in CaseBriefing.objects.filter(to_department__in=ids, received_date__isnull=True).select_related(
                  "from_department", "to_department")]
    return items


def dashboard_items(user, today: datetime.date | None = None) -> list[PendingItem]:
    """Return the pending actions of the user's departments (and of the user as convener), overdue first."""
    if not (user and user.is_authenticated):
        return []
    today = today or timezone.localdate()
    ids = department_ids(user)
    items = _meeting_items(user, ids, today) + _transfer_items(user, ids, today)
    items += _complaint_items(ids, today) + _request_items(ids, today)
    items += _alert_items(ids, today, {i.url.split("#")[0] for i in items if i.overdue})
    return sorted(items, key=lambda i: (_ORDER.get(i.status, 4), i.due or datetime.date.max, i.system))


def _alert_items(ids: set[int], today, acted: set[str]) -> list[PendingItem]:
    """Return the overdue steps of the other side that concern the user's departments (both sides are alerted).

    A step the user's own department must take is already an overdue item; the other side
    (the sender waiting for an answer, the office following up a task) gets a 逾期提醒.
    """
    items = []
    for alert in overdue_alerts(today):
        mine = [d for d in alert.departments if d.pk in ids]
        if mine and alert.url not in acted:
            items.append(PendingItem(alert.system, "逾期提醒：督促办理", alert.text, alert.url,
                                     "、".join(d.display_name for d in mine), alert.due, "overdue"))
    return items


# --- overdue steps, for both sides ------------------------------------------------------------------

def _bureaus() -> list[Department]:
    return list(Department.objects.filter(is_bureau=True))


def overdue_alerts(today: datetime.date | None = None) -> list[Alert]:
    """Return every overdue step of the four systems with the departments on both sides to be told."""
    today = today or timezone.localdate()
    S = CaseTransfer.Status
    alerts = []
    transfers = CaseTransfer.objects.select_related("from_department", "to_department")

    def both(t):
        return [d for d in (t.from_department, t.to_department) if d is not None]

    late = Q(extended_due__isnull=True, transfer_due__lt=today) | Q(extended_due__lt=today)
    for t in transfers.filter(late, status__in=[S.DRAFT, S.PENDING_APPROVAL, S.APPROVED]):
        alerts.append(Alert(TRANSFERS, f"案件移送“{t.title}”（{t.number}）应于{t.send_due:%Y-%m-%d}前移送，"
                            f"至今未移送（当前：{t.get_status_display()}）", _url("transfer_detail", t.pk),
                            t.send_due, both(t)))
    for t in transfers.filter(penalty_notice_due__lt=today, penalty_notified_date__isnull=True):
        alerts.append(Alert(TRANSFERS, f"案件移送“{t.title}”（{t.number}）的行政处罚决定应于{t.penalty_notice_due:%Y-%m-%d}"
                            f"前抄告{t.from_department.display_name}，至今未抄告（二（四）3（4））",
                            _url("transfer_detail", t.pk), t.penalty_notice_due, both(t)))
    for r in AssistanceRequest.objects.exclude(status=AssistanceRequest.Status.ANSWERED).select_related(
            "bureau", "department"):
        if r.effective_due and r.effective_due < today:
            alerts.append(Alert(TRANSFERS, f"{r.bureau.display_name}请求的{r.get_kind_display()}“{r.subject}”应于"
                                f"{r.effective_due:%Y-%m-%d}前出具书面意见，至今未出具", _url("assistance_detail", r.pk),
                                r.effective_due, [r.department, r.bureau]))
    for t in transfers.filter(status=S.SENT, answered_date__isnull=True, answer_due__lt=today):
        alerts.append(Alert(TRANSFERS, f"案件移送“{t.title}”（{t.number}）应于{t.answer_due:%Y-%m-%d}前书面答复"
                            f"是否受理，至今未答复", _url("transfer_detail", t.pk), t.answer_due, both(t)))
    for t in transfers.filter(status=S.SENT, materials_supplied_date__isnull=True, materials_due__lt=today):
        alerts.append(Alert(TRANSFERS, f"案件移送“{t.title}”（{t.number}）应于{t.materials_due:%Y-%m-%d}前补充材料，"
                            f"至今未补充", _url("transfer_detail", t.pk), t.materials_due, both(t)))
    bureaus = _bureaus()
    for task in AssignedTask.objects.filter(status=AssignedTask.Status.IN_PROGRESS, due_date__lt=today,
                                            minutes__status=MeetingMinutes.Status.ISSUED).select_related(
            "responsible_department", "minutes__meeting"):
        departments = [task.responsible_department] + [b for b in bureaus if b.pk != task.responsible_department_id]
        alerts.append(Alert(MEETINGS, f"交办事项“{task.title}”（{task.minutes.meeting.title}）完成时限"
                            f"{task.due_date:%Y-%m-%d}已过，尚未办结", _url("meeting_detail", task.minutes.meeting_id),
                            task.due_date, departments))
    for r in InformationRequest.objects.filter(status=InformationRequest.Status.SUBMITTED, due_date__lt=today
                                               ).select_related("requesting_department", "requested_department"):
        alerts.append(Alert(REQUESTS, f"{r.requesting_department.display_name}的信息请求“{r.subject}”应于"
                            f"{r.due_date:%Y-%m-%d}前答复，至今未答复", _url("request_detail", r.pk), r.due_date,
                            [r.requested_department, r.requesting_department]))
    for r in ComplaintRecord.objects.filter(classification=ComplaintRecord.Classification.TRANSFER,
                                            status=ComplaintRecord.Status.IN_PROGRESS, transfer_due__lt=today
                                            ).select_related("first_department", "transfer__to_department"):
        if r.transfer_id and r.transfer.sent_date:
            continue
        departments = [r.first_department]
        if r.transfer_id and r.transfer.to_department_id:
            departments.append(r.transfer.to_department)
        alerts.append(Alert(COMPLAINTS, f"首问事项“{r.subject}”应于{r.transfer_due:%Y-%m-%d}前移送有关部门，至今未移送",
                            _url("complaint_detail", r.pk), r.transfer_due, departments))
    return sorted(alerts, key=lambda a: (a.due or datetime.date.min, a.system))


@dataclass
class AlertSummary:
    """What ``send_overdue_alerts`` found and queued."""

    today: datetime.date
    alerts: list[Alert]
    departments: int = 0
    liaisons: int = 0
    dry_run: bool = False

    def line(self) -> str:
        action = "未发送邮件（--dry-run）" if self.dry_run else f"已为{self.liaisons}名信息联络员排队发送提醒邮件"
        return f"{self.today:%Y-%m-%d}：逾期事项{len(self.alerts)}项，涉及{self.departments}个部门，{action}。"


def send_overdue_alerts(today: datetime.date | None = None, dry_run: bool = False) -> AlertSummary:
    """Queue one e-mail per department concerned, to its 信息联络员 (二（四）1), listing its overdue steps."""
    today = today or timezone.localdate()
    alerts = overdue_alerts(today)
    by_department = defaultdict(list)
    for alert in alerts:
        for department in alert.departments:
            by_department[department].append(alert)
    summary = AlertSummary(today, alerts, departments=len(by_department), dry_run=dry_run)
    if dry_run:
        return summary
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for department, items in sorted(by_department.items(), key=lambda kv: (kv[0].sort_order, kv[0].pk)):
        recipients = [u.email for u in department.liaisons.filter(is_active=True) if u.email]
        body = "\n".join(
            [f"{department.name}信息联络员：", "", f"截至{today:%Y-%m-%d}，以下协作事项已逾期，请及时办理：", ""]
            + [f"- [{a.system}] {a.text}\n  {base}{a.url}" for a in items]
            + ["", "（综合行政执法信息共享平台自动发送）"]
        )
        if queue_mail(f"【协作机制】{department.display_name}有{len(items)}项逾期事项", body, recipients,
                      kind="协作机制逾期提醒"):
            summary.liaisons += len(recipients)
    return summary
