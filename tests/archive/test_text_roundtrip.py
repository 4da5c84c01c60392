"""Nothing dropped: every path that stores a text keeps every character of it, in order.

For each text of the repo's corpora (tests/data, portal/demo, tests/fixtures — the directive —
and the law corpus tests/corpus/laws) and for generated mixed structures: parse → store →
export plain text → equal to the source, whitespace and markup (``#``, ``**``, HTML comment
lines) aside. The paths: ``RegulationPage.set_text`` (through the StreamField's JSON, as in the
database), ``import_texts``, the admin paste box and the .docx import.
"""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from archive.wordimport.docx import create_regulation, parse_docx
from lib.lawtext import parse_document, source_characters
from portal.models import RegulationPage, Scope, User
from tests.lawcorpus import law_files

ROOT = Path(__file__).resolve().parents[2]
REPO_TEXTS = sorted(
    [*ROOT.glob("tests/data/**/*.md"), *ROOT.glob("demo/data/**/*.md"), *ROOT.glob("tests/fixtures/*.txt")])
CORPUS_TEXTS = law_files()
DIRECTIVE = ROOT / "tests" / "fixtures" / "zhouzhengban-2018-18.txt"
BODY = RegulationPage._meta.get_field("body")


def stored_text(text: str, title: str | None = None) -> str:
    """Return the plain text of a page whose body was set from ``text`` and went through the database's JSON.

    The page takes the text's own title; a text without one gets none here (import_texts would
    give it the file's name, which the export then shows above the text).
    """
    page = RegulationPage(title=title or parse_document(text).title)
    page.set_text(text, title)
    page.body = BODY.to_python(BODY.get_prep_value(page.body))
    return page.plain_text()


def test_the_corpora_are_found():
    assert DIRECTIVE in REPO_TEXTS and len(REPO_TEXTS) >= 20


@pytest.mark.parametrize("path", REPO_TEXTS, ids=lambda p: p.stem)
def test_set_text_keeps_every_character_of_each_repo_text(path):
    source = path.read_text(encoding="utf-8")
    assert source_characters(stored_text(source)) == source_characters(source)


@pytest.mark.parametrize("path", CORPUS_TEXTS, ids=lambda p: p.stem)
def test_set_text_keeps_every_character_of_each_corpus_law(path):
    source = path.read_text(encoding="utf-8")
    assert source_characters(stored_text(source)) == source_characters(source)


def test_directive_was_losing_its_paragraphs_and_now_keeps_them():
    source = DIRECTIVE.read_text(encoding="utf-8")
    kept = source_characters(stored_text(source))
    assert len(kept) == len(source_characters(source)) > 5000
    assert "深入贯彻落实中央、省、市有关文件精神" in kept and "区检察院。" in kept


# ---------------------------------------------------------------- generated mixed structures
_WORDS = "综合行政执法部门应当依法履行职责协作配合信息共享本条例城市管理"
_sentence = st.text(alphabet=_WORDS + "，。；：、（）“”", min_size=1, max_size=24)
_line = st.one_of(
    _sentence,
    st.builds(lambda n, s: f"第{n}条 {s}", st.sampled_from(["一", "二", "十", "3", "十二"]), _sentence),
    st.builds(lambda n, s: f"第{n}章 {s}", st.sampled_from(["一", "二"]), _sentence),
    st.builds(lambda m, s: m + s, st.sampled_from(["一、", "二、", "（一）", "（三）", "1．", "2.", "3、", "（1）", "⑵",
                                                   "①", "②", "附件", "附件1", "抄送：", "## "]), _sentence),
    st.sampled_from(["2021年5月1日", "某区人民政府办公室", "某政办发〔2021〕7号", "各有关单位：", "目录", "（此件公开发布）",
                     "<!-- INFO END -->", "<!-- FORCE BREAK -->", "**加粗**的文字。", "第十条之一 引用。"]),
)
_texts = st.builds(lambda title, lines, blank: (title + "\n" + ("\n" * blank).join(lines) + "\n"),
                   st.sampled_from(["# 某区某项工作办法", "关于某项工作的意见", "某市城市管理条例", ""]),
                   st.lists(_line, min_size=1, max_size=25), st.integers(1, 2))


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_generated_mixed_structures_keep_every_character(text):
    if not source_characters(text):
        return  # only markup: refused as empty (see test_gongwen), nothing to keep
    assert source_characters(stored_text(text)) == source_characters(text)


@settings(max_examples=100, deadline=None)
@given(_texts)
def test_generated_bodies_pasted_under_a_page_title_keep_every_character(text):
    if not source_characters(text):
        return
    kept = source_characters(stored_text(text, title="某页面标题"))
    # The page title heads the export unless the body spells it itself.
    assert kept in (source_characters(text), source_characters("某页面标题") + source_characters(text))


# ---------------------------------------------------------------- import_texts
def test_import_texts_stores_every_character_of_each_file(tmp_path, site_tree, departments):
    for path in [DIRECTIVE, *sorted(ROOT.glob("tests/data/laws/*.md"))]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    out, err = io.StringIO(), io.StringIO()
    call_command("import_texts", str(tmp_path), stdout=out, stderr=err)
    assert "失败 0 个" in out.getvalue(), err.getvalue()
    for path in sorted(tmp_path.iterdir()):
        source = path.read_text(encoding="utf-8")
        page = RegulationPage.objects.get(title=parse_document(source).title)
        assert source_characters(page.plain_text()) == source_characters(source), path.name


# ---------------------------------------------------------------- the admin paste box
@pytest.fixture
def admin_client(client, departments):
    admin = User.objects.create_superuser("root", "root@example.gov.cn", "pw-root", department=departments[0])
    client.force_login(admin)
    return client


def paste(client, parent, departments, title: str, text: str):
    data = nested_form_data({
        "title": title, "slug": "pasted", "department": departments[0].pk, "scope": Scope.SHARED,
        "doc_number": "", "index_number": "", "formed_date": "2026-03-02", "written_date": "", "publish_date": "",
        "effective_date": "", "abolished_date": "", "validity": "in_force", "keywords": "", "summary": "",
        "regulation_kind": "normative", "issuing_authority": "", "revision_basis": "", "full_text": text,
        "body": streamfield([]), "comments": inline_formset([]),
    })
    return client.post(reverse("wagtailadmin_pages:add", args=("portal", "regulationpage", parent.pk)), data)


@pytest.mark.parametrize("path", [DIRECTIVE, ROOT / "tests/data/laws/行政处罚法(2021-01-22).md"], ids=lambda p: p.stem)
def test_admin_paste_stores_every_character_of_the_pasted_text(admin_client, site_tree, departments, path):
    source = path.read_text(encoding="utf-8")
    title = parse_document(source).title
    response = paste(admin_client, site_tree[1], departments, title, source)
    assert response.status_code == 302, response.content.decode()[:1500]
    page = RegulationPage.objects.get(slug="pasted").get_latest_revision_as_object()
    assert source_characters(page.plain_text()) == source_characters(source)


def test_admin_paste_of_a_gongwen_stores_its_provisions(admin_client, site_tree, departments):
    source = DIRECTIVE.read_text(encoding="utf-8")
    response = paste(admin_client, site_tree[1], departments, "关于加强综合行政执法协作配合的实施意见", source)
    assert response.status_code == 302
    page = RegulationPage.objects.get(slug="pasted").get_latest_revision_as_object()
    anchors = [p["anchor"] for p in page.provisions()]
    assert "二（四）3（1）" in anchors and len(anchors) == len(set(anchors)) == 43


def test_admin_paste_tells_the_editor_what_it_kept_as_a_paragraph(admin_client, site_tree, departments):
    text = "关于某事项的通知\n一、甲\n（一）子甲。\n（二）子乙。\n（二）重复的项。\n"
    response = paste(admin_client, site_tree[1], departments, "关于某事项的通知", text)
    assert response.status_code == 302
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("粘贴全文：第5行“（二）重复的项。”" in w and "已作为段落保留在原处" in w for w in warnings), warnings
    page = RegulationPage.objects.get(slug="pasted").get_latest_revision_as_object()
    assert source_characters(page.plain_text()) == source_characters(text)


# ---------------------------------------------------------------- the .docx import
def docx_of(text: str) -> tuple[bytes, list[str]]:
    """Return a .docx with one paragraph per non-blank line of ``text`` (its title centred and large), and the lines."""
    doc = parse_document(text)
    lines = [line.strip().lstrip("#").strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not (line.startswith("<!--") and line.endswith("-->"))]
    document = docx.Document()
    for line in lines:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(line)
        if line == doc.title:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.font.size, run.bold = Pt(22), True
        else:
            run.font.size = Pt(16)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), lines


@pytest.mark.parametrize("path", [DIRECTIVE, *sorted(ROOT.glob("tests/data/laws/*.md"))], ids=lambda p: p.stem)
def test_docx_import_stores_every_character_of_the_document(site_tree, departments, path):
    data, lines = docx_of(path.read_text(encoding="utf-8"))
    imported = parse_docx(data, filename=path.stem + ".docx")
    page = create_regulation(imported, site_tree[1], departments[0], Scope.SHARED)
    assert source_characters(page.plain_text()) == source_characters("\n".join(lines))


def test_docx_import_of_the_directive_keeps_its_parts(site_tree, departments):
    data, _ = docx_of(DIRECTIVE.read_text(encoding="utf-8"))
    imported = parse_docx(data, filename="zhouzhengban-2018-18.docx")
    assert imported.title == "关于加强综合行政执法协作配合的实施意见"
    assert imported.doc_number == "周政办字〔2018〕18号"
    page = create_regulation(imported, site_tree[1], departments[0], Scope.SHARED)
    roles = [block.value["role"] for block in page.body if block.block_type == "passage"]
    assert roles[:4] == ["issuer", "title", "doc_number", "addressee"] and roles[-2:] == ["copy", "copy"]
    assert len(page.provisions()) == 43
