"""Email both sides of every overdue cooperation step: ``python manage.py check_cooperation_deadlines``.

The scheduler runs it daily (jobs.table); by hand, each overdue step is printed on one line. Each
department concerned gets one email listing its overdue steps, sent to its 信息联络员 (二（四）1:
联络员负责信息沟通、部门函件往来等日常工作联系) through the mail queue (jobs.mail); ``--dry-run``
prints without queueing.
"""
from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cooperation.pending import send_overdue_alerts


class Command(BaseCommand):
    help = "检查协作机制（案件移送、交办事项、信息请求、首问负责）的时限，向逾期事项双方部门的信息联络员发送提醒邮件。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期检查，格式 YYYY-MM-DD，默认今天")
        parser.add_argument("--dry-run", action="store_true", help="只列出逾期事项，不发送邮件")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期“{date}”无法识别，请按 2026-11-25 的格式填写。") from exc
        summary = send_overdue_alerts(today, dry_run=dry_run)
        for alert in summary.alerts:
            names = "、".join(d.display_name for d in alert.departments)
            self.stdout.write(f"逾期：[{alert.system}] {alert.text}（提醒：{names}）")
        self.stdout.write(summary.line())
