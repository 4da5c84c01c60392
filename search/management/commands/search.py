"""``manage.py search "查询" [--json] [--user USERNAME]``: the site search from the shell."""

from __future__ import annotations

import html
import json
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from search import service
from search.backends.base import SearchUnavailable

_MARK = re.compile(r"</?mark>")


def _plain(fragment: str, marks: bool) -> str:
    """Return a snippet for a terminal: 【…】 around the matches (or nothing), entities decoded."""
    return html.unescape(_MARK.sub(lambda m: ("】" if m.group().startswith("</") else "【") if marks else "", fragment))


class Command(BaseCommand):
    help = "在命令行中检索（与网站检索相同的查询语法、共享范围与排序）"

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", default="", help="检索式，例如：食品安全法 “责令改正” 部门:城管")
        parser.add_argument("--json", action="store_true", help="输出与 /api/search/ 相同的 JSON")
        parser.add_argument("--user", help="以该用户的权限检索（默认：未登录的公众）")
        parser.add_argument("--category", action="append", help="类别筛选（可多次）")
        parser.add_argument("--department", action="append", help="发布机构筛选，可用简称或别名（可多次）")
        parser.add_argument("--validity", action="append", help="有效性筛选（可多次）")
        parser.add_argument("--year", action="append", help="年份筛选，如 2020 或 2018-2020")
        parser.add_argument("--include-abolished", action="store_true", help="包含已废止文件")
        parser.add_argument("--sort", default="relevance", choices=sorted(service.SORTS), help="排序")
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument("--per-page", type=int, default=10)

    def handle(self, *args, **options):
        user = AnonymousUser()
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"没有用户 {options['user']}") from exc
        try:
            result = service.search(
                user, options["query"], category=options["category"], department=options["department"],
                validity=options["validity"], year=options["year"], include_abolished=options["include_abolished"],
                sort=options["sort"], page=options["page"], per_page=options["per_page"])
        except SearchUnavailable as exc:
            raise CommandError(service.UNAVAILABLE_MESSAGE) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
            return
        for notice in result.notices:
            self.stdout.write(self.style.WARNING(f"提示：{notice}"))
        self.stdout.write(f"共 {result.count} 条结果，第 {result.page}/{result.num_pages} 页，{result.took_ms:.0f} 毫秒")
        for n, item in enumerate(result.results, start=(result.page - 1) * result.per_page + 1):
            meta = " · ".join(x for x in (item.doc_number, item.category, item.department, item.validity,
                                          item.date.isoformat() if item.date else "") if x)
            self.stdout.write(self.style.SUCCESS(f"{n}. {_plain(item.title_html, False)}") + f"  [{item.score:.2f}]")
            self.stdout.write(f"   {item.url}")
            if meta:
                self.stdout.write(f"   {meta}")
            if item.snippet:
                self.stdout.write(f"   {_plain(item.snippet, True)}")
            if item.missing:
                self.stdout.write(f"   未包含：{'、'.join(item.missing)}")
            for child in item.children:
                self.stdout.write(f"   └ {child.anchor or child.title}  {child.url}")
        for name, values in result.facets.items():
            if values:
                shown = "、".join(f"{f.value}({f.count})" for f in values[:8])
                self.stdout.write(f"{name}: {shown}")
