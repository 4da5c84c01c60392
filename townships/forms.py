"""Forms of the 镇（街道）综合执法 admin screens. They only collect input: the rules live in ``townships.rules``.

Texts the rules require (the case coordinated, findings, 组织不力 and its effect) are optional here on
purpose, so that a missing one is refused by the rule with the directive's words.
"""
from __future__ import annotations

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from portal import params
from portal.models import Department
from townships.models import JointAction, Township
from townships.rules import MAX_FOLLOW_UP_DAYS

FIRST_DAY, LAST_DAY = datetime.date(params.YEAR_MIN, 1, 1), datetime.date(params.YEAR_MAX, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), validators=[
        MinValueValidator(FIRST_DAY, f"日期不能早于 {FIRST_DAY:%Y-%m-%d}。"),
        MaxValueValidator(LAST_DAY, f"日期不能晚于 {LAST_DAY:%Y-%m-%d}。"),
    ])


def _text(label: str, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}),
                           help_text=help_text)


IdChoiceField, IdMultipleChoiceField = params.IdChoiceField, params.IdMultipleChoiceField


class AsciiIntegerField(forms.IntegerField):
    """An integer in ASCII digits only: Django's would read '٣' as 3 (portal.params reads numbers one way)."""

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text and not (text.isascii() and text.isdigit() and len(text) <= 6):
            raise forms.ValidationError("请用阿拉伯数字填写工作日数。", code="invalid")
        return super().to_python(value)


def stationed_units():
    """Return the departments whose stationed units may take part: every department but the townships' organs."""
    return Department.objects.filter(township__isnull=True)


class ActionForm(forms.Form):
    township = IdChoiceField(Township.objects.none(), label="镇（街道）", empty_label="—— 请选择 ——")
    title = forms.CharField(label="联合执法事项", max_length=150)
    matter = _text("统筹协调的案件或问题", help_text="镇（街道）综合执法办公室对辖区内重大、复杂案件统筹协调（二（四）2）")
    date = _date("执法日期")
    location = forms.CharField(label="执法地点", max_length=150, required=False)
    participants = IdMultipleChoiceField(
        Department.objects.none(), label="参加单位（派驻执法机构）", required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="辖区内综合行政执法、工商、食药、环保、国土、公安等部门派驻执法机构（二（二））")
    local_forces = forms.CharField(label="镇（街道）执法力量", max_length=200, required=False,
                                   help_text="镇（街道）安环办等执法力量（二（二））")
    other_forces = forms.CharField(label="其他参加力量", max_length=200, required=False,
                                   help_text="未在平台上的派驻执法机构")

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Township.objects.filter(pk__in=[t.pk for t in townships])
        if len(townships) == 1:
            self.fields["township"].initial = townships[0].pk
        self.fields["participants"].queryset = stationed_units()


class FindingsForm(forms.Form):
    findings = _text("发现的问题", rows=5)


class FollowUpForm(forms.Form):
    description = _text("后续事项", rows=3)
    responsible_department = IdChoiceField(Department.objects.none(), label="责任单位",
                                                    empty_label="—— 请选择 ——")
    working_days = AsciiIntegerField(label="办理时限（工作日）", min_value=1, max_value=MAX_FOLLOW_UP_DAYS,
                                      help_text="本意见未规定后续事项的期限，由镇（街道）综合执法办公室确定；按工作日计算")
    assigned_date = _date("交办日期")

    def __init__(self, *args, action: JointAction, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [*action.participants.values_list("pk", flat=True), action.township.department_id]
        self.fields["responsible_department"].queryset = Department.objects.filter(pk__in=ids)


class CompleteForm(forms.Form):
    note = _text("办理情况", rows=3)


class FlagForm(forms.Form):
    poor_organisation = _text("组织不力的情形", rows=3)
    adverse_effect = _text("对辖区内执法工作产生的不利影响", rows=3)


class NoteForm(forms.Form):
    note = _text("说明", rows=2)


class SquadronForm(forms.Form):
    name = forms.CharField(label="中队名称", max_length=60)
    bureau = IdChoiceField(Department.objects.filter(is_bureau=True), label="所属（业务指导）单位",
                                    empty_label=None)
    township = IdChoiceField(Township.objects.filter(kind__in=(Township.Kind.TOWN,
                                                                        Township.Kind.SUBDISTRICT)),
                                      label="派驻镇（街道）", empty_label="—— 请选择 ——")
    stationed_since = _date("派驻日期", required=False)
    note = _text("备注", rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].queryset = Department.objects.filter(is_bureau=True)
        self.fields["township"].queryset = Township.objects.filter(
            kind__in=(Township.Kind.TOWN, Township.Kind.SUBDISTRICT))
