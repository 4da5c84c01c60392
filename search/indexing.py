"""Turn portal pages into index documents: one per page, plus one per article (or 公文 provision), per discretion
row, and per PDF or Word attachment the page links to.

This is the only place that reads the content model for search; the content
model knows nothing of the index (it only declares its fields).

Attachments: the documents (wagtaildocs) a page references — links in its rich text and StreamField,
document fields — found as Wagtail's reference index finds them (each field's ``extract_references``),
read from the page itself so a publish indexes them at once. Their text (``attachment_text``: .pdf
through pypdf, .docx through python-docx, at most ``MAX_ATTACHMENT_CHARS``) is indexed with the page's
scope and masked as the page is; a hit links to the page and names the file. A file that cannot be
read is skipped with a log line.
"""
import functools
import html
import io
import logging
import re

import docx
import pypdf
from django.utils.html import strip_tags
from wagtail.documents import get_document_model
from wagtail.models import Site
from wagtail.models.sites import SiteRootPath

from portal.models import DiscretionStandardPage, InterpretationPage, NewsPage, RegulationPage, SharedInfoPage
from search.backends.base import IndexDoc

_SPACES = re.compile(r"[ \t\r\f\v]+")
log = logging.getLogger(__name__)

MAX_ATTACHMENTS = 20  # per page
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # as WAGTAILDOCS_MAX_UPLOAD_SIZE: a bigger file is not read
MAX_ATTACHMENT_CHARS = 200_000  # of text kept from one file
MAX_PDF_PAGES = 300
ATTACHMENT_KINDS = ("pdf", "docx")


def plain_text(value) -> str:
    """Return readable plain text from rich-text HTML or a plain string (tags dropped, entities decoded)."""
    text = str(value or "")
    if "<" in text:
        text = re.sub(r"</(p|li|h\d|tr|div)>|<br\s*/?>", "\n", text)
        text = strip_tags(text)
    return _SPACES.sub(" ", html.unescape(text)).strip()


def _stream_text(stream) -> str:
    parts = []
    for block in stream:
        value = block.value
        if hasattr(value, "items"):
            parts.extend(plain_text(v) for k, v in value.items() if isinstance(v, str))
        elif hasattr(value, "get"):
            parts.append(plain_text(value))
        else:
            parts.append(plain_text(value))
    return "\n".join(p for p in parts if p)


def page_body(page) -> str:
    """Return the searchable body text of a specific page, whatever its type."""
    parts = [getattr(page, "summary", "")]
    for name in ("facts", "basis", "decision", "execution_status", "findings", "result", "intro",
                 "applicant", "matter", "inspected_party", "period"):
        parts.append(plain_text(getattr(page, name, "")))
    for name in ("body", "rows", "steps", "data"):
        value = getattr(page, name, None)
        if value is None:
            continue
        if hasattr(value, "stream_block"):
            parts.append(_stream_text(value))
        else:
            parts.append(plain_text(value))
    return "\n".join(p for p in parts if p)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(p for p in parts if p.strip())


def _pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    parts, size = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or size > MAX_ATTACHMENT_CHARS:
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    return "\n".join(parts)


def extract_text(filename: str, data: bytes) -> str:
    """Return the text of a .pdf or .docx file's bytes (at most ``MAX_ATTACHMENT_CHARS``), "" for other kinds.

    Raises whatever the reader raises on a broken file (``attachment_text`` logs and skips it).
    """
    kind = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if kind not in ATTACHMENT_KINDS or not data:
        return ""
    text = _pdf_text(data) if kind == "pdf" else _docx_text(data)
    return _SPACES.sub(" ", text).strip()[:MAX_ATTACHMENT_CHARS]


@functools.lru_cache(maxsize=256)
def _stored_text(document_id: int, file_hash: str, filename: str) -> str:
    """Return the text of a stored document's file, read once per version of the file (the hash)."""
    try:
        document = get_document_model().objects.get(pk=document_id)
        size = document.file.size
        if size > MAX_ATTACHMENT_BYTES:
            log.warning("附件过大，未提取文本：文档 %s（%s，%s 字节）", document_id, filename, size)
            return ""
        with document.open_file() as handle:
            data = handle.read(MAX_ATTACHMENT_BYTES + 1)
        return extract_text(filename, data)
    except Exception as exc:  # noqa: BLE001 - a broken or missing file is skipped, never fails a publish
        log.warning("附件无法提取文本，已跳过：文档 %s（%s）：%s", document_id, filename, exc)
        return ""


def attachment_text(document) -> str:
    """Return the searchable text of a wagtaildocs document ("" when it is not a readable PDF or Word file)."""
    filename = document.filename or ""
    if filename.rsplit(".", 1)[-1].lower() not in ATTACHMENT_KINDS:
        return ""
    return _stored_text(document.pk, document.file_hash or "", filename)


def page_attachments(page) -> list:
    """Return the documents the page references (rich text links, StreamField blocks, document fields), in order."""
    document_model = get_document_model()
    ids: list[str] = []
    for field in page._meta.get_fields():
        if field.is_relation and field.many_to_one and field.related_model is document_model:
            value = field.value_from_object(page)
            if value is not None:
                ids.append(str(value))
        elif hasattr(field, "extract_references"):
            value = field.value_from_object(page)
            if value is None:
                continue
            try:
                references = list(field.extract_references(value))
            except Exception as exc:  # noqa: BLE001 - malformed stored content: the page is indexed without them
                log.warning("无法读取页面 %s 的附件引用（%s）：%s", page.pk, field.name, exc)
                continue
            ids += [str(object_id) for model, object_id, *_ in references
                    if isinstance(model, type) and issubclass(model, document_model)]
    wanted = [int(i) for i in dict.fromkeys(ids) if i.isdigit()][:MAX_ATTACHMENTS]
    documents = document_model.objects.filter(pk__in=wanted).select_related("collection").in_bulk()
    return [documents[i] for i in wanted if i in documents]


def _attachment_documents(page, url: str, fields: dict) -> list[IndexDoc]:
    """Return one index document per readable attachment: the page's scope (no wider), linked to the page."""
    docs = []
    for document in page_attachments(page):
        text = attachment_text(document)
        if not text:
            continue
        scope = fields["scope"]
        if scope in ("公开", "public") and document.collection.get_view_restrictions().exists():
            scope = "共享"  # a file in a restricted collection is never shown to the public, whatever links it
        filename = document.filename
        docs.append(IndexDoc(
            id=f"page:{page.pk}@doc-{document.pk}", page_id=page.pk, url=url,
            title=f"{page.title}（附件：{filename}）", body=f"{document.title}\n{text}",
            extra={"kind": "attachment", "attachment": filename, "document_id": document.pk,
                   "parent_title": page.title}, **{**fields, "scope": scope}))
    return docs


def _with_department(keywords: str, department) -> str:
    """Return the keywords followed by the department's names, so that a search for a department
    (or one of its aliases, through the synonyms) finds what it published, not only texts that
    happen to mention it."""
    names = [department.name, department.short_name] if department is not None else []
    return " ".join(p for p in [keywords or "", *names] if p)


def _base_fields(page) -> dict:
    date = getattr(page, "display_date", None) or (page.first_published_at.date() if page.first_published_at else None)
    if isinstance(page, SharedInfoPage):
        return {
            "doc_number": page.doc_number,
            "keywords": _with_department(page.keywords, page.department if page.department_id else None),
            "category": page.get_category_display(),
            "department": page.department.name if page.department_id else "",
            "owner_department": page.department.code if page.department_id else "",
            "validity": page.get_validity_display(),
            "scope": page.get_scope_display(),
            "date": date,
        }
    # News and interpretations are publicity: always public, no validity.
    department = getattr(page, "department", None)
    return {
        "keywords": _with_department("", department),
        "category": page.specific_class._meta.verbose_name,
        "department": department.name if department else "",
        "owner_department": department.code if department else "",
        "scope": "公开",
        "date": date,
    }


def site_root_paths() -> list:
    """Return Wagtail's site root paths read from the database now.

    ``Page.url`` would otherwise use (and fill) the process-wide cache of Wagtail, which a
    ``Site.objects.update(...)`` or a rolled-back transaction leaves stale: the index would store
    wrong URLs, and a cache filled while indexing in a transaction that is rolled back would
    mislead every later request.
    """
    sites = Site.objects.select_related("root_page", "root_page__locale").order_by(
        "-root_page__url_path", "-is_default_site", "hostname")
    return [SiteRootPath(s.id, s.root_page.url_path, s.root_url, s.root_page.locale.language_code) for s in sites]


def _chapters(page) -> dict[str, str]:
    """Return {article label: the 章 it sits under} ("第七章 法律责任"), for ranking penalty provisions."""
    found, current = {}, ""
    for block in page.body:
        if block.block_type == "division" and block.value.get("kind") == "章":
            current = " ".join(p for p in (block.value.get("label"), block.value.get("title")) if p)
        elif block.block_type == "article" and current:
            found.setdefault(block.value.get("label") or "", current)
    return found


def _headings(page) -> dict[str, str]:
    """Return {article label: the 章 and 节 headings it sits under} ("第五章 行政处罚的决定 第二节 简易程序"):
    indexed with the article, so a heading's words (简易程序) find the articles beneath it."""
    found, chapter, section = {}, "", ""
    for block in page.body:
        if block.block_type == "division":
            heading = " ".join(p for p in (block.value.get("label"), block.value.get("title")) if p)
            if block.value.get("kind") == "章":
                chapter, section = heading, ""
            elif block.value.get("kind") == "节":
                section = heading
        elif block.block_type == "article" and (chapter or section):
            found.setdefault(block.value.get("label") or "", " ".join(h for h in (chapter, section) if h))
    return found


def page_documents(page, root_paths: list | None = None) -> list[IndexDoc]:
    """Return the index documents of one live page (none for pages that are not content).

    ``root_paths`` (from ``site_root_paths()``) saves a query per page when indexing many.
    """
    page = page.specific
    if not isinstance(page, SharedInfoPage | NewsPage | InterpretationPage) or not page.live:
        return []
    page._wagtail_cached_site_root_paths = root_paths if root_paths is not None else site_root_paths()
    url = page.url or ""
    fields = _base_fields(page)
    if fields["scope"] in ("公开", "public") and page.get_view_restrictions().exists():
        # A Wagtail privacy setting (password, login, groups) on the page or above it: never list it
        # for anonymous visitors; signed-in staff see it in results and the page asks for the rest.
        fields["scope"] = "共享"
    docs = [IndexDoc(id=f"page:{page.pk}", page_id=page.pk, url=url, title=page.title, body=page_body(page),
                     extra={"kind": "page"}, **fields)]
    if isinstance(page, RegulationPage):
        chapter_of, headings = _chapters(page), _headings(page)
        for article in page.articles():
            heading = headings.get(article["label"], "")
            docs.append(IndexDoc(
                id=f"page:{page.pk}#{article['label']}", page_id=page.pk, url=f"{url}#{article['label']}",
                title=f"{page.title} {article['label']}", body=article["text"],
                extra={"kind": "article", "article": article["label"], "parent_title": page.title,
                       "chapter": chapter_of.get(article["label"], "")},
                **{**fields, "keywords": " ".join(k for k in (fields.get("keywords") or "", heading) if k)}))
        for provision in page.provisions():
            # A 公文's provisions are answered like articles, linked by their anchor (二（四）3（1）, …-2).
            anchor = provision["anchor"]
            docs.append(IndexDoc(
                id=f"page:{page.pk}#{anchor}", page_id=page.pk, url=f"{url}#{anchor}",
                title=f"{page.title} {provision['label']}",
                body="\n".join(part for part in (provision.get("title"), provision.get("text")) if part),
                extra={"kind": "article", "article": provision["label"], "parent_title": page.title}, **fields))
    if isinstance(page, DiscretionStandardPage):
        for n, block in enumerate(page.rows, start=1):
            row = block.value
            anchor = f"row-{block.id}"
            body = "\n".join(str(row.get(k) or "") for k in
                             ("legal_basis", "penalty_basis", "level", "standard", "conditions"))
            docs.append(IndexDoc(
                id=f"page:{page.pk}#{anchor}", page_id=page.pk, url=f"{url}#{anchor}",
                title=f"{row.get('violation', '')}（{page.title} 第{n}项）", body=body,
                extra={"kind": "row", "row": n, "parent_title": page.title}, **fields))
    docs += _attachment_documents(page, url, fields)
    return docs
