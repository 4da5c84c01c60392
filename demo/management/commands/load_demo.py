from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "载入演示数据（部门、用户、栏目、法规和各类共享信息）；重复运行不会改动已有内容。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("演示数据含公开的默认密码，只能在 DEBUG 开启的开发环境中载入。")
        report = load_demo()
        self.stdout.write(self.style.SUCCESS(report.summary()))
        if report.total:
            self.stdout.write(f"管理后台：{settings.WAGTAILADMIN_BASE_URL}/admin/  演示账号密码均为 {DEMO_PASSWORD}")
