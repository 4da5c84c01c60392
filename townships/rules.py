"""The rules of 镇（街道）属地管理 and 基层联合执法, as plain functions (周政办字〔2018〕18号 二（二）、二（四）2).

What the text says, and where it is kept:

- 二（二）: “以镇（街道）综合执法办公室的名义统筹协调辖区内综合行政执法、工商、食药、环保、国土、公安等部门派驻
  执法机构及镇（街道）安环办等执法力量，开展联合执法” — ``create_action``: only a 镇 or 街道 (it has the
  office), in its office's name, by its own staff, with the 派驻执法机构 that took part (``participants``)
  and its own forces (``local_forces``).
- 二（四）2: “镇（街道）综合执法办公室对辖区内重大、复杂案件统筹协调” — the ``matter`` is required;
  “对联合执法工作组织不力，导致辖区内执法工作产生不利影响的…追究责任” — ``flag_poor_organisation``
  records both conditions; ``townships.accountability`` lists the cases for whoever follows them up.
- 二（二）: “区综合行政执法局派驻执法中队日常工作和队伍的日常管理以镇（街道）为主，人员的教育培训、岗位
  交流、业务指导以综合行政执法部门为主” — ``station_squadron`` and ``responsible_unit``.

The text sets no time limit for a joint action's follow-up items: the office sets one in working
days (``lib.workdays``) when it assigns an item.

Walls: a joint action is seen by the units that took part, the 镇（街道）'s staff, the 区综合行政执法局
and superusers (``can_view_action``); for everyone else it does not exist. Every refusal is a
``RuleError`` with a Chinese message, and nothing is changed.
"""
from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from lib.workdays import CalendarOutOfRange, add_working_days, deadline_status
from portal.models import Department
from portal.roles import LEADERS, MANAGERS
from portal.walls.access import acting_departments
from townships.models import FollowUp, JointAction, StationedSquadron, Township

PROVISION_LOCAL = "二（二）"
PROVISION_JOINT = "二（四）2"
# The directive's own words (tests/townships checks each is in the text).
QUOTE_IN_NAME = "以镇（街道）综合执法办公室的名义统筹协调"
QUOTE_MAJOR_CASES = "镇（街道）综合执法办公室对辖区内重大、复杂案件统筹协调"
QUOTE_POOR = "对联合执法工作组织不力，导致辖区内执法工作产生不利影响的"
QUOTE_DAILY = "日常工作和队伍的日常管理以镇（街道）为主"
QUOTE_GUIDANCE = "人员的教育培训、岗位交流、业务指导以综合行政执法部门为主"
ACCOUNTABILITY_RULES = "《周村区综合行政执法责任追究实施办法》"

MAX_FOLLOW_UP_DAYS = 60  # the form's bound: the text sets no limit, the office chooses one

# 二（二）: who manages what of a stationed squadron.
DAILY_MATTERS = ("日常工作", "日常管理")
GUIDANCE_MATTERS = ("教育培训", "岗位交流", "业务指导")


class RuleError(Exception):
    """A refused act, with its Chinese reason; nothing has changed."""


# --- who ---------------------------------------------------------------------------------------------

def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def acting_ids(user) -> set[int]:
    """Return the ids of the departments the user acts for (own, led, liaised for)."""
    return {d.pk for d in acting_departments(user)}


def is_bureau_staff(user) -> bool:
    """Return True for staff of the 区综合行政执法局."""
    return any(d.is_bureau for d in acting_departments(user))


def speaks_for_bureau(user) -> bool:
    """Return True for those who speak for the bureau: its 分管领导, liaisons, and its 分管领导/管理员 groups."""
    if not _active(user):
        return False
    for department in acting_departments(user):
        if not department.is_bureau:
            continue
        if department.leader_id == user.pk or department.liaisons.filter(pk=user.pk).exists():
            return True
        if user.department_id == department.pk and user.groups.filter(name__in=(LEADERS, MANAGERS)).exists():
            return True
    return False


def is_township_staff(user, township: Township) -> bool:
    """Return True when the user acts for the township's organ on the portal."""
    return township.department_id is not None and township.department_id in acting_ids(user)


def user_townships(user) -> list[Township]:
    """Return the townships whose staff the user is."""
    ids = acting_ids(user)
    return list(Township.objects.filter(department__in=ids)) if ids else []


def _action_q(user) -> Q | None:
    """Return the Q selecting the joint actions the user may see, or None for all of them."""
    if user.is_superuser or is_bureau_staff(user):
        return None
    ids = acting_ids(user)
    return Q(township__department__in=ids) | Q(participants__in=ids)


def visible_actions(user) -> QuerySet:
    """Return the joint actions the user may see (none for users outside every wall)."""
    qs = JointAction.objects.select_related("township")
    if not _active(user):
        return qs.none()
    q = _action_q(user)
    return qs if q is None else qs.filter(q).distinct()


def can_view_action(user, action: JointAction) -> bool:
    """Return True for the participating units, the 镇（街道）'s staff, the bureau and superusers."""
    if not _active(user):
        return False
    if user.is_superuser or is_bureau_staff(user):
        return True
    ids = acting_ids(user)
    if action.township.department_id in ids:
        return True
    return action.participants.filter(pk__in=ids).exists()


def can_manage_action(user, action: JointAction) -> bool:
    """Return True for the 镇（街道）'s own staff: the office organises and follows up (二（四）2)."""
    return _active(user) and is_township_staff(user, action.township)


# --- joint actions --------------------------------------------------------------------------------------

def _require_office(township: Township) -> None:
    if not township.has_office:
        raise RuleError(f"联合执法以镇（街道）综合执法办公室的名义组织（周政办字〔2018〕18号 {PROVISION_LOCAL}、"
                        f"{PROVISION_JOINT}）；{township.name}不是镇或街道，不能以此名义组织联合执法。")


def _require_township_staff(user, township: Township) -> None:
    if not is_township_staff(user, township):
        raise RuleError(f"只有{township.name}的工作人员可以以{township.office_name or township.name}的名义办理联合执法。")


def _clean_participants(township: Township, participants) -> list[Department]:
    units = [d for d in participants if d is not None]
    if any(d.pk == township.department_id for d in units):
        raise RuleError("本镇（街道）自己的执法力量请填写在“镇（街道）执法力量”中；参加单位是各部门派驻执法机构。")
    return units


def create_action(user, township: Township, *, title: str, matter: str, date: datetime.date, location: str,
                  participants, local_forces: str = "", other_forces: str = "", findings: str = "") -> JointAction:
    """Record a joint action organised by the township's 综合执法办公室, with the units that take part."""
    _require_office(township)
    _require_township_staff(user, township)
    if not (title or "").strip():
        raise RuleError("请填写联合执法事项。")
    if not (matter or "").strip():
        raise RuleError(f"请写明统筹协调的案件或问题：{QUOTE_MAJOR_CASES}（{PROVISION_JOINT}）。")
    if not (location or "").strip():
        raise RuleError("请填写执法地点。")
    units = _clean_participants(township, participants)
    if not units and not (other_forces or "").strip():
        raise RuleError(f"联合执法须组织辖区内综合行政执法、工商、食药、环保、国土、公安等部门派驻执法机构参加"
                        f"（{PROVISION_LOCAL}、{PROVISION_JOINT}）；请至少选择一个参加单位。")
    with transaction.atomic():
        action = JointAction.objects.create(
            township=township, title=title.strip(), matter=matter.strip(), date=date, location=location.strip(),
            local_forces=(local_forces or "").strip(), other_forces=(other_forces or "").strip(),
            findings=(findings or "").strip(), organised_by=user)
        action.participants.set(units)
    return action


def record_findings(action: JointAction, user, findings: str) -> JointAction:
    """Record what the joint action found; the action is then carried out (已实施)."""
    _require_township_staff(user, action.township)
    if action.status == JointAction.Status.CLOSED:
        raise RuleError("该联合执法已办结，不能再修改发现的问题。")
    if not (findings or "").strip():
        raise RuleError("请填写联合执法发现的问题（未发现问题的，请写明“未发现问题”）。")
    action.findings = findings.strip()
    action.status = JointAction.Status.CARRIED_OUT
    action.save(update_fields=["findings", "status"])
    return action


def follow_up_due(assigned: datetime.date, working_days: int) -> datetime.date:
    """Return the due date of a follow-up: the n-th working day after the day it is assigned."""
    if not 1 <= working_days <= MAX_FOLLOW_UP_DAYS:
        raise RuleError(f"办理时限应为1至{MAX_FOLLOW_UP_DAYS}个工作日。")
    try:
        return add_working_days(assigned, working_days)
    except CalendarOutOfRange as exc:
        raise RuleError(str(exc)) from exc


def add_follow_up(action: JointAction, user, *, description: str, responsible_department: Department,
                  working_days: int, assigned_date: datetime.date) -> FollowUp:
    """Assign a follow-up item to a unit that took part, or to the 镇（街道） itself, due in working days."""
    _require_township_staff(user, action.township)
    if action.status == JointAction.Status.CLOSED:
        raise RuleError("该联合执法已办结，不能再交办后续事项。")
    if not (description or "").strip():
        raise RuleError("请填写后续事项。")
    if responsible_department is None:
        raise RuleError("请选择责任单位。")
    allowed = set(action.participants.values_list("pk", flat=True)) | {action.township.department_id}
    if responsible_department.pk not in allowed:
        raise RuleError("责任单位应为参加联合执法的单位或本镇（街道）。")
    due = follow_up_due(assigned_date, working_days)
    return FollowUp.objects.create(action=action, description=description.strip(),
                                   responsible_department=responsible_department, assigned_date=assigned_date,
                                   working_days=working_days, due_date=due)


def can_complete(user, item: FollowUp) -> bool:
    ids = acting_ids(user)
    return _active(user) and (item.responsible_department_id in ids or item.action.township.department_id in ids)


def complete_follow_up(item: FollowUp, user, *, note: str, today: datetime.date) -> FollowUp:
    """Report a follow-up item done, by the responsible unit (or the 镇（街道））, with what was done."""
    if not can_complete(user, item):
        raise RuleError("只有责任单位或本镇（街道）的工作人员可以报告办结。")
    if item.status == FollowUp.Status.DONE:
        raise RuleError("该后续事项已办结。")
    if not (note or "").strip():
        raise RuleError("请填写办理情况。")
    item.status, item.completed_date, item.completion_note = FollowUp.Status.DONE, today, note.strip()
    item.save(update_fields=["status", "completed_date", "completion_note"])
    return item


def follow_up_status(item: FollowUp, today: datetime.date) -> str:
    """Return the deadline status key of a follow-up item (lib.workdays.STATUS_LABELS gives its label)."""
    return deadline_status(item.due_date, item.completed_date, today)


def close_action(action: JointAction, user) -> JointAction:
    """Close a joint action once it was carried out and every follow-up item is done."""
    _require_township_staff(user, action.township)
    if action.status != JointAction.Status.CARRIED_OUT:
        raise RuleError("请先登记联合执法发现的问题，再办结。")
    if action.follow_ups.filter(status=FollowUp.Status.OPEN).exists():
        raise RuleError("还有后续事项未办结，不能办结该联合执法。")
    action.status = JointAction.Status.CLOSED
    action.save(update_fields=["status"])
    return action


def flag_poor_organisation(action: JointAction, user, *, poor_organisation: str, adverse_effect: str,
                           today: datetime.date) -> JointAction:
    """Record that the joint action was poorly organised with an adverse effect: an accountability case (二（四）2)."""
    if not speaks_for_bureau(user):
        raise RuleError("组织不力由区综合行政执法局的分管领导、信息联络员或管理员认定。")
    if action.poorly_organised:
        raise RuleError("该联合执法已认定为组织不力。")
    if not (poor_organisation or "").strip() or not (adverse_effect or "").strip():
        raise RuleError(f"{QUOTE_POOR}，依照{ACCOUNTABILITY_RULES}追究责任（{PROVISION_JOINT}）："
                        "请分别写明组织不力的情形和对辖区内执法工作产生的不利影响。")
    bureau = next(d for d in acting_departments(user) if d.is_bureau)
    action.poorly_organised = True
    action.poor_organisation, action.adverse_effect = poor_organisation.strip(), adverse_effect.strip()
    action.flagged_by, action.flagged_department, action.flagged_date = user, bureau, today
    action.save(update_fields=["poorly_organised", "poor_organisation", "adverse_effect", "flagged_by",
                               "flagged_department", "flagged_date"])
    return action


def action_actions(action: JointAction, user) -> list[str]:
    """Return the names of the acts the user may do on the action now."""
    names = []
    if can_manage_action(user, action) and action.status != JointAction.Status.CLOSED:
        names += ["findings", "follow_up"]
        if action.status == JointAction.Status.CARRIED_OUT:
            names.append("close")
    if speaks_for_bureau(user) and not action.poorly_organised:
        names.append("flag")
    return names


# --- stationed squadrons ------------------------------------------------------------------------------

def station_squadron(user, *, name: str, bureau: Department, township: Township,
                     stationed_since: datetime.date | None = None, note: str = "") -> StationedSquadron:
    """Record a 中队 of the 区综合行政执法局 stationed in a 镇（街道） (二（二）)."""
    if not (user is not None and (getattr(user, "is_superuser", False) or speaks_for_bureau(user))):
        raise RuleError("派驻执法中队由区综合行政执法局登记。")
    if bureau is None or not bureau.is_bureau:
        raise RuleError("派驻执法中队是区综合行政执法局的中队（二（二））；请选择区综合行政执法局。")
    if not township.has_office:
        raise RuleError(f"区综合行政执法局派驻执法中队派驻镇（街道）（{PROVISION_LOCAL}）；{township.name}不是镇或街道。")
    if not (name or "").strip():
        raise RuleError("请填写中队名称。")
    if StationedSquadron.objects.filter(name=name.strip()).exists():
        raise RuleError("已有同名的派驻执法中队。")
    return StationedSquadron.objects.create(name=name.strip(), bureau=bureau, township=township,
                                            stationed_since=stationed_since, note=(note or "").strip())


def responsible_unit(squadron: StationedSquadron, matter: str):
    """Return who leads a matter of the squadron: the 镇（街道） for its daily work, the bureau for training (二（二）)."""
    if matter in DAILY_MATTERS:
        return squadron.daily_management_unit
    if matter in GUIDANCE_MATTERS:
        return squadron.guidance_unit
    raise RuleError(f"二（二）只规定了{'、'.join(DAILY_MATTERS + GUIDANCE_MATTERS)}由谁为主：“{matter}”不在其中。")


def visible_squadrons(user) -> QuerySet:
    """Return the squadrons the user may see: every staff member sees the list (it names units, not people)."""
    qs = StationedSquadron.objects.select_related("township", "bureau")
    return qs if _active(user) and (user.is_superuser or acting_ids(user)) else qs.none()
