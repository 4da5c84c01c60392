"""The records of 镇（街道）属地管理 and 基层联合执法 (周政办字〔2018〕18号 二（二）、二（四）2).

- ``Township``: a 镇 or 街道 of 周村区, or 周村经济开发区 — the addressees of the directive
  (“各镇政府、街道办事处，周村经济开发区管委会”). Its organ (镇政府、街道办事处、管委会) acts on the
  portal as a ``portal.Department`` (not a member unit of the joint meeting): its staff are the users
  who act for that department.
- ``JointAction``: a 联合执法 organised in the name of the 镇（街道）综合执法办公室 (二（二）、二（四）2):
  the units that took part, when, where, what was found, its ``FollowUp`` items, its status, and the
  组织不力 flag that opens an accountability case (二（四）2, read through ``townships.accountability``).
- ``StationedSquadron``: a 中队 of the 区综合行政执法局 stationed in a 镇（街道）, whose 日常工作和队伍的
  日常管理 is the 镇（街道）'s and whose 教育培训、岗位交流、业务指导 is the bureau's (二（二）).

Models hold data and read-only helpers; every change goes through the plain functions of
``townships.rules``, which check the actor and the text and raise ``RuleError`` otherwise.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL
DEPARTMENT = "portal.Department"

# The directive's words for the two kinds of unit that have a 综合执法办公室 (二（二）、二（四）2: “镇（街道）”).
OFFICE_SUFFIX = "综合执法办公室"


class Township(models.Model):
    """A 镇, a 街道 or 周村经济开发区: an addressee of 周政办字〔2018〕18号."""

    class Kind(models.TextChoices):
        TOWN = "town", "镇"
        SUBDISTRICT = "subdistrict", "街道"
        DEVELOPMENT_ZONE = "zone", "经济开发区"

    name = models.CharField("名称", max_length=40, unique=True, help_text="例如：王村镇、青年路街道")
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    organ_name = models.CharField("机关名称", max_length=60, help_text="镇政府、街道办事处或管委会的名称")
    department = models.OneToOneField(
        DEPARTMENT, verbose_name="平台上的单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="township", help_text="镇政府、街道办事处、管委会在平台上的单位；其工作人员即本镇（街道）的工作人员",
    )
    source = models.CharField("名称来源", max_length=300, blank=True, help_text="证实该名称的公开来源")
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "镇（街道）"
        verbose_name_plural = "镇（街道）"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def has_office(self) -> bool:
        """Return True for a 镇 or 街道: the directive gives them a 综合执法办公室 (二（二）、二（四）2)."""
        return self.kind in (self.Kind.TOWN, self.Kind.SUBDISTRICT)

    @property
    def office_name(self) -> str:
        """Return the name of its 镇（街道）综合执法办公室 (empty for the development zone: the text names none)."""
        return f"{self.name}{OFFICE_SUFFIX}" if self.has_office else ""


class JointAction(models.Model):
    """A 联合执法 in the name of a 镇（街道）综合执法办公室 (二（二）、二（四）2)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "已部署"
        CARRIED_OUT = "carried_out", "已实施"
        CLOSED = "closed", "已办结"

    township = models.ForeignKey(Township, verbose_name="镇（街道）", on_delete=models.PROTECT,
                                 related_name="joint_actions")
    title = models.CharField("联合执法事项", max_length=150)
    matter = models.TextField("统筹协调的案件或问题", help_text="辖区内重大、复杂案件（二（四）2）")
    date = models.DateField("执法日期")
    location = models.CharField("执法地点", max_length=150)
    participants = models.ManyToManyField(DEPARTMENT, verbose_name="参加单位（派驻执法机构）",
                                          related_name="joint_actions")
    local_forces = models.CharField("镇（街道）执法力量", max_length=200, blank=True,
                                    help_text="镇（街道）安环办等执法力量（二（二））")
    other_forces = models.CharField("其他参加力量", max_length=200, blank=True,
                                    help_text="未在平台上的派驻执法机构，例如国土")
    findings = models.TextField("发现的问题", blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.PLANNED)
    organised_by = models.ForeignKey(USER, verbose_name="组织人", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # 组织不力 (二（四）2): both conditions of the text, each in words.
    poorly_organised = models.BooleanField("组织不力", default=False)
    poor_organisation = models.TextField("组织不力的情形", blank=True)
    adverse_effect = models.TextField("对辖区内执法工作产生的不利影响", blank=True)
    flagged_by = models.ForeignKey(USER, verbose_name="认定人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    flagged_department = models.ForeignKey(DEPARTMENT, verbose_name="认定单位", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    flagged_date = models.DateField("认定日期", null=True, blank=True)

    class Meta:
        verbose_name = "联合执法"
        verbose_name_plural = "联合执法"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.township.name}：{self.title}"

    @property
    def office_name(self) -> str:
        return self.township.office_name


class FollowUp(models.Model):
    """A follow-up item of a joint action: what is to be done, by which unit, by when."""

    class Status(models.TextChoices):
        OPEN = "open", "办理中"
        DONE = "done", "已办结"

    action = models.ForeignKey(JointAction, verbose_name="联合执法", on_delete=models.CASCADE,
                               related_name="follow_ups")
    description = models.TextField("后续事项")
    responsible_department = models.ForeignKey(DEPARTMENT, verbose_name="责任单位", on_delete=models.PROTECT,
                                               related_name="joint_follow_ups")
    assigned_date = models.DateField("交办日期")
    working_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    due_date = models.DateField("完成时限")
    status = models.CharField("状态", max_length=8, choices=Status.choices, default=Status.OPEN)
    completed_date = models.DateField("办结日期", null=True, blank=True)
    completion_note = models.TextField("办理情况", blank=True)

    class Meta:
        verbose_name = "后续事项"
        verbose_name_plural = "后续事项"
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.description[:40]


class StationedSquadron(models.Model):
    """A 中队 of the 区综合行政执法局 stationed in a 镇（街道） (区综合行政执法局派驻执法中队, 二（二）)."""

    name = models.CharField("中队名称", max_length=60, unique=True)
    bureau = models.ForeignKey(DEPARTMENT, verbose_name="所属（业务指导）单位", on_delete=models.PROTECT,
                               related_name="stationed_squadrons", help_text="区综合行政执法局")
    township = models.ForeignKey(Township, verbose_name="派驻镇（街道）", on_delete=models.PROTECT,
                                 related_name="squadrons")
    stationed_since = models.DateField("派驻日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "派驻执法中队"
        verbose_name_plural = "派驻执法中队"
        ordering = ["township__sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def daily_management_unit(self) -> Township:
        """日常工作和队伍的日常管理以镇（街道）为主 (二（二）)."""
        return self.township

    @property
    def guidance_unit(self):
        """人员的教育培训、岗位交流、业务指导以综合行政执法部门为主 (二（二）)."""
        return self.bureau
