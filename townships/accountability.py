"""Accountability cases of 基层联合执法, for other apps to read (周政办字〔2018〕18号 二（四）2).

“对联合执法工作组织不力，导致辖区内执法工作产生不利影响的，严格按照《周村区综合行政执法责任追究实施办法》
的相关规定追究责任。” A joint action the bureau flagged as poorly organised (``rules.flag_poor_organisation``)
is such a case; ``accountability_cases`` returns them as plain records, oldest flag first, so that a record of
accountability (二（四）7) or a supervision report can list them without knowing this app's models.
``overdue_follow_ups`` returns the follow-up items of joint actions past their due date.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from lib.workdays import OVERDUE
from townships.models import FollowUp, JointAction
from townships.rules import ACCOUNTABILITY_RULES, PROVISION_JOINT, follow_up_status


@dataclass(frozen=True)
class AccountabilityCase:
    """One joint action flagged 组织不力 with its adverse effect."""

    action_id: int
    township: str
    office: str
    title: str
    date: datetime.date
    poor_organisation: str
    adverse_effect: str
    flagged_date: datetime.date | None
    flagged_by_department: str
    provision: str = PROVISION_JOINT
    rules: str = ACCOUNTABILITY_RULES


def accountability_cases(since: datetime.date | None = None) -> list[AccountabilityCase]:
    """Return the joint actions flagged 组织不力 (flagged on or after ``since`` when given)."""
    qs = JointAction.objects.filter(poorly_organised=True).select_related("township", "flagged_department")
    if since is not None:
        qs = qs.filter(flagged_date__gte=since)
    return [AccountabilityCase(
        action_id=a.pk, township=a.township.name, office=a.township.office_name, title=a.title, date=a.date,
        poor_organisation=a.poor_organisation, adverse_effect=a.adverse_effect, flagged_date=a.flagged_date,
        flagged_by_department=a.flagged_department.display_name if a.flagged_department_id else "",
    ) for a in qs.order_by("flagged_date", "pk")]


def overdue_follow_ups(today: datetime.date) -> list[FollowUp]:
    """Return the open follow-up items of joint actions whose due date has passed."""
    items = FollowUp.objects.filter(status=FollowUp.Status.OPEN, due_date__lt=today).select_related(
        "action__township", "responsible_department")
    return [item for item in items if follow_up_status(item, today) == OVERDUE]
