"""Sharing between departments: 抄告 subscriptions, the notifications they produce, and the view log.

- ``DepartmentSubscription``: department X wants to hear of items of category C
  and/or from department Y (blank = any).
- ``Notification``: one message to one user (a 信息联络员), shown on the staff
  dashboard and the admin home page; Wagtail 8 has no notification model of its own.
- ``ViewLog``: who opened which 部门内部 / 不予共享 item, when and from where, and
  every attempt refused by the access policy (kind 拒绝访问).
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel

from portal.models.metadata import Category
from portal.walls.access import Scope


class DepartmentSubscription(models.Model):
    """A department's wish to be told (抄告) when items of a category and/or of another department are published."""

    subscriber = models.ForeignKey(
        "portal.Department", verbose_name="订阅部门", on_delete=models.CASCADE, related_name="subscriptions"
    )
    category = models.CharField(
        "主题分类", max_length=16, choices=Category.choices, blank=True, help_text="留空表示全部分类"
    )
    source_department = models.ForeignKey(
        "portal.Department",
        verbose_name="发布部门",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscribers",
        help_text="留空表示任何部门",
    )
    created_at = models.DateTimeField("订阅时间", auto_now_add=True)

    panels = [FieldPanel("subscriber"), FieldPanel("category"), FieldPanel("source_department")]

    class Meta:
        verbose_name = "抄告订阅"
        verbose_name_plural = "抄告订阅"
        ordering = ["subscriber__sort_order", "category", "source_department__sort_order"]
        # Two partial constraints rather than nulls_distinct=False, which SQLite does not enforce.
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "category", "source_department"],
                condition=models.Q(source_department__isnull=False),
                name="unique_subscription_to_department",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "category"],
                condition=models.Q(source_department__isnull=True),
                name="unique_subscription_to_any_department",
            ),
        ]

    def __str__(self):
        return f"{self.subscriber.display_name}：{self.describe()}"

    def describe(self) -> str:
        """Return what is subscribed to, in words: 来自区工商局的“行政处罚、行政强制”."""
        what = f"“{self.get_category_display()}”" if self.category else "全部分类"
        if self.source_department_id:
            return f"{self.source_department.display_name}发布的{what}"
        return f"各部门发布的{what}"

    def clean(self):
        super().clean()
        if self.source_department_id and self.source_department_id == self.subscriber_id:
            raise ValidationError({"source_department": "不能订阅本部门自己发布的信息。"})

    def matches(self, page) -> bool:
        """Return True when the published item falls under this subscription."""
        if self.category and self.category != page.category:
            return False
        return not (self.source_department_id and self.source_department_id != page.department_id)


class Notification(models.Model):
    """One message to one staff member: an item published that their department subscribed to, or a reminder."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", "抄告"
        REMINDER = "reminder", "时限提醒"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="portal_notifications"
    )
    kind = models.CharField("类型", max_length=16, choices=Kind.choices, default=Kind.PUBLISHED)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="信息", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField("标题", max_length=255)
    message = models.TextField("内容", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class ViewLog(models.Model):
    """One opening of a 部门内部 / 不予共享 item, or one attempt the access policy refused."""

    class Kind(models.TextChoices):
        VIEW = "view", "查看"
        ADMIN_OPEN = "admin_open", "后台打开"
        REFUSED = "refused", "拒绝访问"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text as well, so the log still says who it was after the account is deleted.
    username = models.CharField("用户名", max_length=150, blank=True, help_text="匿名访问为空")
    user_department = models.CharField("用户所属部门", max_length=100, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="信息", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    page_title = models.CharField("信息标题", max_length=255, blank=True)
    page_department = models.CharField("发布机构", max_length=100, blank=True)
    scope = models.CharField("共享范围", max_length=16, blank=True)
    path = models.CharField("访问地址", max_length=1000, blank=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器标识", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "查看记录"
        verbose_name_plural = "查看记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        who = self.username or "匿名"
        return f"{who} {self.get_kind_display()} {self.page_title or self.path}"

    @property
    def kind_label(self) -> str:
        return self.get_kind_display()

    @property
    def scope_label(self) -> str:
        return dict(Scope.choices).get(self.scope, self.scope)
