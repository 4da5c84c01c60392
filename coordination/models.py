"""The records of 区编办 and 区政府法制办's door (周政办字〔2018〕18号): disputes and accountability cases.

- ``Dispute``: a jurisdiction dispute over a case (二（四）3 案件移送的其他情形③: 应充分协商；协商未果的，
  由区编办、区政府法制办认定，无法认定的由区编办、区政府法制办提出处理意见，报区政府作出决定) or an unclear
  split of supervisory duties (二（一）: 由区编办、区政府法制办进行协调；协调不一致的，由区编办、区政府法制办提出
  处理意见，报区政府作出决定), with its ``Consultation`` entries and the coordinators' ``CoordinatorOpinion``.
- ``AccountabilityCase``: 责任追究 (二（四）7: 对违反有关协作配合制度规定的单位和人员，影响工作造成重大损失或严重
  后果的，严格按照《周村区综合行政执法责任追究实施办法》的相关规定追究责任).

Models hold data; every change goes through ``coordination.disputes`` and ``coordination.accountability``,
which check the step and the actor and raise ``TransitionError`` (Chinese message, nothing changed).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

USER = settings.AUTH_USER_MODEL
DEPARTMENT = "portal.Department"


def _user_fk(verbose_name: str):
    return models.ForeignKey(USER, verbose_name=verbose_name, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")


class Dispute(models.Model):
    """A dispute between departments, on the path 协商 → 区编办 and 区政府法制办 jointly → 区政府."""

    class Kind(models.TextChoices):
        JURISDICTION = "jurisdiction", "案件管辖争议（二（四）3 案件移送的其他情形③）"
        DUTIES = "duties", "监管职责分工不明确（二（一））"

    class Status(models.TextChoices):
        CONSULTING = "consulting", "部门协商中"
        SETTLED = "settled", "协商一致"
        REFERRED = "referred", "待区编办、区政府法制办认定"
        DETERMINED = "determined", "区编办、区政府法制办已认定"
        PROPOSING = "proposing", "无法认定，待提出处理意见"
        REPORTED = "reported", "已报区政府决定"
        DECIDED = "decided", "区政府已决定"

    title = models.CharField("争议事项", max_length=200)
    kind = models.CharField("争议类型", max_length=16, choices=Kind.choices)
    facts = models.TextField("争议情况", help_text="争议的事项、各方的意见和理由")
    parties = models.ManyToManyField(DEPARTMENT, verbose_name="争议各方", related_name="coordination_disputes")
    transfer = models.ForeignKey("cooperation.CaseTransfer", verbose_name="关联案件移送", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="coordination_disputes")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.CONSULTING)
    raised_by = _user_fk("提出人")
    raised_department = models.ForeignKey(DEPARTMENT, verbose_name="提出部门", on_delete=models.PROTECT,
                                          related_name="+")
    raised_date = models.DateField("提出日期")
    settlement = models.TextField("协商结果", blank=True)
    competent_department = models.ForeignKey(DEPARTMENT, verbose_name="确定的管辖／监管部门", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    referred_by = _user_fk("提请人")
    referred_date = models.DateField("提请日期", null=True, blank=True)
    resolved_date = models.DateField("办结日期", null=True, blank=True)
    decision_number = models.CharField("区政府决定文号", max_length=80, blank=True)
    decision = models.TextField("区政府决定", blank=True)
    decision_recorded_by = _user_fk("决定登记人")

    history = HistoricalRecords(m2m_fields=[parties], verbose_name="争议协调历史")

    class Meta:
        verbose_name = "争议协调"
        verbose_name_plural = "争议协调"
        ordering = ["-raised_date", "-pk"]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        year = self.raised_date.year if self.raised_date else ""
        return f"争〔{year}〕{self.pk or 0:04d}"

    @property
    def coordinators_step(self) -> str:
        """Return what 区编办、区政府法制办 do first, in the provision's own word: 认定 (二（四）3③) or 协调 (二（一）)."""
        return "协调" if self.kind == self.Kind.DUTIES else "认定"

    @property
    def basis(self) -> str:
        return "二（一）" if self.kind == self.Kind.DUTIES else "二（四）3 案件移送的其他情形③"


class Consultation(models.Model):
    """A party's record of the 协商 between the departments (二（四）3 案件移送的其他情形③: 应充分协商)."""

    dispute = models.ForeignKey(Dispute, verbose_name="争议", on_delete=models.CASCADE, related_name="consultations")
    department = models.ForeignKey(DEPARTMENT, verbose_name="记录部门", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("协商日期")
    note = models.TextField("协商情况")
    recorded_by = _user_fk("记录人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "协商记录"
        verbose_name_plural = "协商记录"
        ordering = ["date", "pk"]


class CoordinatorOpinion(models.Model):
    """The opinion of 区编办 or of 区政府法制办: its 认定／协调意见 first, its 处理意见 for the 区政府 if that fails."""

    class Stage(models.TextChoices):
        DETERMINATION = "determination", "认定／协调意见"
        PROPOSAL = "proposal", "处理意见（报区政府）"

    dispute = models.ForeignKey(Dispute, verbose_name="争议", on_delete=models.CASCADE, related_name="opinions")
    coordinator = models.ForeignKey(DEPARTMENT, verbose_name="协调机关", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("环节", max_length=16, choices=Stage.choices)
    competent_department = models.ForeignKey(
        DEPARTMENT, verbose_name="认定的管辖／监管部门", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="留空表示无法认定")
    text = models.TextField("意见")
    recorded_by = _user_fk("登记人")
    date = models.DateField("日期")

    history = HistoricalRecords(verbose_name="协调意见历史")

    class Meta:
        verbose_name = "协调意见"
        verbose_name_plural = "协调意见"
        ordering = ["date", "pk"]
        constraints = [models.UniqueConstraint(fields=["dispute", "coordinator", "stage"],
                                               name="coordination_one_opinion_per_stage")]


class AccountabilityCase(models.Model):
    """责任追究 (二（四）7): a case arising from overdue or refused cooperation, and how it was handled."""

    class Source(models.TextChoices):
        TRANSFER_OVERDUE = "transfer_overdue", "案件移送逾期（二（四）3）"
        REQUEST_OVERDUE = "request_overdue", "信息请求逾期未答复（二（四）5）"
        SHARING_OVERDUE = "sharing_overdue", "信息共享逾期（二（四）5）"
        TASK_OVERDUE = "task_overdue", "联席会议交办事项逾期（二（四）1）"
        REFUSED = "refused", "拒绝协作配合"
        JOINT_ENFORCEMENT = "joint_enforcement", "联合执法组织不力（二（四）2）"

    class Status(models.TextChoices):
        OPEN = "open", "调查处理中"
        HANDLED = "handled", "已追究责任"
        DISMISSED = "dismissed", "不予追究"

    source = models.CharField("案件来源", max_length=20, choices=Source.choices)
    department = models.ForeignKey(DEPARTMENT, verbose_name="责任单位", on_delete=models.PROTECT,
                                   related_name="accountability_cases")
    title = models.CharField("事由", max_length=200)
    facts = models.TextField("事实")
    consequences = models.TextField("影响及后果", blank=True,
                                    help_text="二（四）7：影响工作造成重大损失或严重后果的，依法追究责任")
    transfer = models.ForeignKey("cooperation.CaseTransfer", verbose_name="关联案件移送", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey("cooperation.InformationRequest", verbose_name="关联信息请求", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey("cooperation.AssignedTask", verbose_name="关联交办事项", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    page = models.ForeignKey("portal.SharedInfoPage", verbose_name="关联共享信息", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    source_key = models.CharField("来源标识", max_length=60, blank=True, editable=False,
                                  help_text="由逾期事项登记时的来源（如 transfer-send:12），避免重复登记")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.OPEN)
    registered_by = _user_fk("登记人")
    registered_department = models.ForeignKey(DEPARTMENT, verbose_name="登记机关", on_delete=models.PROTECT,
                                              related_name="+")
    registered_date = models.DateField("登记日期")
    handling = models.TextField("处理情况", blank=True,
                                help_text="按照《周村区综合行政执法责任追究实施办法》的相关规定（二（四）7）")
    handled_by = _user_fk("处理登记人")
    handled_date = models.DateField("处理日期", null=True, blank=True)

    history = HistoricalRecords(verbose_name="责任追究历史")

    class Meta:
        verbose_name = "责任追究"
        verbose_name_plural = "责任追究"
        ordering = ["-registered_date", "-pk"]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        year = self.registered_date.year if self.registered_date else ""
        return f"责〔{year}〕{self.pk or 0:04d}"
