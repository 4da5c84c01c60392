"""Email both sides of every overdue cooperation step: ``python manage.py check_cooperation_deadlines``.

Run daily (cron). Each overdue step is printed on one line; each department
concerned gets one email listing its overdue steps, sent to its 信息联络员
(二（四）1: 联络员负责信息沟通、部门函件往来等日常工作联系); ``--dry-run`` prints without sending.
"""
from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cooperation.pending import overdue_alerts
from lib.progress import ProgressBar


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
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        alerts = overdue_alerts(today)
        by_department = defaultdict(list)
        for alert in alerts:
            names = "、".join(d.display_name for d in alert.departments)
            self.stdout.write(f"逾期：[{alert.system}] {alert.text}（提醒：{names}）")
            for department in alert.departments:
                by_department[department].append(alert)

        sent_to = 0
        progress = ProgressBar(len(by_department), "发送提醒", stream=self.stderr) if by_department else None
        for department, items in sorted(by_department.items(), key=lambda kv: (kv[0].sort_order, kv[0].pk)):
            recipients = [u.email for u in department.liaisons.filter(is_active=True) if u.email]
            if recipients and not dry_run:
                body = "\n".join(
                    [f"{department.name}信息联络员：", "", f"截至{today:%Y-%m-%d}，以下协作事项已逾期，请及时办理：", ""]
                    + [f"- [{a.system}] {a.text}\n  {base}{a.url}" for a in items]
                    + ["", "（综合行政执法信息共享平台自动发送）"]
                )
                send_mail(f"【协作机制】{department.display_name}有{len(items)}项逾期事项", body,
                          settings.DEFAULT_FROM_EMAIL, recipients)
                sent_to += len(recipients)
            if progress:
                progress.advance()
        if progress:
            progress.close()
        action = "未发送邮件（--dry-run）" if dry_run else f"已向{sent_to}名信息联络员发送提醒"
        self.stdout.write(f"{today:%Y-%m-%d}：逾期事项{len(alerts)}项，涉及{len(by_department)}个部门，{action}。")
