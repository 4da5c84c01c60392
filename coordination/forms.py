"""Forms of the coordination screens. They only collect input: the rules live in ``disputes`` and ``accountability``
(fields the rules check are optional here, so that a missing one is refused in the directive's words)."""
from __future__ import annotations

from django import forms

from cooperation.admin_screens.forms import _date, _departments, _text
from coordination.models import AccountabilityCase, Dispute
from portal import params
from portal.models import Department
from portal.walls.coordination import COORDINATOR_CODES


def _parties():
    return Department.objects.exclude(code__in=COORDINATOR_CODES)


class DisputeForm(forms.Form):
    department = _departments(label="提出部门")
    others = params.IdMultipleChoiceField(_parties(), label="争议其他各方", required=False, widget=forms.CheckboxSelectMultiple)
    kind = forms.ChoiceField(label="争议类型", choices=Dispute.Kind.choices)
    title = forms.CharField(label="争议事项", max_length=200, required=False)
    facts = _text("争议情况", help_text="争议的事项、各方的意见和理由")

    def limit_to(self, departments):
        ids = [d.pk for d in departments]
        self.fields["department"].queryset = Department.objects.filter(pk__in=ids)
        if len(ids) == 1:
            self.fields["department"].initial = ids[0]
        self.fields["others"].queryset = _parties()


class TransferDisputeForm(forms.Form):
    reason = _text("争议情况", help_text="管辖争议的理由；双方应充分协商（二（四）3 案件移送的其他情形③）")


class ConsultationForm(forms.Form):
    department = _departments(label="记录部门")
    date = _date("协商日期")
    note = _text("协商情况", help_text="协商的方式、参加人员和各方意见")

    def limit_to(self, departments):
        self.fields["department"].queryset = Department.objects.filter(pk__in=[d.pk for d in departments])


class SettleForm(forms.Form):
    competent_department = _departments(label="协商确定的管辖／监管部门")
    settlement = _text("协商结果")


class ReferForm(forms.Form):
    reason = _text("协商未果的情况")


class OpinionForm(forms.Form):
    coordinator = _departments(Department.objects.filter(code__in=COORDINATOR_CODES), label="协调机关")
    competent_department = _departments(label="认定的管辖／监管部门", required=False,
                                        empty_label="—— 无法认定 ——")
    text = _text("意见")

    def limit_to(self, departments):
        ids = [d.pk for d in departments if d.code in COORDINATOR_CODES]
        self.fields["coordinator"].queryset = Department.objects.filter(pk__in=ids)
        if len(ids) == 1:
            self.fields["coordinator"].initial = ids[0]


class ProposalForm(OpinionForm):
    competent_department = _departments(label="建议的管辖／监管部门", required=False, empty_label="—— 不指定 ——")


class DecisionForm(forms.Form):
    number = forms.CharField(label="区政府决定文号", max_length=80, required=False)
    competent_department = _departments(label="决定的管辖／监管部门")
    decision = _text("区政府决定")


class CaseForm(forms.Form):
    source = forms.ChoiceField(label="案件来源", choices=AccountabilityCase.Source.choices)
    department = _departments(label="责任单位")
    title = forms.CharField(label="事由", max_length=200, required=False)
    facts = _text("事实")
    consequences = _text("影响及后果", help_text="二（四）7：影响工作造成重大损失或严重后果的，依法追究责任")


class CandidateCaseForm(forms.Form):
    facts = _text("事实")
    consequences = _text("影响及后果", help_text="二（四）7：影响工作造成重大损失或严重后果的，依法追究责任")


class HandleForm(forms.Form):
    consequences = _text("影响及后果（重大损失或严重后果）")
    handling = _text("处理情况", help_text="按照《周村区综合行政执法责任追究实施办法》的相关规定（二（四）7）")


class DismissForm(forms.Form):
    reason = _text("不予追究的理由")
