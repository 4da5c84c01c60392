"""What each page type cites from: its body texts, each with its place in the page.

- A law or 公文 (RegulationPage): every line of an article (at its 款/项 anchor, 第十条第二款), every
  公文 provision (at its anchor, 二（四）3), and the lines outside them (preamble, 正文段落, 附件 …)
  at the provision they continue or at no anchor. Lines that name the document itself (标题, 发文字号,
  发文机关, 落款, 日期, 抄送, 印发, 目录) cite nothing.
- A discretion standard: each row's 法律依据 and 处罚依据 (at the row's anchor ``row-…``) and the 说明.
- A decision or other enforcement record: its text fields (违法事实, 处罚依据, 处理决定, 检查情况, 办理结果 …)
  and its body.
- An enforcement workflow (执法工作流程): its 说明 and each step's 依据 (at the step's anchor ``step-N``, as the
  page numbers its steps).

``anchors_of`` gives the other side: the anchors a held document offers to the citations of it.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.db import models
from django.utils.html import strip_tags

from lib.citations import line_anchors
from lib.lawtext import PASSAGE_ROLES
from portal.models import DiscretionStandardPage, RegulationPage, WorkflowPage
from portal.models.enforcement import EnforcementRecordPage

# Passages that name the document itself rather than cite another.
SILENT_ROLES = frozenset({"header", "issuer", "title", "doc_number", "signature", "date", "copy", "printed", "toc"})
ROW_FIELDS = (("legal_basis", "法律依据"), ("penalty_basis", "处罚依据"))


@dataclass(frozen=True)
class Source:
    """One text of a page that may cite: where it stands (anchor, label for 被引用) and how to read it."""

    place: str  # the anchor in the citing page, "" for none
    label: str  # how 被引用 names the place: 第十条第二款, 第3项 法律依据, 处罚依据
    text: str
    own_bare: bool = False  # a bare 第X条 cites the page itself (a law's articles)
    article: str | None = None  # the article being read, for 本条第二款


def _lines(text) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def article_lines(value) -> list[tuple[str, str]]:
    """Return (anchor, line) for each line of an article block's value (anchor "" when it would repeat)."""
    lines = _lines(value.get("text"))
    return list(zip(line_anchors(value.get("label", ""), lines), lines, strict=True))


def regulation_sources(page) -> list[Source]:
    out: list[Source] = []
    for block in page.body.raw_data:
        kind, value = block.get("type"), block.get("value") or {}
        if kind == "article":
            label = value.get("label", "")
            lines = article_lines(value)
            one_paragraph = sum(1 for anchor, _line in lines if anchor.endswith("款")) == 1
            for anchor, line in lines:
                # An article of one 款 is named by itself: 第一条, not 第一条第一款.
                shown = label if one_paragraph and anchor == f"{label}第一款" else anchor or label
                out.append(Source(anchor or label, shown, line, own_bare=True, article=label))
        elif kind == "provision":
            text = "\n".join(filter(None, [value.get("title", ""), value.get("text", "")]))
            out.append(Source(value.get("anchor", ""), value.get("label", ""), text))
        elif kind == "passage":
            role = value.get("role", "text")
            if role in SILENT_ROLES:
                continue
            owner = value.get("owner", "") or ""
            out.append(Source(owner, owner or PASSAGE_ROLES.get(role, "正文"), value.get("text", "")))
        elif kind == "paragraph":
            out.append(Source("", "正文", str(value)))
    return out


def discretion_sources(page) -> list[Source]:
    out = [Source("", "说明", page.intro)] if page.intro else []
    for n, block in enumerate(page.rows.raw_data, start=1):
        value = block.get("value") or {}
        for name, label in ROW_FIELDS:
            if value.get(name):
                out.append(Source(f"row-{block.get('id', '')}", f"第{n}项 {label}", value[name]))
    return out


def workflow_sources(page) -> list[Source]:
    out = [Source("", "说明", page.intro)] if page.intro else []
    for n, block in enumerate(page.steps.raw_data, start=1):
        value = block.get("value") or {}
        if value.get("basis"):
            out.append(Source(f"step-{n}", f"第{n}环节 依据", value["basis"]))
    return out


def rich_text_plain(markup: str) -> str:
    """Return the text of rich-text HTML, a line per paragraph (so that no citation runs across two)."""
    return html.unescape(strip_tags(re.sub(r"</(?:p|li|h\d|tr|div)>|<br\s*/?>", "\n", markup or "")))


def record_sources(page) -> list[Source]:
    out = []
    for name in page.detail_fields:
        field = page._meta.get_field(name)
        value = getattr(page, name, "")
        if isinstance(field, models.TextField) and value:
            out.append(Source("", str(field.verbose_name), value))
    if page.body:
        out.append(Source("", "正文", rich_text_plain(str(page.body))))
    return out


def sources(page) -> list[Source]:
    """Return the texts of a page that may cite other documents, in reading order."""
    page = page.specific
    if isinstance(page, RegulationPage):
        return regulation_sources(page)
    if isinstance(page, DiscretionStandardPage):
        return discretion_sources(page)
    if isinstance(page, EnforcementRecordPage):
        return record_sources(page)
    if isinstance(page, WorkflowPage):
        return workflow_sources(page)
    return []


def anchors_of(raw_body) -> dict[str, str]:
    """Return {place: anchor} of a held document's body (raw StreamField data): what citations may land on.

    Articles and their 款/项 by their labels; a 公文 provision by its label (the first of a repeated
    series) and by its anchor.
    """
    out: dict[str, str] = {}
    for block in raw_body or ():
        kind, value = block.get("type"), block.get("value") or {}
        if kind == "article":
            label = value.get("label", "")
            out.setdefault(label, label)
            for anchor, _line in article_lines(value):
                if anchor:
                    out.setdefault(anchor, anchor)
        elif kind == "provision":
            anchor = value.get("anchor", "") or value.get("label", "")
            out.setdefault(value.get("label", "") or anchor, anchor)
            out.setdefault(anchor, anchor)
    return out
