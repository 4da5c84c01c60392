"""Build .docx files in the usual 公文 layout from real law texts, with python-docx.

The tests make their Word files here instead of keeping binary fixtures: each sample is
generated from a text of tests/data/laws, whose structure ``lib.lawtext`` gives as
the expected result.
"""
import io
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from lib.lawtext import Article, Division, LawText, parse_law_text

LAWS = Path(__file__).resolve().parent.parent / "data" / "laws"
RED = RGBColor(0xE6, 0x00, 0x12)
TABLE_ROWS = [["违法情节", "处罚标准", "适用条件"], ["轻微", "不予处罚", "首次违法且及时改正"], ["一般", "罚款五百元", "—"]]


def law_source(name: str = "行政处罚法(2021-01-22).md") -> LawText:
    """Return the parsed law text of tests/data/laws/<name>."""
    return parse_law_text((LAWS / name).read_text(encoding="utf-8"))


def _para(document, text, *, size=16, bold=False, center=False, red=False, style=None):
    paragraph = document.add_paragraph(style=style)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if red:
        run.font.color.rgb = RED
    return paragraph


def gongwen_docx(law: LawText, *, header: str = "测试市人民政府办公室文件", doc_number: str = "测政办〔2026〕18号",
                 written: str = "2026年3月1日", printed: str = "2026年3月2日印发", table_after: str = "第五条",
                 heading_styles: bool = False, extra_tail: bool = True) -> bytes:
    """Return a .docx of ``law``: red header, 发文字号, centred title, history, 章/节 headings, 条/款/项, a table, tail."""
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(16)
    if header:
        _para(document, "000123", size=12)
        _para(document, " ".join(header), size=26, bold=True, center=True, red=True)  # letter-spaced like real 红头
    if doc_number:
        _para(document, doc_number, center=True)
    _para(document, law.title, size=22, bold=True, center=True)
    if law.history:
        _para(document, "（" + "　".join(line.replace(" ", "") for line in law.history) + "）", center=True)

    def emit(nodes):
        for node in nodes:
            if isinstance(node, Division):
                heading = node.heading if node.kind != "章" else node.heading.replace(" ", "　")
                if heading_styles:
                    document.add_heading(heading, level={"编": 1, "章": 1, "节": 2}.get(node.kind, 1))
                else:
                    _para(document, heading, bold=True, center=True)
                for text in node.paragraphs:
                    _para(document, text)
                emit(node.children)
            else:
                article: Article = node
                first, *rest = article.paragraphs or [""]
                head = article.label + (f"【{article.heading}】" if article.heading else "")
                _para(document, f"{head}　{first}")
                for text in rest:
                    _para(document, text)
                if article.label == table_after:
                    table = document.add_table(rows=len(TABLE_ROWS), cols=3)
                    for r, row in enumerate(TABLE_ROWS):
                        for c, cell in enumerate(row):
                            table.cell(r, c).text = cell

    for text in law.preamble:
        _para(document, text)
    emit(law.children)
    if extra_tail:
        _para(document, header.removesuffix("文件") if header else "测试市人民政府", center=True)
        _para(document, written, center=True)
        _para(document, "（此件公开发布）")
        _para(document, "抄送：市委各部门，市人大常委会办公室。", size=14)
        _para(document, f"测试市人民政府办公室　　　　{printed}", size=14)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
