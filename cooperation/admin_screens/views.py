"""Admin screens of the working systems, mounted at /admin/cooperation/ (see wagtail_hooks).

Views are thin: they read the request, call the state functions of ``meetings``,
``transfers``, ``complaints`` and ``info_requests`` and render. Every action is a
form page (GET shows it, POST runs it); actions that need no input are also
posted straight from a record's page. A ``TransitionError`` is shown as the
refusal, and nothing changes. Records a user may not see answer 404 with a
Chinese message, so a URL does not reveal whether a record exists.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from cooperation import complaints, info_requests, limits, meetings, transfers
from cooperation.admin_screens import forms as f
from cooperation.files import store_upload
from cooperation.models import (
    AssignedTask,
    AssistanceRequest,
    CaseTransfer,
    ComplaintConsultation,
    ComplaintRecord,
    InformationRequest,
    JointMeeting,
    MeetingMinutes,
    MeetingTopic,
    TransferMaterial,
)
from cooperation.permissions import can_use, department_ids, is_office_staff, sees_every_record, user_departments
from cooperation.states import TransitionError
from lib.masking import mask_person_name, mask_phone
from lib.workdays import estimated

NOT_FOUND = "该记录不存在，或您没有查看权限。"
ONLY_STAFF = "协作机制仅限成员单位工作人员和联席会议召集人使用。"


def _context(title: str, **context) -> dict:
    return {"page_title": title, "header_title": title, **context}


def cooperation_view(view):
    """Require a user of the working systems; answer Http404 with its Chinese reason in the admin's frame."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            if not can_use(request.user):
                raise Http404(ONLY_STAFF)
            return view(request, *args, **kwargs)
        except Http404 as exc:
            message = str(exc) if exc.args else NOT_FOUND
            return render(request, "cooperation/admin/not_found.html", _context("页面不存在", message=message),
                          status=404)

    return wrapper


def _deadline(key: str, due=None):
    """Return the HTML of a deadline status badge (with the due date)."""
    if not key:
        return ""
    date = f" {due:%Y-%m-%d}" + ("（预计）" if estimated(due) else "") if due else ""
    return format_html('<span class="coop-deadline coop-deadline--{}">{}{}</span>', key, limits.status_label(key), date)


# --- one action = one form page -------------------------------------------------------------------

@dataclass
class GoTo:
    """What an action returns to send the user somewhere else than the record's page after success."""

    url: str
    message: str = ""


@dataclass
class Action:
    """An action of a record's page: its form, what it runs, the message on success."""

    label: str
    form: type
    run: Callable  # (obj, request, cleaned_data) -> a GoTo, a success message, or anything (then ``done``)
    done: str
    direct: bool = False  # may be posted straight from the record's page
    danger: bool = False
    intro: str = ""
    initial: Callable | None = None  # obj -> initial data
    form_kwargs: Callable | None = None  # (obj, request) -> extra form kwargs


def _form_page(request, *, title: str, form_class, run: Callable, done: str, back_url: str, submit_label: str,
               intro: str = "", initial=None, form_kwargs=None, subject=None, danger=False):
    """Show a form; on a valid POST run ``run(cleaned_data)`` and go back, or show the refusal and stay."""
    kwargs = dict(form_kwargs or {})
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, initial=initial, **kwargs)
    else:
        form = form_class(initial=initial, **kwargs)
    if hasattr(form, "limit_to"):
        form.limit_to(user_departments(request.user))
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except TransitionError as exc:
            error = str(exc)
        else:
            if isinstance(result, GoTo):
                messages.success(request, result.message or done)
                return redirect(result.url)
            messages.success(request, result if isinstance(result, str) else done)
            return redirect(back_url)
    return render(request, "cooperation/admin/form.html", _context(
        title, form=form, error=error, back_url=back_url, submit_label=submit_label, intro=intro, subject=subject,
        danger=danger,
    ))


def _run_action(request, obj, actions: dict[str, Action], name: str, back_url: str):
    spec = actions.get(name)
    if spec is None:
        raise Http404(NOT_FOUND)
    return _form_page(
        request, title=spec.label, form_class=spec.form, done=spec.done, back_url=back_url,
        run=lambda data: spec.run(obj, request, data), submit_label=spec.label, intro=spec.intro,
        initial=spec.initial(obj) if spec.initial else None, subject=obj, danger=spec.danger,
        form_kwargs=spec.form_kwargs(obj, request) if spec.form_kwargs else None,
    )


def _buttons(obj, actions: dict[str, Action], names, url_name: str) -> list[dict]:
    return [{"name": n, "label": actions[n].label, "url": reverse(f"cooperation_admin:{url_name}", args=[obj.pk, n]),
             "direct": actions[n].direct, "danger": actions[n].danger} for n in names if n in actions]


def _rows(columns: list[str], rows: list[tuple[str, list]]) -> dict:
    return {"columns": columns, "rows": [{"url": url, "cells": cells} for url, cells in rows]}


def _list_page(request, title: str, table: dict, add_url: str = "", add_label: str = "", intro: str = "",
               filters: list[tuple[str, str, bool]] = ()):
    return render(request, "cooperation/admin/list.html", _context(
        title, add_url=add_url, add_label=add_label, intro=intro, filters=filters, **table))


def _mine(request) -> bool:
    return request.GET.get("mine") == "1"


def _filters(request, base_url: str) -> list[tuple[str, str, bool]]:
    mine = _mine(request)
    return [("全部", base_url, not mine), ("本部门", base_url + "?mine=1", mine)]


# --- 联席会议 ----------------------------------------------------------------------------------------

MEETING_FIELDS = ("title", "date", "topics_open_date", "location", "agenda_note", "convener", "convener_capacity",
                  "vice_convener", "invited")


def _meeting_fields(data, names=MEETING_FIELDS) -> dict:
    return {k: data[k] for k in names if k in data}


def _meeting_initial(m) -> dict:
    initial = {k: getattr(m, k) for k in ("title", "date", "topics_open_date", "location", "agenda_note",
                                          "convener_capacity")}
    initial.update(convener=m.convener_id, vice_convener=m.vice_convener_id,
                   invited=list(m.invited.values_list("pk", flat=True)))
    return initial


MEETING_ACTIONS = {
    "edit": Action("修改会议信息", f.MeetingForm, lambda m, r, d: meetings.update_meeting(m, r.user, **_meeting_fields(d)),
                   "会议信息已修改。", initial=_meeting_initial),
    "propose_topic": Action("提交议题", f.TopicForm, lambda m, r, d: meetings.propose_topic(m, r.user, **d),
                            "议题已提交，由联席会议办公室初步协调。",
                            intro="办公室于会前5个工作日向各成员单位征集有关议题并进行初步协调（二（四）1）；"
                                  "请写明议题说明和本单位的初步意见，可附背景材料。"),
    "approve_agenda": Action("审定议程", f.NoteForm, lambda m, r, d: meetings.approve_agenda(m, r.user, note=d["note"])
                            , "议程已审定。", direct=True),
    "mark_held": Action("确认会议已召开", f.NoteForm, lambda m, r, d: meetings.mark_held(m, r.user),
                        "已确认会议召开，联席会议办公室可以起草会议纪要。", direct=True),
    "draft_minutes": Action("起草会议纪要", f.MinutesForm, lambda m, r, d: meetings.save_minutes(m, r.user, **d),
                            "会议纪要已保存（草稿），请列明交办事项后报召集人签发。", initial=lambda m: _minutes_initial(m)),
    "add_task": Action("添加交办事项", f.TaskForm, lambda m, r, d: meetings.add_task(_minutes(m), r.user, **d),
                       "交办事项已添加。"),
    "issue_minutes": Action("签发会议纪要", f.NoteForm, lambda m, r, d: meetings.issue_minutes(m, r.user),
                            "会议纪要已签发，交办事项开始办理。", direct=True,
                            intro="联席会议办公室负责会议纪要的整理、印发，由联席会议召集人签发（二（四）1）；签发后交办事项即开始计时。"),
}


def _minutes(meeting):
    minutes = meetings.minutes_of(meeting)
    if minutes is None:
        raise TransitionError("请先起草会议纪要，再添加交办事项。")
    return minutes


def _minutes_initial(meeting) -> dict:
    minutes = meetings.minutes_of(meeting)
    if minutes is None:
        return {}
    return {"number": minutes.number, "attendees": minutes.attendees, "content": minutes.content}


TOPIC_ACTIONS = {
    "resolve": Action("初步协调解决", f.CoordinationForm,
                      lambda t, r, d: meetings.coordinate_topic(t, r.user, resolved=True, note=d["note"]),
                      "已登记初步协调结果，该议题无需提交会议讨论。",
                      intro="办公室向各成员单位征集有关议题并进行初步协调（二（四）1）；协调解决的，登记协调结果。"),
    "escalate": Action("报召集人、副召集人审定", f.CoordinationForm,
                       lambda t, r, d: meetings.coordinate_topic(t, r.user, resolved=False, note=d["note"]),
                       "已报召集人、副召集人审定。",
                       intro="难以解决的，报联席会议召集人、副召集人审定后，提交会议讨论（二（四）1）；请写明难以解决的原因。"),
    "adopt": Action("采纳", f.TopicDecisionForm,
                    lambda t, r, d: meetings.decide_topic(t, r.user, adopt=True, note=d["note"]),
                    "议题已采纳。", direct=True),
    "decline": Action("不采纳", f.TopicDecisionForm,
                      lambda t, r, d: meetings.decide_topic(t, r.user, adopt=False, note=d["note"]),
                      "议题未采纳。", direct=True, danger=True),
}
TASK_ACTIONS = {
    "complete": Action("报告办结", f.TaskCompleteForm,
                       lambda t, r, d: meetings.complete_task(t, r.user, note=d["note"]), "已报告办结。"),
    "report_delay": Action("说明延期理由", f.TaskDelayForm,
                           lambda t, r, d: meetings.report_delay(t, r.user, reason=d["reason"]), "已说明理由。"),
    "remove": Action("删除", f.NoteForm, lambda t, r, d: meetings.remove_task(t, r.user), "交办事项已删除。",
                     direct=True, danger=True),
}


@cooperation_view
def meeting_index(request):
    qs = JointMeeting.objects.all()
    rows = [(reverse("cooperation_admin:meeting_detail", args=[m.pk]), [
        m.title, m.get_kind_display(), f"{m.date:%Y-%m-%d}", m.get_status_display(), m.topics.count(),
    ]) for m in qs]
    office = is_office_staff(request.user)
    add = reverse("cooperation_admin:meeting_add") if office else ""
    table = _rows(["会议名称", "类型", "会议日期", "状态", "议题数"], rows)
    return render(request, "cooperation/admin/meeting_index.html", _context(
        "联席会议", add_url=add, add_label="安排例行会议", **table,
        special_url=reverse("cooperation_admin:special_topic_index"),
        half_years=list(reversed(meetings.routine_meeting_report(timezone.localdate()))),
        conveners=list(meetings.standing_conveners()), office_head=meetings.office_head(),
        intro="部门联席会议形式分为例行会议和专题会议（二（四）1）。例行会议每半年召开一次，参会单位为全体成员单位；"
              "专题会议由成员单位提出议题，经召集人或副召集人审定后召集。",
    ))


@cooperation_view
def meeting_add(request):
    if not is_office_staff(request.user):
        raise Http404("只有联席会议办公室（区综合行政执法局）的工作人员可以安排联席会议。")
    today = timezone.localdate()

    def run(data):
        meeting = meetings.create_meeting(request.user, kind=JointMeeting.Kind.ROUTINE, **_meeting_fields(data))
        return GoTo(reverse("cooperation_admin:meeting_detail", args=[meeting.pk]))

    return _form_page(request, title="安排例行会议", form_class=f.MeetingForm, run=run, done="会议已安排，开始征集议题。",
                      back_url=reverse("cooperation_admin:meeting_index"), submit_label="保存",
                      intro="例行会议每半年召开一次，参会单位为全体成员单位，并可视情况邀请其他相关单位参加（二（四）1）。",
                      initial={"topics_open_date": today})


@cooperation_view
def meeting_detail(request, pk):
    meeting = get_object_or_404(JointMeeting.objects.select_related("convener", "vice_convener"), pk=pk)
    user, today = request.user, timezone.localdate()
    allowed = meetings.meeting_actions(meeting, user)
    minutes = meetings.minutes_of(meeting)
    topics = [{"topic": t, "buttons": _buttons(t, TOPIC_ACTIONS, meetings.topic_actions(t, user), "topic_action")}
              for t in meeting.topics.select_related("department", "submitted_by", "meeting")]
    tasks = []
    if minutes is not None:
        draft = minutes.status == MeetingMinutes.Status.DRAFT
        for task in minutes.tasks.select_related("responsible_department"):
            names = meetings.task_actions(task, user)
            if draft and "draft_minutes" in allowed:
                names = ["remove"]
            tasks.append({"task": task, "deadline": _deadline(task.deadline_key(today)) if not draft else "",
                          "buttons": _buttons(task, TASK_ACTIONS, names, "task_action")})
    names = [a for a in allowed if a in MEETING_ACTIONS]
    if "draft_minutes" in allowed and minutes is not None:
        names.append("add_task")
    return render(request, "cooperation/admin/meeting_detail.html", _context(
        meeting.title, meeting=meeting, minutes=minutes, topics=topics, tasks=tasks,
        buttons=_buttons(meeting, MEETING_ACTIONS, names, "meeting_action"),
        participants=list(meeting.participants.all()), invited=list(meeting.invited.all()),
        show_minutes=minutes is not None and (minutes.status == MeetingMinutes.Status.ISSUED or is_office_staff(user)
                                              or meetings.is_chair(meeting, user) or sees_every_record(user)),
        latest_opening=(limits.safe_deadline(limits.latest_topic_opening, meeting.date)
                        if meeting.is_routine else None),
    ))


@cooperation_view
def special_topic_index(request):
    user = request.user
    qs = MeetingTopic.objects.filter(for_special=True).select_related("department", "meeting", "decided_by")
    rows = [{"topic": t, "buttons": _buttons(t, TOPIC_ACTIONS, meetings.topic_actions(t, user), "topic_action")}
            for t in qs.order_by("-submitted_at", "-pk")]
    proposes = any(d.is_member or d.is_bureau for d in user_departments(user))
    return render(request, "cooperation/admin/special_topics.html", _context(
        "专题会议议题", rows=rows,
        add_url=reverse("cooperation_admin:special_topic_add") if proposes else "",
        call_url=reverse("cooperation_admin:special_meeting_add") if is_office_staff(user) else "",
        intro="专题会议不定期召开，由各成员单位根据工作实际需要提出议题并提交联席会议办公室，经联席会议召集人或副召集人审定后"
              "召集会议；专题会议可以根据议题情况确定参加单位（二（四）1）。",
    ))


@cooperation_view
def special_topic_add(request):
    back = reverse("cooperation_admin:special_topic_index")
    return _form_page(request, title="提交专题会议议题", form_class=f.TopicForm,
                      run=lambda data: meetings.submit_special_topic(request.user, **data),
                      done="议题已提交联席会议办公室，等待召集人或副召集人审定。", back_url=back, submit_label="提交议题",
                      intro="由各成员单位根据工作实际需要提出议题并提交联席会议办公室，经联席会议召集人或副召集人审定后召集会议"
                            "（二（四）1）。")


@cooperation_view
def special_meeting_add(request):
    if not is_office_staff(request.user):
        raise Http404("只有联席会议办公室（区综合行政执法局）的工作人员可以召集专题会议。")

    def run(data):
        fields = _meeting_fields(data, MEETING_FIELDS + ("topics", "participants"))
        fields.pop("topics_open_date", None)
        meeting = meetings.call_special_meeting(request.user, **fields)
        return GoTo(reverse("cooperation_admin:meeting_detail", args=[meeting.pk]))

    return _form_page(request, title="召集专题会议", form_class=f.SpecialMeetingForm, run=run,
                      done="专题会议已召集，议程按审定的议题确定。",
                      back_url=reverse("cooperation_admin:special_topic_index"), submit_label="召集会议",
                      intro="经联席会议召集人或副召集人审定的议题，由联席会议办公室召集专题会议；根据议题情况确定参加单位（二（四）1）。")


@cooperation_view
def meeting_action(request, pk, action):
    meeting = get_object_or_404(JointMeeting, pk=pk)
    return _run_action(request, meeting, MEETING_ACTIONS, action,
                       reverse("cooperation_admin:meeting_detail", args=[meeting.pk]))


@cooperation_view
def topic_action(request, pk, action):
    topic = get_object_or_404(MeetingTopic, pk=pk)
    back = (reverse("cooperation_admin:meeting_detail", args=[topic.meeting_id]) if topic.meeting_id
            else reverse("cooperation_admin:special_topic_index"))
    return _run_action(request, topic, TOPIC_ACTIONS, action, back)


@cooperation_view
def task_action(request, pk, action):
    task = get_object_or_404(AssignedTask.objects.select_related("minutes"), pk=pk)
    return _run_action(request, task, TASK_ACTIONS, action,
                       reverse("cooperation_admin:meeting_detail", args=[task.minutes.meeting_id]) + f"#task-{task.pk}")


@cooperation_view
def task_index(request):
    today = timezone.localdate()
    qs = AssignedTask.objects.filter(minutes__status=MeetingMinutes.Status.ISSUED).select_related(
        "responsible_department", "minutes__meeting")
    if _mine(request):
        qs = qs.filter(responsible_department__in=department_ids(request.user))
    rows = [(reverse("cooperation_admin:meeting_detail", args=[t.minutes.meeting_id]) + f"#task-{t.pk}", [
        t.title, t.responsible_department.name, t.minutes.meeting.title, t.get_status_display(),
        _deadline(t.deadline_key(today), t.due_date),
    ]) for t in qs]
    return _list_page(request, "交办事项台账", _rows(["交办事项", "承办单位", "会议", "状态", "完成时限"], rows),
                      intro="有关单位须严格按照会议纪要，落实会议确定、交办的各项工作（二（四）1）；平台逐项跟踪至办结。",
                      filters=_filters(request, reverse("cooperation_admin:task_index")))


# --- 案件移送 ----------------------------------------------------------------------------------------

def _store(request, data, title: str):
    return store_upload(data["file"], title=title, user=request.user)


def _add_material(t, request, data):
    label = TransferMaterial.Kind(data["kind"]).label
    document = _store(request, data, f"移送材料 {t.number} {label}")
    transfers.add_material(t, request.user, kind=data["kind"], document=document, description=data["description"])
    return f"已上传：{label}。"


def _answer(t, request, data):
    transfers.answer(t, request.user, accept=data["decision"] == "accept", reasons=data["reasons"])
    return "已答复：受理。" if data["decision"] == "accept" else "已答复：不予受理。"


def _transfer_initial(t) -> dict:
    return {"title": t.title, "to_department": t.to_department_id, "judicial_organ": t.judicial_organ,
            "suspected_crime": t.suspected_crime, "case_type": t.case_type, "party": t.party, "facts": t.facts,
            "discovered_date": t.discovered_date, "licence_breach": t.licence_breach, "major_hazard": t.major_hazard,
            "historical_issue": t.historical_issue}


def _conclude(t, request, data):
    document = _store(request, data, f"移送材料 {t.number} 鉴定、检测结论") if data.get("file") else None
    transfers.record_appraisal_conclusion(data["appraisal"], request.user, conclusion=data["conclusion"],
                                          concluded=data["concluded"], document=document)
    return "鉴定、检测结论已登记。"


TRANSFER_ACTIONS = {
    "edit": Action("修改", f.TransferEditForm, lambda t, r, d: transfers.update_transfer(t, r.user, **d),
                   "移送信息已修改。", initial=_transfer_initial),
    "add_material": Action("上传材料", f.MaterialForm, _add_material, "材料已上传。",
                           intro="移送的案件材料应当包括：涉嫌违法案件移送函；案源材料（包括现场检查记录、举报投诉材料等）；"
                                 "初步证明违法行为事实情况的相关证据材料；其他需要移送的材料（二（四）3）。"),
    "submit": Action("提交审批", f.NoteForm, lambda t, r, d: transfers.submit(t, r.user, note=d["note"]),
                     "已提交分管领导审批。", direct=True),
    "approve": Action("审批同意", f.NoteForm, lambda t, r, d: transfers.approve(t, r.user, note=d["note"]),
                      "已审批同意移送。", direct=True),
    "return": Action("退回修改", f.RequiredNoteForm,
                     lambda t, r, d: transfers.return_for_revision(t, r.user, note=d["note"]),
                     "已退回修改。", danger=True),
    "send": Action("移送", f.NoteForm, lambda t, r, d: transfers.send(t, r.user, note=d["note"]),
                   "已移送，接收部门应在5个工作日内书面答复是否受理。", direct=True,
                   intro="移送前须上传涉嫌违法案件移送函和至少一份案源材料（二（四）3）。"),
    "request_materials": Action("要求补充材料", f.MaterialsRequestForm,
                                lambda t, r, d: transfers.request_materials(t, r.user, **d), "已要求补充材料。"),
    "answer": Action("答复是否受理", f.AnswerForm, _answer, "已答复。",
                     intro="接收部门应当自收到移送案件之日起5个工作日内作出受理或者不予受理的决定，并书面告知移送部门；"
                           "不予受理的，应当书面告知移送部门并说明理由（二（四）3）。"),
    "dispute": Action("提请管辖争议裁定", f.DisputeForm,
                      lambda t, r, d: transfers.raise_dispute(t, r.user, **d), "已提请协调确定。",
                      intro="因案件管辖问题发生争议的，应充分协商；协商未果的，由区编办、区政府法制办认定，无法认定的由区编办、区政府法制办提出处理意见，报区政府作出决定（二（四）3）。"),
    "rule": Action("登记裁定结果", f.RulingForm, lambda t, r, d: transfers.record_ruling(t, r.user, **d),
                   "裁定结果已登记。"),
    "close": Action("登记处理结果", f.CloseTransferForm, lambda t, r, d: transfers.close(t, r.user, **d),
                    "处理结果已登记，移送办结。",
                    intro="受理的，应当将受理结果及时抄告移送部门（二（四）3）；涉嫌犯罪的，不得以罚代刑（二（三））。"
                          "作出行政处罚决定的，应在2个工作日内抄告相关行政管理部门（二（四）3（4））。"),
    "rectify": Action("登记通知当事人整改", f.RectificationForm,
                      lambda t, r, d: transfers.record_rectification(t, r.user, **d), "整改通知已登记。",
                      intro="当事人违反本部门行政许可规定的，应当通知当事人整改（二（四）3（1））。"),
    "extend": Action("延长移送时间", f.ExtensionForm,
                     lambda t, r, d: transfers.extend_transfer_limit(t, r.user, **d), "移送时间已延长。",
                     intro="一般情况下应当在2个工作日内将有关证据材料移送综合行政执法部门，如有特殊情况需要延长时间的，"
                           "可适当延长（二（四）3（1））。请说明特殊情况。"),
    "consult": Action("登记协商结果", f.ConsultationForm,
                      lambda t, r, d: transfers.record_consultation(t, r.user, **d), "协商结果已登记。",
                      intro="对于历史遗留问题，在移送前，综合行政执法部门与相关行政管理部门应当进行充分协商后，"
                            "按照协商结果处理（二（四）3 案件移送的其他情形①）。"),
    "appraise": Action("委托鉴定、检测", f.AppraisalForm,
                       lambda t, r, d: transfers.commission_appraisal(t, r.user, **d) and "已登记委托。", "已登记委托。",
                       intro="需要技术鉴定、检测才能确定违法行为的事项，由相关行政管理部门委托具备鉴定资质的机构负责鉴定和检测，"
                             "作出结论后移交综合行政执法部门处理（二（四）3（3））。"),
    "conclude": Action("登记鉴定、检测结论", f.ConclusionForm, _conclude, "鉴定、检测结论已登记。",
                       form_kwargs=lambda t, r: {"transfer": t}),
    "arrive": Action("登记到达现场", f.ArrivalForm, lambda t, r, d: transfers.record_arrival(t, r.user, **d),
                     "到达现场已登记。",
                     intro="相关行政管理部门发现违法行为存在重大安全隐患或必须立即停止违法行为的，综合行政执法部门应当在"
                           "第一时间到达现场，并在相关行政管理部门配合、协助下采取有效措施制止该违法行为（二（四）3（5））。"),
    "notify_penalty": Action("抄告行政处罚决定", f.PenaltyNoticeForm,
                             lambda t, r, d: transfers.notify_penalty(t, r.user, **d), "已抄告移送部门。",
                             intro="综合行政执法部门作出的行政处罚决定应在2个工作日内按照信息共享制度的相关要求抄告相关行政管理部门"
                                   "（二（四）3（4））。"),
}


def _transfer_buttons(t, user) -> list[dict]:
    allowed = transfers.transfer_actions(t, user)
    names = [a for a in ("edit", "add_material", "rectify", "extend", "consult", "appraise", "conclude", "submit",
                         "approve", "return", "send", "request_materials", "arrive") if a in allowed]
    if "conclude" in names and not t.appraisals.filter(conclusion_date__isnull=True).exists():
        names.remove("conclude")
    if "accept" in allowed:
        names.append("answer")
    names += [a for a in ("dispute", "rule", "close", "notify_penalty") if a in allowed]
    return _buttons(t, TRANSFER_ACTIONS, names, "transfer_action")


def _visible_transfer(request, pk) -> CaseTransfer:
    t = CaseTransfer.objects.select_related("from_department", "to_department", "arbiter").filter(pk=pk).first()
    if t is None or not transfers.can_view_transfer(request.user, t):
        raise Http404(NOT_FOUND)
    return t


@cooperation_view
def transfer_index(request):
    today = timezone.localdate()
    qs = transfers.visible_transfers(request.user)
    judicial = request.GET.get("judicial") == "1"
    if _mine(request):
        ids = department_ids(request.user)
        qs = qs.filter(from_department__in=ids) | qs.filter(to_department__in=ids)
    if judicial:
        qs = qs.exclude(judicial_organ="")
    rows = []
    for t in _priority_first(qs):
        rows.append((reverse("cooperation_admin:transfer_detail", args=[t.pk]), [
            t.number, _transfer_title(t), t.from_department.name, t.destination, f"{t.discovered_date:%Y-%m-%d}",
            t.get_status_display(), _deadline(t.send_status(today), t.send_due),
            _deadline(t.answer_status(today), t.answer_due),
            f"{t.accepted_date:%Y-%m-%d}" if t.accepted_date else "—",
            _deadline(t.penalty_notice_status(today), t.penalty_notice_due),
        ]))
    add = reverse("cooperation_admin:transfer_add") if user_departments(request.user) else ""
    base = reverse("cooperation_admin:transfer_index")
    return _list_page(request, "案件移送", _rows(
        ["编号", "案由", "移送部门", "接收部门／司法机关", "发现日期", "状态", "移送时限", "答复时限", "受理日期",
         "处罚决定抄告时限"], rows),
        add, "起草移送",
        intro="发现不属于本部门职权范围的违法行为，应当在2个工作日内将有关证据材料移送有关部门（二（四）3）。"
              "综合行政执法部门依法移送公安、检察、法院等司法机关的案件，司法机关应依法优先办理（二（三）），列在最前。",
        filters=_filters(request, base) + [("移送司法机关", base + "?judicial=1", judicial)])


def _transfer_title(t: CaseTransfer):
    """Return the 案由 with its flags: 涉嫌犯罪, 阻碍执法 (二（四）6), 依法优先办理 (二（三）)."""
    flags = [("coop-crime", "涉嫌犯罪", t.suspected_crime),
             ("coop-crime", "阻碍执法", t.case_type == CaseTransfer.CaseType.OBSTRUCTION),
             ("coop-priority", "依法优先办理", t.judicial_priority)]
    return format_html("{}{}", t.title, format_html_join("", ' <span class="{}">{}</span>',
                                                         ((css, label) for css, label, on in flags if on)))


def _priority_first(qs) -> list[CaseTransfer]:
    """Return the transfers with the open ones a judicial organ 应依法优先办理 (二（三）) first, the rest in order."""
    items = list(qs)
    open_priority = [t for t in items if t.judicial_priority and t.status != CaseTransfer.Status.CLOSED]
    return open_priority + [t for t in items if t not in open_priority]


@cooperation_view
def transfer_add(request):
    if not user_departments(request.user):
        raise Http404("您的账号未关联部门，不能起草案件移送。")

    def run(data):
        t = transfers.create_transfer(request.user, **data)
        return GoTo(reverse("cooperation_admin:transfer_detail", args=[t.pk]))

    return _form_page(request, title="起草案件移送", form_class=f.TransferForm, run=run, done="移送已起草，请上传材料后提交审批。",
                      back_url=reverse("cooperation_admin:transfer_index"), submit_label="保存草稿",
                      initial={"discovered_date": timezone.localdate()})


@cooperation_view
def transfer_detail(request, pk):
    t = _visible_transfer(request, pk)
    today = timezone.localdate()
    allowed = transfers.transfer_actions(t, request.user)
    materials = [{"material": m, "removable": "remove_material" in allowed}
                 for m in t.materials.select_related("document", "added_by")]
    return render(request, "cooperation/admin/transfer_detail.html", _context(
        f"案件移送 {t.number}", transfer=t, materials=materials, buttons=_transfer_buttons(t, request.user),
        events=t.events.select_related("actor", "actor_department"),
        missing=limits.missing_materials(m["material"].kind for m in materials),
        send_deadline=_deadline(t.send_status(today)),
        notice_deadline=_deadline(t.penalty_notice_status(today)),
        blockers=transfers.send_blockers(t) if t.status in (CaseTransfer.Status.DRAFT, CaseTransfer.Status.PENDING_APPROVAL,
                                                            CaseTransfer.Status.APPROVED) else [],
        appraisals=t.appraisals.all(),
        answer_deadline=_deadline(t.answer_status(today)),
        materials_deadline=_deadline(limits.status_of(t.materials_due, t.materials_supplied_date, today))
        if t.materials_due else "",
    ))


@cooperation_view
def transfer_action(request, pk, action):
    t = _visible_transfer(request, pk)
    return _run_action(request, t, TRANSFER_ACTIONS, action, reverse("cooperation_admin:transfer_detail", args=[t.pk]))


@cooperation_view
def penalty_notice_index(request):
    """The 抄告 clock (二（四）3（4））: penalty decisions on transferred cases, for the bureau and the department."""
    rows = [(reverse("cooperation_admin:transfer_detail", args=[r["transfer"].pk]), [
        r["transfer"].number, r["transfer"].title, r["transfer"].from_department.name, r["transfer"].party,
        f"{r['transfer'].closed_date:%Y-%m-%d}", _deadline(r["status"], r["due"]),
        f"{r['notified']:%Y-%m-%d}" if r["notified"] else "未抄告",
    ]) for r in transfers.penalty_notice_rows(request.user)]
    return _list_page(request, "处罚决定抄告", _rows(
        ["编号", "案由", "移送部门", "当事人", "处罚决定日期", "应抄告日期", "抄告日期"], rows),
        intro="综合行政执法部门作出的行政处罚决定应在2个工作日内按照信息共享制度的相关要求抄告相关行政管理部门（二（四）3（4））。")


# --- 配合取证、认定、鉴定 (二（四）3 综合行政执法部门发现违法行为（1）) ---------------------------------------

def _visible_assistance(request, pk) -> AssistanceRequest:
    req = AssistanceRequest.objects.select_related("bureau", "department").filter(pk=pk).first()
    if req is None or not transfers.can_view_assistance(request.user, req):
        raise Http404(NOT_FOUND)
    return req


def _answer_assistance(req, request, data):
    document = _store(request, data, f"配合请求 {req.pk} 证据材料") if data.get("file") else None
    transfers.answer_assistance(req, request.user, opinion=data["opinion"], document=document, vouched=data["vouched"])
    return "书面意见已出具。"


ASSISTANCE_ACTIONS = {
    "delay": Action("告知延期", f.AssistanceDelayForm,
                    lambda q, r, d: transfers.notify_assistance_delay(q, r.user, **d), "已告知延期。",
                    intro=f"因特殊情况需延期的，应当事先告知（{limits.ASSISTANCE_RULE}）：应提供日期届满后不能再告知。"),
    "answer": Action("出具书面意见", f.AssistanceAnswerForm, _answer_assistance, "书面意见已出具。",
                     intro=f"须在2个工作日内提供相关材料，出具书面意见和相关证据材料，并对材料的真实性、准确性负责"
                           f"（{limits.ASSISTANCE_RULE}）。"),
}


@cooperation_view
def assistance_index(request):
    today = timezone.localdate()
    rows = [(reverse("cooperation_admin:assistance_detail", args=[q.pk]), [
        f"{q.received_date:%Y-%m-%d}", q.get_kind_display(), q.subject, q.bureau.name, q.department.name,
        q.get_status_display(), _deadline(q.deadline_key(today), q.effective_due),
    ]) for q in transfers.visible_assistance(request.user)]
    add = reverse("cooperation_admin:assistance_add") if any(d.is_bureau for d in user_departments(request.user)) else ""
    return _list_page(request, "配合取证、认定、鉴定", _rows(
        ["送达日期", "类型", "案件或事项", "请求部门", "配合部门", "状态", "提供时限"], rows), add, "提出配合请求",
        intro=f"综合行政执法部门发现违法行为，需要相关行政管理部门配合取证、认定、鉴定的，相关行政管理部门须在2个工作日内"
              f"提供相关材料，出具书面意见和相关证据材料；因特殊情况需延期的，应当事先告知（{limits.ASSISTANCE_RULE}）。")


@cooperation_view
def assistance_add(request):
    if not any(d.is_bureau for d in user_departments(request.user)):
        raise Http404("配合取证、认定、鉴定请求由综合行政执法部门提出。")

    def run(data):
        req = transfers.request_assistance(request.user, **data)
        return GoTo(reverse("cooperation_admin:assistance_detail", args=[req.pk]))

    return _form_page(request, title="提出配合请求", form_class=f.AssistanceForm, run=run, done="请求已送达配合部门。",
                      back_url=reverse("cooperation_admin:assistance_index"), submit_label="提交",
                      initial={"received_date": timezone.localdate()})


@cooperation_view
def assistance_detail(request, pk):
    req = _visible_assistance(request, pk)
    return render(request, "cooperation/admin/assistance_detail.html", _context(
        f"{req.get_kind_display()}：{req.subject}", req=req, rule=limits.ASSISTANCE_RULE,
        buttons=_buttons(req, ASSISTANCE_ACTIONS, transfers.assistance_actions(req, request.user), "assistance_action"),
        deadline=_deadline(req.deadline_key(timezone.localdate())),
    ))


@cooperation_view
def assistance_action(request, pk, action):
    req = _visible_assistance(request, pk)
    return _run_action(request, req, ASSISTANCE_ACTIONS, action,
                       reverse("cooperation_admin:assistance_detail", args=[req.pk]))


@cooperation_view
def material_remove(request, pk):
    material = get_object_or_404(TransferMaterial.objects.select_related("transfer", "document"), pk=pk)
    t = _visible_transfer(request, material.transfer_id)
    back = reverse("cooperation_admin:transfer_detail", args=[t.pk])
    return _form_page(request, title="删除移送材料", form_class=f.NoteForm, done="材料已删除。", back_url=back,
                      run=lambda data: transfers.remove_material(material, request.user), submit_label="删除",
                      subject=material, danger=True)


# --- 首问负责 ----------------------------------------------------------------------------------------

def _draft_transfer(record, request, data):
    t = complaints.draft_transfer(record, request.user, to_department=data["to_department"])
    return GoTo(reverse("cooperation_admin:transfer_detail", args=[t.pk]))


def _publish(record, request, data):
    page = complaints.publish_handling(record, request.user)
    return GoTo(reverse("wagtailadmin_pages:edit", args=[page.pk]))


COMPLAINT_ACTIONS = {
    "edit": Action("修改登记信息", f.ComplaintEditForm,
                   lambda c, r, d: complaints.update_record(c, r.user, **d), "登记信息已修改。",
                   initial=lambda c: {k: getattr(c, k) for k in ("channel", "received_date", "complainant_name",
                                                                   "complainant_phone", "subject", "content")}),
    "classify": Action("分办", f.ClassifyForm, lambda c, r, d: complaints.classify(c, r.user, **d), "已分办。",
                       intro="由率先接到举报、投诉、信访的部门予以受理并初步调查核实；需要移送的，按照案件移送制度办理；"
                             "明确不属于本部门职能的，告知举报、投诉、信访人向有权的机关提出（二（四）4）。"),
    "draft_transfer": Action("起草案件移送", f.DraftTransferForm, _draft_transfer, "已据此起草案件移送。"),
    "link_transfer": Action("关联已有移送", f.LinkTransferForm,
                            lambda c, r, d: complaints.link_transfer(c, r.user, d["transfer"]), "已关联。",
                            form_kwargs=lambda c, r: {"first_department": c.first_department}),
    "consult": Action("征求相关部门意见", f.ConsultForm,
                      lambda c, r, d: complaints.ask_opinion(c, r.user, **d), "已征求意见，等待回复。",
                      intro="需征求相关行政管理部门意见的，相关行政管理部门要予以配合（二（四）4）。本意见未规定回复期限。"),
    "close": Action("答复并办结", f.CloseComplaintForm, lambda c, r, d: complaints.close(c, r.user, **d),
                    "已办结。", intro="由最终办结部门负责向举报人、投诉人或信访人进行答复（二（四）4）。"),
    "publish": Action("发布处理情况", f.NoteForm, _publish, "已生成处理情况草稿（个人信息已脱敏），请提交审核发布。",
                      direct=True, intro="举报、投诉、信访案件的受理与处理情况属于共享范围（二（四）5（8））；不得泄露个人隐私（二（四）5），反映人姓名、电话等个人信息经脱敏后共享。"),
}


CONSULTATION_ACTIONS = {
    "answer": Action("回复意见", f.OpinionForm,
                     lambda q, r, d: complaints.give_opinion(q, r.user, opinion=d["opinion"]), "已回复意见。",
                     intro="需征求相关行政管理部门意见的，相关行政管理部门要予以配合（二（四）4）。"),
}


def _visible_complaint(request, pk) -> ComplaintRecord:
    record = ComplaintRecord.objects.select_related("first_department", "closing_department", "transfer").filter(
        pk=pk).first()
    if record is None or not complaints.can_view_complaint(request.user, record):
        raise Http404(NOT_FOUND)
    return record


@cooperation_view
def complaint_index(request):
    today = timezone.localdate()
    qs = complaints.visible_complaints(request.user)
    if _mine(request):
        qs = qs.filter(first_department__in=department_ids(request.user))
    rows = [(reverse("cooperation_admin:complaint_detail", args=[r.pk]), [
        f"{r.received_date:%Y-%m-%d}", r.get_channel_display(), r.subject,
        mask_person_name(r.complainant_name) if r.complainant_name else "（匿名）", r.first_department.name,
        r.get_classification_display() or "—", r.get_status_display(), _deadline(r.transfer_status(today), r.transfer_due),
    ]) for r in qs]
    add = reverse("cooperation_admin:complaint_add") if user_departments(request.user) else ""
    return _list_page(request, "首问负责登记", _rows(
        ["受理日期", "渠道", "事项摘要", "反映人", "首问责任部门", "分办", "状态", "移送时限"], rows), add, "登记",
        intro="由率先接到举报、投诉、信访的部门予以受理（二（四）4，首问责任）。",
        filters=_filters(request, reverse("cooperation_admin:complaint_index")))


@cooperation_view
def complaint_add(request):
    if not user_departments(request.user):
        raise Http404("您的账号未关联部门，不能登记。")

    def run(data):
        record = complaints.register(request.user, **data)
        return GoTo(reverse("cooperation_admin:complaint_detail", args=[record.pk]))

    return _form_page(request, title="首问登记", form_class=f.ComplaintForm, run=run, done="已登记。",
                      back_url=reverse("cooperation_admin:complaint_index"), submit_label="登记",
                      initial={"received_date": timezone.localdate()})


@cooperation_view
def complaint_detail(request, pk):
    record = _visible_complaint(request, pk)
    names = complaints.complaint_actions(record, request.user)
    if "link_transfer" in names:
        names.insert(names.index("link_transfer"), "draft_transfer")
    final, pending_reason = complaints.final_department(record)
    consultations = [{"consultation": q, "buttons": _buttons(q, CONSULTATION_ACTIONS,
                                                            complaints.consultation_actions(q, request.user),
                                                            "consultation_action")}
                     for q in record.consultations.select_related("department", "asking_department", "asked_by",
                                                                  "answered_by")]
    return render(request, "cooperation/admin/complaint_detail.html", _context(
        f"首问登记：{record.subject}", record=record, consultations=consultations,
        final_department=final if record.classification else None,
        final_pending=pending_reason if record.classification and record.status != ComplaintRecord.Status.CLOSED
        else "",
        buttons=_buttons(record, COMPLAINT_ACTIONS, names, "complaint_action"),
        phone=mask_phone(record.complainant_phone) if record.complainant_phone else "",
        # The texts may repeat the number the field masks (“请回电13812345678”): masked there too.
        shown={name: complaints.phone_hidden(record, getattr(record, name))
               for name in ("subject", "content", "preliminary_result", "reply")},
        transfer_deadline=_deadline(record.transfer_status(timezone.localdate())),
    ))


@cooperation_view
def complaint_action(request, pk, action):
    record = _visible_complaint(request, pk)
    return _run_action(request, record, COMPLAINT_ACTIONS, action,
                       reverse("cooperation_admin:complaint_detail", args=[record.pk]))


@cooperation_view
def consultation_action(request, pk, action):
    consultation = get_object_or_404(ComplaintConsultation.objects.select_related("record", "department"), pk=pk)
    record = _visible_complaint(request, consultation.record_id)
    return _run_action(request, consultation, CONSULTATION_ACTIONS, action,
                       reverse("cooperation_admin:complaint_detail", args=[record.pk]) + f"#consultation-{consultation.pk}")


# --- 案情通报 (二（三）) ------------------------------------------------------------------------------

BRIEFING_ACTIONS = {
    "acknowledge": Action("签收", f.NoteForm, lambda b, r, d: info_requests.acknowledge(b, r.user), "已签收。",
                          direct=True),
}
BRIEFING_INTRO = ("综合行政执法部门要与公安机关、检察机关、审判机关建立信息共享、案情通报、案件移送等制度，"
                  "实现行政执法与刑事司法无缝对接（二（三））。")


def _visible_briefing(request, pk):
    briefing = info_requests.visible_briefings(request.user).filter(pk=pk).first()
    if briefing is None:
        raise Http404(NOT_FOUND)
    return briefing


@cooperation_view
def briefing_index(request):
    rows = [(reverse("cooperation_admin:briefing_detail", args=[b.pk]), [
        f"{b.briefed_date:%Y-%m-%d}", b.subject, b.from_department.name, b.to_department.name,
        b.transfer.number if b.transfer_id else "—",
        f"已签收 {b.received_date:%Y-%m-%d}" if b.received_date else "待签收",
    ]) for b in info_requests.visible_briefings(request.user)]
    add = reverse("cooperation_admin:briefing_add") if user_departments(request.user) else ""
    return _list_page(request, "案情通报", _rows(["通报日期", "通报事项", "通报单位", "被通报单位", "关联移送", "签收"], rows),
                      add, "通报案情", intro=BRIEFING_INTRO)


@cooperation_view
def briefing_add(request):
    if not user_departments(request.user):
        raise Http404("您的账号未关联部门，不能通报案情。")

    def run(data):
        briefing = info_requests.brief_case(request.user, **data)
        return GoTo(reverse("cooperation_admin:briefing_detail", args=[briefing.pk]))

    visible = transfers.visible_transfers(request.user).exclude(judicial_organ="")
    return _form_page(request, title="通报案情", form_class=f.BriefingForm, run=run, done="已通报。",
                      back_url=reverse("cooperation_admin:briefing_index"), submit_label="通报", intro=BRIEFING_INTRO,
                      form_kwargs={"transfers": visible})


@cooperation_view
def briefing_detail(request, pk):
    briefing = _visible_briefing(request, pk)
    return render(request, "cooperation/admin/briefing_detail.html", _context(
        f"案情通报：{briefing.subject}", briefing=briefing, intro=BRIEFING_INTRO,
        buttons=_buttons(briefing, BRIEFING_ACTIONS, info_requests.briefing_actions(briefing, request.user),
                         "briefing_action"),
    ))


@cooperation_view
def briefing_action(request, pk, action):
    briefing = _visible_briefing(request, pk)
    return _run_action(request, briefing, BRIEFING_ACTIONS, action,
                       reverse("cooperation_admin:briefing_detail", args=[briefing.pk]))


# --- 信息请求 ----------------------------------------------------------------------------------------

def _provide(req, request, data):
    document = None
    if data.get("file"):
        document = _store(request, data, f"信息请求答复 {req.pk} {req.get_kind_display()}")
    info_requests.provide(req, request.user, note=data["note"], document=document)
    return "已答复：已提供。"


REQUEST_ACTIONS = {
    "provide": Action("提供", f.ProvideForm, _provide, "已提供。",
                      intro="行政处罚数据材料须在3个工作日内提供；查阅、复制相关材料的，提供方便，不得收取费用（二（四）5）。"),
    "refuse": Action("拒绝提供", f.RefuseForm,
                     lambda q, r, d: info_requests.refuse(q, r.user, **d), "已书面拒绝。", danger=True,
                     intro="除法定事由外，相关行政管理部门不得拒绝综合行政执法部门查询所需的信息资料（二（四）5）；"
                           "拒绝的，请写明法律依据和理由。行政处罚数据材料须提供，不能拒绝。"),
    "withdraw": Action("撤回请求", f.NoteForm, lambda q, r, d: info_requests.withdraw(q, r.user), "已撤回。",
                       direct=True, danger=True),
}


def _visible_request(request, pk) -> InformationRequest:
    req = InformationRequest.objects.select_related("requesting_department", "requested_department").filter(
        pk=pk).first()
    if req is None or not info_requests.can_view_request(request.user, req):
        raise Http404(NOT_FOUND)
    return req


@cooperation_view
def request_index(request):
    today = timezone.localdate()
    qs = info_requests.visible_requests(request.user)
    if _mine(request):
        qs = qs.filter(requested_department__in=department_ids(request.user))
    rows = [(reverse("cooperation_admin:request_detail", args=[q.pk]), [
        f"{q.received_date:%Y-%m-%d}", q.get_kind_display(), q.subject, q.requesting_department.name,
        q.requested_department.name, q.get_status_display(),
        _deadline(q.deadline_key(today), q.due_date) if q.has_time_limit else "未规定期限",
    ]) for q in qs]
    add = reverse("cooperation_admin:request_add") if user_departments(request.user) else ""
    return _list_page(request, "信息请求", _rows(
        ["收到日期", "类型", "请求事项", "请求部门", "被请求部门", "状态", "答复期限"], rows), add, "提出请求",
        intro="相关行政管理部门因行业管理、统计分析、档案管理、上级督查考核等实际工作需要行政处罚数据材料的，综合行政执法部门须在3个工作日内提供；"
              "综合行政执法部门查处违法行为时，相关行政管理部门提供查阅、复制相关材料的方便，不得收取费用（二（四）5，未规定期限）。",
        filters=_filters(request, reverse("cooperation_admin:request_index")))


@cooperation_view
def request_add(request):
    if not user_departments(request.user):
        raise Http404("您的账号未关联部门，不能提出信息请求。")

    def run(data):
        req = info_requests.submit_request(request.user, **data)
        return GoTo(reverse("cooperation_admin:request_detail", args=[req.pk]))

    return _form_page(request, title="提出信息请求", form_class=f.RequestForm, run=run, done="请求已提交。",
                      back_url=reverse("cooperation_admin:request_index"), submit_label="提交")


@cooperation_view
def request_detail(request, pk):
    req = _visible_request(request, pk)
    return render(request, "cooperation/admin/request_detail.html", _context(
        f"信息请求：{req.subject}", req=req,
        buttons=_buttons(req, REQUEST_ACTIONS, info_requests.request_actions(req, request.user), "request_action"),
        deadline=_deadline(req.deadline_key(timezone.localdate())),
    ))


@cooperation_view
def request_action(request, pk, action):
    req = _visible_request(request, pk)
    return _run_action(request, req, REQUEST_ACTIONS, action,
                       reverse("cooperation_admin:request_detail", args=[req.pk]))
