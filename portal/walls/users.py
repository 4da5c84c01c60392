"""The admin's user screens: the user's department, and a wall around accounts.

Who manages whom (周政办字〔2018〕18号 二（四）5: 信息资料 … 不得泄露 — an account is the key to them):

- a superuser manages every account and is the only one who grants, removes or edits superuser status;
- a 管理员 manages the accounts of their own department only, never a superuser's: other accounts are
  absent from the user listing and its filters, their edit, delete and history screens answer 404,
  bulk actions naming them are refused;
- a new or edited account of a 管理员 belongs to the 管理员's department.

``manageable_users`` and ``can_manage_user`` are the rule; the views, forms and hooks only apply it.
Wagtail's API-token screens (``wagtail.api.v3``) are not installed; they would need the same rule
(tests/portal/test_admin_accounts.py fails if the app appears).
"""
from django import forms
from django.http import Http404
from django.shortcuts import render
from wagtail.admin.forms.auth import LoginForm
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import CreateView, DeleteView, EditView, HistoryView, IndexView, UserViewSet

from portal import params
from portal.models.departments import Department, User
from portal.walls.permissions import user_department_id

USER_NOT_FOUND = "该用户不存在，或您没有管理权限。"


def manageable_users(actor):
    """Return the accounts ``actor`` may see and manage in the admin (all of them for a superuser)."""
    if actor is not None and actor.is_authenticated and actor.is_active and actor.is_superuser:
        return User.objects.all()
    department = user_department_id(actor)
    if department is None:
        return User.objects.filter(pk=getattr(actor, "pk", None) or 0, is_superuser=False)
    return User.objects.filter(department_id=department, is_superuser=False)


def can_manage_user(actor, target) -> bool:
    """Return True when ``actor`` may edit, delete or issue tokens for ``target``."""
    return manageable_users(actor).filter(pk=target.pk).exists()


def manageable_departments(actor):
    """Return the departments ``actor`` may put an account in."""
    if actor is not None and actor.is_authenticated and actor.is_superuser:
        return Department.objects.all()
    return Department.objects.filter(pk=user_department_id(actor) or 0)


class DepartmentFieldMixin(forms.Form):
    department = params.IdChoiceField(
        queryset=Department.objects.all(), required=False, label="所属部门", empty_label="（无）"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = self.fields.get("groups")
        if isinstance(groups, forms.ModelMultipleChoiceField) and not isinstance(groups, params.IdMultipleChoiceField):
            # Wagtail's own field: a group id past 2**63-1 would overflow SQLite (a 500) instead of a message.
            self.fields["groups"] = params.IdMultipleChoiceField(
                groups.queryset, required=groups.required, label=groups.label, widget=groups.widget,
                help_text=groups.help_text)

    def limit_to(self, actor):
        """Narrow the form to what ``actor`` may grant: no superuser switch, only their own department."""
        if actor is None or actor.is_superuser:
            return
        self.fields.pop("is_superuser", None)
        field = self.fields["department"]
        field.queryset = manageable_departments(actor)
        field.required = True
        field.empty_label = None


class PortalUserCreationForm(DepartmentFieldMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"department"}


class PortalUserEditForm(DepartmentFieldMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"department"}


class ManageableUsersMixin:
    """Limit a user view's object to the accounts the signed-in user may manage (others: 404).

    Only ``get_object``: the history and usage views' ``get_queryset`` lists log entries, not users.
    """

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not can_manage_user(self.request.user, obj):
            raise Http404(USER_NOT_FOUND)
        return obj


class LimitedFormMixin:
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.limit_to(self.request.user)
        return form


class PortalUserIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=manageable_users(self.request.user).values("pk"))


class PortalUserCreateView(LimitedFormMixin, CreateView):
    pass


class PortalUserEditView(ManageableUsersMixin, LimitedFormMixin, EditView):
    pass


class PortalUserDeleteView(ManageableUsersMixin, DeleteView):
    pass


class PortalUserHistoryView(ManageableUsersMixin, HistoryView):
    pass


class PortalUserUsageView(ManageableUsersMixin, UserViewSet.usage_view_class):
    pass


class PortalUserViewSet(UserViewSet):
    copy_view_enabled = False  # an account is made, not copied (the copy form prefilled another's data)
    usage_view_class = PortalUserUsageView
    index_view_class = PortalUserIndexView
    add_view_class = PortalUserCreateView
    edit_view_class = PortalUserEditView
    delete_view_class = PortalUserDeleteView
    history_view_class = PortalUserHistoryView
    create_template_name = "portal/admin/user_create.html"
    edit_template_name = "portal/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm


def refuse_bulk_action_on_unmanaged_users(request, action_type, objects, action):
    """``before_bulk_action`` hook: a bulk action on users outside the actor's scope is refused whole (404)."""
    if getattr(action, "model", None) is not User:
        return None
    allowed = set(manageable_users(request.user).values_list("pk", flat=True))
    if any(obj.pk not in allowed for obj in objects):
        return render(request, "404.html", {"message": USER_NOT_FOUND}, status=404)
    return None


class PortalLoginForm(LoginForm):
    """Wagtail's login form; its password field has no label, so Django showed the English field name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "密码"
