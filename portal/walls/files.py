"""Documents and images in the admin belong to a department, and case files cannot be changed.

Wagtail decides who may list, choose, edit, replace or delete a document or image through the
permission policy registered for the model (``CollectionOwnershipPermissionPolicy``: collection
permissions of the user's groups, plus "you may change what you uploaded").  Roles in this portal
are district-wide groups (every department's 编辑 is in one group), so collection permissions alone
would let any 编辑 list and replace every department's files, case-transfer evidence included.
``DepartmentMediaPolicy`` adds two rules on top (周政办字〔2018〕18号 二（四）5: 不得泄露 …):

- **ownership**: a file belongs to the department of the account that uploaded it; only that
  department's staff list, choose, edit, replace or delete it (superusers: every file). A file with
  no uploader belongs to no department: only superusers manage it.
- **case files are frozen**: a document carried by a case transfer (移送材料) or given in answer to an
  information request (cooperation) is evidence both departments rely on; nobody edits,
  replaces or deletes it in the admin (the database protects it too, which used to surface as a 500).

Downloads follow the pages that use a file (``portal.walls.documents.can_download``), not this policy.
"""
from __future__ import annotations

from django.db.models import Q
from wagtail.documents import get_document_model, get_document_model_string
from wagtail.images import get_image_model, get_image_model_string
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import register_permission_policy

from cooperation.files import is_case_file
from portal.models.departments import User
from portal.walls.permissions import user_department_id

MUTATING_ACTIONS = {"change", "delete"}
CASE_FILE_LOCKED = "该文件是案件移送或信息请求的材料，已作为证据留存，不能修改、替换或删除。"


def _is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def department_q(user, owner_field: str = "uploaded_by_user") -> Q:
    """Return a Q selecting the files of the user's department (nothing for a user without one).

    The uploaders are listed by id rather than joined: the admin's file search runs this filter in
    the search backend, which filters on the indexed ``uploaded_by_user`` field but cannot follow it.
    """
    department = user_department_id(user)
    if department is None:
        return Q(pk__in=[])
    colleagues = list(User.objects.filter(department_id=department).values_list("pk", flat=True))
    return Q(**{f"{owner_field}__in": colleagues})


def same_department(user, instance, owner_field: str = "uploaded_by_user") -> bool:
    """Return True when the file was uploaded by an account of the user's department."""
    department = user_department_id(user)
    owner = getattr(instance, owner_field, None)
    return department is not None and owner is not None and owner.department_id == department


class DepartmentMediaPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's collection-ownership policy, limited to the user's department, with case files frozen."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        actions = set(actions)
        if actions & MUTATING_ACTIONS and is_case_file(instance):
            actions -= MUTATING_ACTIONS
            if not actions:
                return False
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        return _is_superuser(user) or same_department(user, instance, self.owner_field_name)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if _is_superuser(user):
            return instances
        return instances.filter(department_q(user, self.owner_field_name))


def register():
    """Register the policy for the document and image models (exact class: it wins over Wagtail's own)."""

    register_permission_policy(get_document_model(), DepartmentMediaPolicy(
        get_document_model_string(), auth_model="wagtaildocs.Document", owner_field_name="uploaded_by_user"),
        exact_class=True)
    register_permission_policy(get_image_model(), DepartmentMediaPolicy(
        get_image_model_string(), auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user"),
        exact_class=True)
