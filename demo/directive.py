"""The founding document of the demo: 周政办字〔2018〕18号, read from its full text.

``demo/data/zhouzhengban-2018-18.txt`` is the directive unchanged (a copy of
``../shared/directive/zhouzhengban-2018-18.txt``). It is a 公文 — 一、/（一）/1．/（1）/① —
with no 章 and no 条; ``lib.lawtext`` reads it as one (provisions labelled 二（四）3（1）,
preamble and 版记 kept as role-tagged passages, every character kept), and
``RegulationPage.set_text`` stores it so.

What the text says of itself, and nothing more, is read from the parsed passages: the
issuer (发文机关), the title, the 文号, the addressees (主送机关) and the 抄送. It carries no
成文 or 发布 date, so none is given (``NO_DATE`` says so where a date would be shown).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lib.lawtext import parse_document

DIRECTIVE_FILE = Path(__file__).resolve().parent / "data" / "zhouzhengban-2018-18.txt"
NO_DATE = "未载明"
_ROLES = {"issuer": "发文机关", "title": "标题", "doc_number": "发文字号", "addressee": "主送机关", "copy": "抄送"}


class DirectiveTextError(ValueError):
    """The directive's text lacks a part every 公文 of this kind has (issuer, title, 文号, 主送, 抄送)."""


@dataclass(frozen=True)
class Directive:
    issuer: str  # 周村区人民政府办公室
    title: str  # 关于加强综合行政执法协作配合的实施意见
    doc_number: str  # 周政办字〔2018〕18号
    addressees: str  # 主送: 各镇政府、街道办事处，…，有关单位
    copied_to: str  # 抄送: 区委办，…，区检察院
    text: str  # the whole text, as read

    @property
    def summary(self) -> str:
        return (f"{self.issuer}印发。主送：{self.addressees}。抄送：{self.copied_to}。"
                f"成文日期、发布日期：{NO_DATE}。")


def read_directive(text: str) -> Directive:
    """Return the parts of the directive's text; raise DirectiveTextError (Chinese) if one is missing."""
    document = parse_document(text)
    passages: dict[str, list[str]] = {}
    for passage in (*document.front, *document.back):
        passages.setdefault(passage.role, []).append(passage.text.strip())
    missing = [label for role, label in _ROLES.items() if not passages.get(role)]
    if document.kind != "gongwen" or missing:
        raise DirectiveTextError("不是完整的公文：缺少" + "、".join(missing or ["一、（一）等层次编号"]) + "。")
    copied = "".join(passages["copy"]).removeprefix("抄送：").removeprefix("抄送:").rstrip("。")
    return Directive(passages["issuer"][0], passages["title"][0], passages["doc_number"][0],
                     passages["addressee"][0].rstrip("：:"), copied, text)


def load_directive() -> Directive:
    """Return the directive read from ``DIRECTIVE_FILE``."""
    return read_directive(DIRECTIVE_FILE.read_text(encoding="utf-8"))
