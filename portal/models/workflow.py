"""The review steps of the editorial workflow, taken inside the page's own department.

Wagtail's group approval task lets any member of the chosen groups review any page; here the
chosen groups are roles (审核, 分管领导) and the department is the page's 发布机构: a reviewer of
one department never sees, approves or rejects another department's item (portal.walls.permissions).
"""
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState
from wagtail.signals import task_submitted

from portal.walls.permissions import owned_pages, owns, user_department_id


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


def _page_department_id(task_state):
    obj = task_state.workflow_state.content_object
    return getattr(obj.specific_deferred if isinstance(obj, Page) else obj, "department_id", None)


class DepartmentReviewEmailNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """Wagtail's "submitted for review" e-mail, sent only to the reviewers of the item's own department.

    Wagtail mails every member of the task's groups: the title of one department's 不予共享 item
    would reach every department's 审核.
    """

    def get_recipient_users(self, task_state, **kwargs):
        recipients = super().get_recipient_users(task_state, **kwargs)
        department = _page_department_id(task_state)
        own = Q(department_id=department) if department is not None else Q(pk__in=[])
        return recipients.filter(own | Q(is_superuser=True))


def connect_review_notifications() -> None:
    """Put the department notifier in the place of Wagtail's (same dispatch uid: whichever app is ready first)."""
    uid = "group_approval_task_submitted_email_notification"
    task_submitted.disconnect(sender=TaskState, dispatch_uid=uid)
    task_submitted.connect(DepartmentReviewEmailNotifier(), sender=TaskState, dispatch_uid=uid, weak=False)
