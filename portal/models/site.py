"""The site's frame: the home page and one index page per category."""
from django.core.paginator import Paginator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

PAGE_SIZE = 20


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
        from portal.listing import latest_items, latest_publicity

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = CategoryIndexPage.objects.live().child_of(self).order_by("path")
        context["news"] = latest_publicity(request.user, "news", 6)
        context["interpretations"] = latest_publicity(request.user, "interpretation", 4)
        context["latest_items"] = latest_items(request.user, 10)
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

    def get_context(self, request, *args, **kwargs):
        from portal.listing import visible_children

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(visible_children(self, request.user), PAGE_SIZE)
        # A page number past the end shows the last page rather than an error.
        context["items"] = paginator.get_page(request.GET.get("page"))
        return context
