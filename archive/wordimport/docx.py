"""Read a Word (.docx) regulation or normative document in the usual 公文 layout.

``parse_docx(file)`` returns an ``ImportedDocument``: title, 发文字号, issuing body, the
成文/发布/生效 dates, and the text in the format ``lib.lawtext`` parses (``# 标题``, then
every paragraph of the document in order: 版头, title, 章/节 headings, ``第X条`` articles or
公文 provisions, one line per 款 or 项, tables as ``| a | b |`` rows, 落款 and 版记).
Nothing of the document's text is dropped: the header and tail are kept as the stored
text's front and back matter, besides being read for the metadata.
``create_regulation`` turns it into a RegulationPage, a draft unless told to publish; what the layout
does not give (制定机关, dates, 效力位阶, the 修正/修订 history) is read from the text by ``lib.textmeta``.

The layout recognised (GB/T 9704 党政机关公文格式):

    000001 / 机密★1年 / 特急                  份号、密级、紧急程度 (skipped)
    某区人民政府办公室文件                    发文机关标志: red, large, centred
    某政办〔2026〕18号                        发文字号 (may share its line with 签发人)
    某区城市管理办法                          标题: Title/Heading 1 style, or the largest
                                              centred line, or the first long line
    第一章 总则 / 第一条 …（一）…             正文
    某区人民政府办公室 / 2026年3月1日         署名、成文日期 (kept as back matter)
    抄送：… / 某区人民政府办公室 2026年3月2日印发      版记 (kept as back matter, gives 发布日期)

Only python-docx reads the document; before it does, the raw bytes are checked without
extracting anything to disk: size, the OLE/CFB signature of encrypted or legacy Word files,
the zip directory (total uncompressed size and compression ratio against zip bombs) and
the parts a .docx must have. Every refusal is a ``DocxImportError`` with a Chinese message.
"""
from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import docx
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import Table
from wagtail.log_actions import log

from lib.docnumber import DocNumberError, normalize_doc_number
from lib.lawtext import Division, LawText, LawTextError, cn_to_int, parse_document, parse_law_text
from lib.textmeta import TextMetadata, read_metadata
from portal.importer import page_fields
from portal.models import RegulationPage
from portal.models.regulations import law_text_to_stream

__all__ = [
    "MAX_FILE_BYTES", "MAX_RATIO", "MAX_UNCOMPRESSED_BYTES", "DocxImportError", "ImportedDocument",
    "create_regulation", "outline", "parse_docx", "read_docx_bytes",
]

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"


class DocxImportError(ValueError):
    """Raised for a file that cannot be imported; the message is Chinese and says what to do."""


# ---------------------------------------------------------------- the raw file
def _signature_error(data: bytes) -> DocxImportError:
    """Return the error for bytes that are not a zip container, naming what they look like."""
    if data.startswith(CFB_SIGNATURE):
        return DocxImportError(
            "该文件已加密（设置了打开密码），或是旧版 Word（.doc）格式，无法读取。"
            "请在 Word 中取消密码保护，或“另存为”Word 文档（.docx）后重新上传。")
    if data.lstrip()[:5] == b"%PDF-":
        return DocxImportError("该文件是 PDF 文件，不是 Word 文档。请上传 Word 文档（.docx）。")
    if data[:5].lower() in (b"{\\rtf",):
        return DocxImportError("该文件是 RTF 格式，不是 Word 文档（.docx）。请在 Word 中“另存为”.docx 后重新上传。")
    return DocxImportError("该文件不是有效的 Word 文档（.docx）。请确认文件未损坏，且不是改了扩展名的其他文件。")


def read_docx_bytes(file) -> bytes:
    """Return the bytes of an uploaded file, a path or bytes, after the safety checks; raise DocxImportError.

    Nothing is extracted or written anywhere: the zip directory is read from memory.
    """
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    elif isinstance(file, (str, Path)):
        path = Path(file)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise _too_large()
            data = path.read_bytes()
        except OSError as exc:
            raise DocxImportError(f"无法读取文件：{exc.strerror or exc.__class__.__name__}") from exc
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large()
    if not data:
        raise DocxImportError("文件是空的。")
    if not data.startswith(ZIP_SIGNATURE):
        raise _signature_error(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            total = sum(info.file_size for info in infos)
            if total > MAX_UNCOMPRESSED_BYTES or total > MAX_RATIO * len(data):
                raise DocxImportError(
                    f"文件解压后过大（约 {total / 1024 / 1024:.0f} MB，压缩比 {total / len(data):.0f} 倍），"
                    "疑似“压缩炸弹”，已拒绝。正常的 Word 文档解压后不超过 50 MB。")
            if any(info.flag_bits & 0x1 for info in infos):
                raise DocxImportError("该文件已加密，无法读取。请取消密码保护后重新上传。")
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
                    raise DocxImportError("该文件是 Excel 或 PowerPoint 文件，不是 Word 文档。请上传 Word 文档（.docx）。")
                raise DocxImportError("该文件不是有效的 Word 文档（.docx）：缺少文档正文部分。")
            bad = archive.testzip()  # CRC of every part, within the limits checked above
            if bad is not None:
                raise DocxImportError(f"文件已损坏（“{bad}”部分校验失败），请重新导出后上传。")
    # zlib.error: a tampered deflate stream (found by tests/archive/test_fuzz_upload.py); RuntimeError:
    # zipfile's word for a part it cannot open.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, zlib.error,
            RuntimeError) as exc:
        if isinstance(exc, DocxImportError):
            raise
        raise DocxImportError("文件已损坏或不完整，无法作为 Word 文档读取。请重新保存后上传。") from exc
    return data


def _too_large() -> DocxImportError:
    return DocxImportError(f"文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB 上限，请压缩图片或拆分后再上传。")


# ---------------------------------------------------------------- paragraphs of the document
@dataclass
class _Block:
    """One paragraph (or table row) with the formatting that tells header, title and body apart."""

    text: str
    style: str = ""
    centered: bool = False
    bold: bool = False
    size: float = 0.0  # points; 0 when neither the runs nor the style say
    red: bool = False
    numbered: bool = False  # Word's automatic numbering: the number is not in the text
    table_row: bool = False

    @property
    def heading_level(self) -> int:
        """Return 1-9 for Heading N styles, 1 for Title, 0 otherwise."""
        name = self.style.lower()
        if name == "title":
            return 1
        m = re.fullmatch(r"heading (\d)", name)
        return int(m.group(1)) if m else 0


def _style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def _first_set(style, getter):
    """Return the first value ``getter`` finds on the style or the styles it is based on."""
    for each in _style_chain(style):
        value = getter(each)
        if value is not None:
            return value
    return None


def _paragraph_block(paragraph, style_cache: dict) -> _Block | None:
    """Return the block of a non-empty paragraph (``style_cache`` spares python-docx's slow style lookup)."""

    text = paragraph.text.replace("\t", " ").strip()
    if not text:
        return None
    ppr = paragraph._p.pPr
    style_id = paragraph._p.style or ""
    if style_id not in style_cache:
        style = paragraph.style
        size = _first_set(style, lambda s: s.font.size)
        style_cache[style_id] = (
            style.name if style is not None else "",
            _first_set(style, lambda s: s.paragraph_format.alignment),
            size.pt if size is not None else 0.0,
            bool(_first_set(style, lambda s: s.font.bold)),
        )
    style_name, style_alignment, style_size, style_bold = style_cache[style_id]
    alignment = paragraph.alignment if paragraph.alignment is not None else style_alignment
    runs = [run for run in paragraph.runs if run.text.strip()]
    sizes = [run.font.size.pt for run in runs if run.font.size is not None]
    bold = bool(runs) and all(run.bold if run.bold is not None else style_bold for run in runs)
    red = False
    for run in runs:
        rgb = run.font.color.rgb if run.font.color is not None and run.font.color.type is not None else None
        if rgb is not None and rgb[0] >= 0xC0 and rgb[1] <= 0x60 and rgb[2] <= 0x60:
            red = True
            break
    return _Block(
        text=text,
        style=style_name,
        centered=alignment in (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.DISTRIBUTE),
        bold=bold,
        size=max(sizes) if sizes else style_size,
        red=red,
        numbered=ppr is not None and ppr.numPr is not None,
    )


def _table_blocks(table) -> list[_Block]:
    """Return one block per table row: ``| 序号 | 违法行为 | 处罚标准 |``, merged cells once."""
    blocks = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell comes back once per grid column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(re.sub(r"\s*\n\s*", " ", cell.text).strip().replace("|", "｜"))
        if any(cells):
            blocks.append(_Block(text="| " + " | ".join(cells) + " |", table_row=True))
    return blocks


def _blocks(document) -> tuple[list[_Block], int]:
    """Return the document's blocks in reading order and the number of tables met."""

    blocks, tables, styles = [], 0, {}
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            tables += 1
            blocks.extend(_table_blocks(item))
        else:
            block = _paragraph_block(item, styles)
            if block is not None:
                blocks.append(block)
    return blocks, tables


# ---------------------------------------------------------------- line rules
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_YEAR_OPEN, _YEAR_CLOSE = r"[〔\[［(（【﹝〖]", r"[〕\]］)）】﹞〗]"
_DOC_NUMBER_RE = re.compile(
    rf"([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]{{0,14}}{_YEAR_OPEN}[0-9０-９]{{4}}{_YEAR_CLOSE}第?[0-9０-９]+号)")
_DECREE_RE = re.compile(r"([\u4e00-\u9fff]{1,20}令)[（(]?(第[0-9０-９零〇一二两三四五六七八九十百千]+号)[）)]?")
_CN_DATE = r"[0-9０-９〇○零一二三四五六七八九]{4}年[0-9０-９一二三四五六七八九十]{1,3}月[0-9０-９一二三四五六七八九十]{1,3}日"
_DATE_RE = re.compile(_CN_DATE)
_DATE_LINE_RE = re.compile(rf"^({_CN_DATE})$")
_EFFECTIVE_RE = re.compile(rf"自({_CN_DATE})起(?:施行|实施|执行|生效|试行)")
_EFFECTIVE_ON_PUBLISH_RE = re.compile(r"自(?:公布|发布|印发|颁布)之日起(?:施行|实施|执行|生效|试行)")
_HISTORY_DATE_RE = re.compile(rf"({_CN_DATE})[^（）()，。；]*?(?:通过|公布|发布|修订|修正)")
_PRINTED_RE = re.compile(rf"({_CN_DATE})\s*(?:印发|发布|公布)$")
_HISTORY_RE = re.compile(r"^[（(].*(通过|修正|修订|公布|施行|发布).*[）)]$")
_ARTICLE_START = re.compile(r"^第[零〇一二两三四五六七八九十百千0-9０-９]+条")
_DIVISION_START = re.compile(r"^第[零〇一二两三四五六七八九十百千0-9０-９]+[编章节]")
_SKIP_HEADER = re.compile(r"^(\d{6}|[0-9０-９]{1,6}|.*[★☆].*|(?:绝密|机密|秘密).*|特急|加急|特提|平急)$")
_SENDING_END = re.compile(r"[：:]$")  # 主送机关 "各县区人民政府，市政府各部门："
_COLOPHON_RE = re.compile(r"^(抄送|抄报|主题词|分送|发送)[：:]|^（此件.*）$|^\(此件.*\)$|^（本件.*）$")
_SENTENCE_PUNCT = re.compile(r"[。，；！？,;]")
_CN_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九０１２３４５６７８９", "0001234567890123456789")


def _squash(text: str) -> str:
    """Return text without any whitespace: red headers are letter-spaced ("周 口 市 人 民 政 府")."""
    return _SPACES.sub("", text)


def parse_cn_date(text: str) -> datetime.date | None:
    """Return the date written as 2026年3月1日, 二〇二六年三月一日 or ２０２６年３月１日, else None."""
    m = re.fullmatch(r"(.{4})年(.{1,3})月(.{1,3})日", _squash(text))
    if not m:
        return None
    try:
        year = int(m.group(1).translate(_CN_YEAR_DIGITS))
        return datetime.date(year, cn_to_int(m.group(2)), cn_to_int(m.group(3)))
    except ValueError:
        return None


def _find_doc_number(text: str) -> str:
    """Return the raw 发文字号 found in a header line ("" if none), e.g. "某政办〔2026〕18号"."""
    squashed = _squash(text)
    m = _DOC_NUMBER_RE.search(squashed)
    if m:
        return m.group(1)
    m = _DECREE_RE.search(squashed)
    if m:
        return m.group(1) + m.group(2)
    return ""


def _is_body_start(text: str) -> bool:
    squashed = _squash(text)
    return bool(_ARTICLE_START.match(squashed) or _DIVISION_START.match(squashed) or squashed == "目录")


# ---------------------------------------------------------------- the result
@dataclass
class ImportedDocument:
    """What a .docx yields: metadata, the law text for ``lib.lawtext`` and warnings for the editor."""

    title: str
    doc_number: str = ""
    issuer: str = ""
    written_date: datetime.date | None = None  # 成文日期
    publish_date: datetime.date | None = None  # 发布日期
    effective_date: datetime.date | None = None  # 生效日期
    law_text: str = ""
    warnings: list[str] = field(default_factory=list)
    digest: str = ""  # sha256 of the file, to recognise a second import of the same file
    filename: str = ""

    @property
    def dates(self) -> dict[str, datetime.date | None]:
        """Return the recognised dates keyed by their Chinese names."""
        return {"成文日期": self.written_date, "发布日期": self.publish_date, "生效日期": self.effective_date}

    def law(self) -> LawText:
        """Return the parsed structure of ``law_text``."""
        return parse_law_text(self.law_text)

    @property
    def body_text(self) -> str:
        """Return ``law_text`` without its ``# 标题`` line: the document's own paragraphs, in order."""
        first, _, rest = self.law_text.partition("\n")
        return rest if first.startswith("# ") else self.law_text

    def to_dict(self) -> dict:
        """Return a JSON-safe dict (dates as ISO strings), e.g. to keep it in the session."""
        data = {k: getattr(self, k) for k in ("title", "doc_number", "issuer", "law_text", "warnings", "digest",
                                              "filename")}
        for name in ("written_date", "publish_date", "effective_date"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ImportedDocument:
        """Return the document ``to_dict`` produced."""
        values = dict(data)
        for name in ("written_date", "publish_date", "effective_date"):
            values[name] = datetime.date.fromisoformat(values[name]) if values.get(name) else None
        return cls(**values)


def outline(law: LawText) -> list[dict]:
    """Return the divisions as rows for a preview: depth, heading, number of articles, first and last label."""
    rows = []

    def walk(nodes, depth):
        for node in nodes:
            if isinstance(node, Division):
                articles = LawText(title="", children=[node]).articles()
                rows.append({
                    "depth": depth, "kind": node.kind, "heading": node.heading, "count": len(articles),
                    "first": articles[0].label if articles else "", "last": articles[-1].label if articles else "",
                })
                walk(node.children, depth + 1)

    walk(law.children, 0)
    return rows


# ---------------------------------------------------------------- parsing
def parse_docx(file, filename: str = "") -> ImportedDocument:
    """Return the ImportedDocument of a .docx (path, bytes or file object); raise DocxImportError."""
    data = read_docx_bytes(file)
    if not filename and isinstance(file, (str, Path)):
        filename = Path(file).name
    filename = filename or getattr(file, "name", "") or ""
    try:
        document = docx.Document(io.BytesIO(data))
        blocks, tables = _blocks(document)
        images = len(document.inline_shapes)
    except DocxImportError:
        raise
    except Exception as exc:  # python-docx raises KeyError, lxml errors, PackageNotFoundError …
        raise DocxImportError("文件已损坏，或不是 Word 能正常打开的文档，无法读取其内容。请在 Word 中另存为 .docx 后重新上传。") from exc
    if not blocks:
        raise DocxImportError("文档中没有任何文字内容。")
    result = _read_layout(blocks)
    result.digest = hashlib.sha256(data).hexdigest()
    result.filename = Path(filename).name
    if tables:
        result.warnings.append(f"文档中的 {tables} 个表格已转换为文字行（“| 单元格 | 单元格 |”），请核对。")
    if images:
        result.warnings.append(f"文档中的 {images} 张图片未导入，如需要请在页面中另行上传。")
    return result


def _read_layout(blocks: list[_Block]) -> ImportedDocument:
    warnings: list[str] = []
    first_body = next((i for i, b in enumerate(blocks) if not b.table_row and _is_body_start(b.text)), len(blocks))

    # 版头: 发文机关标志 and 发文字号 before the title.
    doc_number_raw, doc_index = "", -1
    head = blocks[:min(first_body, 12)]
    for i, block in enumerate(head):
        if len(_squash(block.text)) <= 50 and (found := _find_doc_number(block.text)):
            doc_number_raw, doc_index = found, i
            break
        # "某市人民政府令" and "第 12 号" on two centred lines.
        if _squash(block.text).endswith("令") and i + 1 < len(head) \
                and (found := _find_doc_number(block.text + head[i + 1].text)):
            doc_number_raw, doc_index = found, i + 1
            break
    issuer = ""
    for block in blocks[:doc_index if doc_index >= 0 else min(first_body, 4)]:
        squashed = _squash(block.text)
        if _SKIP_HEADER.match(squashed) or _find_doc_number(block.text):
            continue
        if block.red or (squashed.endswith("文件") and len(squashed) <= 40):
            issuer = re.sub(r"文件$", "", squashed)
            break
    if not issuer and doc_number_raw.endswith("号") and "令" in doc_number_raw:
        issuer = doc_number_raw.split("令")[0]

    title_index, title_end = _find_title(blocks, doc_index + 1, first_body, strong=True)
    if title_index < 0 and doc_index > 0:  # "标题 / 周政办字〔2018〕18号": the number under the title
        title_index, title_end = _find_title(blocks, 0, doc_index, strong=True)
    if title_index < 0:
        title_index, title_end = _find_title(blocks, doc_index + 1, first_body)
    if title_index < 0:
        raise DocxImportError("无法识别文件标题：请确认文档开头有居中的标题行。")
    title = "".join(_squash(b.text) if _is_cjk_line(b.text) else b.text.strip()
                    for b in blocks[title_index:title_end])
    if doc_index < 0:
        # A 令 or a law may carry its number below the title: "（2026年3月1日XX市人民政府令第12号公布）".
        for block in blocks[title_end:min(first_body, title_end + 4)]:
            if found := _find_doc_number(block.text):
                doc_number_raw = found
                break

    body = blocks[title_end:]
    body, tail_dates, signature = _strip_tail(body)
    tail = blocks[title_end + len(body):]

    doc_number = ""
    if doc_number_raw:
        try:
            doc_number = normalize_doc_number(doc_number_raw)
        except DocNumberError as exc:
            warnings.append(f"发文字号“{doc_number_raw}”格式不规范，未导入：{exc}")
    else:
        warnings.append("未识别到发文字号，请在页面中补充。")
    if not issuer and signature:
        issuer = signature

    # The 版头 and title paragraphs as they stand: lib.lawtext finds the title in them again.
    lines = [f"# {title}"] + [b.text.strip() for b in blocks[:title_end]]
    # "（1996年3月17日…通过　…2021年1月22日…修订）" under the title: the history, which
    # lib.lawtext reads as such when the INFO END marker of the corpus format closes it.
    history = 0
    while history < len(body) and not body[history].table_row and _HISTORY_RE.match(_squash(body[history].text)):
        history += 1
    if history:
        lines += [b.text.strip() for b in body[:history]] + ["<!-- INFO END -->"]
        body = body[history:]
    numbered = []
    for block in body:
        text = block.text.strip()
        if block.table_row:
            lines.append(text)
            continue
        if block.numbered and not _ARTICLE_START.match(_squash(text)):
            numbered.append(text[:20])
        squashed = _squash(text)
        if block.heading_level and not _ARTICLE_START.match(squashed) and len(squashed) <= 40:
            lines.append("## " + text)  # an explicit heading: 附则, 第一章 总则 in a heading style
        elif block.centered and (_DIVISION_START.match(squashed) or block.bold and len(squashed) <= 20
                                 and not _SENTENCE_PUNCT.search(squashed)):
            lines.append("## " + text)  # 第一章 总则, or an unnumbered heading such as 附　则
        else:
            lines.append(text)
    if numbered:
        warnings.append(f"有 {len(numbered)} 段使用了 Word 自动编号，编号文字（如“第一条”“（一）”）无法读取，请核对："
                        + "；".join(numbered[:3]) + ("……" if len(numbered) > 3 else ""))
    lines += [b.text.strip() for b in tail]  # 署名, 成文日期, 附注, 版记: the stored text's back matter
    law_text = "\n\n".join(lines) + "\n"
    try:
        law = parse_law_text(law_text)
    except LawTextError as exc:
        raise DocxImportError(f"无法识别文件结构：{exc}") from exc

    written, publish, effective = _dates(blocks, law, tail_dates)
    articles = law.articles()
    if law.kind == "gongwen":
        warnings.append(f"按公文层次（一、（一）1．（1）①）导入，共 {len(law.provisions())} 项。")
    elif not articles:
        warnings.append("未识别到“第一条”等条文或“一、”等公文编号，正文将按段落导入。")
    else:
        warnings.extend(_numbering_warnings(articles))
    warnings.extend(law.notices)
    if written and publish and publish < written:
        warnings.append(f"识别到的发布日期（{publish:%Y-%m-%d}）早于成文日期，已忽略发布日期，请核对。")
        publish = None
    return ImportedDocument(title=title, doc_number=doc_number, issuer=issuer, written_date=written,
                            publish_date=publish, effective_date=effective, law_text=law_text, warnings=warnings)


def _is_cjk_line(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def _find_title(blocks: list[_Block], start: int, first_body: int, strong: bool = False) -> tuple[int, int]:
    """Return (first, end) indexes of the title lines, or (-1, -1).

    In order: a Title / Heading 1 paragraph; the largest centred line; the first centred
    bold line; the first line of six characters or more (not with ``strong``). A long title
    broken over two or three centred lines of the same look is joined.
    """
    window = [i for i in range(start, min(first_body, start + 15)) if not blocks[i].table_row]

    def usable(i):
        squashed = _squash(blocks[i].text)
        return not (_SKIP_HEADER.match(squashed) or _find_doc_number(blocks[i].text) and len(squashed) <= 30
                    or _DATE_LINE_RE.match(squashed) or _HISTORY_RE.match(squashed)
                    or squashed.startswith("签发人") or blocks[i].red and squashed.endswith("文件"))

    candidates = [i for i in window if usable(i)]
    if not candidates:
        return -1, -1
    title = next((i for i in candidates if blocks[i].heading_level == 1), None)
    if title is None:
        sized = [i for i in candidates if blocks[i].centered and blocks[i].size]
        if sized:
            biggest = max(blocks[i].size for i in sized)
            body_sizes = [b.size for b in blocks[first_body:first_body + 20] if b.size]
            if not body_sizes or biggest > min(body_sizes):
                title = next(i for i in sized if blocks[i].size == biggest)
    if title is None:
        title = next((i for i in candidates if blocks[i].centered and blocks[i].bold), None)
    if title is None and strong:
        return -1, -1
    if title is None:
        title = next((i for i in candidates if len(_squash(blocks[i].text)) >= 6), candidates[0])
        return title, title + 1
    end = title + 1
    head = blocks[title]
    while end < min(first_body, title + 3) and end < len(blocks):
        nxt = blocks[end]
        squashed = _squash(nxt.text)
        same_look = (nxt.centered == head.centered and nxt.size == head.size and nxt.bold == head.bold
                     and nxt.style == head.style and not nxt.table_row)
        if not same_look or _SENTENCE_PUNCT.search(squashed) or _HISTORY_RE.match(squashed) \
                or _DATE_LINE_RE.match(squashed) or _SENDING_END.search(squashed):
            break
        end += 1
    return title, end


def _strip_tail(body: list[_Block]) -> tuple[list[_Block], dict, str]:
    """Return the body without 署名, 成文日期, 附注 and 版记 at its end, the dates read there and the signature."""
    dates: dict[str, datetime.date] = {}
    signature = ""
    end = len(body)
    while end > 0:
        block = body[end - 1]
        squashed = _squash(block.text)
        if block.table_row:
            break
        printed = _PRINTED_RE.search(squashed)
        if printed:
            dates.setdefault("printed", parse_cn_date(printed.group(1)))
            end -= 1
        elif _COLOPHON_RE.match(squashed):
            end -= 1
        elif _DATE_LINE_RE.match(squashed):
            dates.setdefault("written", parse_cn_date(squashed))
            end -= 1
        elif "written" in dates and not signature and len(squashed) <= 30 and not _SENTENCE_PUNCT.search(squashed) \
                and not _is_body_start(squashed) and not squashed.startswith("|"):
            signature = squashed  # the issuing body's name above the date
            end -= 1
        else:
            break
    return body[:end], {k: v for k, v in dates.items() if v}, signature


def _dates(blocks: list[_Block], law: LawText, tail: dict) -> tuple:
    """Return (成文日期, 发布日期, 生效日期) from the tail, the 令 preface, the history and the 施行 article."""
    written = tail.get("written")
    publish = tail.get("printed")
    if written is None:
        # 令 layout: "市长 张三 / 2026年3月1日" before the rule's title; any date-only line will do.
        for block in blocks:
            m = _DATE_LINE_RE.match(_squash(block.text))
            if m:
                written = parse_cn_date(m.group(1))
                break
    if publish is None and law.history:
        # The last date that something was 通过/公布/修订 on: "…2021年1月22日第十三届…修订）".
        found = _HISTORY_DATE_RE.findall(_squash(law.history[-1]))
        if found:
            publish = parse_cn_date(found[-1])
    effective = None
    full = "\n".join(_squash(b.text) for b in blocks)
    found = _EFFECTIVE_RE.findall(full)
    if found:
        effective = parse_cn_date(found[-1])
    elif _EFFECTIVE_ON_PUBLISH_RE.search(full):
        effective = publish or written
    return written, publish, effective


def _numbering_warnings(articles) -> list[str]:
    """Return warnings for gaps and repeats in the article numbers (之一 articles may follow theirs)."""
    problems = []
    previous = None
    for article in articles:
        if previous is not None:
            expected = {(previous.number + 1, 0), (previous.number, previous.suffix + 1)}
            if article.key not in expected:
                if article.key <= previous.key:
                    problems.append(f"{article.label}重复或顺序颠倒（前一条为{previous.label}）")
                else:
                    problems.append(f"{previous.label}之后是{article.label}")
        previous = article
    if not problems:
        return []
    return ["条号不连续：" + "；".join(problems[:5]) + ("……" if len(problems) > 5 else "") + "。请核对原文。"]


# ---------------------------------------------------------------- the page
def text_metadata(doc: ImportedDocument) -> TextMetadata:
    """Return what the document's text says about itself (lib.textmeta): 制定机关, dates, 修正/修订, 效力位阶."""
    return read_metadata(parse_document(doc.law_text), doc.filename)


def guess_regulation_kind(doc: ImportedDocument) -> str:
    """Return the 效力位阶 the text gives (lib.textmeta: from its issuer or title), "" when it gives none.

    The import form offers it; the editor confirms or changes it.
    """
    try:
        return text_metadata(doc).rank
    except LawTextError:
        return ""


def create_regulation(doc: ImportedDocument, parent, department, scope: str, user=None, publish: bool = False,
                      regulation_kind: str | None = None):
    """Return a new RegulationPage under ``parent`` made from ``doc``: a draft, or published with ``publish``.

    Raises DocxImportError (Chinese) when the page cannot be saved; nothing is written then.
    """


    try:
        _, body = law_text_to_stream(doc.body_text, title=doc.title)
        fields = page_fields(text_metadata(doc))
    except LawTextError as exc:
        raise DocxImportError(str(exc)) from exc
    # What the Word layout gave (版头, 落款, 版记) first; what the text says about itself fills the rest.
    for name in ("doc_number", "written_date", "publish_date", "effective_date"):
        fields[name] = getattr(doc, name) or fields[name]
    fields["issuing_authority"] = doc.issuer[:100] or fields["issuing_authority"]
    if fields["publish_date"] and fields["written_date"] and fields["publish_date"] < fields["written_date"]:
        fields["publish_date"] = None
    fields["formed_date"] = doc.written_date or doc.publish_date or fields["formed_date"]
    fields["regulation_kind"] = regulation_kind or fields["regulation_kind"]
    base = slugify(doc.title, allow_unicode=True)[:80] or "regulation"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    page = RegulationPage(
        title=doc.title[:255], draft_title=doc.title[:255], slug=slug, body=body, department=department, scope=scope,
        source_digest=doc.digest, live=False, has_unpublished_changes=True, owner=user, **fields,
    )
    try:
        with transaction.atomic():
            parent.add_child(instance=page)
            revision = page.save_revision(user=user, log_action=False)
            log(instance=page, action="wagtail.create", user=user, revision=revision, content_changed=True)
            if publish:
                revision.publish(user=user)
    except ValidationError as exc:
        messages = [m for values in exc.message_dict.values() for m in values] if hasattr(exc, "message_dict") \
            else exc.messages
        raise DocxImportError("无法保存：" + "；".join(messages)) from exc
    page.refresh_from_db()
    return page
