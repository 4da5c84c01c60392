"""Publicity (宣传): news and policy interpretations, always public."""
from django.db import models
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.models.metadata import limit_department_to_user, masked_for_public, slug_without_names
from portal.privacy_review import CONFIRM_FIELD, confirm_field
from portal.privacy_review import check as privacy_review
from portal.walls.access import can_view


class PublicityPageForm(WagtailAdminPageForm):
    """The admin form of news and interpretations: the 发布机构 is the editor's own department; the 保密审查
    (portal.privacy_review) before submitting or publishing, since these pages are always public."""

    confirm_personal_data = confirm_field()

    def _post_clean(self):
        super()._post_clean()
        privacy_review(self)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_department_to_user(self)


class PublicityPage(Page):
    """A public article with a date, an issuing department and a body."""

    date = models.DateField("发布日期")
    department = models.ForeignKey(
        "portal.Department", verbose_name="发布机构", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField("摘要", blank=True)
    body = RichTextField("正文")

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("department")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel(CONFIRM_FIELD),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["portal.CategoryIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False
    base_form_class = PublicityPageForm

    class Meta:
        abstract = True

    @property
    def display_date(self):
        return self.date

    def clean(self):
        self.slug = slug_without_names(self)  # a URL must not carry a person's name
        super().clean()

    def serve(self, request, *args, **kwargs):
        return masked_for_public(self, request, super().serve(request, *args, **kwargs))

    def metadata_rows(self) -> list[tuple[str, str]]:
        """Return the metadata block of an article: 发布机构, 主题分类 and 发布日期 (it has no 索引号 or 文号)."""
        return [
            ("发布机构", str(self.department) if self.department_id else ""),
            ("主题分类", self._meta.verbose_name),
            ("发布日期", self.date.strftime("%Y-%m-%d") if self.date else ""),
        ]


class NewsPage(PublicityPage):
    is_creatable = True
    template = "portal/publicity_page.html"

    class Meta:
        verbose_name = "新闻"
        verbose_name_plural = "新闻"


class InterpretationPage(PublicityPage):
    interprets = models.ForeignKey(
        "wagtailcore.Page", verbose_name="解读的文件", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="interpretations", help_text="所解读的政策文件；该文件页面的“相关解读”列出本解读",
    )

    content_panels = PublicityPage.content_panels + [FieldPanel("interprets")]
    is_creatable = True
    template = "portal/publicity_page.html"

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        # The interpreted document is named and linked only for visitors who may open it.
        target = self.interprets.specific if self.interprets_id and self.interprets.live else None
        context["interprets"] = target if target is not None and can_view(request.user, target) else None
        return context

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"


def interpretations_of(page, request) -> list[InterpretationPage]:
    """Return the interpretations of a document this visitor may open, newest first: live, and admitted by
    every Wagtail view restriction on them (login, groups, password) as their own page would be."""
    found = InterpretationPage.objects.live().filter(interprets=page).order_by("-date", "-pk")
    return [item for item in found
            if can_view(request.user, item)
            and all(restriction.accept_request(request) for restriction in item.get_view_restrictions())]
