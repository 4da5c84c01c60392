"""The site's frame: the home page and one index page per category."""
from django.core.paginator import Paginator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from portal.models.metadata import Category
from publicsite import listing
from publicsite.listing import latest_items, latest_publicity, with_list_titles

PAGE_SIZE = 20
HOME_NEWS, HOME_INTERPRETATIONS, HOME_DOCUMENTS = 6, 4, 6


class HomePage(Page):
    intro = models.TextField("简介", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["portal.CategoryIndexPage"]
    max_count = 1
    template = "portal/home_page.html"

    class Meta:
        verbose_name = "首页"
        verbose_name_plural = "首页"

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        sections = list(CategoryIndexPage.objects.live().child_of(self).order_by("path"))
        context["sections"] = sections
        # The first section page of each kind, for the "更多" links of the home page's lists.
        context["section_pages"] = {s.section: s for s in reversed(sections)}
        context["news"] = with_list_titles(latest_publicity(request.user, "news", HOME_NEWS), request.user)
        context["interpretations"] = with_list_titles(
            latest_publicity(request.user, "interpretation", HOME_INTERPRETATIONS), request.user)
        user = request.user
        context["latest_regulations"] = with_list_titles(latest_items(user, HOME_DOCUMENTS, [Category.LAWS]), user)
        context["latest_decisions"] = with_list_titles(
            latest_items(user, HOME_DOCUMENTS, [Category.DECISIONS, Category.PENALTIES]), user
        )
        return context


class CategoryIndexPage(Page):
    """Lists its children newest first, as the visitor may see them, with pagination."""

    class Section(models.TextChoices):
        LAWS = "laws", "法律法规规章和规范性文件"
        DECISIONS = "decisions", "行政许可、备案、确认"
        PENALTIES = "penalties", "行政处罚、行政强制"
        STATISTICS = "statistics", "统计分析数据"
        DISCRETION = "discretion", "行政处罚自由裁量标准"
        WORKFLOWS = "workflows", "执法工作流程"
        INSPECTIONS = "inspections", "监督检查记录、执法工作简报"
        COMPLAINTS = "complaints", "举报投诉信访受理处理情况"
        OTHER = "other", "其他共享信息"
        NEWS = "news", "新闻动态"
        INTERPRETATION = "interpretation", "政策解读"

    section = models.CharField("栏目", max_length=20, choices=Section.choices)
    intro = models.TextField("栏目说明", blank=True)

    content_panels = Page.content_panels + [FieldPanel("section"), FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = [
        "portal.RegulationPage",
        "portal.DiscretionStandardPage",
        "portal.WorkflowPage",
        "portal.LicenceDecisionPage",
        "portal.PenaltyDecisionPage",
        "portal.StatisticsPage",
        "portal.InspectionRecordPage",
        "portal.BulletinPage",
        "portal.ComplaintHandlingPage",
        "portal.OtherSharedInfoPage",
        "portal.NewsPage",
        "portal.InterpretationPage",
    ]
    template = "portal/category_index_page.html"

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    @property
    def is_publicity(self) -> bool:
        """Return True for the news and interpretation sections (always public, no document filters)."""
        return self.section in (self.Section.NEWS, self.Section.INTERPRETATION)

    def get_context(self, request, *args, **kwargs):

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["page_prefix"] = "?"
        if self.is_publicity:
            items = listing.publicity_items(self)
        else:
            filters = listing.parse_listing_filters(request.GET, self.section)
            items = listing.shareable_items(user, filters, parent=self).specific()
            context["filters"] = filters
            context["filter_choices"] = listing.filter_choices(self, user)
            context["filter_links"] = {
                "all": filters.query_string(validity=listing.VALIDITY_ALL),
                "abolished": filters.query_string(validity="abolished"),
            }
            context["page_prefix"] = filters.page_prefix
        # A page number past the end (or not a number) shows the last (or first) page rather than an error.
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = listing.with_list_titles(page.object_list, user)
        context["items"] = page
        return context
