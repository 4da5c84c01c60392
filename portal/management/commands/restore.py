"""``manage.py restore FILE``: restore a backup onto an empty instance, then rebuild search."""
from django.core.management.base import BaseCommand, CommandError

from lib.progress import ProgressStream
from portal.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = ("把 backup 命令生成的备份恢复到空实例（新建数据库并执行 migrate 之后）。"
            "恢复前先按清单校验全部内容，文件被截断或篡改时拒绝恢复且不做任何改动；恢复后重建检索索引。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径（.tar.gz）")
        parser.add_argument("--skip-search", action="store_true", help="不重建检索索引（之后可手动运行 update_index / reindex）")

    def handle(self, file, skip_search, **options):
        try:
            summary = restore_backup(file, stream=ProgressStream(self.stderr), rebuild_search=not skip_search,
                                     log=lambda message: self.stderr.write(message))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(summary.line()))
