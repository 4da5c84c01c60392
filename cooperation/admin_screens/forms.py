"""Forms of the admin screens. They only collect input: the rules live in the state modules.

Fields the rules check (reasons, replies, legal grounds) are optional here on purpose,
so that a missing one is refused by the function with the directive's own words.
"""
from __future__ import annotations

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from cooperation.models import (
    CONVENER_GROUP,
    VICE_CONVENER_GROUP,
    AssistanceRequest,
    CaseTransfer,
    ComplaintRecord,
    InformationRequest,
    JointMeeting,
    MeetingTopic,
    TechnicalAppraisal,
    TransferMaterial,
)
from portal import params
from portal.models import Department, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# The years a date of the working systems can have (portal.params): a date in 9999 overflows the first
# time limit counted from it.
FIRST_DAY, LAST_DAY = datetime.date(params.YEAR_MIN, 1, 1), datetime.date(params.YEAR_MAX, 12, 31)


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text, validators=[
        MinValueValidator(FIRST_DAY, f"日期不能早于 {FIRST_DAY:%Y-%m-%d}。"),
        MaxValueValidator(LAST_DAY, f"日期不能晚于 {LAST_DAY:%Y-%m-%d}。"),
    ])


def _text(label: str, required: bool = False, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}),
                           help_text=help_text)


def _departments(queryset=None, label="部门", required=True, empty_label="—— 请选择 ——") -> params.IdChoiceField:
    return params.IdChoiceField(queryset if queryset is not None else Department.objects.all(), label=label,
                                  required=required, empty_label=empty_label)


class ChoiceByUserMixin:
    """Limit the fields listed in ``own_department_fields`` to the departments the user acts for."""

    own_department_fields: tuple[str, ...] = ()

    def limit_to(self, departments):
        ids = [d.pk for d in departments]
        for name in self.own_department_fields:
            self.fields[name].queryset = Department.objects.filter(pk__in=ids)
            if len(ids) == 1:
                self.fields[name].initial = ids[0]


class NoteForm(forms.Form):
    note = _text("意见或说明", rows=3)


class RequiredNoteForm(forms.Form):
    note = _text("理由", rows=3)


# --- 联席会议 ------------------------------------------------------------------------------------

class UserChoiceField(params.IdChoiceField):
    def label_from_instance(self, user):
        department = f"（{user.department.display_name}）" if user.department_id else ""
        return f"{user.get_full_name()}{department}"


def _conveners():
    return User.objects.filter(is_active=True, groups__name=CONVENER_GROUP).order_by("last_name", "first_name")


def _vice_conveners():
    return User.objects.filter(is_active=True, groups__name=VICE_CONVENER_GROUP).order_by("last_name", "first_name")


def _members():
    return Department.objects.filter(is_member=True)


def _non_members():
    return Department.objects.filter(is_member=False)


class _OfficersForm(forms.Form):
    """The fields a routine and a special meeting share: date, place, conveners, invited units."""

    title = forms.CharField(label="会议名称", max_length=120)
    date = _date("会议日期")
    location = forms.CharField(label="会议地点", max_length=120, required=False)
    convener = UserChoiceField(_conveners(), label="召集人",
                               help_text="区政府分管副区长或受委托的区政府办公室副主任任召集人（二（四）1）；"
                                         "可选的是“联席会议召集人”组的成员")
    convener_capacity = forms.ChoiceField(label="召集人身份", choices=JointMeeting.Capacity.choices)
    vice_convener = UserChoiceField(_vice_conveners(), label="副召集人", required=False,
                                    help_text="区综合行政执法局局长任副召集人（二（四）1）；留空即为登记的副召集人")
    invited = params.IdMultipleChoiceField(_non_members(), label="邀请参加单位", required=False,
                                             help_text="可视情况邀请其他相关单位参加（二（四）1）；成员单位无需邀请")
    agenda_note = _text("议程说明", rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convener"].queryset = _conveners()
        self.fields["vice_convener"].queryset = _vice_conveners()
        self.fields["invited"].queryset = _non_members()


class MeetingForm(_OfficersForm):
    """A 例行会议: every half year, all member units participating (二（四）1)."""

    topics_open_date = _date("议题征集开始日期", help_text="办公室于会前5个工作日向各成员单位征集议题（二（四）1）")
    field_order = ["title", "date", "topics_open_date", "location", "convener", "convener_capacity", "vice_convener",
                   "invited", "agenda_note"]


class SpecialMeetingForm(_OfficersForm):
    """A 专题会议, called on approved topics with the units chosen for them (二（四）1)."""

    topics = params.IdMultipleChoiceField(MeetingTopic.objects.none(), label="已审定的专题议题",
                                            widget=forms.CheckboxSelectMultiple)
    participants = params.IdMultipleChoiceField(_members(), label="参加单位", required=False,
                                                  help_text="根据议题情况确定参加单位（二（四）1）；提出议题的单位总是参加")
    field_order = ["topics", "title", "date", "location", "convener", "convener_capacity", "vice_convener",
                   "participants", "invited", "agenda_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = MeetingTopic.objects.filter(
            for_special=True, meeting__isnull=True, status=MeetingTopic.Status.ADOPTED).select_related("department")
        self.fields["participants"].queryset = _members()


class TopicForm(ChoiceByUserMixin, forms.Form):
    own_department_fields = ("department",)
    department = _departments(label="提出单位")
    title = forms.CharField(label="议题", max_length=150)
    description = _text("议题说明", help_text="议题的内容和理由")
    background = _text("背景材料")
    opinion = _text("初步意见", rows=3)


class CoordinationForm(forms.Form):
    note = _text("初步协调情况", rows=3, help_text="协调解决的：写明协调结果；难以解决的：写明原因，报召集人、副召集人审定（二（四）1）")


class TopicDecisionForm(forms.Form):
    note = _text("审定意见", rows=2)


class MinutesForm(forms.Form):
    number = forms.CharField(label="纪要编号", max_length=60, required=False)
    attendees = _text("出席单位和人员", rows=2)
    content = _text("议定事项", rows=8, help_text="会议确定、交办的各项工作，写明承办单位和完成时限")


class TaskForm(forms.Form):
    title = forms.CharField(label="交办事项", max_length=200)
    responsible_department = _departments(label="承办单位")
    due_date = _date("完成时限")


class TaskCompleteForm(forms.Form):
    note = _text("办理情况", help_text="书面报告办理情况")


class TaskDelayForm(forms.Form):
    reason = _text("未能按期办结的理由和下一步措施")


# --- 案件移送 ------------------------------------------------------------------------------------

class TransferForm(ChoiceByUserMixin, forms.Form):
    own_department_fields = ("from_department",)
    from_department = _departments(label="移送部门")
    title = forms.CharField(label="案由", max_length=200)
    to_department = _departments(label="接收部门", required=False, empty_label="（无：移送平台外的司法机关）")
    judicial_organ = forms.ChoiceField(label="司法机关", required=False,
                                       choices=[("", "（不是移送司法机关）")] + CaseTransfer.JudicialOrgan.choices)
    suspected_crime = forms.BooleanField(label="涉嫌犯罪", required=False,
                                         help_text="涉嫌犯罪的，应当及时移交司法机关，不得以罚代刑（二（三））；"
                                                   "接收部门只能是该司法机关本身，不得再移送其他部门（二（四）3 案件移送的其他情形②）")
    case_type = forms.ChoiceField(label="案件类型", choices=CaseTransfer.CaseType.choices, initial="general",
                                  help_text="以暴力、威胁方法阻碍依法行使综合行政执法权的，由公安机关及时依法作出处理（二（四）6），只能移交区公安分局")
    party = forms.CharField(label="当事人", max_length=120, required=False)
    facts = _text("案件情况", rows=5, help_text="违法行为的时间、地点、基本事实及不属本部门管辖的理由")
    discovered_date = _date("发现日期", help_text="应在2个工作日内移送（二（四）3）")
    licence_breach = forms.BooleanField(label="违反本部门行政许可", required=False,
                                        help_text=CaseTransfer._meta.get_field("licence_breach").help_text)
    major_hazard = forms.BooleanField(label="重大安全隐患或必须立即停止违法行为", required=False,
                                      help_text=CaseTransfer._meta.get_field("major_hazard").help_text)
    historical_issue = forms.BooleanField(label="历史遗留问题", required=False,
                                          help_text=CaseTransfer._meta.get_field("historical_issue").help_text)


class TransferEditForm(TransferForm):
    """The edit form: the sending department is fixed once drafted."""

    own_department_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["from_department"]


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=TransferMaterial.Kind.choices)
    file = forms.FileField(label="文件")
    description = forms.CharField(label="说明", max_length=200, required=False)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label="决定", widget=forms.RadioSelect,
                                 choices=[("accept", "受理"), ("reject", "不予受理")])
    reasons = _text("答复意见和理由", help_text="不予受理的，应当书面告知移送部门并说明理由（二（四）3）")


class MaterialsRequestForm(forms.Form):
    request = _text("需要补充的材料", rows=3)
    days = forms.IntegerField(label="补充期限（工作日）", min_value=1, max_value=30, initial=3)


class DisputeForm(forms.Form):
    kind = forms.ChoiceField(label="争议类型", choices=CaseTransfer.DisputeKind.choices)
    arbiter = _departments(label="协调确定机关", empty_label="—— 区编办或区政府法制办 ——")
    reason = _text("争议理由")


class RulingForm(forms.Form):
    ruling = forms.ChoiceField(label="裁定结果", choices=CaseTransfer.Ruling.choices)
    text = _text("裁定意见")


class CloseTransferForm(forms.Form):
    outcome = forms.ChoiceField(label="处理结果类型", choices=CaseTransfer.Outcome.choices)
    result = _text("处理结果")


class RectificationForm(forms.Form):
    notified = _date("通知当事人整改日期")
    content = _text("整改通知内容", help_text="应当通知当事人整改（二（四）3（1））")


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长时间（工作日）", min_value=1, max_value=30, initial=2,
                              help_text="如有特殊情况需要延长时间的，可适当延长（二（四）3（1））")
    reason = _text("需要延长时间的特殊情况")


class ConsultationForm(forms.Form):
    held = _date("协商日期")
    parties = _text("参加协商的单位和人员", rows=2)
    result = _text("协商结果", help_text="按照协商结果处理（二（四）3 案件移送的其他情形①）")


class AppraisalForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=TechnicalAppraisal.Kind.choices)
    items = _text("鉴定、检测事项", rows=2)
    institution = forms.CharField(label="受委托机构", max_length=200, required=False)
    qualification = forms.CharField(label="鉴定、检测资质", max_length=200, required=False,
                                    help_text="资质证书名称及编号（二（四）3（3）：具备鉴定资质的机构）")
    commissioned = _date("委托日期")


class ConclusionForm(forms.Form):
    appraisal = params.IdChoiceField(TechnicalAppraisal.objects.none(), label="鉴定、检测", empty_label="—— 请选择 ——")
    conclusion = _text("鉴定、检测结论")
    concluded = _date("结论日期")
    file = forms.FileField(label="鉴定、检测报告", required=False)

    def __init__(self, *args, transfer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if transfer is not None:
            self.fields["appraisal"].queryset = transfer.appraisals.filter(conclusion_date__isnull=True)


class ArrivalForm(forms.Form):
    arrived_at = forms.DateTimeField(label="到达现场时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                                   format="%Y-%m-%dT%H:%M"),
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    measures = _text("采取的制止措施", help_text="在相关行政管理部门配合、协助下采取有效措施制止该违法行为（二（四）3（5））")


class PenaltyNoticeForm(forms.Form):
    notice = _text("抄告内容", help_text="处罚决定书文号及处罚内容；2个工作日内抄告相关行政管理部门（二（四）3（4））")


class AssistanceForm(ChoiceByUserMixin, forms.Form):
    own_department_fields = ("bureau",)
    bureau = _departments(Department.objects.filter(is_bureau=True), label="请求部门（综合行政执法部门）")
    department = _departments(label="配合部门")
    kind = forms.ChoiceField(label="配合事项类型", choices=AssistanceRequest.Kind.choices)
    subject = forms.CharField(label="案件或事项", max_length=200)
    details = _text("需要配合的内容")
    received_date = _date("送达日期", help_text="配合部门须在2个工作日内提供相关材料，出具书面意见（二（四）3 综合行政执法部门发现违法行为（1））")

    def limit_to(self, departments):
        ids = [d.pk for d in departments if d.is_bureau]
        self.fields["bureau"].queryset = Department.objects.filter(pk__in=ids)
        if len(ids) == 1:
            self.fields["bureau"].initial = ids[0]


class AssistanceDelayForm(forms.Form):
    new_due = _date("延期后的提供日期")
    reason = _text("需延期的特殊情况", help_text="因特殊情况需延期的，应当事先告知")


class AssistanceAnswerForm(forms.Form):
    opinion = _text("书面意见")
    file = forms.FileField(label="相关证据材料", required=False)
    vouched = forms.BooleanField(label="本部门对材料的真实性、准确性负责", required=False)


# --- 首问负责 ------------------------------------------------------------------------------------

class ComplaintForm(ChoiceByUserMixin, forms.Form):
    own_department_fields = ("first_department",)
    first_department = _departments(label="首问责任部门")
    channel = forms.ChoiceField(label="来源渠道", choices=ComplaintRecord.Channel.choices)
    received_date = _date("受理日期")
    complainant_name = forms.CharField(label="反映人姓名", max_length=60, required=False, help_text="匿名举报可留空")
    complainant_phone = forms.CharField(label="联系电话", max_length=40, required=False)
    subject = forms.CharField(label="事项摘要", max_length=200)
    content = _text("反映内容", rows=5)


class ComplaintEditForm(ComplaintForm):
    own_department_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["first_department"]


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(label="分办类型", widget=forms.RadioSelect,
                                       choices=ComplaintRecord.Classification.choices)
    preliminary_result = _text("初步核实情况", help_text="应当先进行初步调查核实（二（四）4）")
    inform_where = forms.CharField(label="告知去向", max_length=200, required=False,
                                   help_text="告知当事人向哪个有权的机关提出")


class DraftTransferForm(forms.Form):
    to_department = _departments(label="接收部门")


class LinkTransferForm(forms.Form):
    transfer = params.IdChoiceField(CaseTransfer.objects.none(), label="案件移送", empty_label="—— 请选择 ——")

    def __init__(self, *args, first_department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transfer"].queryset = CaseTransfer.objects.filter(from_department=first_department)


class CloseComplaintForm(forms.Form):
    """The reply of the 最终办结部门: the department is the one the record says (``complaints.final_department``)."""

    reply = _text("答复当事人内容", rows=4, help_text="由最终办结部门负责答复（二（四）4）")
    replied_date = _date("答复日期", required=False)


class ConsultForm(forms.Form):
    department = _departments(label="征求意见部门")
    question = _text("征求意见事项", rows=4, help_text="需征求相关行政管理部门意见的，相关行政管理部门要予以配合（二（四）4）")


class OpinionForm(forms.Form):
    opinion = _text("回复意见", rows=4)


# --- 信息请求 ------------------------------------------------------------------------------------

class RequestForm(ChoiceByUserMixin, forms.Form):
    own_department_fields = ("requesting_department",)
    requesting_department = _departments(label="请求部门")
    requested_department = _departments(label="被请求部门")
    kind = forms.ChoiceField(label="请求类型", choices=InformationRequest.Kind.choices,
                             help_text="行政处罚数据材料：相关行政管理部门向综合行政执法部门提出，3个工作日内提供；"
                                       "查阅、复制相关材料：综合行政执法部门查处违法行为时向相关行政管理部门提出，不得收取费用（二（四）5）")
    subject = forms.CharField(label="请求事项", max_length=200)
    purpose_kind = forms.ChoiceField(label="用途（行政处罚数据材料）", required=False,
                                     choices=[("", "—— 请选择 ——")] + InformationRequest.Purpose.choices,
                                     help_text="因行业管理、统计分析、档案管理、上级督查考核等实际工作（二（四）5）")
    purpose = _text("用途说明", rows=3, help_text="查阅、复制相关材料：写明正在查处的违法行为；用途为“其他实际工作”的，写明何种工作")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bureau = Department.objects.filter(is_bureau=True).first()
        if bureau:
            self.fields["requested_department"].initial = bureau.pk


class ProvideForm(forms.Form):
    note = _text("提供情况", rows=3)
    file = forms.FileField(label="提供的文件", required=False)


class RefuseForm(forms.Form):
    ground = _text("拒绝的法律依据", rows=2, help_text="除法定事由外不得拒绝（二（四）5）")
    reason = _text("拒绝理由", rows=3)


# --- 案情通报 ------------------------------------------------------------------------------------

class BriefingForm(ChoiceByUserMixin, forms.Form):
    own_department_fields = ("from_department",)
    from_department = _departments(label="通报单位")
    to_department = _departments(label="被通报单位")
    transfer = params.IdChoiceField(CaseTransfer.objects.none(), label="关联案件移送", required=False,
                                      empty_label="（不关联）")
    subject = forms.CharField(label="通报事项", max_length=200)
    content = _text("案情", rows=5)

    def __init__(self, *args, transfers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_department"].help_text = "区综合行政执法局与区公安分局、区检察院、区法院之间（二（三））"
        if transfers is not None:
            self.fields["transfer"].queryset = transfers
