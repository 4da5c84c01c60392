"""Groups, their permissions and the editorial workflow (科室审核 → 分管领导签发).

Groups are roles; a user's department decides *where* the role applies: page permissions are granted
on the tree, and ``portal.walls.permissions`` narrows every one of them to the items of the user's own
department.  Both workflow steps are ``DepartmentApprovalTask``s: the owning department's 审核 reviews,
its 分管领导 signs (周政办字〔2018〕18号 二（四）5: each unit shares its own information).

Run after every ``migrate`` (post_migrate) and by ``load_demo``; idempotent.
"""
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowTask,
)
from wagtail.models import WorkflowPage as WorkflowAssignment

from portal.models.workflow import DepartmentApprovalTask

EDITORS, REVIEWERS, LEADERS, LIAISONS, MANAGERS = "编辑", "审核", "分管领导", "信息联络员", "管理员"
WORKFLOW_NAME = "信息发布审核"
TASK_REVIEW, TASK_SIGN = "科室审核", "分管领导签发"

# Page permissions by group, granted on the root and narrowed to the user's own department by
# portal.walls.permissions (which also keeps the structure — home page, sections — for superusers).
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    REVIEWERS: ["add_page", "change_page"],
    LEADERS: ["change_page", "publish_page"],
    LIAISONS: ["add_page", "change_page"],
    # Deleting only moves a page to the 回收站 (archive app); purging is a separate action.
    MANAGERS: ["add_page", "change_page", "publish_page", "delete_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    EDITORS: ["add_document", "change_document", "choose_document", "add_image", "change_image", "choose_image"],
    REVIEWERS: ["choose_document", "choose_image"],
    LEADERS: ["choose_document", "choose_image"],
    LIAISONS: ["add_document", "choose_document", "choose_image"],
    MANAGERS: ["add_document", "change_document", "delete_document", "choose_document",
               "add_image", "change_image", "delete_image", "choose_image"],
}
MODEL_PERMISSIONS = {
    EDITORS: ["wagtailadmin.access_admin", "portal.view_department"],
    REVIEWERS: ["wagtailadmin.access_admin", "portal.view_department"],
    LEADERS: ["wagtailadmin.access_admin", "portal.view_department"],
    LIAISONS: ["wagtailadmin.access_admin", "portal.view_department"],
    MANAGERS: ["wagtailadmin.access_admin", "portal.add_department", "portal.change_department",
               "portal.delete_department", "portal.view_department", "portal.add_user", "portal.change_user",
               "portal.view_user", "publicsite.change_siteidentification"],
}


def _permission(codename: str, app_label: str | None = None) -> Permission:
    qs = Permission.objects.filter(codename=codename)
    if app_label:
        qs = qs.filter(content_type__app_label=app_label)
    return qs.get()


def _department_task(task_model, department_task_model, name):
    """Return the active department task called ``name``; an older task of another type keeps its history, renamed."""
    task = department_task_model.objects.filter(name=name).first()
    if task is None:
        # Before the department wall, the steps were Wagtail group approval tasks that any department's
        # reviewers could take: retire them (their finished states stay in the history).
        task_model.objects.filter(name=name).update(name=f"{name}（旧，已停用）", active=False)
        task = department_task_model.objects.create(name=name)
    elif not task.active:
        task.active = True
        task.save(update_fields=["active"])
    return task


def ensure_roles(sender=None, **kwargs) -> dict[str, Group]:
    """Create or update the groups and the workflow; return the groups by name."""


    # Our post_migrate handler may run before other apps' permissions exist.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)

    root = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    if root is None or root_collection is None:
        return {}

    with transaction.atomic():
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in PAGE_PERMISSIONS}
        for name, codenames in PAGE_PERMISSIONS.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page=root, permission=_permission(codename, "wagtailcore")
                )
        for name, codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name], collection=root_collection, permission=_permission(codename)
                )
        for name, dotted in MODEL_PERMISSIONS.items():
            for perm in dotted:
                app_label, codename = perm.split(".")
                groups[name].permissions.add(_permission(codename, app_label))

        review = _department_task(Task, DepartmentApprovalTask, TASK_REVIEW)
        review.groups.set([groups[REVIEWERS], groups[MANAGERS]])
        sign = _department_task(Task, DepartmentApprovalTask, TASK_SIGN)
        sign.groups.set([groups[LEADERS], groups[MANAGERS]])

        workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
        WorkflowTask.objects.filter(workflow=workflow).exclude(task__in=[review, sign]).delete()
        for order, task in enumerate([review, sign]):
            WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
        WorkflowAssignment.objects.update_or_create(page=root, defaults={"workflow": workflow})
        # Wagtail ships a one-step "Moderators approval" workflow; ours replaces it.
        Workflow.objects.exclude(pk=workflow.pk).update(active=False)
        # Wagtail's English default groups would sit beside ours; drop them while unused.
        Group.objects.filter(name__in=["Moderators", "Editors"], user__isnull=True).delete()
    return groups
