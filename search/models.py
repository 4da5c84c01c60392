"""The tables of the search app: index updates waiting for an unreachable engine, the editors'
colloquial-to-legal lexicon entries (a snippet: 检索词表), and the staff's saved searches (保存的检索).
"""
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


class PendingIndexUpdate(models.Model):
    """A page whose index documents could not be written (engine unreachable), to be retried.

    Only the page id is kept: a retry reads the page as it is *then* (live → index its documents,
    gone or unpublished → remove them), so the last state always wins and nothing is lost.
    """

    page_id = models.PositiveIntegerField("页面 ID", unique=True)
    queued_at = models.DateTimeField("排队时间", auto_now=True)
    attempts = models.PositiveIntegerField("尝试次数", default=1)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "待同步的索引更新"
        verbose_name_plural = "待同步的索引更新"
        ordering = ["queued_at"]

    def __str__(self):
        return f"页面 {self.page_id}（{self.attempts} 次）"


_TARGET_SEPARATORS = re.compile(r"[|｜\n]+")
_SEARCHABLE = re.compile(r"[^\W_]")


@register_snippet
class LexiconEntry(models.Model):
    """An editor's colloquial word and the legal terms a search for it also looks for (检索词表).

    Added to the entries of ``search/dict/lexicon.tsv`` (``search.understanding.lexicon``); an entry
    for a word the file has adds terms to the file's, never removes them.
    """

    colloquial = models.CharField("口语说法", max_length=30, unique=True,
                                  help_text="群众或执法人员的习惯说法，如：私搭乱建")
    legal_terms = models.TextField("法律用语", help_text="法律法规原文中的用语，每行一个，如：违法建设")
    field = models.CharField("执法领域", max_length=20, blank=True, help_text="如：城乡规划、市容环卫")
    enabled = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    panels = [FieldPanel("colloquial"), FieldPanel("legal_terms"), FieldPanel("field"), FieldPanel("enabled")]

    class Meta:
        verbose_name = "检索词表条目"
        verbose_name_plural = "检索词表"
        ordering = ["colloquial"]

    def __str__(self):
        return f"{self.colloquial} → {'、'.join(self.terms())}"

    def terms(self) -> list[str]:
        """Return the legal terms, one per line (| also separates), blanks and repeats dropped."""
        return list(dict.fromkeys(t.strip() for t in _TARGET_SEPARATORS.split(self.legal_terms or "") if t.strip()))

    def clean(self):
        errors = {}
        self.colloquial = (self.colloquial or "").strip()
        if not _SEARCHABLE.search(self.colloquial):
            errors["colloquial"] = "请填写口语说法（须含汉字、字母或数字）。"
        elif any(ch.isspace() for ch in self.colloquial):
            errors["colloquial"] = "口语说法不能含空格，请写成一个词，如：私搭乱建。"
        terms = self.terms()
        if not terms:
            errors["legal_terms"] = "请至少填写一个法律用语，每行一个。"
        elif any(not _SEARCHABLE.search(t) for t in terms):
            errors["legal_terms"] = "每个法律用语须含汉字、字母或数字。"
        elif any(len(t) > 50 for t in terms):
            errors["legal_terms"] = "每个法律用语不能超过 50 个字。"
        elif len(terms) > 10:
            errors["legal_terms"] = "一个口语说法最多对应 10 个法律用语。"
        elif terms == [self.colloquial]:
            errors["legal_terms"] = "法律用语与口语说法相同，请填写法律法规原文中的用语。"
        if errors:
            raise ValidationError(errors)
        self.legal_terms = "\n".join(terms)


class QueryCount(models.Model):
    """How often a query was searched on one day, by the public or by staff (the source of 热搜词).

    Counts only: no user, no time of day, no address.  ``search.service.log_query`` never writes a query
    that holds personal data (an ID, phone or account number, a personal name, an address).
    """

    PUBLIC = "public"
    STAFF = "staff"
    AUDIENCES = [(PUBLIC, "公众"), (STAFF, "工作人员")]

    text = models.CharField("检索词", max_length=50)
    audience = models.CharField("检索者", max_length=10, choices=AUDIENCES)
    day = models.DateField("日期")
    count = models.PositiveIntegerField("次数", default=0)

    class Meta:
        verbose_name = "检索词统计"
        verbose_name_plural = "检索词统计"
        constraints = [models.UniqueConstraint(fields=["text", "audience", "day"], name="search_querycount_unique")]
        indexes = [models.Index(fields=["day", "audience"], name="search_querycount_day")]

    def __str__(self):
        return f"{self.text}（{self.get_audience_display()}，{self.day}）：{self.count} 次"


class SavedSearch(models.Model):
    """A member of staff's saved query and filters (保存的检索), with the times of their last look and digest.

    What it finds is always asked of ``search.service`` as its owner, so an alert, a digest or a feed
    lists only what the owner may see now (``staff.saved_searches``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches",
                             verbose_name="用户")
    name = models.CharField("名称", max_length=60)
    query = models.CharField("检索词", max_length=200)
    category = models.CharField("类别", max_length=40, blank=True)
    department = models.CharField("发布部门", max_length=100, blank=True)
    validity = models.CharField("有效性", max_length=20, blank=True)
    digest = models.BooleanField("每日邮件提醒", default=True)
    created_at = models.DateTimeField("保存时间", auto_now_add=True)
    seen_at = models.DateTimeField("上次查看", default=timezone.now)
    digest_sent_at = models.DateTimeField("上次邮件提醒", null=True, blank=True)

    class Meta:
        verbose_name = "保存的检索"
        verbose_name_plural = "保存的检索"
        ordering = ["user_id", "name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_search_unique_name")]

    def __str__(self):
        return f"{self.name}（{self.query}）"

    def filters(self) -> dict:
        """Return the filters as ``search.service.search`` takes them (empty ones left out)."""
        return {k: v for k, v in (("category", self.category), ("department", self.department),
                                   ("validity", self.validity)) if v}
