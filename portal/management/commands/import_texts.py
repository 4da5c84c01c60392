from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lib.progress import ProgressBar
from portal.importer import import_directory, issuing_department, text_files
from portal.models import CategoryIndexPage, Scope

SCOPE_BY_LABEL = {label: value for value, label in Scope.choices}


class Command(BaseCommand):
    help = "把目录中的法律法规或公文文本（.md/.txt）导入为已发布的法规页面；已导入过的文件自动跳过。"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="存放 .md/.txt 文本的目录")
        parser.add_argument("--scope", default="公开", choices=list(SCOPE_BY_LABEL), help="共享范围，默认：公开")
        parser.add_argument("--department", help="发布机构的机构代码，默认：综合行政执法局")

    def handle(self, directory, scope, department, **options):
        path = Path(directory)
        if not path.is_dir():
            raise CommandError(f"目录不存在：{directory}")
        parent = CategoryIndexPage.objects.filter(section="laws").first()
        if parent is None:
            raise CommandError("尚无“法律法规”栏目，请先运行 python manage.py load_demo 或在后台创建该栏目。")
        try:
            dept = issuing_department(department)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        files = text_files(path)
        bar = ProgressBar(len(files), "导入", stream=self.stderr)
        report = import_directory(path, parent, dept, SCOPE_BY_LABEL[scope], progress=bar)
        seconds = bar.close()
        for name, reason in report.failed:
            self.stderr.write(f"失败：{name}：{reason}")
        for name, notice in report.notices:
            self.stderr.write(f"提示：{name}：{notice}")
        self.stdout.write(f"{report.summary()}（用时 {seconds:.1f} 秒）")
