"""法规更新 records: one ``Amendment`` per new version of a held law or 公文 that changed what others cite,
one ``CitationImpact`` per citing place of a changed, renumbered or repealed provision."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from lib.impact import STATUS_TEXT


class Amendment(models.Model):
    """A new version of a held law or 公文 (or its repeal as a whole), as published."""

    law = models.ForeignKey("wagtailcore.Page", verbose_name="法规", on_delete=models.CASCADE, related_name="+")
    title = models.CharField("标题", max_length=255)
    old_revision = models.ForeignKey("wagtailcore.Revision", verbose_name="原版本", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    new_revision = models.ForeignKey("wagtailcore.Revision", verbose_name="新版本", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    repealed = models.BooleanField("整体废止", default=False)
    counts = models.JSONField("条文变化统计", default=dict, blank=True,
                              help_text="unchanged / changed / renumbered / repealed / inserted 的条数")
    created_at = models.DateTimeField("发布时间", auto_now_add=True, db_index=True)
    formed_date = models.DateField("更新情况形成日期", null=True, blank=True,
                                   help_text="共享时限（二（四）5）从此日起算；新版本的发布即共享了更新情况（二（四）5（1））")
    computed_at = models.DateTimeField("影响计算时间", null=True, blank=True, db_index=True,
                                       help_text="空：等待调度器计算受影响的引用")

    class Meta:
        verbose_name = "法规更新"
        verbose_name_plural = "法规更新"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def shared_date(self):
        """Return the local date the 更新情况 was shared: the day the new version was published."""
        return timezone.localdate(self.created_at)

    def counts_line(self) -> str:
        """Return "修改 3 条，条号变更 2 条，废止 1 条，新增 13 条"（整体废止 when repealed)."""
        if self.computed_at is None:
            return "影响计算中（调度器每分钟处理）"
        if self.repealed:
            return "整体废止"
        c = self.counts or {}
        parts = [("修改", "changed"), ("条号变更", "renumbered"), ("废止", "repealed"), ("新增", "inserted")]
        return "，".join(f"{label} {c.get(key, 0)} 条" for label, key in parts)


class CitationImpact(models.Model):
    """One citing place (a discretion row, a workflow step, a decision, a 公文 provision) of a provision the new version changed."""

    class Status(models.TextChoices):
        CHANGED = "changed", STATUS_TEXT["changed"]
        RENUMBERED = "renumbered", STATUS_TEXT["renumbered"]
        REPEALED = "repealed", STATUS_TEXT["repealed"]

    class State(models.TextChoices):
        OPEN = "open", "待处理"
        UPDATED = "updated", "已更新引用（待发布）"
        REVIEWED = "reviewed", "已审核"

    amendment = models.ForeignKey(Amendment, verbose_name="法规更新", on_delete=models.CASCADE, related_name="impacts")
    citing_page = models.ForeignKey("wagtailcore.Page", verbose_name="引用文件", on_delete=models.CASCADE,
                                    related_name="+")
    department = models.ForeignKey("portal.Department", verbose_name="所属部门", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    place = models.CharField("引用位置锚点", max_length=100, blank=True)
    place_label = models.CharField("引用位置", max_length=120, blank=True)
    citation_text = models.CharField("引用原文", max_length=400)
    cited_place = models.CharField("被引位置", max_length=100, blank=True)
    status = models.CharField("影响", max_length=16, choices=Status.choices)
    new_place = models.CharField("新条号", max_length=100, blank=True)
    old_text = models.TextField("修改前", blank=True)
    new_text = models.TextField("修改后", blank=True)
    state = models.CharField("处理状态", max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    note = models.TextField("审核说明", blank=True)
    revision = models.ForeignKey("wagtailcore.Revision", verbose_name="更新引用的修订版本", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "引用影响"
        verbose_name_plural = "引用影响"
        ordering = ["amendment_id", "citing_page_id", "pk"]

    def __str__(self) -> str:
        return f"{self.citation_text}：{self.status_label}"

    @property
    def status_label(self) -> str:
        """Return 条文已修改, 条号已变更（with the new number in brackets）or 条文已废止."""
        text = self.get_status_display()
        if self.status == self.Status.RENUMBERED and self.new_place:
            return f"{text}（{self.new_place}）"
        return text
