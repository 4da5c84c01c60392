"""The wall around the door of 区编办 and 区政府法制办 (the ``coordination`` app): who sees which dispute,
accountability case and supervision screen.

- 区编办 (code BB) and 区政府法制办 (code FZB) coordinate disputes (二（一）; 二（四）3 案件移送的其他情形③)
  and supervise every department (三（二）: 区编办、区政府法制办等部门要对全区综合行政执法工作加强监督检查，
  强化责任追究): their staff see every dispute and every accountability case, and the supervision overview.
- A department party to a dispute sees that dispute; the 区政府办公室 (code ZFB) sees the disputes reported
  to the 区政府 for decision.
- A department concerned by an accountability case (二（四）7) sees that case, and no other.
- Superusers see everything but sign nothing; other departments' staff see none of these records, and the
  supervision overview is for 区编办、区政府法制办 and superusers only.

The functions take plain ids so that the policy needs no model of the app.
"""
from __future__ import annotations

from portal.walls.access import acting_departments
from sharing.deadlines import SUPERVISOR_CODES, supervises_sharing

COORDINATOR_CODES = SUPERVISOR_CODES  # ("BB", "FZB"): 区编办、区政府法制办
GOVERNMENT_OFFICE_CODE = "ZFB"  # 区政府办公室: receives what is 报区政府作出决定


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def acting_codes(user) -> set[str]:
    """Return the codes of the departments the user acts for (own, led, liaised for)."""
    return {d.code for d in acting_departments(user)}


def is_coordinator(user) -> bool:
    """Return True for staff of 区编办 or 区政府法制办 (not superusers: they sign nothing)."""
    return _active(user) and bool(acting_codes(user) & set(COORDINATOR_CODES))


def supervises(user) -> bool:
    """Return True for those who open the supervision overview: 区编办、区政府法制办 staff and superusers."""
    return supervises_sharing(user) or is_coordinator(user)


def sees_all(user) -> bool:
    """Return True for those who see every dispute and accountability case."""
    return _active(user) and (user.is_superuser or is_coordinator(user))


def department_ids(user) -> set[int]:
    return {d.pk for d in acting_departments(user)}


def may_see_dispute(user, party_ids: set[int], reported: bool) -> bool:
    """Return True when the user may see a dispute between ``party_ids`` (``reported``: sent to the 区政府)."""
    if sees_all(user):
        return True
    if not _active(user):
        return False
    if department_ids(user) & set(party_ids):
        return True
    return reported and GOVERNMENT_OFFICE_CODE in acting_codes(user)


def may_see_case(user, department_id: int | None) -> bool:
    """Return True when the user may see an accountability case of ``department_id``."""
    if sees_all(user):
        return True
    return _active(user) and department_id is not None and department_id in department_ids(user)


def may_open_door(user) -> bool:
    """Return True for those who may open the dispute and accountability lists (their own records only)."""
    return _active(user) and (user.is_superuser or bool(acting_departments(user)))
