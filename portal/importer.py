"""Import plain texts (.md/.txt) — laws, 公文 or texts with neither — as published RegulationPages.

A text is never refused for its structure: whatever lib.lawtext recognises (第X条, 一、（一）1．)
is stored structured, the rest as paragraphs, every character kept. Only files that are no text
(empty, binary, enormous, neither UTF-8 nor GB18030) are refused, with a Chinese reason.

The page's metadata is what the text says about itself (lib.textmeta): 制定机关, 发文字号, 成文日期,
施行日期 (生效日期), 效力位阶 and the 修正/修订 history; a field the text does not give stays empty.
发布日期 is the 公布/印发 date the text states, else its version date (``(YYYY-MM-DD)`` in the file
name, or the date of the last 通过/修订/修正 in its history). 信息形成日期, which the page must have,
is the first of those dates, and the import day only for a text that gives no date at all.
"""
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from lib.lawtext import LawTextError
from lib.textmeta import TextMetadata, read_metadata
from portal.models import CategoryIndexPage, Department, RegulationPage, Scope
from portal.models.regulations import parse_to_stream

TEXT_SUFFIXES = {".md", ".txt"}
_FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
# Control characters no text file has (tab, newline and carriage return excepted): a binary file.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class ImportError_(Exception):
    """A file that cannot be imported; the message is in Chinese and names the reason."""


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)  # (file, what the parser could not place)

    def summary(self) -> str:
        return f"导入 {len(self.imported)} 个，已存在跳过 {len(self.skipped)} 个，失败 {len(self.failed)} 个。"


def text_files(directory: Path) -> list[Path]:
    """Return the .md/.txt files in ``directory`` (not recursive), sorted by name."""
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)


def source_digest(raw: bytes) -> str:
    """Return the digest that identifies an imported file's content (to skip re-imports)."""
    return hashlib.sha256(raw).hexdigest()


def page_fields(meta: TextMetadata) -> dict:
    """Return the RegulationPage fields that a text's metadata gives (see the module docstring).

    The 发布日期 is left out when it would come before the 成文日期 (which the page refuses): the
    text contradicts itself there, and the 成文日期 is the one its 落款 states.
    """
    publish = meta.publish_date or meta.version_date
    if publish and meta.written_date and publish < meta.written_date:
        publish = None
    return {
        "issuing_authority": meta.issuer[:100], "doc_number": meta.doc_number[:80], "written_date": meta.written_date,
        "publish_date": publish, "effective_date": meta.effective_date, "regulation_kind": meta.rank,
        "amendment_history": meta.history_dicts(),
        "formed_date": publish or meta.written_date or meta.effective_date or timezone.localdate(),
    }


def _unique_slug(parent, title: str) -> str:
    base = slugify(title, allow_unicode=True)[:80] or "regulation"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def issuing_department(code: str | None) -> Department:
    """Return the department whose 机构代码 is ``code``, or by default the bureau (else the first one).

    Raises LookupError with a Chinese message when there is no such department (or none at all).
    """
    if code:
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise LookupError(f"找不到机构代码为 {code} 的部门。")
        return department
    department = Department.objects.filter(is_bureau=True).first() or Department.objects.first()
    if department is None:
        raise LookupError("尚无任何部门，请先创建部门或运行 load_demo。")
    return department


MAX_TEXT_BYTES = 20 * 1024 * 1024  # the longest law of the corpus (刑法) is about 0.2 MB
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def decode_text(raw: bytes) -> tuple[str, str]:
    """Return (text, encoding) of a UTF-8 or GB18030/GBK text; raise ImportError_ (Chinese) otherwise.

    GB18030 decodes many byte strings that are no Chinese text, so a GB18030 reading is taken only
    when nearly every character beyond ASCII is Chinese (汉字 or CJK punctuation).
    """
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportError_("无法读取：既不是 UTF-8 也不是 GB18030/GBK 编码的文本。") from exc
    beyond_ascii = [ch for ch in text if ord(ch) > 127]
    if not beyond_ascii or len(_CJK.findall(text)) < 0.95 * len(beyond_ascii):
        raise ImportError_("无法读取（需为 UTF-8 或 GB18030/GBK 编码的中文文本）。")
    return text, "GB18030"


def read_text_file(path: Path) -> tuple[bytes, str]:
    """Return (raw bytes, text) of a UTF-8 or GB18030 text file; raise ImportError_ (Chinese) for anything else."""
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise ImportError_(f"文件过大（超过 {MAX_TEXT_BYTES // (1024 * 1024)} MB），未导入。")
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportError_(f"无法读取文件：{exc.strerror or exc.__class__.__name__}") from exc
    text, _encoding = decode_text(raw)
    if _BINARY.search(text):
        raise ImportError_("不是文本文件（含有二进制内容），未导入。")
    if not text.strip():
        raise ImportError_("文件内容为空，未导入。")
    return raw, text


def title_from_name(path: Path) -> str:
    """Return the title a file name gives: "某某通知(2018-03-01).txt" -> "某某通知"."""
    return _FILE_DATE.sub("", path.stem).strip() or path.stem


def import_file(path: Path, parent: CategoryIndexPage, department: Department, scope: str,
                notices: list[str] | None = None) -> RegulationPage | None:
    """Import one file as a published RegulationPage; return None when it was imported before.

    Laws, 公文 and texts with neither are all imported; a text without a title line takes its
    file name as title. The parser's notices (lines it could not place, kept as paragraphs) are
    appended to ``notices``. Raises ImportError_ for files that are no text; nothing is written then.
    """
    raw, text = read_text_file(path)
    digest = source_digest(raw)
    if RegulationPage.objects.filter(source_digest=digest).exists():
        return None
    try:
        doc, body = parse_to_stream(text)
    except LawTextError as exc:
        raise ImportError_(str(exc)) from exc
    title = doc.title or title_from_name(path)
    meta = read_metadata(doc, path.name)
    if notices is not None:
        notices.extend(doc.notices + meta.notices)
    page = RegulationPage(
        title=title[:255], slug=_unique_slug(parent, title), body=body, department=department,
        scope=scope, source_digest=digest, **page_fields(meta),
    )
    try:
        with transaction.atomic():
            parent.add_child(instance=page)
            page.save_revision().publish()
    except ValidationError as exc:
        messages = [m for values in exc.message_dict.values() for m in values] if hasattr(exc, "error_dict") \
            else exc.messages
        raise ImportError_("无法保存：" + "；".join(messages)) from exc
    return page


def import_directory(directory: Path, parent, department, scope: str = Scope.PUBLIC, progress=None) -> ImportReport:
    """Import every text file of ``directory``; a failing file is reported and the rest go on."""
    report = ImportReport()
    for path in text_files(directory):
        notices: list[str] = []
        try:
            page = import_file(path, parent, department, scope, notices)
        except ImportError_ as exc:
            report.failed.append((path.name, str(exc)))
        else:
            (report.imported if page else report.skipped).append(path.name)
            report.notices += [(path.name, notice) for notice in notices]
        if progress:
            progress.advance()
    return report
