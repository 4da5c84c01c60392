"""The two tables of the scheduler: what each job run did (``JobRun``) and the e-mails waiting to go (``OutgoingMail``).

Both are written by the code only; administrators read them in the admin (jobs/wagtail_hooks.py).
"""
from django.db import models


class JobRun(models.Model):
    """One run of one scheduled job: when, whether it succeeded, and what it did or why it failed."""

    job = models.CharField("任务代号", max_length=64, db_index=True)
    # The label as the job table had it then: a run stays readable after the table changes.
    label = models.CharField("任务", max_length=100)
    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    ok = models.BooleanField("成功", default=False)
    message = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "任务运行记录"
        verbose_name_plural = "任务运行记录"
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["job", "-started_at"], name="jobrun_job_started")]

    def __str__(self):
        return f"{self.label} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def outcome(self) -> str:
        if self.finished_at is None:
            return "运行中"
        return "成功" if self.ok else "失败"

    @property
    def seconds(self) -> str:
        if self.finished_at is None:
            return ""
        return f"{(self.finished_at - self.started_at).total_seconds():.1f}"


class OutgoingMail(models.Model):
    """One e-mail queued inside a request or a job, delivered by the mail job with retries."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    kind = models.CharField("类别", max_length=32, blank=True)
    subject = models.CharField("主题", max_length=255)
    body = models.TextField("正文")
    from_email = models.CharField("发件人", max_length=254)
    to = models.JSONField("收件人", default=list)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    created_at = models.DateTimeField("排队时间", auto_now_add=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "邮件发送队列"
        verbose_name_plural = "邮件发送队列"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject

    @property
    def recipients(self) -> str:
        return "、".join(self.to)
