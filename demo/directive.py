"""The founding document of the demo: 周政办字〔2018〕18号, read from its full text, kept whole.

``demo/data/zhouzhengban-2018-18.txt`` is the directive unchanged (a copy of
``../shared/directive/zhouzhengban-2018-18.txt``). It is a 公文 — 一、/（一）/1．/（1）/① —
with no 章 and no 条, which the law-text parser does not read yet; until it does, the page
body is the text line by line, every non-blank line one paragraph, every character kept.

What the text says of itself, and nothing more: the issuer, the 文号, the title, the
addressees (主送) and the 抄送 are read from it; it carries no 成文 or 发布 date, so none is
given (``NO_DATE`` says so where a date would be shown).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DIRECTIVE_FILE = Path(__file__).resolve().parent / "data" / "zhouzhengban-2018-18.txt"
NO_DATE = "未载明"
_DOC_NUMBER = re.compile(r"^\S+〔\d{4}〕\d+号$")


class DirectiveTextError(ValueError):
    """The directive's text lacks a part every 公文 has (issuer, title, 文号, 主送 or 抄送)."""


@dataclass(frozen=True)
class Directive:
    issuer: str  # 周村区人民政府办公室
    title: str  # 关于加强综合行政执法协作配合的实施意见
    doc_number: str  # 周政办字〔2018〕18号
    addressees: str  # 主送: 各镇政府、街道办事处，…，有关单位
    copied_to: str  # 抄送: 区委办，…，区检察院
    lines: tuple[str, ...]  # every non-blank line of the text, exactly as written

    @property
    def summary(self) -> str:
        return (f"{self.issuer}印发。主送：{self.addressees}。抄送：{self.copied_to}。"
                f"成文日期、发布日期：{NO_DATE}。")


def read_directive(text: str) -> Directive:
    """Return the parts of the directive's text; raise DirectiveTextError if one is missing.

    The head of the text is its issuer, its title and its 文号 on three lines (blank lines
    between them aside), then the addressees ending with "：". The 抄送 runs from "抄送："
    to the full stop, over as many lines as it takes.
    """
    lines = tuple(line for line in text.splitlines() if line.strip())
    head = [line.strip() for line in lines[:4]]
    if len(head) < 4 or not _DOC_NUMBER.match(head[2]) or not head[3].endswith("："):
        raise DirectiveTextError("文件开头应依次为发文机关、标题、发文字号和主送机关。")
    issuer, title, doc_number, addressees = head[0], head[1], head[2], head[3].removesuffix("：")
    copied = re.search(r"抄送：(.*?)。", "".join(line.strip() for line in lines), re.S)
    if copied is None:
        raise DirectiveTextError("未找到“抄送：……。”。")
    return Directive(issuer, title, doc_number, addressees, copied.group(1), lines)


def load_directive() -> Directive:
    """Return the directive read from ``DIRECTIVE_FILE``."""
    return read_directive(DIRECTIVE_FILE.read_text(encoding="utf-8"))


def body_stream(directive: Directive) -> list[dict]:
    """Return the raw StreamField data of the page body: one paragraph per line of the text."""
    return [{"type": "paragraph", "value": line} for line in directive.lines]
