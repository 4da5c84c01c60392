"""``manage.py scheduler``: run the job table (jobs.table) forever; ``--once``: run the due jobs once, for cron and tests.

``--once`` prints one line per job (its label, then its result, its error, or when it is next due) and exits
non-zero when a job failed; the other jobs run all the same. ``--check`` tells a container health check
whether a scheduler is running (a job ran in the last few minutes).
"""
from django.core.management.base import BaseCommand, CommandError

from jobs import runner, table


class Command(BaseCommand):
    help = "定时任务调度器：持续运行全部定时任务（定时发布、到期废止、时限提醒、协作时限、邮件发送等）；--once 只运行一轮到期的任务。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="把到期的任务各运行一次后退出（供 cron 与测试使用）")
        parser.add_argument("--all", action="store_true", dest="run_all", help="与 --once 同用：不论是否到期，全部运行一次")
        parser.add_argument("--job", action="append", metavar="代号",
                            help="只运行这个任务（可多次），不论是否到期；代号见 --list")
        parser.add_argument("--list", action="store_true", dest="show_list", help="列出全部任务及其时间安排")
        parser.add_argument("--check", action="store_true",
                            help="健康检查：最近几分钟内有任务运行则退出码为 0，否则为 1（供容器健康检查使用）")

    def handle(self, *args, once=False, run_all=False, job=None, show_list=False, check=False, **options):
        if check:
            healthy, message = runner.health()
            if not healthy:
                raise CommandError(message)
            self.stdout.write(message)
            return
        if show_list:
            for item in table.JOBS:
                self.stdout.write(f"{item.name}\t{item.label}\t{item.schedule.text}")
            return
        if job:
            unknown = [name for name in job if table.job_named(name) is None]
            if unknown:
                known = "、".join(item.name for item in table.JOBS)
                raise CommandError(f"没有任务“{'、'.join(unknown)}”。可用的任务代号：{known}")
        if run_all and not once:
            raise CommandError("--all 只能与 --once 一起使用。")
        if not (once or job):
            runner.serve(self.stdout.write)
            return
        result = runner.run_due(names=job, everything=run_all)
        for line in result.lines:
            self.stdout.write(line)
        if result.failed:
            raise CommandError(f"{len(result.failed)} 个任务失败：{'、'.join(result.failed)}。")
