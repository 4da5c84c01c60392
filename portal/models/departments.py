"""Departments (the joint-meeting member units) and the staff who belong to them."""
import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Department(index.Indexed, models.Model):
    """A member unit of the joint meeting, or the enforcement bureau itself."""

    name = models.CharField("全称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    aliases = models.CharField(
        "别名",
        max_length=255,
        blank=True,
        help_text="检索时视为同义的其他叫法，用顿号或逗号分隔，例如：城管、城管局",
    )
    code = models.CharField(
        "机构代码",
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{2,20}$", "机构代码只能由 2–20 位大写字母或数字组成。")],
        help_text="用于生成索引号，例如 ZHZF",
    )
    is_member = models.BooleanField("联席会议成员单位", default=True)
    is_bureau = models.BooleanField("综合行政执法局", default=False)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="分管领导",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_departments",
    )
    liaisons = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="信息联络员",
        blank=True,
        related_name="liaison_for",
    )
    sort_order = models.PositiveIntegerField("排序", default=100)

    history = HistoricalRecords(
        m2m_fields=[liaisons], verbose_name="部门历史", excluded_fields=["sort_order"]
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("aliases"),
        FieldPanel("code"),
        FieldPanel("is_member"),
        FieldPanel("is_bureau"),
        FieldPanel("leader"),
        FieldPanel("liaisons"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.SearchField("aliases"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name

    def alias_list(self) -> list[str]:
        """Return the department's aliases as a list, splitting on Chinese and ASCII separators."""

        return [a.strip() for a in re.split(r"[、,，;；\s]+", self.aliases) if a.strip()]


class User(AbstractUser):
    """A portal user; staff belong to one department, the public has no account."""

    department = models.ForeignKey(
        Department,
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "用户"
        verbose_name_plural = "用户"
        swappable = "AUTH_USER_MODEL"

    def get_full_name(self):
        # Chinese names read family name first, without a space.
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username
