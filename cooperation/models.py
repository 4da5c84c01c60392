"""The records of the directive's four working systems (周政办字〔2018〕18号).

- 联席会议 (二（四）1): ``JointMeeting``, ``MeetingTopic``, ``MeetingMinutes``, ``AssignedTask``; the
  召集人 and 副召集人 are the user groups ``CONVENER_GROUP`` and ``VICE_CONVENER_GROUP``.
- 案件移送 (二（四）3): ``CaseTransfer``, ``TransferMaterial``, ``TransferEvent``, ``TechnicalAppraisal``
  (鉴定、检测, 二（四）3（3）) and ``AssistanceRequest`` (the bureau's request for 配合取证、认定、鉴定,
  二（四）3（1）-2: the （1） of the second series, the bureau's findings).
- 首问负责 (二（四）4): ``ComplaintRecord``, ``ComplaintConsultation`` (征求相关行政管理部门意见).
- 信息请求 (二（四）5: penalty data to related departments, 查阅、复制 for the bureau): ``InformationRequest``.

Models hold data and read-only helpers. Every change of status goes through the
plain functions of ``meetings``, ``transfers``, ``complaints`` and
``info_requests``, which check the transition and the actor and raise
``TransitionError`` (with a Chinese message, changing nothing) otherwise.
django-simple-history keeps every version of every row.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords
from wagtail.documents import get_document_model_string

from cooperation import limits

USER = settings.AUTH_USER_MODEL
DEPARTMENT = "portal.Department"


def _user_fk(verbose_name: str, related_name: str = "+", null: bool = True):
    return models.ForeignKey(USER, verbose_name=verbose_name, null=null, blank=null,
                             on_delete=models.SET_NULL if null else models.PROTECT, related_name=related_name)


# --- 联席会议 ---------------------------------------------------------------------------------

# The standing officers of the 联席会议 (二（四）1: 部门联席会议由区政府分管副区长或受委托的区政府办公室副主任任召集人，
# 区综合行政执法局局长任副召集人): user groups, managed in the admin's user screens.
CONVENER_GROUP = "联席会议召集人"  # the 分管副区长 and the entrusted 区政府办公室副主任: either is the convener
VICE_CONVENER_GROUP = "联席会议副召集人"  # the 区综合行政执法局局长, also 联席会议办公室主任


class JointMeeting(models.Model):
    """A joint meeting (二（四）1): a 例行会议 every half year with all member units, or a 专题会议 called
    on member units' topics after the convener or vice-convener approved them."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", "例行会议"
        SPECIAL = "special", "专题会议"

    class Status(models.TextChoices):
        COLLECTING = "collecting", "征集议题"
        AGENDA_APPROVED = "agenda_approved", "议程已审定"
        HELD = "held", "已召开"
        MINUTES_ISSUED = "minutes_issued", "纪要已签发"

    class Capacity(models.TextChoices):
        DEPUTY_MAYOR = "deputy_mayor", "区政府分管副区长"
        ENTRUSTED = "entrusted", "受委托的区政府办公室副主任"

    title = models.CharField("会议名称", max_length=120)
    kind = models.CharField("会议类型", max_length=16, choices=Kind.choices, default=Kind.ROUTINE)
    date = models.DateField("会议日期")
    location = models.CharField("会议地点", max_length=120, blank=True)
    topics_open_date = models.DateField(
        "议题征集开始日期", null=True, blank=True,
        help_text="例行会议：办公室于会前5个工作日向各成员单位征集议题（二（四）1）；专题会议的议题在召集会议前已经审定，不征集",
    )
    convener = models.ForeignKey(USER, verbose_name="召集人", on_delete=models.PROTECT,
                                 related_name="convened_meetings",
                                 help_text="区政府分管副区长或受委托的区政府办公室副主任任召集人（二（四）1）")
    convener_capacity = models.CharField("召集人身份", max_length=16, choices=Capacity.choices,
                                         default=Capacity.DEPUTY_MAYOR)
    # 二（四）1 names one vice-convener: the 区综合行政执法局局长, who also heads the 联席会议办公室.
    vice_convener = models.ForeignKey(USER, verbose_name="副召集人", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="vice_convened_meetings",
                                      help_text="区综合行政执法局局长任副召集人（二（四）1）")
    participants = models.ManyToManyField(
        DEPARTMENT, verbose_name="参会单位", blank=True, related_name="joint_meetings",
        help_text="例行会议：参会单位为全体成员单位；专题会议：根据议题情况确定参加单位（二（四）1）",
    )
    invited = models.ManyToManyField(
        DEPARTMENT, verbose_name="邀请参加单位", blank=True, related_name="joint_meetings_invited",
        help_text="可视情况邀请其他相关单位参加（二（四）1），非成员单位",
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.COLLECTING)
    agenda_note = models.TextField("议程说明", blank=True)
    agenda_approved_by = _user_fk("议程审定人")
    agenda_approved_at = models.DateTimeField("议程审定时间", null=True, blank=True)
    held_date = models.DateField("召开日期", null=True, blank=True)
    created_by = _user_fk("创建人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[participants, invited], verbose_name="联席会议历史")

    class Meta:
        verbose_name = "联席会议"
        verbose_name_plural = "联席会议"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.title}（{self.date:%Y-%m-%d}）"

    def clean(self):
        if self.kind == self.Kind.ROUTINE and self.date:
            if not self.topics_open_date:
                raise ValidationError({"topics_open_date": "例行会议应填写议题征集开始日期（二（四）1）。"})
            error = limits.topic_window_error(self.topics_open_date, self.date)
            if error:
                raise ValidationError({"topics_open_date": error})

    @property
    def is_routine(self) -> bool:
        return self.kind == self.Kind.ROUTINE

    def is_convener(self, user) -> bool:
        """Return True for this meeting's convener."""
        return bool(user and user.pk and user.pk == self.convener_id)

    def is_vice_convener(self, user) -> bool:
        return bool(user and user.pk and user.pk == self.vice_convener_id)


def in_group(user, name: str) -> bool:
    return bool(user and user.pk and user.is_active and user.groups.filter(name=name).exists())


def is_standing_convener(user) -> bool:
    """Return True for a 联席会议召集人: the 分管副区长 or the entrusted 区政府办公室副主任 (二（四）1)."""
    return in_group(user, CONVENER_GROUP)


def is_standing_vice_convener(user) -> bool:
    """Return True for the 联席会议副召集人, the 区综合行政执法局局长 (二（四）1)."""
    return in_group(user, VICE_CONVENER_GROUP)


class MeetingTopic(models.Model):
    """A topic a member unit proposes, with its 议题说明、背景材料 and 初步意见 (the portal's form;
    二（四）1 only says the members 提出议题).

    A 例行会议's topic is collected for its meeting; the 联席会议办公室 coordinates it first (初步协调) and
    settles it, or reports what it cannot resolve to the convener or vice-convener for 审定. A 专题会议's
    topic comes first, without a meeting: submitted to the office, approved by the convener or
    vice-convener, and only then is the meeting called (``meeting`` set).
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已提交"
        RESOLVED = "resolved", "已初步协调解决"
        ESCALATED = "escalated", "报召集人审定"
        ADOPTED = "adopted", "已采纳"
        REJECTED = "rejected", "未采纳"

    meeting = models.ForeignKey(JointMeeting, verbose_name="会议", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="topics", help_text="专题会议的议题审定后才召集会议，在此之前为空")
    for_special = models.BooleanField("专题会议议题", default=False,
                                      help_text="成员单位提出、经召集人或副召集人审定后召集专题会议（二（四）1）")
    department = models.ForeignKey(DEPARTMENT, verbose_name="提出单位", on_delete=models.PROTECT,
                                   related_name="meeting_topics")
    title = models.CharField("议题", max_length=150)
    description = models.TextField("议题说明")
    background = models.TextField("背景材料", blank=True)
    opinion = models.TextField("初步意见")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = _user_fk("提交人")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    coordination = models.TextField("初步协调情况", blank=True,
                                    help_text="办公室初步协调的结果，或难以解决的原因（二（四）1）")
    coordinated_by = _user_fk("初步协调人")
    coordinated_at = models.DateTimeField("初步协调时间", null=True, blank=True)
    decided_by = _user_fk("审定人")
    decided_at = models.DateTimeField("审定时间", null=True, blank=True)
    decision_note = models.TextField("审定意见", blank=True)

    history = HistoricalRecords(verbose_name="会议议题历史")

    class Meta:
        verbose_name = "会议议题"
        verbose_name_plural = "会议议题"
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return self.title


class MeetingMinutes(models.Model):
    """会议纪要, drafted by the 联席会议办公室; in force only once the convener 签发 it (二（四）1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "已签发"

    meeting = models.OneToOneField(JointMeeting, verbose_name="会议", on_delete=models.CASCADE,
                                   related_name="minutes")
    number = models.CharField("纪要编号", max_length=60, blank=True, help_text="例如：周综执联纪〔2026〕2号")
    attendees = models.TextField("出席单位和人员", blank=True)
    content = models.TextField("议定事项", help_text="会议确定、交办的各项工作，写明承办单位和完成时限")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.DRAFT)
    drafted_by = _user_fk("起草人")
    drafted_at = models.DateTimeField("起草时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    issued_by = _user_fk("签发人")
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)

    history = HistoricalRecords(verbose_name="会议纪要历史")

    class Meta:
        verbose_name = "会议纪要"
        verbose_name_plural = "会议纪要"

    def __str__(self):
        return self.number or f"{self.meeting.title}纪要"


class AssignedTask(models.Model):
    """交办事项: a matter the minutes assign to a unit with a time limit, tracked until done (二（四）1: 有关单位须…落实会议确定、交办的各项工作).

    ``due_date`` is the calendar date the minutes set (完成时限); overdue means
    today is past it. "即将到期" counts working days (see ``limits.status_of``).
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "办理中"
        DONE = "done", "已办结"

    minutes = models.ForeignKey(MeetingMinutes, verbose_name="会议纪要", on_delete=models.CASCADE,
                                related_name="tasks")
    title = models.CharField("交办事项", max_length=200)
    responsible_department = models.ForeignKey(DEPARTMENT, verbose_name="承办单位", on_delete=models.PROTECT,
                                               related_name="assigned_tasks")
    due_date = models.DateField("完成时限")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    completion_note = models.TextField("办理情况", blank=True)
    completed_date = models.DateField("办结日期", null=True, blank=True)
    completed_by = _user_fk("报告人")
    delay_reason = models.TextField("未能按期办结的理由和下一步措施", blank=True)

    history = HistoricalRecords(verbose_name="交办事项历史")

    class Meta:
        verbose_name = "交办事项"
        verbose_name_plural = "交办事项"
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.title

    def deadline_key(self, today: datetime.date) -> str:
        return limits.status_of(self.due_date, self.completed_date, today)


# --- 案件移送 ---------------------------------------------------------------------------------

# The member units that are the judicial organs of 二（三） (公安机关、检察机关、审判机关), by 机构代码.
JUDICIAL_ORGAN_CODES = {"police": "GAFJ", "procuratorate": "JCY", "court": "FY"}
POLICE_CODE = JUDICIAL_ORGAN_CODES["police"]


class CaseTransfer(models.Model):
    """A case moved to the competent department (二（四）3) or, when a crime is suspected, to a judicial organ
    (二（三）), with its approval, materials, written answer, dispute and result."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING_APPROVAL = "pending_approval", "待审批"
        APPROVED = "approved", "已审批"
        SENT = "sent", "已移送"
        ACCEPTED = "accepted", "已受理"
        REJECTED = "rejected", "不予受理"
        DISPUTED = "disputed", "管辖争议待裁定"
        RULED = "ruled", "已裁定"
        CLOSED = "closed", "已办结"

    class JudicialOrgan(models.TextChoices):
        POLICE = "police", "公安机关"
        PROCURATORATE = "procuratorate", "人民检察院"
        COURT = "court", "人民法院"

    class CaseType(models.TextChoices):
        GENERAL = "general", "违法行为"
        OBSTRUCTION = "obstruction", "以暴力、威胁方法阻碍依法行使综合行政执法权"

    class DisputeKind(models.TextChoices):
        DUTIES = "duties", "职责划分（提请区编办认定）"
        LAW = "law", "法律适用（提请区政府法制办认定）"

    class Ruling(models.TextChoices):
        RECEIVER = "receiver", "由接收部门管辖"
        SENDER = "sender", "由移送部门管辖"
        OTHER = "other", "由其他部门管辖"

    class Outcome(models.TextChoices):
        PENALTY = "penalty", "作出行政处罚"
        NO_PENALTY = "no_penalty", "不予行政处罚"
        CRIMINAL = "criminal", "立案侦查或依法追究刑事责任"
        OTHER = "other", "其他处理"

    title = models.CharField("案由", max_length=200)
    from_department = models.ForeignKey(DEPARTMENT, verbose_name="移送部门", on_delete=models.PROTECT,
                                        related_name="transfers_sent")
    to_department = models.ForeignKey(
        DEPARTMENT, verbose_name="接收部门", null=True, blank=True, on_delete=models.PROTECT,
        related_name="transfers_received",
        help_text="有管辖权的成员单位；移送司法机关时，公安分局等成员单位在此选择，由其在平台上答复",
    )
    judicial_organ = models.CharField("司法机关", max_length=20, choices=JudicialOrgan.choices, blank=True,
                                      help_text="涉嫌犯罪的，应当及时移交司法机关（二（三））")
    suspected_crime = models.BooleanField("涉嫌犯罪", default=False,
                                          help_text="不得以罚代刑（二（三））")
    case_type = models.CharField("案件类型", max_length=16, choices=CaseType.choices, default=CaseType.GENERAL,
                                 help_text="以暴力、威胁方法阻碍依法行使综合行政执法权的，由公安机关及时依法作出处理（二（四）6），"
                                           "只能移交区公安分局")
    party = models.CharField("当事人", max_length=120, blank=True)
    facts = models.TextField("案件情况", help_text="违法行为的时间、地点、基本事实及不属本部门管辖的理由")
    discovered_date = models.DateField("发现日期")
    transfer_due = models.DateField("应移送日期", null=True, blank=True, editable=False,
                                    help_text="2个工作日内移送（二（四）3）")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = _user_fk("起草人")
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    approved_by = _user_fk("审批人")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    sent_by = _user_fk("移送人")
    sent_date = models.DateField("移送日期", null=True, blank=True)
    answer_due = models.DateField("应答复日期", null=True, blank=True,
                                  help_text="5个工作日内书面告知是否受理（二（四）3）")
    answered_by = _user_fk("答复人")
    answered_date = models.DateField("答复日期", null=True, blank=True)
    answer_reasons = models.TextField("答复意见和理由", blank=True)
    materials_request = models.TextField("补充材料要求", blank=True)
    materials_due = models.DateField("补充材料期限", null=True, blank=True)
    materials_supplied_date = models.DateField("补充材料日期", null=True, blank=True)
    dispute_kind = models.CharField("争议类型", max_length=10, choices=DisputeKind.choices, blank=True)
    arbiter = models.ForeignKey(DEPARTMENT, verbose_name="协调确定机关", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="transfer_disputes")
    dispute_reason = models.TextField("争议理由", blank=True)
    dispute_raised_by = _user_fk("提请人")
    dispute_raised_date = models.DateField("提请日期", null=True, blank=True)
    ruling = models.CharField("裁定结果", max_length=10, choices=Ruling.choices, blank=True)
    ruling_text = models.TextField("裁定意见", blank=True)
    ruled_by = _user_fk("裁定登记人")
    ruled_date = models.DateField("裁定日期", null=True, blank=True)
    outcome = models.CharField("处理结果类型", max_length=12, choices=Outcome.choices, blank=True)
    result = models.TextField("处理结果", blank=True)
    closed_by = _user_fk("办结人")
    closed_date = models.DateField("办结日期", null=True, blank=True)
    # 二（四）3（1）: a licensed party's breach — 通知当事人整改, and the 2 days may be extended 如有特殊情况.
    licence_breach = models.BooleanField(
        "违反本部门行政许可", default=False,
        help_text="当事人依法取得本部门行政许可后，未按许可规定的内容、范围、方式、期限等从事活动，"
                  "或已不再符合许可条件（二（四）3（1））")
    rectification_date = models.DateField("通知当事人整改日期", null=True, blank=True)
    rectification_content = models.TextField("整改通知内容", blank=True)
    rectification_by = _user_fk("整改通知登记人")
    extension_days = models.PositiveSmallIntegerField("延长移送时间（工作日）", null=True, blank=True)
    extension_reason = models.TextField("需要延长时间的特殊情况", blank=True)
    extended_due = models.DateField("延长后的应移送日期", null=True, blank=True, editable=False)
    extended_by = _user_fk("延长登记人")
    extended_date = models.DateField("延长登记日期", null=True, blank=True)
    # 二（四）3（5）: the bureau 第一时间到达现场.
    major_hazard = models.BooleanField(
        "重大安全隐患或必须立即停止违法行为", default=False,
        help_text="综合行政执法部门应当在第一时间到达现场（二（四）3（5））")
    arrived_at = models.DateTimeField("执法部门到达现场时间", null=True, blank=True)
    arrival_measures = models.TextField("到场后采取的制止措施", blank=True)
    arrival_recorded_by = _user_fk("到场登记人")
    # 二（四）3 案件移送的其他情形①: 历史遗留问题, settled by consultation before the transfer.
    historical_issue = models.BooleanField(
        "历史遗留问题", default=False,
        help_text="移送前，综合行政执法部门与相关行政管理部门应当进行充分协商，按照协商结果处理（二（四）3 案件移送的其他情形①）")
    consultation_date = models.DateField("协商日期", null=True, blank=True)
    consultation_parties = models.TextField("参加协商的单位和人员", blank=True)
    consultation_result = models.TextField("协商结果", blank=True)
    consultation_by = _user_fk("协商登记人")
    # 二（四）3（4）: the bureau's 行政处罚决定 抄告 the related department within 2 working days.
    penalty_notice_due = models.DateField("处罚决定应抄告日期", null=True, blank=True, editable=False)
    penalty_notified_date = models.DateField("处罚决定抄告日期", null=True, blank=True)
    penalty_notice = models.TextField("抄告内容", blank=True)
    penalty_notified_by = _user_fk("抄告人")

    history = HistoricalRecords(verbose_name="案件移送历史")

    class Meta:
        verbose_name = "案件移送"
        verbose_name_plural = "案件移送"
        ordering = ["-discovered_date", "-pk"]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        # The 2-day clock depends on the discovery date alone; keep it in step with that date.
        self.transfer_due = limits.safe_deadline(limits.transfer_deadline, self.discovered_date)
        self.extended_due = (limits.safe_deadline(limits.add_working_days, self.transfer_due, self.extension_days)
                             if self.extension_days else None)
        super().save(*args, **kwargs)

    @property
    def send_due(self) -> datetime.date | None:
        """Return the date the transfer must be sent by: the extended date when one is recorded (二（四）3（1）)."""
        return self.extended_due or self.transfer_due

    @property
    def to_bureau(self) -> bool:
        """Return True when a related department transfers to the enforcement bureau (the first series of 二（四）3)."""
        return bool(self.to_department_id and self.to_department.is_bureau and not self.from_department.is_bureau)

    def penalty_notice_status(self, today: datetime.date) -> str:
        """Return the 抄告 clock's status (二（四）3（4）), "" when no penalty decision is to be 抄告."""
        if self.penalty_notice_due is None:
            return ""
        return limits.status_of(self.penalty_notice_due, self.penalty_notified_date, today)

    @property
    def number(self) -> str:
        """Return the transfer's number: 移送 + year of discovery + sequence, e.g. 移〔2026〕0007."""
        year = self.discovered_date.year if self.discovered_date else ""
        return f"移〔{year}〕{self.pk or 0:04d}"

    @property
    def destination(self) -> str:
        """Return who receives the transfer, in words: the department, the judicial organ, or both."""
        parts = []
        if self.judicial_organ:
            parts.append(self.get_judicial_organ_display())
        if self.to_department_id:
            parts.append(self.to_department.name)
        return "／".join(parts) or "（未指定）"

    @property
    def judicial_priority(self) -> bool:
        """Return True for a case the bureau transferred to a judicial organ, which 应依法优先办理 (二（三）)."""
        return bool(self.judicial_organ) and self.from_department.is_bureau

    @property
    def accepted_date(self) -> datetime.date | None:
        """Return the day the receiver accepted the case (受理), or None when it has not (yet)."""
        accepted = self.status in (self.Status.ACCEPTED, self.Status.CLOSED) and not self.ruling
        return self.answered_date if accepted else None

    @property
    def receiver_on_portal(self) -> bool:
        """Return True when the receiver answers on the portal itself (a member department is named)."""
        return self.to_department_id is not None

    def send_status(self, today: datetime.date) -> str:
        return limits.status_of(self.send_due, self.sent_date, today)

    def answer_status(self, today: datetime.date) -> str:
        if not self.sent_date:
            return ""
        return limits.status_of(self.answer_due, self.answered_date, today)

    def has_required_materials(self) -> bool:
        return not limits.missing_materials({m.kind for m in self.materials.all()})


class TransferMaterial(models.Model):
    """A document carried by a transfer: 移送函, 案源材料, 证据材料 or other (二（四）3 移送的案件材料（1）—（4）)."""

    class Kind(models.TextChoices):
        LETTER = "letter", "涉嫌违法案件移送函"
        INSPECTION = "inspection", "案源材料：现场检查记录"
        COMPLAINT = "complaint", "案源材料：举报投诉材料"
        EVIDENCE = "evidence", "证据材料"
        APPRAISAL = "appraisal", "鉴定、检测结论"
        OTHER = "other", "其他材料"

    transfer = models.ForeignKey(CaseTransfer, verbose_name="案件移送", on_delete=models.CASCADE,
                                 related_name="materials")
    kind = models.CharField("材料类型", max_length=16, choices=Kind.choices)
    document = models.ForeignKey(get_document_model_string(), verbose_name="文件", on_delete=models.PROTECT,
                                 related_name="+")
    description = models.CharField("说明", max_length=200, blank=True)
    supplementary = models.BooleanField("补充材料", default=False)
    added_by = _user_fk("添加人")
    added_at = models.DateTimeField("添加时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="移送材料历史")

    class Meta:
        verbose_name = "移送材料"
        verbose_name_plural = "移送材料"
        ordering = ["added_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.document.title}"


class TransferEvent(models.Model):
    """One step on a transfer's timeline: who did what, for which department, when, and why."""

    transfer = models.ForeignKey(CaseTransfer, verbose_name="案件移送", on_delete=models.CASCADE,
                                 related_name="events")
    action = models.CharField("动作", max_length=32)
    label = models.CharField("环节", max_length=40)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    actor = _user_fk("办理人")
    actor_department = models.ForeignKey(DEPARTMENT, verbose_name="办理部门", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "移送环节记录"
        verbose_name_plural = "移送环节记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.label}"

    @property
    def to_status_label(self) -> str:
        return CaseTransfer.Status(self.to_status).label if self.to_status else ""


class TechnicalAppraisal(models.Model):
    """A 鉴定 or 检测 the related department commissions from a qualified body before it transfers the matter to
    the bureau (二（四）3（3）: 由该相关行政管理部门委托具备鉴定资质的机构负责鉴定和检测，…作出鉴定、检测结论后，
    移交给综合行政执法部门处理). The conclusion travels with the transfer."""

    class Kind(models.TextChoices):
        APPRAISAL = "appraisal", "鉴定"
        TESTING = "testing", "检测"

    transfer = models.ForeignKey(CaseTransfer, verbose_name="案件移送", on_delete=models.CASCADE,
                                 related_name="appraisals")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    items = models.TextField("鉴定、检测事项")
    institution = models.CharField("受委托机构", max_length=200)
    qualification = models.CharField("鉴定、检测资质", max_length=200, help_text="资质证书名称及编号")
    commissioned_date = models.DateField("委托日期")
    commissioned_by = _user_fk("委托登记人")
    conclusion = models.TextField("鉴定、检测结论", blank=True)
    conclusion_date = models.DateField("结论日期", null=True, blank=True)
    conclusion_by = _user_fk("结论登记人")
    handed_over_date = models.DateField("移交综合行政执法部门日期", null=True, blank=True)

    history = HistoricalRecords(verbose_name="鉴定、检测历史")

    class Meta:
        verbose_name = "鉴定、检测"
        verbose_name_plural = "鉴定、检测"
        ordering = ["commissioned_date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.items[:40]}（{self.institution}）"


class AssistanceRequest(models.Model):
    """The bureau asks a related department to 配合取证、认定、鉴定; the department provides the materials and its
    书面意见 within 2 working days, or tells the bureau in advance why it needs longer (二（四）3（1）-2: the （1） of
    the bureau's series: 须在2个工作日内提供相关材料，出具书面意见和相关证据材料…因特殊情况需延期的，应当事先告知)."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "配合取证"
        DETERMINATION = "determination", "认定"
        APPRAISAL = "appraisal", "鉴定"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待办理"
        DELAYED = "delayed", "已告知延期"
        ANSWERED = "answered", "已出具书面意见"

    bureau = models.ForeignKey(DEPARTMENT, verbose_name="请求部门（综合行政执法部门）", on_delete=models.PROTECT,
                               related_name="assistance_requested")
    department = models.ForeignKey(DEPARTMENT, verbose_name="配合部门", on_delete=models.PROTECT,
                                   related_name="assistance_received")
    kind = models.CharField("配合事项类型", max_length=16, choices=Kind.choices)
    subject = models.CharField("案件或事项", max_length=200)
    details = models.TextField("需要配合的内容")
    received_date = models.DateField("收到请求日期")
    due_date = models.DateField("应提供日期", null=True, blank=True, editable=False,
                                help_text="2个工作日内提供（二（四）3 综合行政执法部门发现违法行为（1））")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    requested_by = _user_fk("请求人")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    delay_reason = models.TextField("需延期的特殊情况", blank=True)
    delay_notified_date = models.DateField("告知延期日期", null=True, blank=True)
    delayed_due = models.DateField("延期后的提供日期", null=True, blank=True)
    delay_notified_by = _user_fk("告知人")
    opinion = models.TextField("书面意见", blank=True)
    document = models.ForeignKey(get_document_model_string(), verbose_name="相关证据材料", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    answered_date = models.DateField("出具日期", null=True, blank=True)
    answered_by = _user_fk("出具人")

    history = HistoricalRecords(verbose_name="配合请求历史")

    class Meta:
        verbose_name = "配合取证、认定、鉴定请求"
        verbose_name_plural = "配合取证、认定、鉴定请求"
        ordering = ["-received_date", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.subject}"

    def save(self, *args, **kwargs):
        self.due_date = limits.safe_deadline(limits.assistance_deadline, self.received_date)
        super().save(*args, **kwargs)

    @property
    def effective_due(self) -> datetime.date | None:
        """Return the date the materials are due by: the notified later date, else the 2-working-day limit."""
        return self.delayed_due or self.due_date

    def deadline_key(self, today: datetime.date) -> str:
        return limits.status_of(self.effective_due, self.answered_date, today)


# --- 首问负责 ---------------------------------------------------------------------------------

class ComplaintRecord(models.Model):
    """首问负责登记: a report, complaint or petition and how it was handled (二（四）4).

    The complainant's name and phone are personal data: they stay in this register,
    visible to the departments handling the matter, and are masked wherever the
    handling status is shared (``complaints.publish_handling``, 二（四）5（8）).
    """

    class Channel(models.TextChoices):
        # The same keys as portal.models.ComplaintHandlingPage.Channel.
        REPORT = "report", "举报"
        COMPLAINT = "complaint", "投诉"
        PETITION = "petition", "信访"

    class Classification(models.TextChoices):
        OWN = "own", "本部门办理"
        TRANSFER = "transfer", "移送有关部门"
        INFORM = "inform", "告知向有权机关反映"

    class Status(models.TextChoices):
        REGISTERED = "registered", "已登记"
        IN_PROGRESS = "in_progress", "办理中"
        CLOSED = "closed", "已办结"

    channel = models.CharField("来源渠道", max_length=16, choices=Channel.choices, default=Channel.COMPLAINT)
    received_date = models.DateField("受理日期")
    complainant_name = models.CharField("反映人姓名", max_length=60, blank=True, help_text="匿名举报可留空")
    complainant_phone = models.CharField("联系电话", max_length=40, blank=True)
    subject = models.CharField("事项摘要", max_length=200)
    content = models.TextField("反映内容")
    first_department = models.ForeignKey(DEPARTMENT, verbose_name="首问责任部门", on_delete=models.PROTECT,
                                         related_name="complaints_first_received")
    received_by = _user_fk("首问责任人")
    classification = models.CharField("分办类型", max_length=12, choices=Classification.choices, blank=True)
    preliminary_result = models.TextField("初步核实情况", blank=True)
    inform_where = models.CharField("告知去向", max_length=200, blank=True, help_text="有权处理的机关")
    transfer = models.ForeignKey(CaseTransfer, verbose_name="关联案件移送", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="complaints")
    transfer_due = models.DateField("应移送日期", null=True, blank=True,
                                    help_text="按照案件移送制度办理（二（四）4），2个工作日内移送（二（四）3）")
    closing_department = models.ForeignKey(DEPARTMENT, verbose_name="办结部门", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="complaints_closed")
    reply = models.TextField("答复当事人内容", blank=True)
    replied_date = models.DateField("答复日期", null=True, blank=True)
    closed_by = _user_fk("办结人")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.REGISTERED)
    published_page = models.ForeignKey("portal.ComplaintHandlingPage", verbose_name="共享信息页面", null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="首问负责登记历史")

    class Meta:
        verbose_name = "首问负责登记"
        verbose_name_plural = "首问负责登记"
        ordering = ["-received_date", "-pk"]

    def __str__(self):
        return f"{self.get_channel_display()}：{self.subject}"

    def transfer_status(self, today: datetime.date) -> str:
        """Return the 2-working-day status of a matter classified for transfer, "" for other classifications."""
        if self.classification != self.Classification.TRANSFER:
            return ""
        sent = self.transfer.sent_date if self.transfer_id else None
        return limits.status_of(self.transfer_due, sent, today)


class ComplaintConsultation(models.Model):
    """征求意见: the department handling a matter asks a related department's opinion, and its answer
    (二（四）4: 需征求相关行政管理部门意见的，相关行政管理部门要予以配合).

    The directive sets no time limit for the answer; the portal counts none.
    """

    record = models.ForeignKey(ComplaintRecord, verbose_name="首问负责登记", on_delete=models.CASCADE,
                               related_name="consultations")
    asking_department = models.ForeignKey(DEPARTMENT, verbose_name="征求意见部门", on_delete=models.PROTECT,
                                          related_name="+")
    department = models.ForeignKey(DEPARTMENT, verbose_name="被征求意见部门", on_delete=models.PROTECT,
                                   related_name="complaint_consultations")
    question = models.TextField("征求意见事项")
    asked_date = models.DateField("征求日期")
    asked_by = _user_fk("征求人")
    opinion = models.TextField("回复意见", blank=True)
    answered_date = models.DateField("回复日期", null=True, blank=True)
    answered_by = _user_fk("回复人")

    history = HistoricalRecords(verbose_name="征求意见历史")

    class Meta:
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"
        ordering = ["asked_date", "pk"]

    def __str__(self):
        return f"征求{self.department}意见：{self.question[:30]}"

    @property
    def answered(self) -> bool:
        return self.answered_date is not None


# --- 信息请求 ---------------------------------------------------------------------------------

class InformationRequest(models.Model):
    """A written request under 二（四）5, in one of its two directions:

    - 行政处罚数据材料: a related department asks the bureau, for 行业管理、统计分析、档案管理、上级督查考核等
      实际工作 (``purpose_kind``); the bureau 须在3个工作日内提供 and cannot refuse.
    - 查阅、复制相关材料: the bureau, 在查处违法行为时, asks a related department, which gives it free of
      charge (不得收取费用: there is no fee anywhere) and refuses only on a legal ground (除法定事由外不得拒绝).
      The directive sets no time limit for it: ``due_date`` stays empty.
    """

    class Kind(models.TextChoices):
        PENALTY_DATA = "penalty_data", "行政处罚数据材料"
        CONSULT_COPY = "consult_copy", "查阅、复制相关材料"

    class Purpose(models.TextChoices):
        # 二（四）5: 因行业管理、统计分析、档案管理、上级督查考核等实际工作 — the list ends in 等, hence 其他.
        INDUSTRY = "industry", "行业管理"
        STATISTICS = "statistics", "统计分析"
        ARCHIVES = "archives", "档案管理"
        INSPECTION = "inspection", "上级督查考核"
        OTHER = "other", "其他实际工作"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待答复"
        PROVIDED = "provided", "已提供"
        REFUSED = "refused", "已拒绝"
        WITHDRAWN = "withdrawn", "已撤回"

    requesting_department = models.ForeignKey(DEPARTMENT, verbose_name="请求部门", on_delete=models.PROTECT,
                                              related_name="info_requests_sent")
    requested_department = models.ForeignKey(DEPARTMENT, verbose_name="被请求部门", on_delete=models.PROTECT,
                                             related_name="info_requests_received")
    kind = models.CharField("请求类型", max_length=16, choices=Kind.choices)
    subject = models.CharField("请求事项", max_length=200)
    purpose_kind = models.CharField("用途", max_length=12, choices=Purpose.choices, blank=True,
                                    help_text="行政处罚数据材料：因行业管理、统计分析、档案管理、上级督查考核等实际工作（二（四）5）")
    purpose = models.TextField("用途说明", blank=True,
                               help_text="查阅、复制相关材料：写明正在查处的违法行为；用途为“其他实际工作”的，写明何种工作")
    received_date = models.DateField("收到请求日期")
    due_date = models.DateField("答复期限", null=True, blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    requested_by = _user_fk("请求人")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    answer_note = models.TextField("提供情况", blank=True)
    response_document = models.ForeignKey(get_document_model_string(), verbose_name="提供的文件", null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    refusal_ground = models.TextField("拒绝的法律依据", blank=True)
    refusal_reason = models.TextField("拒绝理由", blank=True)
    answered_by = _user_fk("答复人")
    answered_date = models.DateField("答复日期", null=True, blank=True)

    history = HistoricalRecords(verbose_name="信息请求历史")

    class Meta:
        verbose_name = "信息请求"
        verbose_name_plural = "信息请求"
        ordering = ["-received_date", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.subject}"

    def save(self, *args, **kwargs):
        # Only penalty data has a time limit (3 working days, 二（四）5); 查阅、复制 has none in the directive.
        if self.received_date and self.kind == self.Kind.PENALTY_DATA:
            self.due_date = limits.safe_deadline(limits.request_deadline, self.received_date, self.kind)
        else:
            self.due_date = None
        super().save(*args, **kwargs)

    @property
    def has_time_limit(self) -> bool:
        return self.kind == self.Kind.PENALTY_DATA

    @property
    def purpose_text(self) -> str:
        """Return the purpose in words: the directive's purpose (行业管理…) and the explanation, as given."""
        parts = [self.get_purpose_kind_display()] if self.purpose_kind else []
        if self.purpose:
            parts.append(self.purpose)
        return "：".join(parts)

    def deadline_key(self, today: datetime.date) -> str:
        if self.status == self.Status.WITHDRAWN or not self.has_time_limit:
            return ""
        return limits.status_of(self.due_date, self.answered_date, today)


# --- 行政执法与刑事司法衔接: 案情通报 ----------------------------------------------------------------

class CaseBriefing(models.Model):
    """案情通报 between the bureau and a judicial organ, either way (二（三）: 综合行政执法部门要与公安机关、检察机关、
    审判机关建立信息共享、案情通报、案件移送等制度), about a transferred case or any other; the receiver 签收.

    The directive sets no time limit for it; the portal counts none.
    """

    from_department = models.ForeignKey(DEPARTMENT, verbose_name="通报单位", on_delete=models.PROTECT,
                                        related_name="briefings_sent")
    to_department = models.ForeignKey(DEPARTMENT, verbose_name="被通报单位", on_delete=models.PROTECT,
                                      related_name="briefings_received")
    transfer = models.ForeignKey(CaseTransfer, verbose_name="关联案件移送", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="briefings")
    subject = models.CharField("通报事项", max_length=200)
    content = models.TextField("案情")
    briefed_date = models.DateField("通报日期")
    briefed_by = _user_fk("通报人")
    received_by = _user_fk("签收人")
    received_date = models.DateField("签收日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    history = HistoricalRecords(verbose_name="案情通报历史")

    class Meta:
        verbose_name = "案情通报"
        verbose_name_plural = "案情通报"
        ordering = ["-briefed_date", "-pk"]

    def __str__(self):
        return f"案情通报：{self.subject}"
