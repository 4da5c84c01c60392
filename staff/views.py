"""The staff portal: the department's sharing dashboard, supervision across departments, 抄告 subscriptions.

Views only read the request, ask ``sharing.deadlines`` / ``sharing.notifications``
and render. Everything here needs a signed-in member of staff; what one may
not see answers 404, like every other door of the portal.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from lib.workdays import estimated
from portal import holidays, params
from portal.models import Department
from portal.models.metadata import Category
from portal.models.sharing import DepartmentSubscription, Notification
from portal.walls.access import acting_departments, is_staff_member
from portal.walls.audit import is_manager
from sharing import deadlines
from sharing.deadlines import (
    LABELS,
    STATUS_ORDER,
    department_deadline_report,
    export_csv,
    export_name,
    export_xlsx,
    supervises_sharing,
    supervision_report,
    title_for,
)
from staff import browse as browsing
from staff import discretion as discretion_lookup
from staff.saved_searches import dashboard_alerts
from staff.visits import new_items, record_visit
from staff.workflow_diagram import diagram_svg, step_deadlines, total_days, visible_workflows, workflow_steps


def staff_required(view):
    """Require a signed-in member of staff (a department's user or a superuser); others get 404 after login."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise Http404("仅限成员单位工作人员使用。")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def can_manage_subscriptions(user, department) -> bool:
    """Return True for the department's liaisons and leader, its managers, and superusers."""
    if user.is_superuser:
        return True
    if department.leader_id == user.pk or department.liaisons.filter(pk=user.pk).exists():
        return True
    return is_manager(user) and user.department_id == department.pk


def _month(request):
    """Return (the ?month= asked for or None, its value for the form); a malformed one is answered 400."""
    raw = (request.GET.get("month") or "").strip()
    month = params.require_month(raw)
    return month, raw if month else ""


def _status_columns():
    return [(key, LABELS[key]) for key in STATUS_ORDER]


@staff_required
def dashboard(request):
    """The staff dashboard: new items since the last visit, the department's sharing clock, subscriptions,
    notifications, and the doors to search, the category browsers, the discretion lookup and the workflows."""
    month, month_value = _month(request)
    today = deadlines.current_date()
    departments = acting_departments(request.user)
    reports = [department_deadline_report(d, month=month, today=today) for d in departments]
    notifications = Notification.objects.filter(recipient=request.user).select_related("page")[:20]
    visit = record_visit(request.user, request.session.session_key)
    items, new_total = new_items(request.user, visit.since)
    context = {
        "visit": visit,
        "new_items": items,
        "new_total": new_total,
        "saved_alerts": dashboard_alerts(request.user),
        "dashboard_subscriptions": DepartmentSubscription.objects.filter(subscriber__in=departments)
        .select_related("subscriber", "source_department"),
        "subscription_departments": departments,
        "category_counts": _category_counts(request.user),
        "workflows": visible_workflows(request.user)[:10],
        "reports": reports,
        "estimate_notice": deadlines.estimate_notice([row for report in reports for row in report.rows]),
        "calendar_warning": holidays.arrangement_warning(today) if is_manager(request.user) else "",
        "month": month,
        "month_value": month_value,
        "today": today,
        "status_columns": _status_columns(),
        "notifications": notifications,
        "unread_count": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count(),
        "supervises_sharing": supervises_sharing(request.user),
        "is_manager": is_manager(request.user),
    }
    return render(request, "staff/dashboard.html", context)


def _supervision(request):
    if not supervises_sharing(request.user):
        raise Http404("仅区编办、区政府法制办可查看督查情况。")
    month, month_value = _month(request)
    return supervision_report(month=month), month_value


@staff_required
def supervision(request):
    """Every department's sharing record, for 区编办 and 区政府法制办; ``?month=2026-10`` narrows it."""
    report, month_value = _supervision(request)
    overdue = [(row, title_for(request.user, row.page)) for row in report.overdue]
    context = {"report": report, "month_value": month_value, "status_columns": _status_columns(),
               "overdue": overdue, "query": f"?month={month_value}" if month_value else ""}
    return render(request, "staff/supervision.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:

    response = HttpResponse(content, content_type=content_type)
    ascii_name = "supervision." + filename.rsplit(".", 1)[-1]
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def supervision_export_csv(request):
    report, _ = _supervision(request)
    return _download(export_csv(report, request.user), "text/csv; charset=utf-8", export_name(report, "csv"))


@staff_required
def supervision_export_xlsx(request):
    report, _ = _supervision(request)
    return _download(export_xlsx(report, request.user),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export_name(report, "xlsx"))


class SubscriptionForm(forms.ModelForm):
    class Meta:
        model = DepartmentSubscription
        fields = ["category", "source_department"]
        labels = {"category": "主题分类（留空为全部）", "source_department": "发布部门（留空为任何部门）"}

    def __init__(self, *args, subscriber, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.subscriber = subscriber
        self.fields["category"].choices = [("", "全部分类")] + list(Category.choices)
        self.fields["source_department"].queryset = Department.objects.exclude(pk=subscriber.pk)
        self.fields["source_department"].empty_label = "任何部门"

    def clean(self):
        cleaned = super().clean()
        exists = DepartmentSubscription.objects.filter(
            subscriber=self.instance.subscriber, category=cleaned.get("category") or "",
            source_department=cleaned.get("source_department"),
        ).exists()
        if exists:
            raise forms.ValidationError("已有相同的订阅。")
        return cleaned

    def validate_unique(self):
        pass  # checked in clean() with a Chinese message


@staff_required
def subscriptions(request):
    """我的订阅: the department's 抄告 subscriptions; its liaisons, leader and managers may add and remove them."""
    departments = acting_departments(request.user)
    if request.user.is_superuser and not departments:
        departments = list(Department.objects.all())
    department = departments[0] if departments else None
    if "department" in request.GET or "department" in request.POST:
        wanted = request.POST.get("department") or request.GET.get("department")
        department = next((d for d in departments if str(d.pk) == wanted), None)
        if department is None:
            raise Http404("没有这个部门。")
    if department is None:
        raise Http404("您的账号未关联部门。")
    may_manage = can_manage_subscriptions(request.user, department)
    form = SubscriptionForm(subscriber=department)
    if request.method == "POST":
        if not may_manage:
            raise Http404("您不能修改本部门的订阅。")
        form = SubscriptionForm(request.POST, subscriber=department)
        if form.is_valid():
            subscription = form.save()
            messages.success(request, f"已订阅{subscription.describe()}。")
            return redirect(f"{request.path}?department={department.pk}")
    context = {
        "department": department,
        "departments": departments,
        "subscriptions": department.subscriptions.select_related("source_department"),
        "form": form,
        "may_manage": may_manage,
    }
    return render(request, "staff/subscriptions.html", context)


@staff_required
@require_POST
def subscription_delete(request, pk):
    subscription = get_object_or_404(DepartmentSubscription.objects.select_related("subscriber"), pk=pk)
    if not can_manage_subscriptions(request.user, subscription.subscriber):
        raise Http404("没有这个订阅。")
    description = subscription.describe()
    subscription.delete()
    messages.success(request, f"已取消订阅{description}。")
    return redirect(f"/staff/subscriptions/?department={subscription.subscriber_id}")


_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'，。；）]+")


def message_html(text: str) -> str:
    """Return a notification's text as HTML: its lines kept, its web addresses links (the portal's own made
    relative, so that they open on the host the reader came by; e-mails carry WAGTAILADMIN_BASE_URL)."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    parts, pos = [], 0
    for match in _WEB_ADDRESS.finditer(text):
        url = match.group(0)
        href = url[len(base):] if base and url.startswith(base + "/") else url
        parts += [escape(text[pos:match.start()]), format_html('<a href="{}">{}</a>', href, url)]
        pos = match.end()
    parts.append(escape(text[pos:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - text escaped, links by format_html


@staff_required
def notification_detail(request, pk: int):
    """One of the user's notifications in full (a 法规更新 lists the 修改前后对照); opening it marks it read."""
    notification = get_object_or_404(Notification.objects.select_related("page"), pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return render(request, "staff/notification.html", {"notification": notification,
                                                        "message": message_html(notification.message)})


@staff_required
@require_POST
def notifications_read(request):
    """Mark all of the user's notifications read."""
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("staff_dashboard")


# --- finding things: category browsers, discretion lookup, workflow viewer -------------------------

def _category_counts(user) -> list[tuple[str, str, int]]:
    counts = browsing.category_counts(user)
    return [(code, label, counts[code]) for code, label in Category.choices]


@staff_required
def browse_index(request):
    """分类浏览: the nine categories with how many current items of each the user may see."""
    return render(request, "staff/browse_index.html", {"categories": _category_counts(request.user)})


@staff_required
def browse_category(request, category):
    """One category's items the user may see (public, shared, own department's internal), filtered, paginated."""
    code = browsing.category_or_none(category)
    if code is None:
        raise Http404("没有这个信息类别。")
    filters = browsing.parse_filters(request.GET)
    for notice in filters.notices:
        messages.warning(request, notice)
    items = browsing.browse(request.user, code, filters, request.GET.get("page"))
    query = filters.as_query()
    context = {
        "category": code,
        "category_label": Category(code).label,
        "items": items,
        "filters": filters,
        "choices": browsing.filter_choices(request.user, code),
        "page_query": urlencode(query),
        "filtered": bool(query),
    }
    return render(request, "staff/browse_category.html", context)


@staff_required
def discretion(request):
    """裁量基准查询: ``?q=占道经营`` gives the matching rows with 裁量阶次 and 裁量幅度, each citable."""
    result = discretion_lookup.lookup(request.user, request.GET.get("q", ""))
    context = {"result": result, "query": result.query,
               "directory": discretion_lookup.directory(request.user) if not result.query else []}
    return render(request, "staff/discretion.html", context, status=503 if result.unavailable else 200)


@staff_required
def workflow_index(request):
    """执法流程: the workflows the user may see, each opening as a diagram."""
    workflows = visible_workflows(request.user)
    return render(request, "staff/workflow_index.html", {"workflows": workflows})


@staff_required
def workflow_diagram(request, page_id):
    """One workflow drawn as a flow chart with departments and limits; ``?start=`` dates each limited step."""
    page = visible_workflows(request.user, include_archived=True).filter(pk=page_id).first()
    if page is None:
        raise Http404("没有这个执法流程，或您无权查看。")
    steps = workflow_steps(page)
    start = params.require_date(request.GET.get("start"), "起算日期") or deadlines.current_date()
    dues, calendar_notice = step_deadlines(steps, start)
    context = {
        "workflow": page,
        "steps": [(step, due, estimated(due)) for step, due in zip(steps, dues, strict=True)],
        "svg": mark_safe(diagram_svg(page.title, steps)),  # noqa: S308 - built from escaped text only
        "total_days": total_days(steps),
        "start": start,
        "calendar_notice": calendar_notice,
    }
    return render(request, "staff/workflow_diagram.html", context)
