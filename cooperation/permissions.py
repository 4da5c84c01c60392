"""Who acts for whom in the working systems: departments, their leaders and liaisons, the 联席会议办公室.

The rules, from the directive:

- A user belongs to their own department and to those they lead (分管领导) or
  liaise for (信息联络员): ``user_departments``, ``member_of``. Any member may draft
  and propose for the department.
- Acts that bind a department towards another (answering a transfer or a request,
  reporting on an assigned task, raising a dispute) are for the people who speak
  for it: its 分管领导 and 信息联络员 (二（四）1: 各联席会议成员单位必须确定1名分管领导及1名联络员，
  负责信息沟通、部门函件往来等日常工作联系), and its members in the 分管领导 or 管理员 groups (``speaks_for``).
- The 联席会议办公室 设在区综合行政执法局 (二（四）1): ``is_office_staff``.
- Superusers and the bureau's 管理员 see every record (``sees_every_record``) but sign
  nothing: approvals, 签发 and answers are acts of the persons the directive names.
"""
from __future__ import annotations

from cooperation.models import is_standing_convener, is_standing_vice_convener
from portal.models import Department
from portal.roles import LEADERS, MANAGERS
from portal.walls.access import acting_departments, is_staff_member


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def user_departments(user) -> list[Department]:
    """Return the departments the user acts for: their own, those they lead, those they liaise for."""
    return acting_departments(user)


def department_ids(user) -> set[int]:
    return {d.pk for d in user_departments(user)}


def member_of(user, department) -> bool:
    """Return True when the user acts for ``department`` (a Department or its pk)."""
    if department is None:
        return False
    pk = department if isinstance(department, int) else department.pk
    return pk in department_ids(user)


def _in_group(user, *names) -> bool:
    return user.groups.filter(name__in=names).exists()


def speaks_for(user, department) -> bool:
    """Return True when the user may answer and report in the department's name (see the module docstring)."""
    if department is None or not _active(user):
        return False
    if department.leader_id == user.pk or department.liaisons.filter(pk=user.pk).exists():
        return True
    return user.department_id == department.pk and _in_group(user, LEADERS, MANAGERS)


def is_office_staff(user) -> bool:
    """Return True for staff of the 联席会议办公室, i.e. of the enforcement bureau (二（四）1)."""
    return any(d.is_bureau for d in user_departments(user))


def sees_every_record(user) -> bool:
    """Return True for those who see every record: superusers and the bureau's 管理员."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return is_office_staff(user) and _in_group(user, MANAGERS)


def is_convener_anywhere(user) -> bool:
    """Return True for a 召集人 or the 副召集人 (registered in their groups, 二（四）1, or named on any joint meeting)."""
    if not _active(user):
        return False
    if is_standing_convener(user) or is_standing_vice_convener(user):
        return True
    return user.convened_meetings.exists() or user.vice_convened_meetings.exists()


def can_use(user) -> bool:
    """Return True for those who may open the working systems: staff of a department, conveners, superusers."""
    return _active(user) and (is_staff_member(user) or is_convener_anywhere(user))


def actor_department(user, *candidates) -> Department | None:
    """Return the first of ``candidates`` the user acts for, else their own department (for the timeline)."""
    for department in candidates:
        if department is not None and member_of(user, department):
            return department
    return getattr(user, "department", None)
