"""Word (.docx) import: 公文 layout, 编/章/节/条/款/项 structure, the admin preview and draft, bad files."""
import datetime
import io
import os
import tempfile
import zipfile

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from docx.enum.text import WD_ALIGN_PARAGRAPH

from archive.wordimport.docx import CFB_SIGNATURE, DocxImportError, ImportedDocument, parse_cn_date, parse_docx
from portal.models import RegulationPage, Scope
from tests.archive.docx_samples import TABLE_ROWS, gongwen_docx, law_source

LAWS = ["行政处罚法(2021-01-22).md", "刑法.md", "上海市实施《食品安全法》办法.md"]


def _structure(law):
    return ([a.label for a in law.articles()], [(d.kind, d.heading) for d in law.divisions()])


@pytest.fixture
def private_tempdir(tmp_path, monkeypatch):
    """Point tempfile (and so Django's upload handlers) at an empty directory of the test's own."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


# ---------------------------------------------------------------- structure
@pytest.mark.parametrize("name", LAWS)
@pytest.mark.parametrize("heading_styles", [False, True], ids=["centred-bold-headings", "word-heading-styles"])
def test_article_structure_matches_the_source_law(name, heading_styles):
    source = law_source(name)
    imported = parse_docx(gongwen_docx(source, heading_styles=heading_styles)).law()

    assert imported.title == source.title
    assert _structure(imported) == _structure(source)
    table_lines = {"| " + " | ".join(row) + " |" for row in TABLE_ROWS}
    for ours, theirs in zip(imported.articles(), source.articles(), strict=True):
        assert [p for p in ours.paragraphs if p not in table_lines] == theirs.paragraphs, ours.label


def test_chapters_articles_and_items_of_the_administrative_penalty_law():
    doc = parse_docx(gongwen_docx(law_source()))
    law = doc.law()
    articles = {a.label: a for a in law.articles()}

    assert len(articles) == 86
    assert [d.heading for d in law.divisions() if d.kind == "章"][:2] == ["第一章 总则", "第二章 行政处罚的种类和设定"]
    assert "第一节 一般规定" in [d.heading for d in law.divisions() if d.kind == "节"]
    # 款 and 项 stay one line each.
    assert articles["第九条"].paragraphs[0] == "行政处罚的种类："
    assert articles["第九条"].paragraphs[1].startswith("（一）警告")
    assert len(articles["第九条"].paragraphs) == 7


def test_table_becomes_text_rows_of_its_article_with_a_warning():
    doc = parse_docx(gongwen_docx(law_source(), table_after="第五条"))
    fifth = next(a for a in doc.law().articles() if a.label == "第五条")

    assert "| 轻微 | 不予处罚 | 首次违法且及时改正 |" in fifth.paragraphs
    assert any("表格" in w for w in doc.warnings)


def test_red_header_doc_number_issuer_and_dates_are_recognised():
    doc = parse_docx(gongwen_docx(law_source(), doc_number="测政办[2026]018号"))

    assert doc.title == "中华人民共和国行政处罚法"
    assert doc.doc_number == "测政办〔2026〕18号"  # normalised by lib.docnumber
    assert doc.issuer == "测试市人民政府办公室"
    assert doc.written_date == datetime.date(2026, 3, 1)
    assert doc.publish_date == datetime.date(2026, 3, 2)
    assert doc.effective_date == datetime.date(2021, 7, 15)  # 本法自2021年7月15日起施行
    # The signature, date, 附注 and 版记 are not part of the last article.
    assert doc.law().articles()[-1].paragraphs == ["本法自2021年7月15日起施行。"]


def test_law_without_header_takes_publish_date_from_its_history():
    doc = parse_docx(gongwen_docx(law_source(), header="", doc_number="", extra_tail=False))

    assert doc.publish_date == datetime.date(2021, 1, 22)
    assert doc.doc_number == ""
    assert any("发文字号" in w for w in doc.warnings)
    assert doc.law().history and "修订" in doc.law().history[-1]


def _decree_docx() -> bytes:
    """A 政府令 in Title/Normal styles, no font sizes: number above the title, Chinese-numeral date."""
    document = docx.Document()
    document.add_paragraph("测试市人民政府令").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("第 12 号").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("《测试市城市绿化管理办法》已经2026年2月20日市人民政府第10次常务会议通过，现予公布。")
    document.add_paragraph("市长　王某某")
    document.add_paragraph("二〇二六年三月一日")
    document.add_heading("测试市城市绿化管理办法", level=0)
    document.add_paragraph("第一条　为了加强城市绿化管理，制定本办法。")
    document.add_paragraph("第二条　本办法适用于本市城市规划区。")
    document.add_paragraph("第四条　本办法自2026年5月1日起施行。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_decree_number_title_style_and_chinese_numeral_date():
    doc = parse_docx(_decree_docx())

    assert doc.title == "测试市城市绿化管理办法"
    assert doc.doc_number == "测试市人民政府令第12号"
    assert doc.issuer == "测试市人民政府"
    assert doc.written_date == datetime.date(2026, 3, 1)
    assert doc.effective_date == datetime.date(2026, 5, 1)
    assert [a.label for a in doc.law().articles()] == ["第一条", "第二条", "第四条"]
    assert any("条号不连续" in w and "第二条之后是第四条" in w for w in doc.warnings)


def test_chinese_dates_in_every_spelling():
    assert parse_cn_date("2026年3月1日") == datetime.date(2026, 3, 1)
    assert parse_cn_date("二〇二六年十二月三十一日") == datetime.date(2026, 12, 31)
    assert parse_cn_date("２０２６年３月１日") == datetime.date(2026, 3, 1)
    assert parse_cn_date("2026年2月30日") is None


def test_imported_document_survives_the_session_round_trip():
    doc = parse_docx(gongwen_docx(law_source()))
    assert ImportedDocument.from_dict(doc.to_dict()) == doc


# ---------------------------------------------------------------- bad files
def _corrupt() -> bytes:
    data = gongwen_docx(law_source())
    return data[: len(data) // 2]


def _encrypted() -> bytes:
    return CFB_SIGNATURE + os.urandom(4096)


def _renamed_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def _zip_bomb(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * size)
    return out.getvalue()


def _too_large() -> bytes:
    return b"PK\x03\x04" + os.urandom(20 * 1024 * 1024 + 10)


def _not_word_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


BAD_FILES = {
    "corrupt": (_corrupt, "损坏"),
    "encrypted": (_encrypted, "已加密"),
    "renamed-pdf": (_renamed_pdf, "PDF"),
    "zip-bomb-60MB": (lambda: _zip_bomb(60 * 1024 * 1024), "压缩炸弹"),
    "zip-bomb-ratio": (lambda: _zip_bomb(8 * 1024 * 1024), "压缩炸弹"),
    "over-20MB": (_too_large, "20 MB"),
    "excel-renamed": (_not_word_zip, "Excel"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_file_is_refused_in_chinese(kind):
    make, words = BAD_FILES[kind]
    with pytest.raises(DocxImportError) as refused:
        parse_docx(make())
    assert words in str(refused.value)


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_upload_creates_no_draft_and_leaves_no_temp_file(kind, admin_client, site_tree, private_tempdir):
    make, words = BAD_FILES[kind]
    before = RegulationPage.objects.count()
    listing_before = sorted(os.listdir(tempfile.gettempdir()))

    upload = io.BytesIO(make())
    upload.name = "通知.docx"
    response = admin_client.post(reverse("archive_import_docx"), {"file": upload})

    assert response.status_code == 400
    assert words in response.content.decode()
    assert RegulationPage.objects.count() == before
    assert sorted(os.listdir(tempfile.gettempdir())) == listing_before == []


# ---------------------------------------------------------------- admin views
def _upload(client, data: bytes, name="行政处罚法.docx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(reverse("archive_import_docx"), {"file": upload})


def test_upload_form_is_reachable_from_menu_and_laws_section(admin_client, site_tree):
    _, laws = site_tree
    response = admin_client.get(reverse("archive_import_docx"))
    assert response.status_code == 200
    assert "导入Word文件" in response.content.decode()

    explorer = admin_client.get(reverse("wagtailadmin_explore", args=[laws.pk])).content.decode()
    assert reverse("archive_import_docx") + f"?parent={laws.pk}" in explorer.replace("&amp;", "&")
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("archive_import_docx") in home


def test_preview_shows_what_was_recognised_and_creates_nothing(admin_client, site_tree, private_tempdir):
    response = _upload(admin_client, gongwen_docx(law_source()))
    html = response.content.decode()

    assert response.status_code == 200
    for text in ("中华人民共和国行政处罚法", "测政办〔2026〕18号", "测试市人民政府办公室", "2026年3月1日",
                 "2021年7月15日", "8 章，86 条", "第一章 总则", "第五章 行政处罚的决定", "第一节 一般规定",
                 "表格已转换为文字行"):
        assert text in html, text
    assert not RegulationPage.objects.exists()
    assert os.listdir(tempfile.gettempdir()) == []


def test_confirm_creates_a_draft_and_opens_the_editor(admin_client, site_tree, departments):
    _, laws = site_tree
    response = _upload(admin_client, gongwen_docx(law_source()))
    token = response.context["token"]

    response = admin_client.post(reverse("archive_import_docx_confirm"), {
        "token": token, "parent": laws.pk, "department": departments[1].pk, "scope": Scope.PUBLIC,
        "regulation_kind": "law",
    })

    page = RegulationPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert not page.live and page.has_unpublished_changes
    assert page.get_parent().pk == laws.pk
    assert page.department == departments[1] and page.scope == Scope.PUBLIC
    assert page.doc_number == "测政办〔2026〕18号"
    assert page.written_date == datetime.date(2026, 3, 1)
    assert page.effective_date == datetime.date(2021, 7, 15)
    assert len(page.articles()) == 86
    assert page.revisions.count() == 1
    assert admin_client.get(response["Location"]).status_code == 200
    # The preview is used up: a second confirmation creates nothing.
    again = admin_client.post(reverse("archive_import_docx_confirm"), {
        "token": token, "parent": laws.pk, "department": departments[1].pk, "scope": Scope.PUBLIC,
        "regulation_kind": "law"})
    assert again.status_code == 302 and RegulationPage.objects.count() == 1


def test_a_liaison_cannot_file_an_imported_draft_under_another_department(client, site_tree, departments):
    from portal import roles
    from portal.models import User

    _, laws = site_tree
    a, b = departments
    liaison = User.objects.create_user("liaison_a", password="Zhifa-Test-2026", department=a)
    liaison.groups.add(roles.ensure_roles()[roles.LIAISONS])
    client.force_login(liaison)
    token = _upload(client, gongwen_docx(law_source())).context["token"]
    fields = {"token": token, "parent": laws.pk, "scope": Scope.SHARED, "regulation_kind": "law"}
    refused = client.post(reverse("archive_import_docx_confirm"), {**fields, "department": b.pk})
    assert refused.status_code == 400
    assert "只能选择您所在的部门作为发布机构。" in refused.content.decode()
    assert not RegulationPage.objects.exists()
    accepted = client.post(reverse("archive_import_docx_confirm"), {**fields, "department": a.pk})
    assert accepted.status_code == 302
    assert RegulationPage.objects.get().department == a


def test_import_is_refused_to_users_who_cannot_add_pages(client, staff, site_tree):
    client.force_login(staff[0])
    response = client.get(reverse("archive_import_docx"))
    assert response.status_code in (302, 403, 404)
    assert not RegulationPage.objects.exists()


# ---------------------------------------------------------------- command line
def test_command_imports_a_directory_as_drafts_then_skips_them(tmp_path, site_tree, departments, capsys,
                                                               private_tempdir):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "行政处罚法.docx").write_bytes(gongwen_docx(law_source()))
    (tmp_path / "in" / "食品安全.docx").write_bytes(gongwen_docx(law_source(LAWS[2]), doc_number="沪府令〔2011〕66号"))
    (tmp_path / "in" / "坏文件.docx").write_bytes(_encrypted())

    call_command("import_docx", str(tmp_path / "in"), "--department", "ZJB", "--scope", "共享")
    out, err = capsys.readouterr()

    assert "导入 2 个（草稿），已导入过跳过 0 个，失败 1 个" in out
    assert "坏文件.docx" in err and "已加密" in err
    pages = RegulationPage.objects.order_by("title")
    assert [p.live for p in pages] == [False, False]
    assert {p.department.code for p in pages} == {"ZJB"} and {p.scope for p in pages} == {Scope.SHARED}

    call_command("import_docx", str(tmp_path / "in" / "行政处罚法.docx"))
    assert "已导入过跳过 1 个" in capsys.readouterr().out
    assert os.listdir(tempfile.gettempdir()) == []


def test_command_publishes_when_asked(tmp_path, site_tree, departments, capsys):
    path = tmp_path / "绿化.docx"
    path.write_bytes(_decree_docx())

    call_command("import_docx", str(path), "--publish")

    page = RegulationPage.objects.get()
    assert page.live and page.title == "测试市城市绿化管理办法"
    assert "导入 1 个（已发布）" in capsys.readouterr().out
