"""责任追究 (二（四）7): accountability cases arising from overdue or refused cooperation, and their candidates.

二（四）7: 对违反有关协作配合制度规定的单位和人员，影响工作造成重大损失或严重后果的，严格按照《周村区综合行政
执法责任追究实施办法》的相关规定追究责任。 三（二） gives the follow-up to 区编办、区政府法制办等部门 (强化责任追究).

- ``candidates(today)`` proposes the overdue items of the working systems that no case names yet: a
  transfer not sent within 2 working days or not answered within 5 (二（四）3), an information request
  not answered in time (二（四）5), an item not shared in time (二（四）5: 最长不超过5个工作日), a task of
  the joint meeting past its time limit (二（四）1). A proposal is only a proposal: whether the breach
  影响工作造成重大损失或严重后果 is for the coordinators to establish.
- ``register`` opens a case (staff of 区编办 or 区政府法制办, who 强化责任追究); ``handle`` records the
  handling under the 实施办法, or that no responsibility is pursued, with the reason.
- The department concerned sees its own cases; other departments see none (portal.walls.coordination).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cooperation.models import AssignedTask, CaseTransfer, InformationRequest, MeetingMinutes
from cooperation.permissions import speaks_for
from cooperation.states import Machine, TransitionError, lock, refresh, require, require_text, transition
from coordination.disputes import coordinators
from coordination.models import AccountabilityCase
from portal import params
from portal.models.metadata import SharedInfoPage
from portal.walls import coordination as wall
from sharing.deadlines import supervision_report

A = AccountabilityCase
S = A.Status
MACHINE = Machine(S, [
    transition("handle", "登记追究结果", {S.OPEN}, S.HANDLED),
    transition("dismiss", "登记不予追究", {S.OPEN}, S.DISMISSED),
])
MEASURES = "《周村区综合行政执法责任追究实施办法》"


@dataclass(frozen=True)
class Candidate:
    """An overdue item that could become an accountability case."""

    key: str  # e.g. "transfer-send:12": what the item is, and its id
    source: str  # an AccountabilityCase.Source value
    department: object
    title: str
    facts: str
    due: datetime.date | None
    url: str

    @property
    def source_label(self) -> str:
        return A.Source(self.source).label


def _transfer_candidates(today) -> list[Candidate]:
    T = CaseTransfer.Status
    qs = CaseTransfer.objects.select_related("from_department", "to_department")
    found = []
    for t in qs.filter(status__in=[T.DRAFT, T.PENDING_APPROVAL, T.APPROVED], transfer_due__lt=today):
        found.append(Candidate(f"transfer-send:{t.pk}", A.Source.TRANSFER_OVERDUE, t.from_department,
                               f"案件移送逾期未移送：{t.title}（{t.number}）",
                               f"应于{t.transfer_due:%Y-%m-%d}前移送（二（四）3：2个工作日内移送），"
                               f"截至{today:%Y-%m-%d}未移送（当前：{t.get_status_display()}）。", t.transfer_due,
                               reverse("cooperation_admin:transfer_detail", args=[t.pk])))
    for t in qs.filter(status=T.SENT, answered_date__isnull=True, answer_due__lt=today, to_department__isnull=False):
        found.append(Candidate(f"transfer-answer:{t.pk}", A.Source.TRANSFER_OVERDUE, t.to_department,
                               f"案件移送逾期未答复是否受理：{t.title}（{t.number}）",
                               f"应于{t.answer_due:%Y-%m-%d}前书面告知移送部门是否受理（二（四）3：5个工作日内），"
                               f"截至{today:%Y-%m-%d}未答复。", t.answer_due,
                               reverse("cooperation_admin:transfer_detail", args=[t.pk])))
    return found


def _request_candidates(today) -> list[Candidate]:
    qs = InformationRequest.objects.filter(status=InformationRequest.Status.SUBMITTED, due_date__lt=today
                                           ).select_related("requested_department", "requesting_department")
    return [Candidate(f"request:{r.pk}", A.Source.REQUEST_OVERDUE, r.requested_department,
                      f"信息请求逾期未答复：{r.subject}",
                      f"{r.requesting_department.display_name}的{r.get_kind_display()}请求应于{r.due_date:%Y-%m-%d}前"
                      f"答复（二（四）5），截至{today:%Y-%m-%d}未答复。", r.due_date,
                      reverse("cooperation_admin:request_detail", args=[r.pk])) for r in qs]


def _task_candidates(today) -> list[Candidate]:
    qs = AssignedTask.objects.filter(status=AssignedTask.Status.IN_PROGRESS, due_date__lt=today,
                                     minutes__status=MeetingMinutes.Status.ISSUED).select_related(
        "responsible_department", "minutes__meeting")
    return [Candidate(f"task:{t.pk}", A.Source.TASK_OVERDUE, t.responsible_department,
                      f"交办事项逾期未办结：{t.title}",
                      f"{t.minutes.meeting.title}交办，完成时限{t.due_date:%Y-%m-%d}（二（四）1：有关单位须严格按照会议纪要"
                      f"积极贯彻落实），截至{today:%Y-%m-%d}未办结。", t.due_date,
                      reverse("cooperation_admin:meeting_detail", args=[t.minutes.meeting_id])) for t in qs]


def _sharing_candidates(today) -> list[Candidate]:
    found = []
    for report in supervision_report(today=today).departments:
        for row in report.overdue:
            found.append(Candidate(f"page:{row.page.pk}", A.Source.SHARING_OVERDUE, report.department,
                                   f"信息共享逾期：{row.page.title}",
                                   f"信息形成于{row.formed:%Y-%m-%d}，应于{row.due_text}前共享（二（四）5：最长不超过5个"
                                   f"工作日），截至{today:%Y-%m-%d}未共享。", row.due,
                                   reverse("wagtailadmin_pages:edit", args=[row.page.pk])))
    return found


def candidates(today: datetime.date | None = None) -> list[Candidate]:
    """Return the overdue items no accountability case names yet, the longest overdue first."""
    today = today or timezone.localdate()
    taken = set(AccountabilityCase.objects.exclude(source_key="").values_list("source_key", flat=True))
    found = (_transfer_candidates(today) + _request_candidates(today) + _task_candidates(today)
             + _sharing_candidates(today))
    return sorted((c for c in found if c.key not in taken), key=lambda c: (c.due or datetime.date.max, c.key))


def candidate(key: str, today: datetime.date | None = None) -> Candidate | None:
    """Return the open candidate with this key, or None (unknown, no longer overdue, or already registered)."""
    return next((c for c in candidates(today) if c.key == key), None)


def _links(key: str) -> dict:
    kind, _, text = key.partition(":")
    pk = params.int_param(text)
    if pk is None:
        return {}
    model, name = {"transfer-send": (CaseTransfer, "transfer"), "transfer-answer": (CaseTransfer, "transfer"),
                   "request": (InformationRequest, "request"), "task": (AssignedTask, "task"),
                   "page": (SharedInfoPage, "page")}.get(kind, (None, ""))
    obj = model.objects.filter(pk=pk).first() if model else None
    return {name: obj} if obj else {}


# --- the steps ----------------------------------------------------------------------------------------

def _coordinator_for(user):
    return next((d for d in coordinators() if speaks_for(user, d)), None)


def register(user, *, source: str, department, title: str, facts: str, consequences: str = "",
             source_key: str = "", on: datetime.date | None = None) -> AccountabilityCase:
    """Open an accountability case (staff of 区编办 or 区政府法制办 who speak for it)."""
    registrar = _coordinator_for(user)
    require(registrar is not None, "只有区编办、区政府法制办的分管领导或信息联络员可以登记责任追究案件（三（二））。")
    require(source in A.Source.values, "请选择案件来源。")
    require(department is not None, "请选择责任单位。")
    require(not (source_key and A.objects.filter(source_key=source_key).exists()), "该逾期事项已登记责任追究案件。")
    with transaction.atomic():
        case = A(source=source, department=department, title=require_text(title, "请填写事由。"),
                 facts=require_text(facts, "请填写事实。"), consequences=(consequences or "").strip(),
                 source_key=source_key, registered_by=user, registered_department=registrar,
                 registered_date=on or timezone.localdate(), **_links(source_key))
        case._history_user = user
        case.save()
    return case


def register_candidate(user, key: str, *, consequences: str = "", facts: str = "",
                       today: datetime.date | None = None) -> AccountabilityCase:
    """Open a case from a proposed overdue item (its facts as proposed unless ``facts`` is given)."""
    found = candidate(key, today)
    require(found is not None, "该事项不在逾期事项中，或已登记责任追究案件。")
    return register(user, source=found.source, department=found.department, title=found.title,
                    facts=(facts or "").strip() or found.facts, consequences=consequences, source_key=found.key,
                    on=today)


def _step(case: AccountabilityCase, action: str, user, check, apply) -> AccountabilityCase:
    with transaction.atomic():
        fresh = lock(case)
        t = MACHINE.check(action, fresh.status)
        check(fresh)
        for name, value in apply(fresh).items():
            setattr(fresh, name, value)
        fresh.status = t.target
        fresh._history_user = user
        fresh.save()
    refresh(case, fresh)
    return case


def handle(case: AccountabilityCase, user, *, consequences: str, handling: str,
           on: datetime.date | None = None) -> AccountabilityCase:
    """Record the responsibility pursued under the 实施办法; the loss or consequence must be stated (二（四）7)."""
    def check(c):
        require(_coordinator_for(user) is not None, "只有区编办、区政府法制办的分管领导或信息联络员可以登记处理结果。")
        require_text(consequences, "请写明影响工作造成的重大损失或严重后果（二（四）7）。")
        require_text(handling, f"请填写按照{MEASURES}追究责任的处理情况。")

    return _step(case, "handle", user, check, lambda c: {
        "consequences": consequences.strip(), "handling": handling.strip(), "handled_by": user,
        "handled_date": on or timezone.localdate()})


def dismiss(case: AccountabilityCase, user, *, reason: str, on: datetime.date | None = None) -> AccountabilityCase:
    """Record that no responsibility is pursued, with the reason (e.g. no 重大损失或严重后果, 二（四）7)."""
    def check(c):
        require(_coordinator_for(user) is not None, "只有区编办、区政府法制办的分管领导或信息联络员可以登记处理结果。")
        require_text(reason, "请说明不予追究的理由。")

    return _step(case, "dismiss", user, check, lambda c: {
        "handling": reason.strip(), "handled_by": user, "handled_date": on or timezone.localdate()})


# --- who sees what ------------------------------------------------------------------------------------

def visible_cases(user) -> QuerySet:
    qs = A.objects.select_related("department", "registered_department")
    if wall.sees_all(user):
        return qs
    return qs.filter(department__in=wall.department_ids(user)) if wall.may_open_door(user) else qs.none()


def can_view(user, case: AccountabilityCase) -> bool:
    return wall.may_see_case(user, case.department_id)


def actions(case: AccountabilityCase, user) -> list[str]:
    ok = _coordinator_for(user) is not None
    return [a for a in ("handle", "dismiss") if ok and MACHINE.allows(a, case.status)]


__all__ = ["MACHINE", "Candidate", "TransitionError", "actions", "can_view", "candidate", "candidates", "dismiss",
           "handle", "register", "register_candidate", "visible_cases"]
