"""节假日安排: ``python manage.py holidays import FILE | list | show YEAR``.

``import`` reads the text of 《国务院办公厅关于20XX年部分节假日安排的通知》 from a file (UTF-8 or
GB18030) or from standard input (``-``), shows what it will store, and stores it after a
confirmation (``--yes`` to skip the question, ``--dry-run`` to only look). The checks and the
storing are ``portal.holidays``'.
"""
import getpass
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal import holidays
from portal.params import int_param

ENCODINGS = ("utf-8-sig", "gb18030")


def read_text(data: bytes, name: str) -> str:
    """Return the file's text in the first encoding that reads it; raise CommandError (Chinese) when none does."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CommandError(f"无法读取“{name}”：既不是 UTF-8 也不是 GB18030 编码的文本。")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in this environment (a container without a passwd entry)
        return ""


class Command(BaseCommand):
    help = "节假日安排：导入国务院办公厅节假日安排通知（import），列出已知年份（list），查看某年安排（show）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import,list,show}")
        importing = actions.add_parser("import", help="导入通知全文（文件，或“-”表示标准输入）")
        importing.add_argument("file", help="通知全文的文本文件；“-”从标准输入读取")
        importing.add_argument("--year", help="通知年份（仅当文本中没有写明年份时需要）")
        importing.add_argument("--replace", action="store_true", help="以本通知替换该年已导入的安排")
        importing.add_argument("--yes", action="store_true", help="不再询问，直接保存")
        importing.add_argument("--dry-run", action="store_true", help="只显示将保存的内容，不保存")
        importing.add_argument("--user", help="记为导入人的门户用户名")
        actions.add_parser("list", help="列出已知节假日安排的年份及来源")
        showing = actions.add_parser("show", help="查看某年的节假日安排")
        showing.add_argument("year", help="年份，如 2027")

    def handle(self, *args, action, **options):
        if action == "list":
            self.stdout.write("\n".join(holidays.overview()))
        elif action == "show":
            self.stdout.write("\n".join(holidays.show_year(self._year(options["year"]))))
        else:
            self._import(options)

    def _year(self, value) -> int:
        year = int_param(value, minimum=1, maximum=9999)
        if year is None:
            raise CommandError(f"年份“{value}”无效，应为四位数字，如 2027。")
        return year

    def _import(self, options):
        name = options["file"]
        if name == "-":
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"文件不存在：{name}")
            data = path.read_bytes()
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"用户“{options['user']}”不存在。")
        year = self._year(options["year"]) if options.get("year") else None
        try:
            plan = holidays.plan_import(read_text(data, name), year=year, replace=options["replace"])
        except holidays.ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("\n".join(holidays.describe(plan.arrangement)))
        if plan.nothing_to_do:
            self.stdout.write(plan.nothing_to_do)
            return
        if plan.existing is not None:
            self.stdout.write(f"将替换{plan.existing.year}年已导入的安排（{plan.existing.source}）。")
        if options["dry_run"]:
            self.stdout.write("试运行：未保存。")
            return
        if not options["yes"]:
            if name == "-" or not sys.stdin.isatty():
                raise CommandError("未保存：非交互运行时请确认无误后加 --yes 重新运行。")
            if input("确认保存？[y/N] ").strip().lower() not in ("y", "yes", "是"):
                self.stdout.write("未保存。")
                return
        by = user.get_username() if user else f"命令行（{_login_name() or '未知账号'}）"
        try:
            stored = holidays.save_import(plan, user=user, by=by)
        except holidays.ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已保存{stored.year}年节假日安排（{stored.source}）。")
