"""Export document pages: PDF (WeasyPrint), Word (.docx) of regulations, XLSX/CSV of tables.

Plain functions from a page to bytes; ``archive/exports/views.py`` decides who may have
them (``portal.walls.access.can_view``) and answers the request.

- ``page_pdf(page, masked)``: a print layout of any document page (title, the metadata
  block, the body: 章/节/条 of a regulation, the rows of a discretion standard, the steps
  of a workflow, the table of a statistics report, the fields of a record). The font is
  Noto Serif/Sans CJK SC of Debian's fonts-noto-cjk; WeasyPrint loads nothing from the
  network (``LocalFetcher``). With ``masked``, personal data is masked as on every public
  output (``lib.masking.mask_for_public``, then the whole layout with ``mask_html_for_public``).
- ``regulation_docx(page, masked)``: a Word file laid out like a 公文 (issuing body, 发文字号,
  title, 编/章/节 as headings, one paragraph per 条 and 款), which ``archive.wordimport.docx``
  reads back unchanged.
- ``regulation_text(page, masked)``: the plain text (UTF-8) of a regulation: its title, the metadata
  lines (标签：值), a blank line, then the stored text in reading order — every character of the
  source, as ``RegulationPage.plain_text`` gives it — masked for the public if asked.
- ``discretion_table`` / ``statistics_table`` give (header, rows), masked if asked; ``table_xlsx``
  and ``table_csv`` write them.
- ``export_filename(page, suffix, masked)``: the download name, from the title as the public reads it.
"""
from __future__ import annotations

import csv
import io
import mimetypes
import re
from pathlib import Path

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from wagtail.rich_text import expand_db_html
from weasyprint.urls import URLFetcher, URLFetcherResponse

from lib.masking import mask_for_public, mask_html_for_public, public_masker
from portal.models import DiscretionStandardPage, RegulationPage, StatisticsPage, WorkflowPage
from portal.models.enforcement import EnforcementRecordPage

__all__ = ["DISCRETION_HEADER", "LocalFetcher", "discretion_table", "document_context", "export_filename",
           "page_pdf", "regulation_docx", "regulation_text", "statistics_table", "table_csv", "table_xlsx"]

BASE_URL = "http://portal.invalid/"  # never fetched: LocalFetcher maps it to MEDIA_ROOT and static files
DISCRETION_HEADER = ["序号", "违法行为", "法律依据", "处罚依据", "违法情节/裁量阶次", "处罚标准/裁量幅度", "适用条件"]
_FILENAME_UNSAFE = re.compile(r'[\\/:*?"<>|\r\n\t]+')


def export_filename(page, suffix: str, masked: bool = True) -> str:
    """Return a download name such as "中华人民共和国行政处罚法.pdf" (characters Windows refuses removed).

    ``masked`` (anyone who is not staff): the title as the public reads it, so that a saved file's
    name cannot carry the name or number the document inside hides.
    """
    title = _mask(page, {"title": page.title}, masked)["title"]
    name = _FILENAME_UNSAFE.sub("", title).strip()[:80] or f"document-{page.pk}"
    return f"{name}.{suffix}"


# ---------------------------------------------------------------- what a page shows
def _is_record(page) -> bool:

    return isinstance(page, EnforcementRecordPage)


def _mask(page, values: dict[str, str], masked: bool) -> dict[str, str]:
    if not masked:
        return values

    return mask_for_public(page, values)


def _masker(page, masked: bool):
    """Return a function masking one text of ``page`` for the public (or leaving it, for staff)."""
    if not masked:
        return lambda text: text

    return public_masker(page)


def _regulation_blocks(page) -> list[dict]:
    blocks = []
    for block in page.body:
        value = block.value
        if block.block_type == "division":
            heading = value["label"] + (value["title"] if value["kind"] == "部分" else
                                        (" " + value["title"] if value["title"] else ""))
            blocks.append({"type": "division", "kind": value["kind"], "heading": heading.strip()})
        elif block.block_type == "article":
            lines = [line for line in (value["text"] or "").split("\n") if line.strip()]
            blocks.append({"type": "article", "label": value["label"], "heading": value.get("heading") or "",
                           "first": lines[0] if lines else "", "rest": lines[1:]})
        elif block.block_type == "provision":  # a 公文 item: its own numbering in bold, as an article's label
            lines = [value.get("title") or ""] * bool(value.get("title"))
            lines += [line for line in (value["text"] or "").split("\n") if line.strip()]
            blocks.append({"type": "article", "label": value["marker"], "heading": "",
                           "first": lines[0] if lines else "", "rest": lines[1:]})
        elif block.block_type == "passage":
            if value["role"] == "title" and value["text"].strip() == page.title:
                continue  # the export's own title line shows it
            blocks += [{"type": "paragraph", "text": line} for line in value["text"].split("\n") if line.strip()]
        else:
            blocks.append({"type": "paragraph", "text": str(value)})
    return blocks


def _metadata_rows(page) -> list[tuple[str, str]]:
    if hasattr(page, "metadata_rows"):
        return [(label, value) for label, value in page.metadata_rows() if value]
    rows = [("发布机构", str(page.department) if getattr(page, "department", None) else ""),
            ("发布日期", page.date.strftime("%Y-%m-%d") if getattr(page, "date", None) else "")]
    return [(label, value) for label, value in rows if value]


def _details(page) -> dict[str, tuple[str, str]]:
    """Return {field name: (label, display value)} of a record's own fields, empty ones left out."""
    details = {}
    for name in getattr(page, "detail_fields", []):
        field = page._meta.get_field(name)
        value = getattr(page, f"get_{name}_display")() if getattr(field, "choices", None) else getattr(page, name)
        if value not in (None, ""):
            details[name] = (str(field.verbose_name), str(value))
    return details


def document_context(page, masked: bool) -> dict:
    """Return the template context of the print layout of ``page`` (masked for the public if asked)."""

    details = _details(page) if _is_record(page) else {}
    # Keys are field names, so that a penalty decision's party fields get their own rules
    # (mask_penalty_fields) and its free texts have the party's name masked.
    texts = {name: value for name, (_, value) in details.items()}
    texts |= {"title": page.title, "summary": getattr(page, "summary", "") or ""}
    body = getattr(page, "body", None)
    if isinstance(body, str):
        texts["body"] = expand_db_html(body)
    texts = _mask(page, texts, masked)
    context = {
        "page": page,
        "title": texts["title"],
        "summary": texts["summary"],
        "body_html": texts.get("body", ""),
        "metadata": _metadata_rows(page),
        "details": [(label, texts[name]) for name, (label, _) in details.items()],
        "kind": "document",
        "site_name": getattr(settings, "WAGTAIL_SITE_NAME", ""),
        "masked": masked and _is_record(page),
    }
    if isinstance(page, RegulationPage):
        context.update(kind="regulation", blocks=_regulation_blocks(page), toc=page.toc(),
                       revision_basis=page.revision_basis, body_html="")
    elif isinstance(page, DiscretionStandardPage):
        header, rows = discretion_table(page, masked)
        context.update(kind="table", intro=page.intro, header=header, rows=rows)
    elif isinstance(page, StatisticsPage):
        header, rows = statistics_table(page, masked)
        context.update(kind="table", header=header, rows=rows, caption=f"{texts['title']}（{page.period}）")
    elif isinstance(page, WorkflowPage):
        steps = []
        for block in page.steps:
            value = block.value
            steps.append({"name": value.get("name"), "department": str(value.get("department") or ""),
                          "days": value.get("time_limit_days"), "basis": value.get("basis") or "",
                          "materials": value.get("materials") or ""})
        context.update(kind="workflow", intro=page.intro, steps=steps, total_days=page.total_days())
    return context


# ---------------------------------------------------------------- PDF
def _local_fetcher_class():

    class LocalFetcher(URLFetcher):
        """Serves media and static files from disk and refuses everything else: no request leaves the server."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(BASE_URL):
                path = "/" + url[len(BASE_URL):].split("?")[0].split("#")[0]
                found = None
                if path.startswith(settings.MEDIA_URL):
                    root = Path(settings.MEDIA_ROOT).resolve()
                    candidate = (root / path[len(settings.MEDIA_URL):]).resolve()
                    if candidate.is_relative_to(root) and candidate.is_file():
                        found = candidate
                elif path.startswith(settings.STATIC_URL):
                    located = finders.find(path[len(settings.STATIC_URL):])
                    found = Path(located) if located else None
                if found is not None:
                    content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": content_type})
            raise ValueError(f"导出 PDF 时不加载外部资源：{url}")

    return LocalFetcher


def LocalFetcher():  # noqa: N802 - reads like the class it builds (WeasyPrint is imported lazily)
    """Return a WeasyPrint URL fetcher limited to this server's media and static files."""
    return _local_fetcher_class()()


def page_pdf(page, masked: bool) -> bytes:
    """Return the PDF of a document page; ``masked`` for anyone who is not signed-in staff."""

    html = render_to_string("archive/export/document_pdf.html", document_context(page, masked))
    if masked:

        # The layout shows a regulation's articles, a table's cells and a workflow's steps as well.
        html = mask_html_for_public(page, html)
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher()).write_pdf()


# ---------------------------------------------------------------- Word
def _heading_levels(blocks: list[dict]) -> dict[str, int]:
    """Return the Word heading level of each division kind present: 编 1, 章 2 (1 without 编), 节 next."""
    present = [k for k in ("编", "章", "节") if any(b.get("kind") == k for b in blocks)]
    levels = {kind: i + 1 for i, kind in enumerate(present)}
    chapter = levels.get("章", 1 + ("编" in levels))
    levels.setdefault("部分", chapter)
    levels.setdefault("其他", chapter)
    return levels


def _east_asian_font(style_or_run, name: str) -> None:

    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def regulation_docx(page, masked: bool = True) -> bytes:
    """Return a .docx of a regulation: 发文机关, 发文字号, title, dates, 编/章/节 headings, 条 and 款 paragraphs.

    ``masked`` (anyone who is not staff): every text as the public reads it.
    """

    m = _masker(page, masked)
    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    _east_asian_font(normal, "宋体")
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        _east_asian_font(document.styles[name], "黑体")
    properties = document.core_properties
    properties.title = m(page.title)
    properties.subject = page.doc_number or ""
    properties.keywords = m(getattr(page, "keywords", "") or "")
    properties.comments = m("；".join(f"{label}：{value}" for label, value in _metadata_rows(page)))

    header = document.sections[0].header.paragraphs[0]
    header.text = f"{getattr(settings, 'WAGTAIL_SITE_NAME', '')}　索引号：{page.index_number or ''}　有效性：" \
                  f"{page.get_validity_display()}"

    def centred(text, size=None, bold=False, color=None):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if color:
            run.font.color.rgb = color
        return paragraph

    issuer = page.issuing_authority or (str(page.department) if page.department_id else "")
    if issuer:
        centred(issuer, size=22, bold=True, color=RGBColor(0xE0, 0x00, 0x00))
    if page.doc_number:
        centred(page.doc_number, size=14)
    title = document.add_heading(m(page.title), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    dates = []
    if page.publish_date:
        dates.append(f"{page.publish_date.year}年{page.publish_date.month}月{page.publish_date.day}日发布")
    if page.effective_date:
        d = page.effective_date
        dates.append(f"自{d.year}年{d.month}月{d.day}日起施行")
    if dates:
        centred("（" + "，".join(dates) + "）")
    if page.revision_basis:
        centred(m(f"（{page.revision_basis}）"))

    blocks = [{key: [m(line) for line in value] if key == "rest" else m(value) for key, value in block.items()}
              for block in _regulation_blocks(page)]
    levels = _heading_levels(blocks)
    indent = Pt(24)
    for block in blocks:
        if block["type"] == "division":
            heading = document.add_heading(block["heading"], level=levels.get(block["kind"], 1))
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block["type"] == "article":
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = indent
            label = paragraph.add_run(block["label"])
            label.bold = True
            if block["heading"]:
                paragraph.add_run(f"【{block['heading']}】")
            paragraph.add_run("　" + block["first"])
            for line in block["rest"]:
                document.add_paragraph(line).paragraph_format.first_line_indent = indent
        else:
            document.add_paragraph(block["text"]).paragraph_format.first_line_indent = indent
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- plain text
def regulation_text(page, masked: bool = True) -> bytes:
    """Return the .txt of a regulation (UTF-8, one paragraph a line): title, metadata lines, blank line, body.

    The body is the stored text in reading order (版头, 沿革, 章/节/条 or 一、（一）1．, 落款, 版记),
    every character of the imported source. ``masked`` (anyone who is not staff): the whole file as
    the public reads it, as ``page_pdf`` masks its whole layout.
    """
    lines = [page.title, ""]
    lines += [f"{label}：{value}" for label, value in _metadata_rows(page)]
    lines += ["", page.plain_text()]
    text = "\n".join(lines).rstrip("\n") + "\n"
    if masked:
        text = public_masker(page)(text)
    return text.encode("utf-8")


# ---------------------------------------------------------------- tables
def discretion_table(page, masked: bool = True) -> tuple[list[str], list[list[str]]]:
    """Return (header, rows) of a discretion standard, one row per 裁量基准行, numbered from 1 (masked if asked)."""
    m = _masker(page, masked)
    rows = []
    for number, block in enumerate(page.rows, start=1):
        value = block.value
        rows.append([str(number)] + [m(str(value.get(key) or "")) for key in
                                     ("violation", "legal_basis", "penalty_basis", "level", "standard", "conditions")])
    return list(DISCRETION_HEADER), rows


def statistics_table(page, masked: bool = True) -> tuple[list[str], list[list[str]]]:
    """Return (header, rows) of a statistics report's data table (the first row is its header), masked if asked."""
    m = _masker(page, masked)
    table = [[("" if cell is None else m(str(cell))) for cell in row] for row in page.table_rows()]
    if not table:
        return [], []
    return table[0], table[1:]


_NUMBER_RE = re.compile(r"-?\d+(\.\d+)?")


def _cell_value(text: str):
    """Return a number for numeric text (so spreadsheets can sum it), the text otherwise."""
    cleaned = text.replace(",", "").strip()
    if _NUMBER_RE.fullmatch(cleaned) and len(cleaned) <= 15:
        return float(cleaned) if "." in cleaned else int(cleaned)
    return text


def _defuse(text: str) -> str:
    """Return text that a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    if text and (text[0] in "=+@\t\r" or (text[0] == "-" and not _NUMBER_RE.fullmatch(text.strip()))):
        return "'" + text
    return text


def table_xlsx(title: str, header: list[str], rows: list[list[str]], sheet: str = "数据") -> bytes:
    """Return an .xlsx with a bold header row, numbers as numbers and text never read as a formula."""

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = re.sub(r"[\[\]:*?/\\]", "", sheet)[:31] or "数据"
    workbook.properties.title = title
    worksheet.append(header)
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        worksheet.append(["" for _ in row])
        for column, text in enumerate(row, start=1):
            cell = worksheet.cell(row=worksheet.max_row, column=column)
            value = _cell_value(text)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for column, _ in enumerate(header or (rows[0] if rows else []), start=1):
        longest = max([len(str(worksheet.cell(row=r, column=column).value or ""))
                       for r in range(1, worksheet.max_row + 1)] or [4])
        worksheet.column_dimensions[get_column_letter(column)].width = min(max(longest * 2 + 2, 8), 60)
    worksheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """Return CSV in UTF-8 with a BOM (so that Excel reads the Chinese right), formulas defused."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_defuse(h) for h in header])
    for row in rows:
        writer.writerow([_defuse(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
