"""Enforcement records: decisions, penalties, statistics, inspections, bulletins, complaints, other.

A 行政许可 may not be granted to a party while the licensing department's transfer against that party waits for
the bureau's decision (周政办字〔2018〕18号 二（四）3（4）). The rule lives with the transfers (cooperation), which
register it here (``register_licence_hold``: portal imports nothing of cooperation); ``LicenceDecisionPage``
asks it when its form is submitted or published and again when a revision is published.
"""
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from lib.masking import mask_for_public
from lib.periods import select_periods
from portal.models.metadata import Category, SharedInfoPage, SharedInfoPageForm
from portal.walls.access import is_staff_member


class EnforcementRecordPage(SharedInfoPage):
    """Common ground of the record types: a rich-text body under the metadata."""

    body = RichTextField("正文", blank=True)

    search_fields = SharedInfoPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.CategoryIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False
    template = "portal/record_page.html"
    detail_fields: list[str] = []  # the type's own fields, shown under the metadata block

    class Meta:
        abstract = True

    def detail_rows(self) -> list[tuple[str, str]]:
        """Return (label, display value) for the type's own fields, skipping empty ones."""
        return [(label, value) for _name, label, value in self._detail_values()]

    def _detail_values(self) -> list[tuple[str, str, str]]:
        rows = []
        for name in self.detail_fields:
            field = self._meta.get_field(name)
            if getattr(field, "choices", None):
                value = getattr(self, f"get_{name}_display")()
            else:
                value = getattr(self, name)
            if value not in (None, ""):
                rows.append((name, field.verbose_name, str(value)))
        return rows

    # Whether the page tells the public that its texts are masked even when nothing needed masking.
    masks_personal_data = False
    # The fields that name the party a record is about (a natural person's name is masked wherever it occurs).
    person_name_fields: tuple[str, ...] = ()

    def record_for(self, public: bool) -> dict:
        """Return what the record page shows: title, summary, detail rows and body HTML, masked when ``public``.

        The body is expanded to HTML first and masked as HTML, so links and
        attributes cannot carry an ID or phone number past the masking.
        """

        texts = {"title": self.title, "summary": self.summary or "", "body": expand_db_html(self.body or "")}
        rows = self._detail_values()
        changed = False
        if public:
            shown = texts | {f"detail:{name}": value for name, _label, value in rows}
            masked = self.mask_for_public(shown)
            changed = masked != shown
            texts = {key: masked[key] for key in texts}
            rows = [(name, label, masked[f"detail:{name}"]) for name, label, _value in rows]
        return {
            "title": texts["title"],
            "summary": texts["summary"],
            "body_html": mark_safe(texts["body"]),  # noqa: S308 - rich text from the editor, masked, not user input
            "detail_rows": [(label, value) for _name, label, value in rows],
            "masked": public and (self.masks_personal_data or changed),
        }

    def mask_for_public(self, values: dict[str, str]) -> dict[str, str]:
        """Return the texts as the public reads them: ``lib.masking.mask_for_public``, the one privacy rule."""

        return mask_for_public(self, values)

    def get_template(self, request, *args, **kwargs):
        # Wagtail names a template for every concrete page class (portal/penalty_decision_page.html …), so the
        # ``template`` set above never reaches the subclasses: fall back to it when the type has none of its own.
        return [super().get_template(request, *args, **kwargs), "portal/record_page.html"]

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        # Staff who may open the page see it as recorded; everyone else (the public) sees it masked.
        public = not is_staff_member(getattr(request, "user", None))
        context["public_view"] = public
        context["record"] = self.record_for(public)
        return context


# (department, party) -> the Chinese refusal, or "" when nothing holds the licence.
LicenceHold = Callable[[object, str], str]
_licence_holds: list[LicenceHold] = []


class LicenceHeld(ValidationError):
    """A 行政许可 publish refused while a hold stands (二（四）3（4）); ``text`` is the Chinese reason.

    Raised by ``LicenceDecisionPage.publish`` on every way to publish; the admin turns it into a message on
    the page's edit screen (``portal.walls.admin_doors.LicenceHeldMiddleware``) and the scheduler postpones
    a scheduled publish it would stop (``jobs.table.publish_scheduled``), so neither ends in a server error.
    """

    def __init__(self, page, text: str):
        super().__init__({"applicant": text})
        self.page, self.text = page, text


def register_licence_hold(check: LicenceHold) -> None:
    """Register a check asked before a licence is granted (the transfers' hold of 二（四）3（4））."""
    if check not in _licence_holds:
        _licence_holds.append(check)


class LicenceDecisionForm(SharedInfoPageForm):
    """The licence decision's admin form: submitting or publishing a 行政许可 is refused while a hold stands.

    A draft may be saved (recording an application is not granting it); the hold is asked on every other action.
    """

    def clean(self):
        cleaned = super().clean()
        if not self.is_deferred_validation:
            department = cleaned.get("department") or getattr(self.instance, "department", None)
            message = LicenceDecisionPage.hold_message(department, cleaned.get("decision_kind"),
                                                       cleaned.get("applicant") or "")
            if message:
                self.add_error("applicant", message)
        return cleaned


class LicenceDecisionPage(EnforcementRecordPage):
    category_value = Category.DECISIONS

    class Kind(models.TextChoices):
        LICENCE = "licence", "行政许可"
        FILING = "filing", "备案"
        CONFIRMATION = "confirmation", "确认"

    detail_fields = ["decision_kind", "licence_number", "applicant", "matter", "valid_until"]
    decision_kind = models.CharField("决定类别", max_length=20, choices=Kind.choices, default=Kind.LICENCE)
    applicant = models.CharField("申请人/相对人", max_length=200)
    matter = models.CharField("事项名称", max_length=200)
    licence_number = models.CharField("许可/备案编号", max_length=100, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)

    content_panels = SharedInfoPage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("decision_kind"), FieldPanel("licence_number")]),
                FieldRowPanel([FieldPanel("applicant"), FieldPanel("matter")]),
                FieldPanel("valid_until"),
            ],
            heading="决定信息",
        ),
        FieldPanel("body"),
    ]
    search_fields = EnforcementRecordPage.search_fields + [
        index.SearchField("applicant"),
        index.SearchField("matter"),
        index.SearchField("licence_number"),
    ]
    is_creatable = True
    person_name_fields = ("applicant",)
    base_form_class = LicenceDecisionForm

    class Meta:
        verbose_name = "行政许可、备案、确认决定"
        verbose_name_plural = "行政许可、备案、确认决定"

    @staticmethod
    def hold_message(department, decision_kind: str, applicant: str) -> str:
        """Return why ``department`` may not grant ``applicant`` a 行政许可 now, or "" (备案、确认 are not held)."""
        if decision_kind != LicenceDecisionPage.Kind.LICENCE or department is None:
            return ""
        return next((m for m in (check(department, applicant) for check in _licence_holds) if m), "")

    def publish(self, revision, *args, **kwargs):
        # Every way to publish (the editor, a workflow approval, scheduled publishing) ends here.
        page = revision.as_object()
        message = self.hold_message(page.department, page.decision_kind, page.applicant)
        if message:
            raise LicenceHeld(self, message)
        return super().publish(revision, *args, **kwargs)

    def held_revision_message(self, revision) -> str:
        """Return why ``revision`` may not be published now, or "" (the check ``publish`` makes)."""
        page = revision.as_object()
        return self.hold_message(page.department, page.decision_kind, page.applicant)


def penalty_slug(index_number: str) -> str:
    """Return a penalty decision's slug from its 索引号: ZHZF/2026-00012 -> penalty-zhzf-2026-00012."""

    return "penalty-" + slugify(index_number.replace("/", "-"))


class PenaltyDecisionPage(EnforcementRecordPage):
    """A penalty or coercive-measure decision and how it was carried out; the 当事人 block is masked for the public."""

    category_value = Category.PENALTIES

    class Kind(models.TextChoices):
        PENALTY = "penalty", "行政处罚"
        COERCION = "coercion", "行政强制"

    class PartyKind(models.TextChoices):
        PERSON = "person", "自然人"
        ORGANISATION = "organisation", "法人或其他组织"

    detail_fields = ["decision_kind", "party_kind", "party_name", "legal_representative", "party_id_number",
                     "party_address", "party_phone", "facts", "basis", "decision", "fine_amount", "execution_status"]
    decision_kind = models.CharField("决定类别", max_length=20, choices=Kind.choices, default=Kind.PENALTY)
    party_kind = models.CharField("当事人类型", max_length=20, choices=PartyKind.choices, default=PartyKind.PERSON)
    party_name = models.CharField("当事人", max_length=200)
    party_id_number = models.CharField("身份证号/统一社会信用代码", max_length=40, blank=True)
    party_address = models.CharField("住所/地址", max_length=300, blank=True)
    party_phone = models.CharField("联系电话", max_length=40, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=100, blank=True)
    facts = models.TextField("违法事实", blank=True)
    basis = models.TextField("处罚依据", blank=True)
    decision = models.TextField("处理决定", blank=True)
    fine_amount = models.DecimalField("罚没金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    execution_status = models.TextField("执行情况", blank=True)

    content_panels = SharedInfoPage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("party_kind"), FieldPanel("party_name")]),
                FieldRowPanel([FieldPanel("party_id_number"), FieldPanel("legal_representative")]),
                FieldRowPanel([FieldPanel("party_address"), FieldPanel("party_phone")]),
            ],
            heading="当事人",
        ),
        FieldPanel("decision_kind"),
        FieldPanel("facts"),
        FieldPanel("basis"),
        FieldPanel("decision"),
        FieldPanel("fine_amount"),
        FieldPanel("execution_status"),
        FieldPanel("body"),
    ]
    search_fields = EnforcementRecordPage.search_fields + [
        index.SearchField("party_name"),
        index.SearchField("facts"),
        index.SearchField("basis"),
        index.SearchField("decision"),
    ]
    is_creatable = True
    masks_personal_data = True
    person_name_fields = ("party_name", "legal_representative")

    def save(self, *args, **kwargs):
        # The admin derives the slug from the title, which names the party (…决定书（张三占道经营案）):
        # a URL must not publish a name. A slug that is not plain ASCII becomes penalty-<索引号>.
        update_fields = kwargs.get("update_fields")
        if (update_fields is None or "slug" in update_fields) and self.department_id \
                and not (self.slug or "").isascii():

            with transaction.atomic():
                if not self.index_number:
                    self.index_number = self._generate_index_number()
                self.slug = penalty_slug(self.index_number)
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)

    class Meta:
        verbose_name = "行政处罚、行政强制决定"
        verbose_name_plural = "行政处罚、行政强制决定"


class StatisticsPage(EnforcementRecordPage):
    """Statistics and analysis: a data table, drawn as a chart on the public page."""

    category_value = Category.STATISTICS

    class ChartKind(models.TextChoices):
        BAR = "bar", "柱状图"
        LINE = "line", "折线图"
        PIE = "pie", "饼图"

    detail_fields = ["period"]
    template = "portal/statistics_page.html"
    period = models.CharField("统计期间", max_length=100)
    chart_kind = models.CharField("图表类型", max_length=10, choices=ChartKind.choices, default=ChartKind.BAR)
    data = StreamField([("table", TableBlock(label="数据表"))], verbose_name="统计数据", blank=True, max_num=1)

    content_panels = SharedInfoPage.content_panels + [
        FieldRowPanel([FieldPanel("period"), FieldPanel("chart_kind")]),
        FieldPanel("data"),
        FieldPanel("body"),
    ]
    search_fields = EnforcementRecordPage.search_fields + [index.SearchField("period")]
    is_creatable = True

    class Meta:
        verbose_name = "统计分析数据"
        verbose_name_plural = "统计分析数据"

    def table_rows(self) -> list[list[str]]:
        """Return the data table as rows of cells, header row first (empty if there is no table)."""
        for block in self.data:
            return [list(row) for row in block.value.get("data", [])]
        return []

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        # ?from=3月&to=6月: the chart and the table show the same chosen rows.
        context["stats"] = select_periods(self.table_rows(), request.GET.get("from"), request.GET.get("to"))
        return context


class InspectionRecordPage(EnforcementRecordPage):
    category_value = Category.INSPECTIONS

    detail_fields = ["inspected_party", "inspection_date", "inspectors", "findings", "result"]
    inspected_party = models.CharField("检查对象", max_length=200)
    inspection_date = models.DateField("检查日期")
    inspectors = models.CharField("检查人员", max_length=200, blank=True)
    findings = models.TextField("检查情况", blank=True)
    result = models.TextField("处理结果", blank=True)

    content_panels = SharedInfoPage.content_panels + [
        FieldRowPanel([FieldPanel("inspected_party"), FieldPanel("inspection_date"), FieldPanel("inspectors")]),
        FieldPanel("findings"),
        FieldPanel("result"),
        FieldPanel("body"),
    ]
    search_fields = EnforcementRecordPage.search_fields + [
        index.SearchField("inspected_party"),
        index.SearchField("findings"),
        index.SearchField("result"),
    ]
    is_creatable = True
    person_name_fields = ("inspected_party",)

    class Meta:
        verbose_name = "监督检查记录"
        verbose_name_plural = "监督检查记录"


class BulletinPage(EnforcementRecordPage):
    category_value = Category.INSPECTIONS

    detail_fields = ["issue_number"]
    issue_number = models.CharField("期号", max_length=50, blank=True, help_text="例如：2026年第5期")

    content_panels = SharedInfoPage.content_panels + [FieldPanel("issue_number"), FieldPanel("body")]
    is_creatable = True

    class Meta:
        verbose_name = "执法工作简报"
        verbose_name_plural = "执法工作简报"


class ComplaintHandlingPage(EnforcementRecordPage):
    """How a report, complaint or petition was received and handled (category 8)."""

    category_value = Category.COMPLAINTS

    class Channel(models.TextChoices):
        REPORT = "report", "举报"
        COMPLAINT = "complaint", "投诉"
        PETITION = "petition", "信访"

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "已受理"
        TRANSFERRED = "transferred", "已移送"
        CLOSED = "closed", "已办结"

    detail_fields = ["channel", "received_date", "first_department", "handling_department", "handling_status", "result"]
    channel = models.CharField("来源渠道", max_length=20, choices=Channel.choices, default=Channel.COMPLAINT)
    received_date = models.DateField("受理日期")
    first_department = models.ForeignKey(
        "portal.Department", verbose_name="首问部门", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handling_department = models.ForeignKey(
        "portal.Department", verbose_name="办理部门", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handling_status = models.CharField("办理状态", max_length=20, choices=Status.choices, default=Status.ACCEPTED)
    result = models.TextField("办理结果", blank=True)
    complainant = models.CharField(
        "反映人姓名", max_length=100, blank=True,
        help_text="举报人、投诉人或信访人的姓名，不对外显示；填写后，公开版本中凡出现该姓名处均隐去（如张三→张某）",
    )

    content_panels = SharedInfoPage.content_panels + [
        FieldRowPanel([FieldPanel("channel"), FieldPanel("received_date"), FieldPanel("handling_status")]),
        FieldRowPanel([FieldPanel("first_department"), FieldPanel("handling_department")]),
        FieldPanel("complainant"),
        FieldPanel("result"),
        FieldPanel("body"),
    ]
    search_fields = EnforcementRecordPage.search_fields + [index.SearchField("result")]
    is_creatable = True
    masks_personal_data = True
    person_name_fields = ("complainant",)

    class Meta:
        verbose_name = "举报投诉信访受理处理情况"
        verbose_name_plural = "举报投诉信访受理处理情况"


class OtherSharedInfoPage(EnforcementRecordPage):
    category_value = Category.OTHER

    content_panels = SharedInfoPage.content_panels + [FieldPanel("body")]
    is_creatable = True

    class Meta:
        verbose_name = "其他共享信息"
        verbose_name_plural = "其他共享信息"
