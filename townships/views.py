"""Admin screens of 镇（街道）综合执法, mounted at /admin/townships/ (see wagtail_hooks).

Views are thin: they read the form, call ``townships.rules`` and render. A ``RuleError`` is shown as the
refusal and nothing changes. A joint action the user may not see answers 404 with a Chinese message (as a
missing one does), so a URL does not reveal whether a record exists.
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

from lib.workdays import STATUS_LABELS, estimated
from townships import forms as f
from townships import rules
from townships.models import FollowUp, JointAction

NOT_FOUND = "该记录不存在，或您没有查看权限。"
ONLY_STAFF = "镇（街道）综合执法仅限各单位工作人员使用。"


def may_use(user) -> bool:
    """Return True for staff of a department (a township's organ included) and superusers."""
    return bool(user.is_active and (user.is_superuser or rules.acting_ids(user)))


def _context(title: str, **context) -> dict:
    return {"page_title": title, "header_title": title, **context}


def township_view(view):
    """Require a member of staff; answer Http404 with its Chinese reason in the admin's frame."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            if not may_use(request.user):
                raise Http404(ONLY_STAFF)
            return view(request, *args, **kwargs)
        except Http404 as exc:
            message = str(exc) if exc.args else NOT_FOUND
            return render(request, "townships/admin/not_found.html", _context("页面不存在", message=message),
                          status=404)

    return wrapper


def _form_page(request, *, title, form_class, run: Callable, back_url: str, done: str, intro: str = "",
               form_kwargs=None, initial=None, subject=None, danger=False):
    """Show a form; on a valid POST run ``run(cleaned_data)`` and go to what it returns (or back)."""
    kwargs = {**(form_kwargs or {}), "initial": initial}
    form = form_class(request.POST, **kwargs) if request.method == "POST" else form_class(**kwargs)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            target = run(form.cleaned_data)
        except rules.RuleError as exc:
            error = str(exc)
        else:
            messages.success(request, done)
            return redirect(target or back_url)
    return render(request, "townships/admin/form.html", _context(
        title, form=form, error=error, back_url=back_url, intro=intro, subject=subject, danger=danger))


def _visible_action(request, pk) -> JointAction:
    action = JointAction.objects.select_related("township").filter(pk=pk).first()
    if action is None or not rules.can_view_action(request.user, action):
        raise Http404(NOT_FOUND)
    return action


def _badge(key: str, due) -> dict:
    return {"key": key, "label": STATUS_LABELS.get(key, ""), "due": due, "estimated": estimated(due)}


# --- joint actions --------------------------------------------------------------------------------------

@township_view
def action_index(request):
    actions = rules.visible_actions(request.user).prefetch_related("participants")
    return render(request, "townships/admin/action_index.html", _context(
        "联合执法", actions=actions, can_add=bool(rules.user_townships(request.user)),
        intro=f"镇（街道）以镇（街道）综合执法办公室的名义统筹协调辖区内各部门派驻执法机构及镇（街道）安环办等执法力量，"
              f"开展联合执法（{rules.PROVISION_LOCAL}、{rules.PROVISION_JOINT}）。"))


@township_view
def action_add(request):
    townships = [t for t in rules.user_townships(request.user) if t.has_office]
    if not townships:
        raise Http404("只有镇（街道）的工作人员可以以镇（街道）综合执法办公室的名义登记联合执法。")

    def run(data):
        action = rules.create_action(request.user, data.pop("township"), **data)
        return reverse("townships_admin:action_detail", args=[action.pk])

    return _form_page(request, title="登记联合执法", form_class=f.ActionForm, run=run,
                      back_url=reverse("townships_admin:action_index"), done="联合执法已登记。",
                      form_kwargs={"townships": townships}, initial={"date": timezone.localdate()})


@township_view
def action_detail(request, pk):
    action = _visible_action(request, pk)
    today = timezone.localdate()
    items = [{"item": item, "badge": _badge(rules.follow_up_status(item, today), item.due_date),
              "can_complete": item.status == FollowUp.Status.OPEN and rules.can_complete(request.user, item)}
             for item in action.follow_ups.select_related("responsible_department")]
    names = rules.action_actions(action, request.user)
    buttons = [{"label": ACTIONS[n].label, "url": reverse("townships_admin:action_act", args=[action.pk, n]),
                "danger": ACTIONS[n].danger} for n in names]
    return render(request, "townships/admin/action_detail.html", _context(
        f"联合执法：{action.title}", action=action, items=items, buttons=buttons,
        participants=list(action.participants.all())))


@dataclass
class Act:
    label: str
    form: type
    run: Callable  # (action, request, data) -> None
    done: str
    intro: str = ""
    danger: bool = False
    form_kwargs: Callable | None = None
    initial: Callable | None = None


ACTIONS = {
    "findings": Act("登记发现的问题", f.FindingsForm,
                    lambda a, r, d: rules.record_findings(a, r.user, d["findings"]), "已登记，联合执法已实施。",
                    initial=lambda a: {"findings": a.findings}),
    "follow_up": Act("交办后续事项", f.FollowUpForm,
                     lambda a, r, d: rules.add_follow_up(a, r.user, **d), "后续事项已交办。",
                     intro="责任单位为参加联合执法的单位或本镇（街道）；办理时限按工作日计算。",
                     form_kwargs=lambda a: {"action": a}, initial=lambda a: {"assigned_date": timezone.localdate()}),
    "close": Act("办结", f.NoteForm, lambda a, r, d: rules.close_action(a, r.user), "联合执法已办结。"),
    "flag": Act("认定组织不力", f.FlagForm,
                lambda a, r, d: rules.flag_poor_organisation(a, r.user, today=timezone.localdate(), **d),
                "已认定组织不力，列入责任追究。", danger=True,
                intro=f"{rules.QUOTE_POOR}，严格按照{rules.ACCOUNTABILITY_RULES}的相关规定追究责任（{rules.PROVISION_JOINT}）。"),
}


@township_view
def action_act(request, pk, action):
    record = _visible_action(request, pk)
    spec = ACTIONS.get(action)
    if spec is None or action not in rules.action_actions(record, request.user):
        raise Http404(NOT_FOUND)
    back = reverse("townships_admin:action_detail", args=[record.pk])

    def run(data):
        spec.run(record, request, data)

    return _form_page(request, title=spec.label, form_class=spec.form, run=run, back_url=back, done=spec.done,
                      intro=spec.intro, subject=record, danger=spec.danger,
                      form_kwargs=spec.form_kwargs(record) if spec.form_kwargs else None,
                      initial=spec.initial(record) if spec.initial else None)


@township_view
def follow_up_complete(request, pk):
    item = FollowUp.objects.select_related("action__township", "responsible_department").filter(pk=pk).first()
    if item is None or not rules.can_view_action(request.user, item.action):
        raise Http404(NOT_FOUND)
    back = reverse("townships_admin:action_detail", args=[item.action_id])

    def run(data):
        rules.complete_follow_up(item, request.user, note=data["note"], today=timezone.localdate())

    return _form_page(request, title="报告办结", form_class=f.CompleteForm, run=run, back_url=back,
                      done="已报告办结。", subject=item)


# --- stationed squadrons ------------------------------------------------------------------------------

@township_view
def squadron_index(request):
    return render(request, "townships/admin/squadron_index.html", _context(
        "派驻执法中队", squadrons=rules.visible_squadrons(request.user),
        can_add=request.user.is_superuser or rules.speaks_for_bureau(request.user),
        daily=rules.QUOTE_DAILY, guidance=rules.QUOTE_GUIDANCE))


@township_view
def squadron_add(request):
    if not (request.user.is_superuser or rules.speaks_for_bureau(request.user)):
        raise Http404("派驻执法中队由区综合行政执法局登记。")

    def run(data):
        rules.station_squadron(request.user, **data)

    return _form_page(request, title="登记派驻执法中队", form_class=f.SquadronForm, run=run,
                      back_url=reverse("townships_admin:squadron_index"), done="派驻执法中队已登记。",
                      intro=f"区综合行政执法局派驻执法中队{rules.QUOTE_DAILY}，{rules.QUOTE_GUIDANCE}（{rules.PROVISION_LOCAL}）。")
