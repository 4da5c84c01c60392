from django import forms
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal import holidays
from portal.models import Department, SharedInfoPage, User
from portal.models.holidays import HolidayArrangement, HolidayArrangementDay
from portal.models.sharing import DepartmentSubscription, Notification, ViewLog
from portal.roles import MANAGERS
from portal.walls import audit
from portal.walls.access import can_view, is_staff_member
from portal.walls.documents import can_download
from portal.walls.permissions import chooser_q, owned_pages
from portal.walls.users import refuse_bulk_action_on_unmanaged_users


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = "部门"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "short_name", "code", "leader", "is_member"]
    search_fields = ["name", "short_name", "aliases", "code"]


register_snippet(DepartmentViewSet)


# --- permissions of the sharing models ------------------------------------------------------

class ManagersPolicy(BasePermissionPolicy):
    """Managers (superusers and the 管理员 group) may do ``actions``; nobody else may do anything."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = set(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and audit.is_manager(user)

    def users_with_any_permission(self, actions):


        if not self.actions.intersection(actions):
            return User.objects.none()
        return User.objects.filter(Q(is_superuser=True) | Q(groups__name=MANAGERS), is_active=True).distinct()


register_permission_policy(DepartmentSubscription, ManagersPolicy(DepartmentSubscription,
                                                                  ["add", "change", "delete", "view"]))


class DepartmentSubscriptionViewSet(SnippetViewSet):
    model = DepartmentSubscription
    icon = "mail"
    menu_label = "抄告订阅"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["subscriber", "category", "source_department", "created_at"]
    list_filter = ["subscriber", "category"]
    copy_view_enabled = False


register_snippet(DepartmentSubscriptionViewSet)


def view_log_visible_q(user) -> Q:
    """Return the 查看记录 rows a manager may read: those about their own department's items (all, for superusers).

    A record of a refusal names the refused item; a manager of another department must not learn its title.
    """
    if user.is_superuser:
        return Q()
    department = getattr(user, "department_id", None)
    if department is None:
        return Q(pk__in=[])
    return Q(page__in=owned_pages(department).values("pk")) | Q(page__isnull=True, user__department_id=department)


class ViewLogPolicy(ManagersPolicy):
    """Managers read the view log of their own department's items; nobody changes it."""

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and \
            ViewLog.objects.filter(view_log_visible_q(user), pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not any(self.user_has_permission(user, action) for action in actions):
            return ViewLog.objects.none()
        return ViewLog.objects.filter(view_log_visible_q(user))


# The view log is read-only for everyone: nobody may add, change or delete what it recorded.
register_permission_policy(ViewLog, ViewLogPolicy(ViewLog, ["view"]))


class ViewLogIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(view_log_visible_q(self.request.user))


class ViewLogViewSet(ModelViewSet):
    """查看记录 in the admin: browsable, filterable and exportable (CSV/XLSX) by managers."""

    model = ViewLog
    name = "viewlog"
    index_view_class = ViewLogIndexView
    icon = "view"
    menu_label = "查看记录"
    menu_order = 910
    add_to_admin_menu = True
    list_display = ["created_at", Column("kind_label", label="类型"), "username", "user_department", "page_title",
                    "page_department", Column("scope_label", label="共享范围"), "ip_address", "path"]
    list_filter = ["kind", "scope", "created_at"]
    search_fields = ["username", "page_title", "path", "ip_address"]
    list_export = ["created_at", "kind_label", "username", "user_department", "page_title", "page_department",
                   "scope_label", "ip_address", "path", "user_agent"]
    export_headings = {"scope_label": "共享范围", "created_at": "时间", "kind_label": "类型"}
    export_filename = "查看记录"
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    # Required by ModelViewSet; the permission policy lets nobody reach the add or edit form.
    exclude_form_fields: list[str] = []


@hooks.register("register_admin_viewset")
def register_view_log_viewset():
    return ViewLogViewSet()


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return audit.is_manager(request.user)


class StaffMenuItem(MenuItem):
    def is_shown(self, request):

        return is_staff_member(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return StaffMenuItem("信息共享工作台", reverse("staff_dashboard"), name="sharing-dashboard", icon_name="date",
                         order=150)


@hooks.register("register_reports_menu_item")
def register_audit_export_menu_item():
    # Wagtail's 站点历史 report is the audit log of changes; it exports CSV and XLSX itself.
    return ManagerMenuItem("修改记录（审计日志）", reverse("wagtailadmin_reports:site_history"), name="audit-log",
                           icon_name="history", order=1010)


# --- the admin home page: 抄告 and reminders ----------------------------------------------

class NotificationsPanel(Component):
    name = "portal_notifications"
    template_name = "staff/admin_home_panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        unread = Notification.objects.filter(recipient=self.user, read_at__isnull=True).select_related("page")
        return {"notifications": list(unread[:10])}


@hooks.register("construct_homepage_panels")
def add_notifications_panel(request, panels):
    panels.append(NotificationsPanel(request.user))


# --- the view log and refusals ----------------------------------------------------------------

def _not_found(request):
    return render(request, "404.html", status=404)


@hooks.register("before_serve_page")
def audit_shared_info_page(page, request, serve_args, serve_kwargs):
    """Log the opening of 部门内部 / 不予共享 items; refuse (404, logged) what the access policy refuses."""
    if not isinstance(page, SharedInfoPage):
        return None
    if not can_view(request.user, page):
        audit.log_refusal(request, page)
        raise Http404("该信息不存在，或您没有查看权限。")
    audit.log_view(request, page)
    return None


@hooks.register("construct_page_chooser_queryset")
def wall_page_chooser(pages, request):
    """The page chooser offers the structure, the user's own items and the live items the front end shows them."""
    if request.user.is_superuser:
        return pages
    return pages.filter(chooser_q(request.user))


@hooks.register("before_serve_document")
def check_document_access(document, request):
    """Serve a document only to those who may see every page that uses it (portal.walls.documents); else 404, logged."""
    if can_download(request.user, document):
        return None
    audit.log_refusal(request, None)
    return _not_found(request)


# Bulk actions on accounts (assign role, activate/deactivate, delete) stay inside the actor's scope.
hooks.register("before_bulk_action", refuse_bulk_action_on_unmanaged_users)


# --- what the paste box could not place -------------------------------------------------------

@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def tell_the_editor_what_the_parser_could_not_place(request, page):
    """Show the notices of a pasted full text (lines kept as paragraphs where they stood) as warnings."""
    notices = getattr(page, "parse_notices", None) or getattr(getattr(page, "specific", None), "parse_notices", None)
    for notice in (notices or [])[:10]:
        admin_messages.warning(request, f"粘贴全文：{notice}")
    if notices and len(notices) > 10:
        admin_messages.warning(request, f"粘贴全文：另有 {len(notices) - 10} 处提示，请核对正文。")


# --- 节假日安排: the stored years, listed and corrected by managers -------------------------------------

class ManagersMayCorrectPolicy(BasePermissionPolicy):
    """Superusers and 管理员 may view and change a stored year; nobody adds or deletes one here (import it)."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and audit.is_manager(user)

    def users_with_any_permission(self, actions):
        if not {"view", "change"} & set(actions):
            return User.objects.none()
        return User.objects.filter(Q(is_superuser=True) | Q(groups__name=MANAGERS), is_active=True).distinct()


register_permission_policy(HolidayArrangement, ManagersMayCorrectPolicy(HolidayArrangement))


class HolidayArrangementForm(WagtailAdminModelForm):
    """The 文号 and title, and the days as lines "2027-01-01 放假 元旦", checked as an import is."""

    days = forms.CharField(label="日期", widget=forms.Textarea(attrs={"rows": 30}),
                           help_text="每行一天：日期 放假/上班 节日，如“2027-01-01 放假 元旦”“2027-01-31 上班 春节”。"
                                     "保存前按导入的规则检查：日期重复或与其他年份的安排重叠、调休上班日不是周末、"
                                     "与 chinesecalendar 内置数据不一致的，不予保存。")

    class Meta:
        model = HolidayArrangement
        fields = ["title", "doc_number", "issued_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["days"] = holidays.day_lines(self.instance)

    def clean_days(self):
        try:
            return holidays.parse_day_lines(self.cleaned_data["days"], self.instance.year)
        except holidays.ImportRefused as exc:
            raise forms.ValidationError(exc.problems) from exc

    def save(self, commit=True):
        instance = super().save(commit=False)
        if commit:
            by = self.for_user.get_username() if self.for_user else ""
            try:
                holidays.correct_days(instance, *self.cleaned_data["days"], by=by)
            except holidays.ImportRefused as exc:
                raise forms.ValidationError(exc.problems) from exc
        return instance


def _day_counts(arrangement: HolidayArrangement) -> str:
    kinds = HolidayArrangementDay.Kind
    days = list(arrangement.days.all())
    return (f"放假{sum(d.kind == kinds.HOLIDAY for d in days)}天，"
            f"调休上班{sum(d.kind == kinds.WORKDAY for d in days)}天")


class HolidayArrangementViewSet(ModelViewSet):
    """节假日安排 in the admin's 设置 menu: the stored years with their 文号, and correcting their days."""

    model = HolidayArrangement
    name = "holidayarrangements"
    icon = "date"
    menu_label = "节假日安排"
    add_to_settings_menu = True
    list_display = ["year", "title", "doc_number", Column("days", label="日期", accessor=_day_counts),
                    "imported_at", "imported_by_name", "changed_at", "changed_by_name"]
    search_fields = ["title", "doc_number"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = ["year", "title", "doc_number", "issued_on", "imported_at", "imported_by_name",
                           "changed_at", "changed_by_name", "source_text"]

    def get_form_class(self, for_update=False):
        return HolidayArrangementForm

    def get_queryset(self, request):
        return HolidayArrangement.objects.prefetch_related("days")


@hooks.register("register_admin_viewset")
def register_holiday_arrangement_viewset():
    return HolidayArrangementViewSet()
