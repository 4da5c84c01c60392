"""Admin screens of 区编办 and 区政府法制办's door, mounted at /admin/coordination/ (see wagtail_hooks).

Views are thin: they read the request, call ``disputes``, ``accountability`` and ``supervision`` and render.
Each step is a form page (GET shows it, POST runs it); a ``TransitionError`` is shown as the refusal and
nothing changes. A record the user may not see, and the screens only 区编办、区政府法制办 and superusers
open (supervision, candidates), answer 404 with a Chinese message (portal.walls.coordination).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cooperation.models import CaseTransfer
from cooperation.permissions import user_departments
from cooperation.states import TransitionError
from coordination import accountability, disputes, supervision
from coordination import forms as f
from coordination.models import AccountabilityCase, Dispute
from portal import params
from portal.walls import coordination as wall

NOT_FOUND = "该记录不存在，或您没有查看权限。"
ONLY_STAFF = "争议协调和责任追究仅限各部门工作人员使用。"
ONLY_SUPERVISORS = "监督检查仅限区编办、区政府法制办工作人员使用。"


def _context(title: str, **context) -> dict:
    return {"page_title": title, "header_title": title, **context}


def door(view=None, *, supervisors_only: bool = False):
    """Require a user of the door (or a supervisor); answer 404 with its Chinese reason in the admin's frame."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                if supervisors_only and not wall.supervises(request.user):
                    raise Http404(ONLY_SUPERVISORS)
                if not wall.may_open_door(request.user):
                    raise Http404(ONLY_STAFF)
                return view(request, *args, **kwargs)
            except Http404 as exc:
                message = str(exc) if exc.args else NOT_FOUND
                return render(request, "cooperation/admin/not_found.html", _context("页面不存在", message=message),
                              status=404)
        return wrapper
    return decorate(view) if view else decorate


def _form_page(request, *, title: str, form_class, run: Callable, done: str, back_url: str, submit_label: str,
               intro: str = "", initial=None, subject=None):
    """Show a form; on a valid POST run ``run(cleaned_data)`` and go to its URL (or back), else show the refusal."""
    form = form_class(request.POST, initial=initial) if request.method == "POST" else form_class(initial=initial)
    if hasattr(form, "limit_to"):
        form.limit_to(user_departments(request.user))
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            url = run(form.cleaned_data)
        except TransitionError as exc:
            error = str(exc)
        else:
            messages.success(request, done)
            return redirect(url or back_url)
    return render(request, "cooperation/admin/form.html", _context(
        title, form=form, error=error, back_url=back_url, submit_label=submit_label, intro=intro, subject=subject))


def _list(request, title: str, columns: list[str], rows: list[tuple[str, list]], add_url="", add_label="", intro=""):
    return render(request, "cooperation/admin/list.html", _context(
        title, columns=columns, rows=[{"url": url, "cells": cells} for url, cells in rows], add_url=add_url,
        add_label=add_label, intro=intro, filters=[]))


@dataclass
class Step:
    label: str
    form: type
    run: Callable  # (obj, request, cleaned_data) -> None
    done: str
    intro: str = ""


def _run_step(request, obj, steps: dict[str, Step], name: str, back_url: str):
    step = steps.get(name)
    if step is None:
        raise Http404(NOT_FOUND)

    def run(data):
        step.run(obj, request, data)
        return back_url

    return _form_page(request, title=step.label, form_class=step.form, run=run, done=step.done, back_url=back_url,
                      submit_label=step.label, intro=step.intro, subject=obj)


def _buttons(obj, steps: dict[str, Step], names, url_name: str) -> list[dict]:
    return [{"name": n, "label": steps[n].label, "url": reverse(f"coordination_admin:{url_name}", args=[obj.pk, n]),
             "direct": False, "danger": False} for n in names if n in steps]


# --- 争议协调 ------------------------------------------------------------------------------------------

PATH_INTRO = ("因案件管辖问题发生争议的，应充分协商；协商未果的，由区编办、区政府法制办认定，无法认定的由区编办、"
              "区政府法制办提出处理意见，报区政府作出决定（二（四）3 案件移送的其他情形③）。监管职责分工不明确的，"
              "由区编办、区政府法制办进行协调；协调不一致的，提出处理意见，报区政府作出决定（二（一））。")

DISPUTE_STEPS = {
    "consult": Step("登记协商情况", f.ConsultationForm, lambda d, r, data: disputes.record_consultation(
        d, r.user, department=data["department"], date=data["date"], note=data["note"]), "协商情况已登记。",
        "争议各方应充分协商；每一方登记协商情况后，方可提请区编办、区政府法制办。"),
    "settle": Step("登记协商一致", f.SettleForm, lambda d, r, data: disputes.settle(
        d, r.user, competent_department=data["competent_department"], settlement=data["settlement"]),
        "协商结果已登记，争议办结。"),
    "refer": Step("协商未果，提请区编办、区政府法制办", f.ReferForm, lambda d, r, data: disputes.refer(
        d, r.user, reason=data["reason"]), "已提请区编办、区政府法制办。", "区编办、区政府法制办须各自登记意见，共同认定。"),
    "opinion": Step("登记认定／协调意见", f.OpinionForm, lambda d, r, data: disputes.record_opinion(
        d, r.user, coordinator=data["coordinator"], competent_department=data["competent_department"],
        text=data["text"]), "意见已登记。", "两机关认定同一部门的，即为共同认定；否则为无法认定，须提出处理意见报区政府。"),
    "proposal": Step("登记处理意见", f.ProposalForm, lambda d, r, data: disputes.record_opinion(
        d, r.user, coordinator=data["coordinator"], competent_department=data["competent_department"],
        text=data["text"]), "处理意见已登记。", "区编办、区政府法制办均提出处理意见后，报区政府作出决定。"),
    "decide": Step("登记区政府决定", f.DecisionForm, lambda d, r, data: disputes.record_decision(
        d, r.user, number=data["number"], decision=data["decision"],
        competent_department=data["competent_department"]), "区政府决定已登记。"),
}


def _visible_dispute(request, pk) -> Dispute:
    d = Dispute.objects.select_related("raised_department", "competent_department", "transfer").filter(pk=pk).first()
    if d is None or not disputes.can_view(request.user, d):
        raise Http404(NOT_FOUND)
    return d


@door
def dispute_index(request):
    rows = [(reverse("coordination_admin:dispute_detail", args=[d.pk]), [
        d.number, d.title, d.get_kind_display(), "、".join(p.display_name for p in d.parties.all()),
        f"{d.raised_date:%Y-%m-%d}", d.get_status_display()]) for d in disputes.visible_disputes(request.user)]
    add = reverse("coordination_admin:dispute_add") if user_departments(request.user) else ""
    refused = [(reverse("coordination_admin:dispute_add") + f"?transfer={t.pk}", [
        t.number, t.title, t.from_department.display_name, t.to_department.display_name, t.get_status_display()])
        for t in disputes.disputable_transfers(request.user)]
    return render(request, "coordination/dispute_index.html", _context(
        "争议协调", columns=["编号", "争议事项", "类型", "争议各方", "提出日期", "状态"],
        rows=[{"url": url, "cells": cells} for url, cells in rows], add_url=add, add_label="提出争议",
        intro=PATH_INTRO, filters=[], transfer_columns=["编号", "案由", "移送部门", "接收部门", "状态"],
        transfers=[{"url": url, "cells": cells} for url, cells in refused]))


@door
def dispute_add(request):
    transfer_id = params.int_param(request.GET.get("transfer")) if request.GET.get("transfer") else None
    if request.GET.get("transfer") and transfer_id is None:
        raise Http404(NOT_FOUND)
    if transfer_id:
        transfer = CaseTransfer.objects.select_related("from_department", "to_department").filter(
            pk=transfer_id).first()
        ids = wall.department_ids(request.user)
        if transfer is None or not ids & {transfer.from_department_id, transfer.to_department_id}:
            raise Http404(NOT_FOUND)

        def run_transfer(data):
            d = disputes.dispute_from_transfer(transfer, request.user, reason=data["reason"])
            return reverse("coordination_admin:dispute_detail", args=[d.pk])

        return _form_page(request, title="提出案件管辖争议", form_class=f.TransferDisputeForm, run=run_transfer,
                          done="管辖争议已提出，请争议双方登记协商情况。", subject=transfer, submit_label="提出争议",
                          back_url=reverse("cooperation_admin:transfer_detail", args=[transfer.pk]), intro=PATH_INTRO)
    if not user_departments(request.user):
        raise Http404("您的账号未关联部门，不能提出争议。")

    def run(data):
        d = disputes.raise_dispute(request.user, department=data["department"], parties=list(data["others"]),
                                   kind=data["kind"], title=data["title"], facts=data["facts"])
        return reverse("coordination_admin:dispute_detail", args=[d.pk])

    return _form_page(request, title="提出争议", form_class=f.DisputeForm, run=run, submit_label="提出争议",
                      done="争议已提出，请争议各方登记协商情况。", back_url=reverse("coordination_admin:dispute_index"),
                      intro=PATH_INTRO)


@door
def dispute_detail(request, pk):
    d = _visible_dispute(request, pk)
    return render(request, "coordination/dispute_detail.html", _context(
        f"争议协调 {d.number}", dispute=d, parties=list(d.parties.all()),
        consultations=d.consultations.select_related("department", "recorded_by"),
        opinions=d.opinions.select_related("coordinator", "competent_department", "recorded_by"),
        buttons=_buttons(d, DISPUTE_STEPS, disputes.actions(d, request.user), "dispute_action")))


@door
def dispute_action(request, pk, action):
    d = _visible_dispute(request, pk)
    return _run_step(request, d, DISPUTE_STEPS, action, reverse("coordination_admin:dispute_detail", args=[d.pk]))


# --- 责任追究 ------------------------------------------------------------------------------------------

CASE_INTRO = ("对违反有关协作配合制度规定的单位和人员，影响工作造成重大损失或严重后果的，严格按照《周村区综合行政执法"
              "责任追究实施办法》的相关规定追究责任（二（四）7）。")

CASE_STEPS = {
    "handle": Step("登记追究结果", f.HandleForm, lambda c, r, data: accountability.handle(
        c, r.user, consequences=data["consequences"], handling=data["handling"]), "处理结果已登记。", CASE_INTRO),
    "dismiss": Step("登记不予追究", f.DismissForm, lambda c, r, data: accountability.dismiss(
        c, r.user, reason=data["reason"]), "已登记不予追究。"),
}


def _visible_case(request, pk) -> AccountabilityCase:
    c = AccountabilityCase.objects.select_related("department", "registered_department").filter(pk=pk).first()
    if c is None or not accountability.can_view(request.user, c):
        raise Http404(NOT_FOUND)
    return c


@door
def case_index(request):
    rows = [(reverse("coordination_admin:case_detail", args=[c.pk]), [
        c.number, c.title, c.get_source_display(), c.department.display_name, f"{c.registered_date:%Y-%m-%d}",
        c.get_status_display()]) for c in accountability.visible_cases(request.user)]
    add = reverse("coordination_admin:case_candidates") if wall.is_coordinator(request.user) else ""
    return _list(request, "责任追究", ["编号", "事由", "来源", "责任单位", "登记日期", "状态"], rows, add,
                 "逾期事项与立案登记", CASE_INTRO)


@door(supervisors_only=True)
def case_candidates(request):
    rows = [(reverse("coordination_admin:case_add") + f"?source={c.key}", [
        c.title, c.source_label, c.department.display_name, f"{c.due:%Y-%m-%d}" if c.due else "—"])
        for c in accountability.candidates()]
    add = reverse("coordination_admin:case_add") if wall.is_coordinator(request.user) else ""
    return _list(request, "逾期事项（责任追究候选）", ["逾期事项", "来源", "责任单位", "期限"], rows, add,
                 "登记其他案件（如拒绝协作配合）", "以下逾期事项尚未登记责任追究案件；是否影响工作造成重大损失或严重后果，"
                 "由区编办、区政府法制办核实（二（四）7、三（二））。")


@door(supervisors_only=True)
def case_add(request):
    key = request.GET.get("source", "")
    if key:
        found = accountability.candidate(key)
        if found is None:
            raise Http404("该逾期事项不存在，或已登记责任追究案件。")

        def run_candidate(data):
            c = accountability.register_candidate(request.user, key, facts=data["facts"],
                                                  consequences=data["consequences"])
            return reverse("coordination_admin:case_detail", args=[c.pk])

        return _form_page(request, title="登记责任追究案件", form_class=f.CandidateCaseForm, run=run_candidate,
                          done="责任追究案件已登记。", back_url=reverse("coordination_admin:case_candidates"),
                          submit_label="立案登记", subject=f"{found.title}（{found.department.display_name}）",
                          initial={"facts": found.facts}, intro=CASE_INTRO)

    def run(data):
        c = accountability.register(request.user, source=data["source"], department=data["department"],
                                    title=data["title"], facts=data["facts"], consequences=data["consequences"])
        return reverse("coordination_admin:case_detail", args=[c.pk])

    return _form_page(request, title="登记责任追究案件", form_class=f.CaseForm, run=run, done="责任追究案件已登记。",
                      back_url=reverse("coordination_admin:case_index"), submit_label="立案登记", intro=CASE_INTRO)


@door
def case_detail(request, pk):
    c = _visible_case(request, pk)
    return render(request, "coordination/case_detail.html", _context(
        f"责任追究 {c.number}", case=c,
        buttons=_buttons(c, CASE_STEPS, accountability.actions(c, request.user), "case_action")))


@door
def case_action(request, pk, action):
    c = _visible_case(request, pk)
    return _run_step(request, c, CASE_STEPS, action, reverse("coordination_admin:case_detail", args=[c.pk]))


# --- 监督检查 ------------------------------------------------------------------------------------------

@door(supervisors_only=True)
def supervision_overview(request):
    return render(request, "coordination/supervision.html", _context(
        "监督检查", overview=supervision.overview(timezone.localdate())))
