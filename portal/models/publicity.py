"""Publicity (宣传): news and policy interpretations, always public."""
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


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
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["portal.CategoryIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False

    class Meta:
        abstract = True

    @property
    def display_date(self):
        return self.date


class NewsPage(PublicityPage):
    is_creatable = True
    template = "portal/publicity_page.html"

    class Meta:
        verbose_name = "新闻"
        verbose_name_plural = "新闻"


class InterpretationPage(PublicityPage):
    interprets = models.ForeignKey(
        "wagtailcore.Page", verbose_name="解读的文件", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    content_panels = PublicityPage.content_panels + [FieldPanel("interprets")]
    is_creatable = True
    template = "portal/publicity_page.html"

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"
