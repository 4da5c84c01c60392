"""Structured documents: regulations and normative documents, discretion standards, workflows."""
from django import forms
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from lib.lawtext import (
    Document,
    LawTextError,
    document_from_stream,
    document_to_stream,
    parse_document,
    plain_text,
)
from lib.textmeta import document_form, parse_history
from portal import blocks as portal_blocks
from portal.models.metadata import Category, SharedInfoPage, SharedInfoPageForm


class RegulationKind(models.TextChoices):
    """效力位阶 (and the directive's 技术规范/国家标准): the values are lib.textmeta.RANKS keys."""

    CONSTITUTION = "constitution", "宪法"
    LAW = "law", "法律"
    ADMIN_REGULATION = "admin_regulation", "行政法规"
    LOCAL_REGULATION = "local_regulation", "地方性法规"
    RULE = "rule", "规章"
    NORMATIVE = "normative", "规范性文件"
    JUDICIAL = "judicial", "司法解释"
    TECHNICAL = "technical", "技术规范"
    STANDARD = "standard", "国家标准"


def parse_to_stream(text: str, title: str | None = None) -> tuple[Document, list[dict]]:
    """Return (parsed document, raw StreamField data) for any text: a law, a 公文 or plain paragraphs.

    ``title``: the page's title when the text is a body without its own title line (the admin
    paste box, a Word file). The data holds every character of the text in reading order; the
    document's ``notices`` say what the parser could not place. Raises LawTextError (Chinese
    message) only for a text without any characters.
    """
    doc = parse_document(text, title=title)
    return doc, document_to_stream(doc)


def history_of(doc: Document) -> list[dict]:
    """Return the entries of a parsed text's amendment block as stored in ``amendment_history``."""
    events, _ = parse_history(doc.history)
    return [event.as_dict() for event in events]


def amendments_line(history: list[dict]) -> str:
    """Return the 修正/修订 entries as one line: "2009年8月27日第一次修正；2021年1月22日修订"."""
    parts = []
    for entry in history or []:
        if entry.get("kind") in ("修正", "修订"):
            day = entry.get("date") or ""
            if day:
                year, month, date = (int(x) for x in day.split("-"))
                day = f"{year}年{month}月{date}日"
            parts.append(day + (entry.get("label") or entry["kind"]))
    return "；".join(parts)


def law_text_to_stream(text: str, title: str | None = None) -> tuple[str, list[dict]]:
    """Return (title, raw StreamField data) of a text (see parse_to_stream); the title may be ""."""
    doc, stream = parse_to_stream(text, title)
    return doc.title, stream


class RegulationPageForm(SharedInfoPageForm):
    """The page form, plus a box to paste a whole text that is split into 章/节/条 on save."""

    full_text = forms.CharField(
        label="粘贴全文",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="粘贴法规或公文全文后保存，将自动识别编、章、节、条或公文的一、（一）1．（1）①等层次，"
                  "并替换下方的结构化正文；无法识别层次的文字按段落保存，不会丢失。留空则不改动。",
    )

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("full_text", "").strip()
        if text:
            # A pasted body may lack a title line; the page title serves as one.
            title = cleaned.get("title") or "未命名"
            try:
                doc, self._parsed_body = parse_to_stream(text, title=title)
            except LawTextError as exc:
                self.add_error("full_text", str(exc))
            else:
                self.parse_notices = list(doc.notices)
                self._parsed_history = history_of(doc)
        return cleaned

    def save(self, commit=True):
        page = super().save(commit=False)
        parsed = getattr(self, "_parsed_body", None)
        if parsed is not None:
            page.body = parsed
            page.parse_notices = getattr(self, "parse_notices", [])
            page.amendment_history = getattr(self, "_parsed_history", [])
        if commit:
            page.save()
        return page


class RegulationPage(SharedInfoPage):
    """A law, regulation, rule, technical norm, national standard or normative document."""

    category_value = Category.LAWS

    regulation_kind = models.CharField(
        "效力位阶", max_length=20, choices=RegulationKind.choices, default=RegulationKind.NORMATIVE, blank=True,
        help_text="法律、行政法规、地方性法规、规章、规范性文件、司法解释等；导入的文本由制定机关读出，正文未载明的留空",
    )
    issuing_authority = models.CharField(
        "制定机关", max_length=100, blank=True, help_text="如全国人民代表大会常务委员会、国务院；本地文件可留空"
    )
    revision_basis = models.CharField("修订依据", max_length=300, blank=True)
    # The entries of the text's amendment block (lib.textmeta.Event.as_dict): date, kind, label, organ, text.
    amendment_history = models.JSONField("修正/修订沿革", default=list, blank=True, editable=False)
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
            ("provision", portal_blocks.ProvisionBlock()),
            ("passage", portal_blocks.PassageBlock()),
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

    def set_text(self, text: str, title: str | None = None) -> list[str]:
        """Replace the body with the structure parsed from a text (its title line included, unless
        ``title`` is given for a bare body); return the parser's notices (Chinese) for the editor.

        Laws, 公文 and texts with neither are all stored; every character of the text is kept.
        """
        doc, self.body = parse_to_stream(text, title)
        self.parse_notices = list(doc.notices)
        self.amendment_history = history_of(doc)
        return self.parse_notices

    def metadata_rows(self) -> list[tuple[str, str]]:
        """Return the metadata block with the regulation's own rows: 制定机关, 效力位阶, 文件类别 (the 公文种类
        its title names) and its 修正/修订; a row whose value is not known is left empty (and not shown)."""
        rows = super().metadata_rows()
        at = next((i + 1 for i, (label, _) in enumerate(rows) if label == "发布机构"), len(rows))
        rows[at:at] = [("制定机关", self.issuing_authority), ("效力位阶", self.get_regulation_kind_display()),
                       ("文件类别", document_form(self.title))]
        at = next((i + 1 for i, (label, _) in enumerate(rows) if label == "废止日期"), len(rows))
        rows.insert(at, ("修正/修订", amendments_line(self.amendment_history)))
        return rows

    def document(self) -> Document:
        """Return the document structure (lib.lawtext) that the body holds."""
        return document_from_stream(self.title, ((block.block_type, block.value) for block in self.body))

    def plain_text(self) -> str:
        """Return the stored text, one paragraph per line, in reading order: the source's characters."""
        return plain_text(self.document())

    def articles(self) -> list[dict]:
        """Return the articles in order as dicts with label, heading and text."""
        return [dict(block.value) for block in self.body if block.block_type == "article"]

    def provisions(self) -> list[dict]:
        """Return the 公文 provisions in order as dicts with level, marker, label, anchor, title and text."""
        return [dict(block.value) for block in self.body if block.block_type == "provision"]

    def toc(self) -> list[dict]:
        """Return the table of contents: divisions with the labels of the articles they hold, or a 公文's
        一、 and （一） provisions with their anchors."""
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
            elif block.block_type == "provision" and block.value["level"] in ("1", "2"):
                title = block.value["title"] or _first_sentence(block.value["text"])
                entries.append({"kind": f"provision-{block.value['level']}", "label": block.value["marker"],
                                "title": title, "first_article": block.value["anchor"]})
        return entries


def _first_sentence(text: str) -> str:
    """Return the lead sentence of a provision ("明确部门职责权限。…" -> "明确部门职责权限"), at most 30 characters."""
    first = (text or "").split("\n", 1)[0]
    for mark in "。；：":
        first = first.split(mark, 1)[0]
    return first[:30]


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
