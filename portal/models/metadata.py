"""The common metadata of a government information record, shared by every shareable page type.

Like a Plone behaviour, the metadata lives in one place: ``SharedInfoPage``.
It is a concrete (multi-table) base rather than an abstract mixin so that
索引号 is unique across all categories and so that cross-category questions
(deadlines of a department, the archive, the leak checks) are one query.
"""
import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from lib.docnumber import DocNumberError, normalize_doc_number
from lib.indexnumber import next_index_number, parse_index_number
from lib.masking import mask_html_for_public, mask_names_in_text, person_names
from portal.models.departments import Department
from portal.privacy_review import CONFIRM_FIELD, confirm_field
from portal.privacy_review import check as privacy_review
from portal.walls.access import Scope, can_view, is_staff_member  # noqa: F401 - Scope is re-exported
from publicsite.api_fields import SharingDeadlineField


class Category(models.TextChoices):
    """The nine categories of information the directive requires to be shared."""

    LAWS = "laws", "法律法规规章和规范性文件"
    DECISIONS = "decisions", "行政许可、备案、确认"
    PENALTIES = "penalties", "行政处罚、行政强制"
    STATISTICS = "statistics", "统计分析数据"
    DISCRETION = "discretion", "行政处罚自由裁量标准"
    WORKFLOWS = "workflows", "执法工作流程"
    INSPECTIONS = "inspections", "监督检查记录、执法工作简报"
    COMPLAINTS = "complaints", "举报投诉信访受理处理情况"
    OTHER = "other", "其他共享信息"


class Validity(models.TextChoices):
    PENDING = "pending", "尚未生效"
    IN_FORCE = "in_force", "现行有效"
    REVISED = "revised", "已修订"
    ABOLISHED = "abolished", "已废止"


def derive_validity(
    effective_date: datetime.date | None,
    abolished_date: datetime.date | None,
    current: str,
    today: datetime.date,
) -> str:
    """Return the 有效性 implied by the dates, keeping the editor's choice where dates don't decide.

    废止日期 reached → 已废止; 生效日期 in the future → 尚未生效; otherwise the
    stored value stands (已修订 is an editorial fact no date can tell), and a
    page that dates no longer call pending or abolished becomes 现行有效.
    """
    if abolished_date and abolished_date <= today:
        return Validity.ABOLISHED
    if effective_date and effective_date > today:
        return Validity.PENDING
    if current == Validity.REVISED:
        return current
    return Validity.IN_FORCE


FORMED_DATE_REQUIRED = "请填写信息形成日期：应共享日期从此日起算，未填写的信息不能保存或发布。"


class _TolerantChooserMixin:
    """A chooser widget that redisplays a posted value which is not an id as "nothing chosen".

    Wagtail's choosers look the value up with ``objects.get(pk=value)`` to redisplay a form and catch
    only DoesNotExist, so a department of "abc" turned the form's Chinese validation error into a
    server error (found by tests/portal/test_fuzz_forms.py).
    """

    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError, ValidationError):
            return None


@functools.cache
def _tolerant_chooser_class(widget_class: type) -> type:
    return type(f"Tolerant{widget_class.__name__}", (_TolerantChooserMixin, widget_class), {})


class SharedInfoPageForm(WagtailAdminPageForm):
    """The admin form of every shareable page: Chinese messages for the required metadata, and the 保密审查.

    Submitting or publishing a 公开 item whose texts hold personal data needs ``confirm_personal_data``
    ticked (portal.privacy_review); otherwise the form is invalid and nothing is saved.
    """

    confirm_personal_data = confirm_field()

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the posted texts
        privacy_review(self)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "formed_date" in self.fields:
            self.fields["formed_date"].error_messages["required"] = FORMED_DATE_REQUIRED
        for field in self.fields.values():
            if isinstance(field.widget, BaseChooser):
                field.widget.__class__ = _tolerant_chooser_class(type(field.widget))
        limit_department_to_user(self)


def limit_department_to_user(form) -> None:
    """Let a staff member file an item only under their own department (发布机构); superusers under any.

    The department decides who may see, edit, review and sign the item (portal.walls.permissions), so choosing
    another department would hand the item to it — or hide it from its real owner.
    """
    field = form.fields.get("department")
    user = getattr(form, "for_user", None)
    if field is None or user is None or user.is_superuser:
        return
    department_id = getattr(user, "department_id", None)
    field.queryset = field.queryset.filter(pk=department_id) if department_id else field.queryset.none()
    field.error_messages["invalid_choice"] = "只能选择您所在的部门作为发布机构。"
    instance = getattr(form, "instance", None)  # the Word import's confirm form has none
    if getattr(instance, "pk", None) is None and department_id and not form.is_bound:
        form.initial.setdefault("department", department_id)


def masked_for_public(page, request, response):
    """Return the response serving ``page`` with personal data masked for anyone who is not staff.

    The whole page is masked (``lib.masking.mask_html_for_public``) once rendered, whatever its
    template shows — a StreamField block, the breadcrumbs, the <title> — and so is its print view;
    staff read the full text.
    """

    if is_staff_member(getattr(request, "user", None)):
        return response

    def mask(rendered):
        if rendered.status_code == 200 and "html" in rendered.get("Content-Type", ""):
            charset = rendered.charset or "utf-8"
            rendered.content = mask_html_for_public(page, rendered.content.decode(charset)).encode(charset)

    if getattr(response, "is_rendered", True):
        mask(response)
    else:
        response.add_post_render_callback(mask)
    return response


def slug_without_names(page) -> str:
    """Return the page's slug with the names of the persons it is about masked (…张三… → …张某…).

    Wagtail makes the slug from the title, and a title names people (关于张三反映…的处理情况): the
    URL — in links, the sitemap, the feeds and the API — must not. A slug that changes is kept unique
    among the page's siblings (-2, -3 …).
    """

    slug = page.slug or ""
    if slug.isascii():
        return slug
    unnamed = mask_names_in_text(slug, person_names(page))
    if unnamed == slug or not page.path:
        return slug if unnamed == slug else unnamed
    siblings = page.get_parent().get_children()
    if page.pk:
        siblings = siblings.exclude(pk=page.pk)
    candidate, suffix = unnamed, 1
    while siblings.filter(slug=candidate).exists():
        suffix += 1
        candidate = f"{unnamed}-{suffix}"
    return candidate


def document_date_expression():
    """Return the SQL expression of the date lists and feeds show and sort by (``SharedInfoPage.display_date``).

    A document's own date: its 发布日期; for laws, regulations and 公文 also its 成文日期 or
    生效日期 before the 信息形成日期 (which, for an imported text, may be only the import day).
    """
    own = Coalesce("publish_date", "written_date", "effective_date", "formed_date")
    return models.Case(models.When(category=Category.LAWS, then=own), default=Coalesce("publish_date", "formed_date"),
                       output_field=models.DateField())


def archived_q(today: datetime.date | None = None) -> models.Q:
    """Return the condition of an archived document: 已废止, or its 废止日期 reached (before the daily job runs)."""
    today = today or timezone.localdate()
    return models.Q(validity=Validity.ABOLISHED) | models.Q(abolished_date__lte=today)


class SharedInfoPage(Page):
    """A shareable government information record: the metadata every category carries."""

    category_value: str = Category.OTHER  # each page type says which of the nine it belongs to

    index_number = models.CharField(
        "索引号",
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text="留空则保存时自动生成，格式：机构代码/年份-五位序号",
        error_messages={"unique": "该索引号已被其他信息使用，请留空自动生成或更换。"},
    )
    department = models.ForeignKey(
        "portal.Department",
        verbose_name="发布机构",
        on_delete=models.PROTECT,
        related_name="+",
    )
    doc_number = models.CharField(
        "发文字号", max_length=80, blank=True, help_text="例如：周政办字〔2018〕18号；[]、()、全角括号会自动规范为〔〕"
    )
    written_date = models.DateField("成文日期", null=True, blank=True)
    publish_date = models.DateField("发布日期", null=True, blank=True)
    effective_date = models.DateField("生效日期", null=True, blank=True)
    abolished_date = models.DateField("废止日期", null=True, blank=True)
    validity = models.CharField(
        "有效性",
        max_length=16,
        choices=Validity.choices,
        default=Validity.IN_FORCE,
        help_text="生效日期、废止日期能确定的，保存时按日期自动判定",
    )
    category = models.CharField("主题分类", max_length=16, choices=Category.choices, editable=False)
    keywords = models.CharField("关键词", max_length=200, blank=True, help_text="多个关键词用空格或顿号分隔")
    scope = models.CharField("共享范围", max_length=16, choices=Scope.choices, default=Scope.SHARED)
    formed_date = models.DateField("信息形成日期", help_text="信息产生之日，共享时限从此日起算")
    summary = models.TextField("摘要", blank=True)

    metadata_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("department"), FieldPanel("scope")]),
                FieldRowPanel([FieldPanel("doc_number"), FieldPanel("index_number")]),
                FieldRowPanel([FieldPanel("formed_date"), FieldPanel("written_date"), FieldPanel("publish_date")]),
                FieldRowPanel([FieldPanel("effective_date"), FieldPanel("abolished_date"), FieldPanel("validity")]),
                FieldPanel("keywords"),
                FieldPanel("summary"),
                FieldPanel(CONFIRM_FIELD),
            ],
            heading="信息元数据",
        )
    ]
    content_panels = Page.content_panels + metadata_panels

    search_fields = Page.search_fields + [
        index.SearchField("doc_number"),
        index.SearchField("keywords"),
        index.SearchField("summary"),
        index.FilterField("scope"),
        index.FilterField("category"),
        index.FilterField("validity"),
        index.FilterField("department"),
        index.AutocompleteField("doc_number"),
    ]

    # /api/v2/pages/: 信息形成日期 and 应共享日期 (with whether it is 预计, see publicsite.api_fields).
    api_fields = [APIField("formed_date"), APIField("sharing_deadline", serializer=SharingDeadlineField())]

    is_creatable = False
    base_form_class = SharedInfoPageForm

    class Meta:
        verbose_name = "共享信息"
        verbose_name_plural = "共享信息"
        indexes = [
            models.Index(fields=["department", "formed_date"]),
            models.Index(fields=["scope", "category"]),
        ]

    def clean(self):
        self.slug = slug_without_names(self)  # before Page.clean checks that the slug is unique
        super().clean()
        errors = {}
        try:
            self.doc_number = normalize_doc_number(self.doc_number or "")
        except DocNumberError as exc:
            errors["doc_number"] = str(exc)
        if self.index_number:
            self.index_number = self.index_number.strip()
            try:
                parse_index_number(self.index_number)
            except ValueError as exc:
                errors["index_number"] = str(exc)
        if self.effective_date and self.abolished_date and self.abolished_date < self.effective_date:
            errors["abolished_date"] = "废止日期不能早于生效日期。"
        if self.written_date and self.publish_date and self.publish_date < self.written_date:
            errors["publish_date"] = "发布日期不能早于成文日期。"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.category = self.category_value
        self.validity = derive_validity(
            self.effective_date, self.abolished_date, self.validity, timezone.localdate()
        )
        if not self.index_number and self.pk:
            # An admin form (or an autosave) that sends the box empty keeps the number already given.
            self.index_number = SharedInfoPage.objects.filter(pk=self.pk).values_list("index_number", flat=True).first()
        if not self.index_number and self.department_id:
            with transaction.atomic():
                self.index_number = self._generate_index_number()
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)

    def _generate_index_number(self) -> str:
        """Return the next free 索引号 for this page's department and year."""

        code = Department.objects.values_list("code", flat=True).get(pk=self.department_id)
        year = (self.formed_date or self.publish_date or timezone.localdate()).year
        prefix = f"{code}/{year}-"
        existing = SharedInfoPage.objects.filter(index_number__startswith=prefix).values_list(
            "index_number", flat=True
        )
        return next_index_number(code, year, existing)

    @property
    def display_date(self) -> datetime.date | None:
        """Return the date lists show (see ``document_date_expression``)."""
        if self.category == Category.LAWS or self.category_value == Category.LAWS:
            return self.publish_date or self.written_date or self.effective_date or self.formed_date
        return self.publish_date or self.formed_date

    def metadata_rows(self) -> list[tuple[str, str]]:
        """Return the 政府信息公开-style metadata block as (label, value) pairs."""
        fmt = lambda d: d.strftime("%Y-%m-%d") if d else ""  # noqa: E731
        return [
            ("索引号", self.index_number or ""),
            ("发布机构", str(self.department)),
            ("主题分类", self.get_category_display()),
            ("发文字号", self.doc_number),
            ("成文日期", fmt(self.written_date)),
            ("发布日期", fmt(self.publish_date)),
            ("生效日期", fmt(self.effective_date)),
            ("废止日期", fmt(self.abolished_date)),
            ("有效性", self.get_validity_display()),
            ("共享范围", self.get_scope_display()),
            ("关键词", self.keywords),
        ]

    def serve(self, request, *args, **kwargs):

        if not can_view(request.user, self):
            # 404, not 403: a refusal must not confirm that the item exists.
            raise Http404
        return masked_for_public(self, request, super().serve(request, *args, **kwargs))
