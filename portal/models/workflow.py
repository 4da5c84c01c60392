"""The review steps of the editorial workflow, taken inside the page's own department.

Wagtail's group approval task lets any member of the chosen groups review any page; here the
chosen groups are roles (审核, 分管领导) and the department is the page's 发布机构: a reviewer of
one department never sees, approves or rejects another department's item (portal.permissions).
"""
from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState

from portal.permissions import owned_pages, owns, user_department_id


class DepartmentApprovalTask(AbstractGroupApprovalTask):
    """A review step taken by members of the chosen groups who belong to the item's own department."""

    def _may_moderate(self, obj, user) -> bool:
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        page = obj.specific_deferred if isinstance(obj, Page) else obj
        return self._user_in_groups(user) and owns(user, page)

    def user_can_access_editor(self, obj, user):
        return self._may_moderate(obj, user)

    def locked_for_user(self, obj, user):
        return not self._may_moderate(obj, user)

    def user_can_lock(self, obj, user):
        return self._may_moderate(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self._may_moderate(obj, user):
            return super().get_actions(obj, user)
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        in_progress = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_active and user.is_superuser:
            return in_progress
        department = user_department_id(user)
        if department is None or not self._user_in_groups(user):
            return TaskState.objects.none()
        # Workflow states name their object by a string id (a generic relation).
        own_ids = owned_pages(department).annotate(str_pk=Cast("pk", output_field=CharField())).values("str_pk")
        return in_progress.filter(workflow_state__object_id__in=own_ids)

    @classmethod
    def get_description(cls):
        return "所选用户组中、与信息同属一个发布机构的人员审核本步骤"

    class Meta:
        verbose_name = "本部门审核任务"
        verbose_name_plural = "本部门审核任务"
