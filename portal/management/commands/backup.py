"""``manage.py backup FILE``: the database content, the media files and a manifest in one .tar.gz."""
from django.core.management.base import BaseCommand, CommandError

from lib.progress import ProgressStream
from portal.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "把数据库内容（页面、修订、部门、用户、文档等）、媒体文件和校验清单备份到一个 .tar.gz 文件；用 restore 命令恢复。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径，例如 var/backup-2026-03-01.tar.gz")

    def handle(self, file, **options):
        try:
            summary = create_backup(file, stream=ProgressStream(self.stderr))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary.line()))
