"""The reminder of the sharing deadlines by hand; the scheduler sends it each working morning (jobs.table)."""
import datetime

from django.core.management.base import BaseCommand, CommandError

from sharing.notifications import send_reminders


class Command(BaseCommand):
    help = "向各部门信息联络员发送即将到期和已逾期未共享信息的提醒邮件（定时任务调度器每个工作日上午自动运行；邮件经发送队列发出）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按此日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期“{options['date']}”格式不对，应为 YYYY-MM-DD。") from exc
        summary = send_reminders(today)
        self.stdout.write(summary.line())
