"""The staff portal's memory of each user: when they last came to the dashboard.

"New since your last visit" must mean the visit before this one: the dashboard
keeps the cut-off of the current visit steady while the user clicks around,
and moves it only when a new visit begins (another session, or a long pause).
The logic lives in ``staff.visits``; this is only the row it keeps.
"""
from django.conf import settings
from django.db import models


class DashboardVisit(models.Model):
    """One user's visits to the staff dashboard: the current one and where the previous one ended."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="dashboard_visit"
    )
    session_key = models.CharField("会话", max_length=64, blank=True, help_text="本次访问所在的登录会话")
    visit_started_at = models.DateTimeField("本次访问开始时间")
    last_seen_at = models.DateTimeField("最近一次打开工作台")
    previous_seen_at = models.DateTimeField(
        "上次访问时间", null=True, blank=True, help_text="上一次访问最后打开工作台的时间；“新信息”从此时起算"
    )

    class Meta:
        verbose_name = "工作台访问记录"
        verbose_name_plural = "工作台访问记录"

    def __str__(self):
        return f"{self.user}：{self.last_seen_at:%Y-%m-%d %H:%M}"
