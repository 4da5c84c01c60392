"""Structured documents: regulations and normative documents, discretion standards, workflows."""
from django import forms
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from lib.lawtext import Article, LawTextError, parse_law_text
from portal import blocks as portal_blocks
from portal.models.metadata import Category, SharedInfoPage, SharedInfoPageForm


class RegulationKind(models.TextChoices):
    LAW = "law", "法律"
    ADMIN_REGULATION = "admin_regulation", "行政法规"
    LOCAL_REGULATION = "local_regulation", "地方性法规"
    RULE = "rule", "规章"
    NORMATIVE = "normative", "规范性文件"
    JUDICIAL = "judicial", "司法解释"
    TECHNICAL = "technical", "技术规范"
    STANDARD = "standard", "国家标准"


def law_text_to_stream(text: str) -> tuple[str, list[dict]]:
    """Return (title, raw StreamField data) for a law text with 编/章/节/条 structure.

    Raises LawTextError (with a Chinese message) when the text has no title or no content.
    """
    law = parse_law_text(text)
    stream: list[dict] = [{"type": "paragraph", "value": p} for p in law.preamble]

    def walk(nodes):
        for node in nodes:
            if isinstance(node, Article):
                stream.append(
                    {
                        "type": "article",
                        "value": {"label": node.label, "heading": node.heading, "text": node.text},
                    }
                )
            else:
                stream.append(
                    {"type": "division", "value": {"kind": node.kind, "label": node.label, "title": node.title}}
                )
                walk(node.children)

    walk(law.children)
    return law.title, stream


class RegulationPageForm(SharedInfoPageForm):
    """The page form, plus a box to paste a whole text that is split into 章/节/条 on save."""

    full_text = forms.CharField(
        label="粘贴全文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="粘贴法规全文（以“第一条”等开头分条）后保存，将自动拆分为编、章、节、条，并替换下方的结构化正文；留空则不改动。",
    )

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("full_text", "").strip()
        if text:
            # A pasted body may lack a title line; the page title serves as one.
            title = cleaned.get("title") or "未命名"
            try:
                _, self._parsed_body = law_text_to_stream(f"# {title}\n\n{text}")
            except LawTextError as exc:
                self.add_error("full_text", str(exc))
            else:
                if not any(b["type"] == "article" for b in self._parsed_body):
                    self.add_error("full_text", "未识别到任何条文：每条应以“第一条”“第二条”等开头。")
        return cleaned

    def save(self, commit=True):
        page = super().save(commit=False)
        parsed = getattr(self, "_parsed_body", None)
        if parsed is not None:
            page.body = parsed
        if commit:
            page.save()
        return page


class RegulationPage(SharedInfoPage):
    """A law, regulation, rule, technical norm, national standard or normative document."""

    category_value = Category.LAWS

    regulation_kind = models.CharField(
        "文件类别", max_length=20, choices=RegulationKind.choices, default=RegulationKind.NORMATIVE
    )
    issuing_authority = models.CharField(
        "制定机关", max_length=100, blank=True, help_text="如全国人民代表大会常务委员会、国务院；本地文件可留空"
    )
    revision_basis = models.CharField("修订依据", max_length=300, blank=True)
    replaced_by = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="被替代为",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="废止后由哪份文件替代",
    )
    source_digest = models.CharField("来源文件摘要", max_length=64, blank=True, editable=False, db_index=True)
    body = StreamField(
        [
            ("paragraph", portal_blocks.PreambleBlock()),
            ("division", portal_blocks.DivisionBlock()),
            ("article", portal_blocks.ArticleBlock()),
        ],
        verbose_name="正文",
        blank=True,
    )

    base_form_class = RegulationPageForm
    content_panels = SharedInfoPage.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("regulation_kind"), FieldPanel("issuing_authority")]),
                FieldPanel("revision_basis"),
                FieldPanel("replaced_by"),
            ],
            heading="文件信息",
        ),
        FieldPanel("full_text"),
        FieldPanel("body"),
    ]
    search_fields = SharedInfoPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["portal.CategoryIndexPage"]
    subpage_types: list[str] = []
    template = "portal/regulation_page.html"

    class Meta:
        verbose_name = "法律法规及规范性文件"
        verbose_name_plural = "法律法规及规范性文件"

    def set_text(self, text: str) -> None:
        """Replace the body with the structure parsed from a plain law text (title line included)."""
        _, self.body = law_text_to_stream(text)

    def articles(self) -> list[dict]:
        """Return the articles in order as dicts with label, heading and text."""
        return [dict(block.value) for block in self.body if block.block_type == "article"]

    def toc(self) -> list[dict]:
        """Return the table of contents: divisions with the labels of the articles they hold."""
        entries: list[dict] = []
        for block in self.body:
            if block.block_type == "division":
                entries.append({"kind": block.value["kind"], "label": block.value["label"],
                                "title": block.value["title"], "first_article": None})
            elif block.block_type == "article":
                # A chapter whose first child is a 节 starts at that 节's first article.
                for entry in reversed(entries):
                    if entry["first_article"] is not None:
                        break
                    entry["first_article"] = block.value["label"]
        return entries


class DiscretionStandardPage(SharedInfoPage):
    """A discretion standard (行政处罚自由裁量标准): rows that can be found and cited one by one."""

    category_value = Category.DISCRETION

    intro = models.TextField("说明", blank=True)
    rows = StreamField([("row", portal_blocks.DiscretionRowBlock())], verbose_name="裁量基准", blank=True)

    content_panels = SharedInfoPage.content_panels + [FieldPanel("intro"), FieldPanel("rows")]
    search_fields = SharedInfoPage.search_fields + [index.SearchField("intro"), index.SearchField("rows")]
    parent_page_types = ["portal.CategoryIndexPage"]
    subpage_types: list[str] = []
    template = "portal/discretion_standard_page.html"

    class Meta:
        verbose_name = "行政处罚自由裁量标准"
        verbose_name_plural = "行政处罚自由裁量标准"


class WorkflowPage(SharedInfoPage):
    """An enforcement workflow: ordered steps with responsible department and time limit."""

    category_value = Category.WORKFLOWS

    # Wagtail's own WorkflowPage (workflow assignment) already claims the
    # reverse name "workflowpage" on pages.
    sharedinfopage_ptr = models.OneToOneField(
        SharedInfoPage, parent_link=True, on_delete=models.CASCADE, related_name="enforcement_workflow_page"
    )

    intro = models.TextField("说明", blank=True)
    steps = StreamField([("step", portal_blocks.WorkflowStepBlock())], verbose_name="流程环节", blank=True)

    content_panels = SharedInfoPage.content_panels + [FieldPanel("intro"), FieldPanel("steps")]
    search_fields = SharedInfoPage.search_fields + [index.SearchField("intro"), index.SearchField("steps")]
    parent_page_types = ["portal.CategoryIndexPage"]
    subpage_types: list[str] = []
    template = "portal/workflow_page.html"

    class Meta:
        verbose_name = "执法工作流程"
        verbose_name_plural = "执法工作流程"

    def total_days(self) -> int:
        """Return the sum of the steps' working-day limits (steps without a limit count 0)."""
        return sum(block.value.get("time_limit_days") or 0 for block in self.steps)
