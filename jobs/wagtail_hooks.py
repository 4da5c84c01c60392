"""The scheduler in the admin: 任务运行记录 and 邮件发送队列 (read-only listings), and a home-page warning.

Nobody adds, changes or deletes a row here: the scheduler writes them. The run log (counts only, no
titles) is for managers; the mail queue, whose messages name other departments' items, for superusers.
"""
import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from jobs import table
from jobs.models import JobRun, OutgoingMail
from portal.models import User
from portal.roles import MANAGERS
from portal.walls import audit

FAILED_MAIL_SHOWN_FOR = datetime.timedelta(days=7)


class ReadOnlyPolicy(BasePermissionPolicy):
    """Those whom ``who`` names may view; nobody may add, change or delete."""

    def __init__(self, model, who: str):
        super().__init__(model)
        self.who = who

    def _allowed(self, user) -> bool:
        if self.who == "superusers":
            return bool(user and user.is_active and user.is_superuser)
        return audit.is_manager(user)

    def user_has_permission(self, user, action):
        return action == "view" and self._allowed(user)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return User.objects.none()
        who = Q(is_superuser=True) if self.who == "superusers" else Q(is_superuser=True) | Q(groups__name=MANAGERS)
        return User.objects.filter(who, is_active=True).distinct()


register_permission_policy(JobRun, ReadOnlyPolicy(JobRun, "managers"))
register_permission_policy(OutgoingMail, ReadOnlyPolicy(OutgoingMail, "superusers"))


class JobRunViewSet(ModelViewSet):
    model = JobRun
    name = "jobruns"
    icon = "history"
    menu_label = "任务运行记录"
    list_display = ["label", "started_at", Column("seconds", label="用时（秒）"), Column("outcome", label="结果"),
                    "message"]
    list_filter = ["job", "ok", "started_at"]
    search_fields = ["label", "message"]
    list_export = ["label", "job", "started_at", "finished_at", "ok", "message"]
    export_filename = "任务运行记录"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    # Required by ModelViewSet; the permission policy lets nobody reach the add or edit form.
    exclude_form_fields: list[str] = []


class OutgoingMailViewSet(ModelViewSet):
    model = OutgoingMail
    name = "outgoingmail"
    icon = "mail"
    menu_label = "邮件发送队列"
    list_display = ["subject", Column("recipients", label="收件人"), "kind", "status", "attempts", "created_at",
                    "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["subject", "last_error"]
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    exclude_form_fields: list[str] = []


class JobsViewSetGroup(ViewSetGroup):
    menu_label = "定时任务"
    menu_icon = "time"
    menu_order = 920
    items = (JobRunViewSet, OutgoingMailViewSet)


@hooks.register("register_admin_viewset")
def register_jobs_viewsets():
    return JobsViewSetGroup()


# --- the admin home page: what went wrong lately -------------------------------------------------------

def failing_jobs() -> list[JobRun]:
    """Return the last run of each job of the table, where that run failed."""
    failing = []
    for job in table.JOBS:
        last = JobRun.objects.filter(job=job.name, finished_at__isnull=False).order_by("-started_at").first()
        if last is not None and not last.ok:
            failing.append(last)
    return failing


class SchedulerWarningPanel(Component):
    name = "jobs_warnings"
    template_name = "jobs/admin_home_panel.html"
    order = 40

    def __init__(self, user, runs, failed_mail):
        self.user, self.runs, self.failed_mail = user, runs, failed_mail

    def get_context_data(self, parent_context=None):
        return {"runs": self.runs, "failed_mail": self.failed_mail, "show_mail": self.user.is_superuser,
                "runs_url": reverse("jobruns:index"), "mail_url": reverse("outgoingmail:index")}


@hooks.register("construct_homepage_panels")
def add_scheduler_warning_panel(request, panels):
    if not audit.is_manager(request.user):
        return
    runs = failing_jobs()
    failed_mail = OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED,
                                              created_at__gte=timezone.now() - FAILED_MAIL_SHOWN_FOR).count()
    if runs or failed_mail:
        panels.append(SchedulerWarningPanel(request.user, runs, failed_mail))
