"""``manage.py import_docx FILE_OR_DIR…``: import Word files of regulations, as drafts unless --publish."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.wordimport.docx import DocxImportError, create_regulation, parse_docx
from lib.progress import ProgressBar, ProgressStream
from portal.importer import issuing_department
from portal.models import CategoryIndexPage, RegulationPage, Scope

SCOPES = {label: value for value, label in Scope.choices} | {value: value for value, _ in Scope.choices}


def docx_files(paths: list[str]) -> list[Path]:
    """Return the .docx files named or found (recursively) in the directories named, Word's ~$ lock files left out."""
    found = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".docx"
                            and not p.name.startswith("~$"))
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"文件或目录不存在：{name}")
    return found


class Command(BaseCommand):
    help = "批量导入 Word（.docx）格式的法规、规范性文件：识别标题、发文字号、日期和章节条款，默认存为草稿。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help=".docx 文件或包含 .docx 文件的目录")
        parser.add_argument("--department", help="发布机构的机构代码，默认：综合行政执法局")
        parser.add_argument("--scope", default="公开", choices=[label for _, label in Scope.choices],
                            help="共享范围，默认：公开")
        parser.add_argument("--parent", type=int, help="上级栏目的页面 ID，默认：第一个“法律法规”栏目")
        parser.add_argument("--publish", action="store_true", help="导入后直接发布（默认存为草稿，待编辑核对）")

    def handle(self, paths, department, scope, parent, publish, **options):
        files = docx_files(paths)
        sections = CategoryIndexPage.objects.filter(pk=parent) if parent else \
            CategoryIndexPage.objects.filter(section="laws").order_by("path")
        section = sections.first()
        if section is None:
            raise CommandError("找不到上级栏目：请用 --parent 指定，或先创建“法律法规”栏目（python manage.py load_demo）。")
        try:
            dept = issuing_department(department)
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        imported, skipped, failed = [], [], []
        bar = ProgressBar(len(files), "导入", stream=ProgressStream(self.stderr))
        for path in files:
            try:
                doc = parse_docx(path)
                if RegulationPage.objects.filter(source_digest=doc.digest).exists():
                    skipped.append(path.name)
                else:
                    page = create_regulation(doc, section, dept, SCOPES[scope], publish=publish)
                    imported.append((path.name, page, doc.warnings))
            except DocxImportError as exc:
                failed.append((path.name, str(exc)))
            bar.advance()
        seconds = bar.close()
        for name, _page, warnings in imported:
            for warning in warnings:
                self.stderr.write(f"提示：{name}：{warning}")
        for name, reason in failed:
            self.stderr.write(f"失败：{name}：{reason}")
        state = "已发布" if publish else "草稿"
        self.stdout.write(f"导入 {len(imported)} 个（{state}），已导入过跳过 {len(skipped)} 个，"
                          f"失败 {len(failed)} 个。（用时 {seconds:.1f} 秒）")
        if failed and not imported and not skipped:
            raise CommandError("没有文件导入成功。")
