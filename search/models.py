"""The one table of the search app: index updates waiting for an unreachable engine."""
from django.db import models


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
