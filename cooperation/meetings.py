"""联席会议 (周政办字〔2018〕18号 二（四）1): meetings, topics, agenda, minutes and 签发, assigned tasks.

A meeting::

    征集议题 --审定议程--> 议程已审定 --确认召开--> 已召开 --签发纪要--> 纪要已签发

- The 联席会议办公室 (设在区综合行政执法局, 二（四）1) creates the meeting; topic collection opens at
  least 5 working days before it (二（四）1 says so of the 例行会议).
- Member units propose topics while topics are collected (二（四）1: 成员单位根据工作实际需要提出议题);
  the portal asks for a 议题说明 and the unit's 初步意见 (its own form, not a rule of the directive);
  the convener or a vice-convener adopts or declines each, then approves the agenda
  (no topic may be left undecided).
- After the meeting the 联席会议办公室 drafts the minutes and lists the 交办事项 with the
  承办单位 and 完成时限; the minutes take effect only when the CONVENER 签发 them
  (二（四）1: 会议纪要…由联席会议召集人签发) — not a vice-convener, not the office, not an administrator.
- Each 承办单位 reports completion in writing, or the reason for a delay and the next
  steps; open tasks are tracked on the dashboards until done. The directive says only that
  有关单位须严格按照会议纪要…落实会议确定、交办的各项工作 (二（四）1); the written report and the
  tracking are the portal's way of showing it.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from cooperation.limits import topic_window_error
from cooperation.models import AssignedTask, JointMeeting, MeetingMinutes, MeetingTopic
from cooperation.permissions import is_office_staff, member_of, speaks_for, user_departments
from cooperation.states import Machine, TransitionError, lock, refresh, require, require_text, transition

M, T, N, K = JointMeeting.Status, MeetingTopic.Status, MeetingMinutes.Status, AssignedTask.Status

MEETING = Machine(M, [
    transition("edit", "修改会议信息", {M.COLLECTING}),
    transition("propose_topic", "提交议题", {M.COLLECTING}),
    transition("decide_topic", "审定议题", {M.COLLECTING}),
    transition("approve_agenda", "审定议程", {M.COLLECTING}, M.AGENDA_APPROVED),
    transition("mark_held", "确认会议已召开", {M.AGENDA_APPROVED}, M.HELD),
    transition("draft_minutes", "起草或修改会议纪要", {M.HELD}),
    transition("issue_minutes", "签发会议纪要", {M.HELD}, M.MINUTES_ISSUED),
])
TOPIC = Machine(T, [
    transition("adopt", "采纳该议题", {T.SUBMITTED}, T.ADOPTED),
    transition("decline", "不采纳该议题", {T.SUBMITTED}, T.REJECTED),
])
TASK = Machine(K, [
    transition("complete", "报告办结", {K.IN_PROGRESS}, K.DONE),
    transition("report_delay", "说明未能按期办结的理由", {K.IN_PROGRESS}),
])

NOT_OFFICE = "只有联席会议办公室（设在区综合行政执法局）的工作人员可以{what}（二（四）1）。"
NOT_CONVENER_OR_VICE = "只有本次会议的召集人或副召集人可以{what}（二（四）1）。"
NOT_CONVENER = "会议纪要由联席会议召集人签发（二（四）1）：您不是本次会议的召集人{name}，不能签发。"


def _save(obj, user, **kwargs):
    obj._history_user = user
    obj.save(**kwargs)


def _require_office(user, what: str) -> None:
    require(is_office_staff(user), NOT_OFFICE.format(what=what))


def _today(today):
    return today or timezone.localdate()


# --- meetings -------------------------------------------------------------------------------

def create_meeting(user, *, title: str, kind: str, date: datetime.date, topics_open_date: datetime.date,
                   convener, vice_conveners=(), location: str = "", agenda_note: str = "") -> JointMeeting:
    """Return a new meeting collecting topics; refuse unless the user is office staff and collection opens in time."""
    _require_office(user, "安排联席会议")
    require(convener is not None, "请指定召集人。")
    error = topic_window_error(topics_open_date, date)
    require(not error, error)
    with transaction.atomic():
        meeting = JointMeeting(title=require_text(title, "请填写会议名称。"), kind=kind, date=date,
                               topics_open_date=topics_open_date, convener=convener, location=location,
                               agenda_note=agenda_note, created_by=user)
        _save(meeting, user)
        meeting.vice_conveners.set(vice_conveners)
    return meeting


def update_meeting(meeting: JointMeeting, user, **fields) -> JointMeeting:
    """Change a meeting's details while topics are collected (office staff); return the meeting."""
    with transaction.atomic():
        fresh = lock(meeting)
        MEETING.check("edit", fresh.status)
        _require_office(user, "修改会议信息")
        vice_conveners = fields.pop("vice_conveners", None)
        for name, value in fields.items():
            setattr(fresh, name, value)
        error = topic_window_error(fresh.topics_open_date, fresh.date)
        require(not error, error)
        _save(fresh, user)
        if vice_conveners is not None:
            fresh.vice_conveners.set(vice_conveners)
    refresh(meeting, fresh)
    return meeting


def propose_topic(meeting: JointMeeting, user, *, department, title: str, description: str, opinion: str,
                  background: str = "", today: datetime.date | None = None) -> MeetingTopic:
    """Return the topic a member unit submits to a meeting that is collecting topics."""
    today = _today(today)
    with transaction.atomic():
        fresh = lock(meeting)
        MEETING.check("propose_topic", fresh.status)
        require(member_of(user, department), f"您不是{department}的工作人员，不能以该单位名义提出议题。")
        require(department.is_member or department.is_bureau, f"{department}不是联席会议成员单位，不能提出议题（二（四）1）。")
        require(today >= fresh.topics_open_date,
                f"本次会议的议题征集自{fresh.topics_open_date:%Y-%m-%d}开始，尚未开始征集。")
        topic = MeetingTopic(
            meeting=fresh, department=department, title=require_text(title, "请填写议题名称。"),
            description=require_text(description, "请填写议题说明。"),
            opinion=require_text(opinion, "请填写本单位的初步意见。"),
            background=(background or "").strip(), submitted_by=user,
        )
        _save(topic, user)
    return topic


def decide_topic(topic: MeetingTopic, user, *, adopt: bool, note: str = "") -> MeetingTopic:
    """Adopt or decline a submitted topic (convener or vice-convener, while topics are collected)."""
    with transaction.atomic():
        meeting = lock(topic.meeting)
        fresh = lock(topic)
        action = "adopt" if adopt else "decline"
        MEETING.check("decide_topic", meeting.status)
        t = TOPIC.check(action, fresh.status)
        require(meeting.is_convener_or_vice(user), NOT_CONVENER_OR_VICE.format(what="审定议题"))
        fresh.status, fresh.decided_by, fresh.decided_at = t.target, user, timezone.now()
        fresh.decision_note = (note or "").strip()
        _save(fresh, user)
    refresh(topic, fresh)
    return topic


def approve_agenda(meeting: JointMeeting, user, *, note: str = "") -> JointMeeting:
    """Approve the agenda (convener or vice-convener); every submitted topic must have been decided first."""
    with transaction.atomic():
        fresh = lock(meeting)
        t = MEETING.check("approve_agenda", fresh.status)
        require(fresh.is_convener_or_vice(user), NOT_CONVENER_OR_VICE.format(what="审定议程"))
        pending = fresh.topics.filter(status=T.SUBMITTED).count()
        require(not pending, f"还有{pending}个议题未审定（采纳或不采纳），请先逐项审定再审定议程。")
        fresh.status, fresh.agenda_approved_by, fresh.agenda_approved_at = t.target, user, timezone.now()
        if note:
            fresh.agenda_note = note.strip()
        _save(fresh, user)
    refresh(meeting, fresh)
    return meeting


def mark_held(meeting: JointMeeting, user, *, held_date: datetime.date | None = None,
              today: datetime.date | None = None) -> JointMeeting:
    """Record that the meeting took place (office staff, convener or vice-convener); not before it happened."""
    today = _today(today)
    held_date = held_date or today
    with transaction.atomic():
        fresh = lock(meeting)
        t = MEETING.check("mark_held", fresh.status)
        require(is_office_staff(user) or fresh.is_convener_or_vice(user),
                NOT_OFFICE.format(what="确认会议召开"))
        require(held_date <= today, "会议尚未召开，不能确认召开。")
        fresh.status, fresh.held_date = t.target, held_date
        _save(fresh, user)
    refresh(meeting, fresh)
    return meeting


# --- minutes and tasks ------------------------------------------------------------------------

def save_minutes(meeting: JointMeeting, user, *, content: str, number: str = "", attendees: str = "") -> MeetingMinutes:
    """Create or revise the draft minutes of a held meeting (office staff); return them. Issued minutes are final."""
    with transaction.atomic():
        fresh = lock(meeting)
        MEETING.check("draft_minutes", fresh.status)
        _require_office(user, "起草会议纪要")
        minutes = MeetingMinutes.objects.select_for_update().filter(meeting=fresh).first()
        if minutes is None:
            minutes = MeetingMinutes(meeting=fresh, drafted_by=user)
        require(minutes.status == N.DRAFT, "会议纪要已签发，不能再修改。")
        minutes.content = require_text(content, "请填写会议纪要的议定事项。")
        minutes.number, minutes.attendees = (number or "").strip(), (attendees or "").strip()
        _save(minutes, user)
    return minutes


def _draft_minutes_of(minutes: MeetingMinutes, user, what: str) -> MeetingMinutes:
    fresh = MeetingMinutes.objects.select_for_update().get(pk=minutes.pk)
    require(fresh.status == N.DRAFT, f"会议纪要已签发，不能{what}。")
    _require_office(user, what)
    return fresh


def add_task(minutes: MeetingMinutes, user, *, title: str, responsible_department,
             due_date: datetime.date) -> AssignedTask:
    """Return a 交办事项 added to draft minutes (office staff): what, which 承办单位, by when (二（四）1: 会议确定、交办的各项工作)."""
    with transaction.atomic():
        fresh = _draft_minutes_of(minutes, user, "添加交办事项")
        require(responsible_department is not None, "请选择承办单位。")
        require(due_date is not None, "请填写完成时限。")
        require(due_date >= fresh.meeting.date, "完成时限不能早于会议日期。")
        task = AssignedTask(minutes=fresh, title=require_text(title, "请填写交办事项。"),
                            responsible_department=responsible_department, due_date=due_date)
        _save(task, user)
    return task


def remove_task(task: AssignedTask, user) -> None:
    """Delete a 交办事项 from draft minutes (office staff)."""
    with transaction.atomic():
        _draft_minutes_of(task.minutes, user, "删除交办事项")
        task._history_user = user
        task.delete()


def issue_minutes(meeting: JointMeeting, user) -> MeetingMinutes:
    """签发: the convener, and only the convener, puts the draft minutes and their tasks in force (二（四）1)."""
    with transaction.atomic():
        fresh = lock(meeting)
        minutes = MeetingMinutes.objects.select_for_update().filter(meeting=fresh).first()
        if minutes is not None and minutes.status == N.ISSUED:
            raise TransitionError("会议纪要已经签发，不能重复签发。")
        t = MEETING.check("issue_minutes", fresh.status)
        require(minutes is not None, "会议纪要尚未起草，不能签发。")
        name = f"（{fresh.convener.get_full_name()}）" if fresh.convener_id else ""
        require(fresh.is_convener(user), NOT_CONVENER.format(name=name))
        minutes.status, minutes.issued_by, minutes.issued_at = N.ISSUED, user, timezone.now()
        _save(minutes, user)
        fresh.status = t.target
        _save(fresh, user)
    refresh(meeting, fresh)
    return minutes


def complete_task(task: AssignedTask, user, *, note: str, completed_date: datetime.date | None = None) -> AssignedTask:
    """The 承办单位 reports in writing that the task is done; return the task."""
    with transaction.atomic():
        fresh = lock(task)
        require(fresh.minutes.status == N.ISSUED, "会议纪要尚未签发，交办事项尚未生效。")
        t = TASK.check("complete", fresh.status)
        department = fresh.responsible_department
        require(speaks_for(user, department),
                f"只有承办单位{department}的分管领导或信息联络员可以报告办理情况。")
        fresh.completion_note = require_text(note, "请书面报告办理情况。")
        fresh.status, fresh.completed_by = t.target, user
        fresh.completed_date = completed_date or timezone.localdate()
        _save(fresh, user)
    refresh(task, fresh)
    return task


def report_delay(task: AssignedTask, user, *, reason: str) -> AssignedTask:
    """Record why a task cannot be done in time and the next steps; return the task."""
    with transaction.atomic():
        fresh = lock(task)
        require(fresh.minutes.status == N.ISSUED, "会议纪要尚未签发，交办事项尚未生效。")
        TASK.check("report_delay", fresh.status)
        department = fresh.responsible_department
        require(speaks_for(user, department),
                f"只有承办单位{department}的分管领导或信息联络员可以说明办理情况。")
        fresh.delay_reason = require_text(reason, "请说明不能按期办结的理由和下一步措施。")
        _save(fresh, user)
    refresh(task, fresh)
    return task


# --- what a user may do -----------------------------------------------------------------------

def meeting_actions(meeting: JointMeeting, user) -> list[str]:
    """Return the meeting actions open to the user now (for the buttons; the functions check again)."""
    actions = []
    status = meeting.status
    chair = meeting.is_convener_or_vice(user)
    office = is_office_staff(user)
    if MEETING.allows("edit", status) and office:
        actions.append("edit")
    if MEETING.allows("propose_topic", status) and any(
        d.is_member or d.is_bureau for d in user_departments(user)
    ):
        actions.append("propose_topic")
    if MEETING.allows("decide_topic", status) and chair:
        actions.append("decide_topic")
    if MEETING.allows("approve_agenda", status) and chair:
        actions.append("approve_agenda")
    if MEETING.allows("mark_held", status) and (office or chair):
        actions.append("mark_held")
    minutes = minutes_of(meeting)
    if MEETING.allows("draft_minutes", status) and office and (minutes is None or minutes.status == N.DRAFT):
        actions.append("draft_minutes")
    if MEETING.allows("issue_minutes", status) and minutes is not None and meeting.is_convener(user):
        actions.append("issue_minutes")
    return actions


def task_actions(task: AssignedTask, user) -> list[str]:
    if task.minutes.status != N.ISSUED or not speaks_for(user, task.responsible_department):
        return []
    return [a for a in ("complete", "report_delay") if TASK.allows(a, task.status)]


def minutes_of(meeting: JointMeeting) -> MeetingMinutes | None:
    """Return the meeting's minutes, or None before they are drafted."""
    try:
        return meeting.minutes
    except MeetingMinutes.DoesNotExist:
        return None
