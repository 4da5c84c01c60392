"""PDF and Word attachments are searchable with their page: same scope, linked to the page, the file named."""

from __future__ import annotations

import datetime
import io
import logging

import docx
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from wagtail.documents import get_document_model

from portal.models import CategoryIndexPage, OtherSharedInfoPage, Scope
from search import indexing, service

ANONYMOUS = AnonymousUser()


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "表格中的渣土运输车辆核准"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(text: str) -> bytes:
    """Return a one-page PDF showing ``text`` (ASCII) in Helvetica."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    font = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                                NameObject("/Subtype"): NameObject("/Type1"),
                                                NameObject("/BaseFont"): NameObject("/Helvetica")}))
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- extraction (no database) ------------------------------------------------------------------------

def test_the_text_of_a_word_file_is_read_with_its_tables():
    text = indexing.extract_text("方案.docx", docx_bytes("渣土车沿途抛洒滴漏专项整治"))
    assert "渣土车沿途抛洒滴漏专项整治" in text and "表格中的渣土运输车辆核准" in text


def test_the_text_of_a_pdf_file_is_read():
    assert "billboard permit renewal" in indexing.extract_text("notice.PDF", pdf_bytes("billboard permit renewal"))


def test_extracted_text_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setattr(indexing, "MAX_ATTACHMENT_CHARS", 10)
    assert len(indexing.extract_text("a.docx", docx_bytes("一二三四五六七八九十甲乙丙丁"))) == 10


def test_files_of_other_kinds_give_no_text():
    assert indexing.extract_text("表.xlsx", b"PK\x03\x04whatever") == ""
    assert indexing.extract_text("noextension", b"%PDF-1.4") == ""


# --- the index -------------------------------------------------------------------------------------

@pytest.fixture
def attach(site_tree, departments, settings, tmp_path):
    """Return a function publishing an 其他共享信息 page linking to an uploaded file (and the document)."""
    settings.MEDIA_ROOT = str(tmp_path)
    home, _ = site_tree
    section = CategoryIndexPage(title="其他共享信息", slug="other", section="other")
    home.add_child(instance=section)
    section.save_revision().publish()

    def make(title, filename, data, scope=Scope.PUBLIC, slug=None):
        document = get_document_model()(title=f"{title}附件")
        document.file.save(filename, ContentFile(data), save=True)
        page = OtherSharedInfoPage(title=title, slug=slug or f"p{document.pk}", department=departments[0],
                                   scope=scope, formed_date=datetime.date(2026, 11, 2),
                                   body=f'<p>详见附件。</p><p><a linktype="document" id="{document.pk}">{filename}</a></p>')
        section.add_child(instance=page)
        page.save_revision().publish()
        return page, document

    return make


@pytest.mark.django_db
def test_an_attachments_words_find_the_page_and_the_hit_names_the_file(attach):
    page, document = attach("城区渣土运输管理通知", "zhatu.docx", docx_bytes("渣土车沿途抛洒滴漏专项整治"))
    results = [r for r in service.search(ANONYMOUS, "抛洒滴漏").results if r.kind == "attachment"]
    assert [r.url for r in results] == [page.url]
    assert document.filename in results[0].title and page.title in results[0].title


@pytest.mark.django_db
def test_a_non_public_pages_attachment_is_never_found_by_an_anonymous_search(attach, staff):
    attach("部门间共享的整治方案", "shared.docx", docx_bytes("夜间施工噪声扰民联合执法"), scope=Scope.SHARED)
    assert service.search(ANONYMOUS, "施工噪声扰民").count == 0
    assert service.search(ANONYMOUS, "shared.docx").count == 0
    assert [r.kind for r in service.search(staff[1], "施工噪声扰民").results] == ["attachment"]


@pytest.mark.django_db
def test_a_broken_file_is_skipped_with_a_log_line_and_the_page_still_indexed(attach, caplog):
    with caplog.at_level(logging.WARNING, logger="search.indexing"):
        page, _ = attach("损坏附件的通知", "broken.pdf", b"%PDF-1.4 this is not a pdf at all")
    assert "附件无法提取文本" in caplog.text
    assert [r.url for r in service.search(ANONYMOUS, "损坏附件的通知").results] == [page.url]
