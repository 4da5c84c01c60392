"""``manage.py diff_texts OLD NEW [--json]``: compare two versions of a law article by article, a 公文 provision by provision."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lib.align import STATUS_LABELS, compare_laws, comparison_to_json
from lib.diff import render_ops_text
from lib.lawtext import LawTextError, Provision


def read_text(path: str) -> str:
    """Return the UTF-8 text of a file; raise CommandError with a Chinese message otherwise."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise CommandError(f"不是文件而是目录：{path}") from None
    except UnicodeDecodeError:
        raise CommandError(f"文件不是 UTF-8 编码的文本：{path}") from None
    except OSError as error:
        raise CommandError(f"无法读取文件：{path}（{error.strerror or error}）") from error


class Command(BaseCommand):
    help = "按条文（公文按一、（一）1．（1）①各项）对齐比较同一文件的两个版本，输出修改对照（--json 输出 JSON）"

    def add_arguments(self, parser):
        parser.add_argument("old_file", help="修改前文本（UTF-8，Markdown 或纯文本）")
        parser.add_argument("new_file", help="修改后文本")
        parser.add_argument("--json", action="store_true", help="输出 JSON 而不是对照文本")

    def handle(self, old_file, new_file, **options):
        old_text, new_text = read_text(old_file), read_text(new_file)
        try:
            comparison = compare_laws(old_text, new_text)
        except LawTextError as error:
            raise CommandError(f"无法解析法规文本：{error}") from error
        if options["json"]:
            self.stdout.write(json.dumps(comparison_to_json(comparison), ensure_ascii=False, indent=2))
            return
        color = self.stdout.isatty() and not options.get("no_color")
        if comparison.title_ops and any(kind != "equal" for kind, _ in comparison.title_ops):
            self.stdout.write("标题：" + render_ops_text(comparison.title_ops, color))
        if any(kind != "equal" for kind, _ in comparison.preamble_ops):
            self.stdout.write("序言：" + render_ops_text(comparison.preamble_ops, color))
        units = "【条目】" if any(isinstance(p.old or p.new, Provision) for p in comparison.articles) else "【条文】"
        for heading, pairs, name in (
            ("【章节】", comparison.divisions, lambda d: d.heading),
            (units, comparison.articles, lambda a: a.label),
        ):
            if pairs:
                self.stdout.write(heading)
            for pair in pairs:
                old = name(pair.old) if pair.old else "—"
                new = name(pair.new) if pair.new else "—"
                self.stdout.write(f"{old} → {new} [{STATUS_LABELS[pair.status]}]")
                if any(kind != "equal" for kind, _ in pair.ops):  # a division: only a new title
                    self.stdout.write("  " + render_ops_text(pair.ops, color).replace("\n", "\n  "))
        for part in comparison.parts:
            if part.status != "unchanged":
                self.stdout.write(f"{part.name} [{STATUS_LABELS[part.status]}]")
                self.stdout.write("  " + render_ops_text(part.ops, color).replace("\n", "\n  "))
        counts = {label: 0 for label in STATUS_LABELS.values()}
        for pair in comparison.articles:
            counts[STATUS_LABELS[pair.status]] += 1
        renumbered = sum(1 for pair in comparison.articles if pair.renumbered)
        summary = "，".join(f"{label} {n}" for label, n in counts.items() if n)
        unit = "项" if units == "【条目】" else "条"
        self.stdout.write(f"共 {len(comparison.articles)} {unit}：{summary}；重新编号 {renumbered}")
