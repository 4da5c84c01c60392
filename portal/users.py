"""The admin's user forms, with the user's department."""
from django import forms
from wagtail.admin.forms.auth import LoginForm
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

from portal.models.departments import Department


class DepartmentFieldMixin(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, label="所属部门", empty_label="（无）"
    )


class PortalUserCreationForm(DepartmentFieldMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"department"}


class PortalUserEditForm(DepartmentFieldMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"department"}


class PortalUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return PortalUserEditForm if for_update else PortalUserCreationForm

    create_template_name = "portal/admin/user_create.html"
    edit_template_name = "portal/admin/user_edit.html"


class PortalLoginForm(LoginForm):
    """Wagtail's login form; its password field has no label, so Django showed the English field name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "密码"
