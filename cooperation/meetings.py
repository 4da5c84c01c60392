"""联席会议 (周政办字〔2018〕18号 二（四）1): meetings, topics, 初步协调, agenda, minutes and 签发, assigned tasks,
and the half-yearly cadence of the 例行会议.

Who is who (二（四）1: 部门联席会议由区政府分管副区长或受委托的区政府办公室副主任任召集人，区综合行政执法局局长任
副召集人。部门联席会议办公室设在区综合行政执法局，办公室主任由区综合行政执法局局长兼任):

- The 召集人 is the 分管副区长 or the entrusted 区政府办公室副主任: the members of the user group
  ``models.CONVENER_GROUP``. Each meeting names the one who convenes it and in which capacity; either
  召集人 may sign its minutes (会议纪要…由联席会议召集人签发).
- The one 副召集人 is the bureau's 局长 (``models.VICE_CONVENER_GROUP``), who is also the head of the
  office (``office_head``). The vice-convener decides topics as the convener may, but signs no minutes.
- The 联席会议办公室 is the bureau's staff (``permissions.is_office_staff``).

A 例行会议 (例行会议每半年召开一次，参会单位为全体成员单位，并可视情况邀请其他相关单位参加)::

    征集议题 --审定议程--> 议程已审定 --确认召开--> 已召开 --签发纪要--> 纪要已签发

- The office schedules it; topic collection opens at least 5 working days before it (办公室于会前5个
  工作日向各成员单位征集有关议题). Every member unit is a participant; invited units are non-members.
- Member units propose topics; the office coordinates each first (并进行初步协调): it settles the topic
  with a recorded result (已初步协调解决, no meeting needed), or reports what it cannot resolve
  (难以解决的，报联席会议召集人、副召集人审定后，提交会议讨论) — then the convener or the vice-convener
  adopts or declines it. The agenda is approved when no topic is left open.
- ``routine_meeting_report`` lists each half-year and whether a routine meeting was held in it;
  ``send_routine_meeting_reminders`` (a weekly job, jobs/table.py) reminds the office while the current
  half-year has none arranged.

A 专题会议 (专题会议不定期召开，由各成员单位根据工作实际需要提出议题并提交联席会议办公室，经联席会议召集人或
副召集人审定后召集会议。专题会议可以根据议题情况确定参加单位): the topic comes first, without a meeting
(``submit_special_topic``); the convener or vice-convener approves it (``decide_topic``); only then does
the office call the meeting on the approved topics (``call_special_meeting``), its agenda approved with
them, its participating units chosen by topic (at least the proposing units). No collection window.

After a meeting the office drafts the minutes and lists the 交办事项 with the 承办单位 and 完成时限; each
承办单位 reports completion in writing, or the reason for a delay. The directive says only that 有关单位须
严格按照会议纪要…落实会议确定、交办的各项工作 (二（四）1); the written report and the tracking are the
portal's way of showing it.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from cooperation.limits import half_year_bounds, half_year_label, half_year_of, half_years, topic_window_error
from cooperation.models import (
    CONVENER_GROUP,
    VICE_CONVENER_GROUP,
    AssignedTask,
    JointMeeting,
    MeetingMinutes,
    MeetingTopic,
    is_standing_convener,
    is_standing_vice_convener,
)
from cooperation.permissions import is_office_staff, member_of, speaks_for, user_departments
from cooperation.states import Machine, TransitionError, lock, refresh, require, require_text, transition
from jobs.mail import queue_mail
from portal.models import Department, User

M, T, N, K = JointMeeting.Status, MeetingTopic.Status, MeetingMinutes.Status, AssignedTask.Status

MEETING = Machine(M, [
    transition("edit", "修改会议信息", {M.COLLECTING}),
    transition("propose_topic", "提交议题", {M.COLLECTING}),
    transition("coordinate_topic", "初步协调议题", {M.COLLECTING}),
    transition("decide_topic", "审定议题", {M.COLLECTING}),
    transition("approve_agenda", "审定议程", {M.COLLECTING}, M.AGENDA_APPROVED),
    transition("mark_held", "确认会议已召开", {M.AGENDA_APPROVED}, M.HELD),
    transition("draft_minutes", "起草或修改会议纪要", {M.HELD}),
    transition("issue_minutes", "签发会议纪要", {M.HELD}, M.MINUTES_ISSUED),
])
TOPIC = Machine(T, [
    transition("resolve", "登记初步协调解决", {T.SUBMITTED}, T.RESOLVED),
    transition("escalate", "报召集人、副召集人审定", {T.SUBMITTED}, T.ESCALATED),
    transition("adopt", "采纳该议题", {T.SUBMITTED, T.ESCALATED}, T.ADOPTED),
    transition("decline", "不采纳该议题", {T.SUBMITTED, T.ESCALATED}, T.REJECTED),
])
TASK = Machine(K, [
    transition("complete", "报告办结", {K.IN_PROGRESS}, K.DONE),
    transition("report_delay", "说明未能按期办结的理由", {K.IN_PROGRESS}),
])
OPEN_TOPICS = (T.SUBMITTED, T.ESCALATED)

NOT_OFFICE = "只有联席会议办公室（设在区综合行政执法局）的工作人员可以{what}（二（四）1）。"
NOT_CONVENER_OR_VICE = "只有联席会议召集人或副召集人可以{what}（二（四）1）。"
NOT_CONVENER = ("会议纪要由联席会议召集人签发（二（四）1：区政府分管副区长或受委托的区政府办公室副主任任召集人）："
                "您不是召集人{name}，不能签发。")
NOT_A_CONVENER = ("召集人应为区政府分管副区长或受委托的区政府办公室副主任（二（四）1）：{name}不在“{group}”组中，"
                  "请管理员先在用户管理中登记。")
NOT_THE_VICE = "副召集人由区综合行政执法局局长担任（二（四）1）：{name}不在“{group}”组中。"
NO_COORDINATION = ("例行会议的议题由联席会议办公室先进行初步协调，难以解决的，报联席会议召集人、副召集人审定"
                   "（二（四）1）：该议题尚未经办公室初步协调。")
SPECIAL_BY_TOPIC = ("专题会议由成员单位提出议题并提交联席会议办公室，经联席会议召集人或副召集人审定后召集（二（四）1）："
                    "请先提交专题议题，审定后再召集会议。")


def _save(obj, user, **kwargs):
    obj._history_user = user
    obj.save(**kwargs)


def _require_office(user, what: str) -> None:
    require(is_office_staff(user), NOT_OFFICE.format(what=what))


def _today(today):
    return today or timezone.localdate()


def _name(user) -> str:
    return user.get_full_name() or user.username


# --- the conveners and the office ----------------------------------------------------------------

def standing_conveners():
    """Return the 联席会议召集人: the 分管副区长 and the entrusted 区政府办公室副主任 (二（四）1)."""
    return User.objects.filter(is_active=True, groups__name=CONVENER_GROUP).order_by("last_name", "first_name")


def office_head() -> User | None:
    """Return the 副召集人, the bureau's 局长, who heads the 联席会议办公室 (二（四）1), or None if not registered."""
    return User.objects.filter(is_active=True, groups__name=VICE_CONVENER_GROUP).order_by("pk").first()


def ensure_convener_groups() -> tuple[Group, Group]:
    """Return the groups of the conveners and of the vice-convener, creating them when missing."""
    return Group.objects.get_or_create(name=CONVENER_GROUP)[0], Group.objects.get_or_create(name=VICE_CONVENER_GROUP)[0]


def is_chair(meeting: JointMeeting | None, user) -> bool:
    """Return True for a 召集人 or the 副召集人 (of the meeting, or registered as such) — those who 审定 (二（四）1)."""
    if meeting is not None and (meeting.is_convener(user) or meeting.is_vice_convener(user)):
        return True
    return is_standing_convener(user) or is_standing_vice_convener(user)


def may_sign(meeting: JointMeeting, user) -> bool:
    """Return True when the user may 签发 the meeting's minutes: its convener or either 召集人 (二（四）1)."""
    return meeting.is_convener(user) or is_standing_convener(user)


def _check_officers(convener, capacity: str, vice_convener) -> None:
    require(convener is not None, "请指定召集人。")
    require(capacity in JointMeeting.Capacity.values, "请选择召集人身份：区政府分管副区长或受委托的区政府办公室副主任。")
    require(is_standing_convener(convener), NOT_A_CONVENER.format(name=_name(convener), group=CONVENER_GROUP))
    if vice_convener is not None:
        require(is_standing_vice_convener(vice_convener),
                NOT_THE_VICE.format(name=_name(vice_convener), group=VICE_CONVENER_GROUP))


def _check_invited(invited) -> list:
    invited = list(invited or ())
    for department in invited:
        require(not department.is_member,
                f"{department}是联席会议成员单位，本就是参会单位；邀请参加的是其他相关单位（二（四）1）。")
    return invited


def member_units():
    """Return the 联席会议成员单位 (二（四）1)."""
    return Department.objects.filter(is_member=True)


# --- meetings -------------------------------------------------------------------------------

def create_meeting(user, *, title: str, date: datetime.date, topics_open_date: datetime.date | None, convener,
                   kind: str = JointMeeting.Kind.ROUTINE, convener_capacity: str = JointMeeting.Capacity.DEPUTY_MAYOR,
                   vice_convener=None, invited=(), location: str = "", agenda_note: str = "") -> JointMeeting:
    """Return a new 例行会议 collecting topics, all member units participating (二（四）1).

    Refused unless the user is office staff, the convener is a 召集人, the vice-convener (default: the
    registered 副召集人) is the bureau's 局长, invited units are non-members, and collection opens in time.
    A 专题会议 is not scheduled this way: it is called on approved topics (``call_special_meeting``).
    """
    _require_office(user, "安排联席会议")
    require(kind == JointMeeting.Kind.ROUTINE, SPECIAL_BY_TOPIC)
    vice_convener = vice_convener or office_head()
    _check_officers(convener, convener_capacity, vice_convener)
    invited = _check_invited(invited)
    require(topics_open_date is not None, "请填写议题征集开始日期（二（四）1：办公室于会前5个工作日征集议题）。")
    error = topic_window_error(topics_open_date, date)
    require(not error, error)
    with transaction.atomic():
        meeting = JointMeeting(title=require_text(title, "请填写会议名称。"), kind=kind, date=date,
                               topics_open_date=topics_open_date, convener=convener,
                               convener_capacity=convener_capacity, vice_convener=vice_convener,
                               location=location, agenda_note=agenda_note, created_by=user)
        _save(meeting, user)
        meeting.participants.set(member_units())
        meeting.invited.set(invited)
    return meeting


def update_meeting(meeting: JointMeeting, user, **fields) -> JointMeeting:
    """Change a routine meeting's details while topics are collected (office staff); return the meeting."""
    with transaction.atomic():
        fresh = lock(meeting)
        MEETING.check("edit", fresh.status)
        _require_office(user, "修改会议信息")
        fields.pop("kind", None)
        invited = fields.pop("invited", None)
        for name, value in fields.items():
            setattr(fresh, name, value)
        _check_officers(fresh.convener, fresh.convener_capacity, fresh.vice_convener)
        require(fresh.topics_open_date is not None, "请填写议题征集开始日期。")
        error = topic_window_error(fresh.topics_open_date, fresh.date)
        require(not error, error)
        if invited is not None:
            invited = _check_invited(invited)
        _save(fresh, user)
        if invited is not None:
            fresh.invited.set(invited)
    refresh(meeting, fresh)
    return meeting


def _check_proposer(user, department) -> None:
    require(department is not None, "请选择提出单位。")
    require(member_of(user, department), f"您不是{department}的工作人员，不能以该单位名义提出议题。")
    require(department.is_member or department.is_bureau, f"{department}不是联席会议成员单位，不能提出议题（二（四）1）。")


def _new_topic(user, meeting, department, title, description, opinion, background, for_special=False):
    return MeetingTopic(
        meeting=meeting, for_special=for_special, department=department, title=require_text(title, "请填写议题名称。"),
        description=require_text(description, "请填写议题说明。"),
        opinion=require_text(opinion, "请填写本单位的初步意见。"),
        background=(background or "").strip(), submitted_by=user,
    )


def propose_topic(meeting: JointMeeting, user, *, department, title: str, description: str, opinion: str,
                  background: str = "", today: datetime.date | None = None) -> MeetingTopic:
    """Return the topic a member unit submits to a routine meeting that is collecting topics."""
    today = _today(today)
    with transaction.atomic():
        fresh = lock(meeting)
        MEETING.check("propose_topic", fresh.status)
        _check_proposer(user, department)
        opens = fresh.topics_open_date
        if opens is not None and today < opens:
            raise TransitionError(f"本次会议的议题征集自{opens:%Y-%m-%d}开始，尚未开始征集。")
        topic = _new_topic(user, fresh, department, title, description, opinion, background)
        _save(topic, user)
    return topic


def submit_special_topic(user, *, department, title: str, description: str, opinion: str,
                         background: str = "") -> MeetingTopic:
    """Return a member unit's topic for a 专题会议, submitted to the office before any meeting exists (二（四）1)."""
    _check_proposer(user, department)
    topic = _new_topic(user, None, department, title, description, opinion, background, for_special=True)
    with transaction.atomic():
        _save(topic, user)
    return topic


def coordinate_topic(topic: MeetingTopic, user, *, resolved: bool, note: str) -> MeetingTopic:
    """初步协调 of a routine meeting's topic by the office (二（四）1: 征集有关议题并进行初步协调).

    ``resolved``: the office settled it — the result is recorded and it needs no meeting. Otherwise it
    is reported to the convener and vice-convener for 审定 (难以解决的，报…审定), with the reason.
    """
    with transaction.atomic():
        require(topic.meeting_id is not None and not topic.for_special,
                "专题会议的议题直接报召集人或副召集人审定（二（四）1），不经初步协调。")
        meeting = lock(topic.meeting)
        fresh = lock(topic)
        MEETING.check("coordinate_topic", meeting.status)
        t = TOPIC.check("resolve" if resolved else "escalate", fresh.status)
        _require_office(user, "初步协调议题")
        fresh.coordination = require_text(note, "请填写初步协调的结果。" if resolved
                                          else "请说明难以解决、需报召集人审定的原因。")
        fresh.status, fresh.coordinated_by, fresh.coordinated_at = t.target, user, timezone.now()
        _save(fresh, user)
    refresh(topic, fresh)
    return topic


def decide_topic(topic: MeetingTopic, user, *, adopt: bool, note: str = "") -> MeetingTopic:
    """Adopt or decline a topic (a convener or the vice-convener, 二（四）1).

    A routine meeting's topic only once the office reported it as unresolved (报…审定); a 专题会议's
    topic as submitted, before its meeting is called.
    """
    with transaction.atomic():
        meeting = lock(topic.meeting) if topic.meeting_id else None
        fresh = lock(topic)
        action = "adopt" if adopt else "decline"
        if meeting is not None:
            MEETING.check("decide_topic", meeting.status)
        t = TOPIC.check(action, fresh.status)
        if not fresh.for_special:
            require(fresh.status == T.ESCALATED, NO_COORDINATION)
        require(is_chair(meeting, user), NOT_CONVENER_OR_VICE.format(what="审定议题"))
        fresh.status, fresh.decided_by, fresh.decided_at = t.target, user, timezone.now()
        fresh.decision_note = (note or "").strip()
        _save(fresh, user)
    refresh(topic, fresh)
    return topic


def call_special_meeting(user, *, topics, title: str, date: datetime.date, convener,
                         convener_capacity: str = JointMeeting.Capacity.DEPUTY_MAYOR, vice_convener=None,
                         participants=(), invited=(), location: str = "", agenda_note: str = "") -> JointMeeting:
    """Call a 专题会议 on approved special topics (office staff); return it, its agenda approved with the topics.

    二（四）1: 经联席会议召集人或副召集人审定后召集会议；专题会议可以根据议题情况确定参加单位 — the
    participants are the member units chosen for the topics, always including the units that proposed
    them; there is no topic collection window.
    """
    _require_office(user, "召集专题会议")
    topics = list(topics or ())
    require(bool(topics), "请选择已审定的专题议题；专题会议在议题审定后召集（二（四）1）。")
    vice_convener = vice_convener or office_head()
    _check_officers(convener, convener_capacity, vice_convener)
    invited = _check_invited(invited)
    participants = list(participants or ())
    for department in participants:
        require(department.is_member, f"{department}不是成员单位，请作为邀请参加单位选择。")
    with transaction.atomic():
        fresh = [lock(t) for t in topics]
        for t in fresh:
            require(t.for_special and t.meeting_id is None,
                    f"议题“{t.title}”不是待召集的专题议题。")
            require(t.status == T.ADOPTED,
                    f"议题“{t.title}”尚未经召集人或副召集人审定同意（当前：{t.get_status_display()}），不能召集会议。")
        approved = max(fresh, key=lambda t: t.decided_at)
        meeting = JointMeeting(title=require_text(title, "请填写会议名称。"), kind=JointMeeting.Kind.SPECIAL, date=date,
                               topics_open_date=None, convener=convener, convener_capacity=convener_capacity,
                               vice_convener=vice_convener, location=location, agenda_note=agenda_note,
                               status=M.AGENDA_APPROVED, agenda_approved_by=approved.decided_by,
                               agenda_approved_at=approved.decided_at, created_by=user)
        _save(meeting, user)
        proposers = {t.department_id for t in fresh}
        meeting.participants.set({d.pk for d in participants} | proposers)
        meeting.invited.set(invited)
        for t in fresh:
            t.meeting = meeting
            _save(t, user)
    return meeting


def approve_agenda(meeting: JointMeeting, user, *, note: str = "") -> JointMeeting:
    """Approve a routine meeting's agenda (a convener or the vice-convener); no topic may be left open first."""
    with transaction.atomic():
        fresh = lock(meeting)
        t = MEETING.check("approve_agenda", fresh.status)
        require(is_chair(fresh, user), NOT_CONVENER_OR_VICE.format(what="审定议程"))
        waiting = fresh.topics.filter(status=T.SUBMITTED).count()
        require(not waiting, f"还有{waiting}个议题未经联席会议办公室初步协调，请先协调再审定议程。")
        pending = fresh.topics.filter(status=T.ESCALATED).count()
        require(not pending, f"还有{pending}个议题未审定（采纳或不采纳），请先逐项审定再审定议程。")
        fresh.status, fresh.agenda_approved_by, fresh.agenda_approved_at = t.target, user, timezone.now()
        if note:
            fresh.agenda_note = note.strip()
        _save(fresh, user)
    refresh(meeting, fresh)
    return meeting


def mark_held(meeting: JointMeeting, user, *, held_date: datetime.date | None = None,
              today: datetime.date | None = None) -> JointMeeting:
    """Record that the meeting took place (office staff, a convener or the vice-convener); not before it happened."""
    today = _today(today)
    held_date = held_date or today
    with transaction.atomic():
        fresh = lock(meeting)
        t = MEETING.check("mark_held", fresh.status)
        require(is_office_staff(user) or is_chair(fresh, user), NOT_OFFICE.format(what="确认会议召开"))
        require(held_date <= today, "会议尚未召开，不能确认召开。")
        fresh.status, fresh.held_date = t.target, held_date
        _save(fresh, user)
    refresh(meeting, fresh)
    return meeting


# --- the half-yearly 例行会议 ------------------------------------------------------------------

HELD_STATES = (M.HELD, M.MINUTES_ISSUED)


@dataclass
class HalfYear:
    """One half-year and its routine meetings: held, arranged, or none (二（四）1: 例行会议每半年召开一次)."""

    year: int
    half: int
    start: datetime.date
    end: datetime.date
    state: str  # "held", "scheduled", "missing" (past, none held), "unscheduled" (current, none arranged)
    meetings: list[JointMeeting] = field(default_factory=list)

    LABELS = {"held": "已召开", "scheduled": "已安排，尚未召开", "missing": "未召开例行会议",
              "unscheduled": "尚未安排例行会议"}

    @property
    def label(self) -> str:
        return half_year_label(self.year, self.half)

    @property
    def state_label(self) -> str:
        return self.LABELS[self.state]

    @property
    def lacking(self) -> bool:
        return self.state in ("missing", "unscheduled")


def _meeting_day(meeting: JointMeeting) -> datetime.date:
    return meeting.held_date or meeting.date


def routine_meeting_report(today: datetime.date | None = None,
                           since: datetime.date | None = None) -> list[HalfYear]:
    """Return every half-year from ``since`` to today's, with its routine meetings and whether one was held.

    ``since`` defaults to the date of the first joint meeting on record (the portal's records begin
    there), or today. A past half-year without a held 例行会议 is "missing"; the current one is "held",
    "scheduled" (one arranged, not yet held) or "unscheduled".
    """
    today = _today(today)
    if since is None:
        since = JointMeeting.objects.aggregate(first=Min("date"))["first"] or today
    since = min(since, today)
    routine = [m for m in JointMeeting.objects.filter(kind=JointMeeting.Kind.ROUTINE).order_by("date", "pk")]
    current = half_year_of(today)
    report = []
    for year, half in half_years(since, today):
        start, end = half_year_bounds(year, half)
        mine = [m for m in routine if start <= _meeting_day(m) <= end]
        if any(m.status in HELD_STATES for m in mine):
            state = "held"
        elif (year, half) == current:
            state = "scheduled" if mine else "unscheduled"
        else:
            state = "missing"
        report.append(HalfYear(year, half, start, end, state, mine))
    return report


def half_years_without_routine_meeting(today: datetime.date | None = None,
                                       since: datetime.date | None = None) -> list[HalfYear]:
    """Return the half-years with no routine meeting held (past) or arranged (current)."""
    return [h for h in routine_meeting_report(today, since) if h.lacking]


def send_routine_meeting_reminders(today: datetime.date | None = None) -> str:
    """Remind the 联席会议办公室 when the current half-year has no 例行会议 arranged; return one Chinese line.

    The mail goes to the head of the 联席会议办公室, the bureau's 局长 (the registered 副召集人, 二（四）1:
    办公室主任由区综合行政执法局局长兼任); past half-years without a meeting are reported on the 联席会议
    screen, not mailed again.
    """
    today = _today(today)
    current = routine_meeting_report(today, since=today)[-1]
    if current.state != "unscheduled":
        return f"{current.label}例行会议{current.state_label}，无需提醒。"
    head = office_head()
    recipients = [head.email] if head is not None and head.email else []
    body = (f"联席会议办公室主任：\n\n截至{today:%Y-%m-%d}，{current.label}（{current.start:%Y-%m-%d}至"
            f"{current.end:%Y-%m-%d}）尚未安排联席会议例行会议。\n\n周政办字〔2018〕18号二（四）1：例行会议每半年召开一次，"
            f"参会单位为全体成员单位；办公室于会前5个工作日向各成员单位征集有关议题。请及时安排。\n\n"
            f"（综合行政执法信息共享平台自动发送）")
    queued = queue_mail(f"【联席会议】{current.label}尚未安排例行会议", body, recipients,
                        kind="联席会议例行会议提醒") if recipients else None
    sent = f"已向{len(recipients)}人排队发送提醒邮件" if queued else "没有可发送的收件人"
    return f"{current.label}尚未安排例行会议，{sent}。"


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
    """签发: a 召集人 (the meeting's, or the other of 分管副区长 and entrusted 副主任) puts the draft minutes and
    their tasks in force (二（四）1: 由联席会议召集人签发); not the vice-convener, the office or an administrator."""
    with transaction.atomic():
        fresh = lock(meeting)
        minutes = MeetingMinutes.objects.select_for_update().filter(meeting=fresh).first()
        if minutes is not None and minutes.status == N.ISSUED:
            raise TransitionError("会议纪要已经签发，不能重复签发。")
        t = MEETING.check("issue_minutes", fresh.status)
        require(minutes is not None, "会议纪要尚未起草，不能签发。")
        require(may_sign(fresh, user), NOT_CONVENER.format(name=""))
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
    chair = is_chair(meeting, user)
    office = is_office_staff(user)
    if MEETING.allows("edit", status) and office:
        actions.append("edit")
    if MEETING.allows("propose_topic", status) and any(
        d.is_member or d.is_bureau for d in user_departments(user)
    ):
        actions.append("propose_topic")
    if MEETING.allows("coordinate_topic", status) and office:
        actions.append("coordinate_topic")
    if MEETING.allows("decide_topic", status) and chair:
        actions.append("decide_topic")
    if MEETING.allows("approve_agenda", status) and chair:
        actions.append("approve_agenda")
    if MEETING.allows("mark_held", status) and (office or chair):
        actions.append("mark_held")
    minutes = minutes_of(meeting)
    if MEETING.allows("draft_minutes", status) and office and (minutes is None or minutes.status == N.DRAFT):
        actions.append("draft_minutes")
    if MEETING.allows("issue_minutes", status) and minutes is not None and may_sign(meeting, user):
        actions.append("issue_minutes")
    return actions


def topic_actions(topic: MeetingTopic, user) -> list[str]:
    """Return the topic actions open to the user now: 初步协调 (office) or 审定 (a convener or the vice-convener)."""
    if topic.meeting_id and topic.meeting.status != M.COLLECTING:
        return []
    if topic.for_special:
        return ["adopt", "decline"] if topic.status == T.SUBMITTED and is_chair(None, user) else []
    if topic.status == T.SUBMITTED and is_office_staff(user):
        return ["resolve", "escalate"]
    if topic.status == T.ESCALATED and is_chair(topic.meeting, user):
        return ["adopt", "decline"]
    return []


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
