"""Imported texts carry the metadata they state (lib.textmeta): import_texts and the .docx import fill 制定机关,
发文字号, dates, 效力位阶 and the 修正/修订 history; the regulation page shows them; lists and feeds show the
document's own date, not the day it was imported."""
from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from archive.wordimport.docx import create_regulation, parse_docx
from portal.models import RegulationPage, Scope
from tests.archive.docx_samples import gongwen_docx, law_source

DATA = Path(__file__).resolve().parent.parent / "data"
DIRECTIVE = Path(__file__).resolve().parent.parent / "fixtures" / "zhouzhengban-2018-18.txt"
PENALTY_LAW = DATA / "laws" / "行政处罚法(2021-01-22).md"
SHANGHAI = DATA / "laws" / "上海市实施《食品安全法》办法.md"
D = datetime.date


def _import(tmp_path, *files) -> None:
    for path in files:
        shutil.copy(path, tmp_path)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_texts", str(tmp_path), stdout=out, stderr=err)
    assert f"导入 {len(files)} 个" in out.getvalue(), err.getvalue()


def test_an_imported_law_carries_its_issuer_rank_dates_and_amendments(tmp_path, site_tree, departments, client):
    _import(tmp_path, PENALTY_LAW)
    page = RegulationPage.objects.get(title="中华人民共和国行政处罚法")
    assert (page.issuing_authority, page.regulation_kind) == ("全国人民代表大会常务委员会", "law")
    assert (page.publish_date, page.effective_date, page.formed_date) == (D(2021, 1, 22), D(2021, 7, 15), D(2021, 1, 22))
    assert page.written_date is None and page.doc_number == ""  # the text states neither
    assert [(e["date"], e["label"]) for e in page.amendment_history] == [
        ("1996-03-17", "通过"), ("2009-08-27", "第一次修正"), ("2017-09-01", "第二次修正"), ("2021-01-22", "修订")]

    html = client.get(page.url).content.decode()
    assert "<th scope=\"row\">效力位阶</th><td>法律</td>" in html
    assert "<th scope=\"row\">制定机关</th><td>全国人民代表大会常务委员会</td>" in html
    assert "2009年8月27日第一次修正；2017年9月1日第二次修正；2021年1月22日修订" in html


def test_the_directive_imports_with_its_header_and_no_invented_date(tmp_path, site_tree, departments):
    _import(tmp_path, DIRECTIVE)
    page = RegulationPage.objects.get()
    assert (page.doc_number, page.issuing_authority, page.regulation_kind) == (
        "周政办字〔2018〕18号", "周村区人民政府办公室", "normative")
    assert (page.written_date, page.publish_date, page.effective_date) == (None, None, None)
    assert page.amendment_history == []


def test_a_text_that_names_no_issuer_leaves_issuer_and_rank_empty(tmp_path, site_tree, departments):
    _import(tmp_path, SHANGHAI)
    page = RegulationPage.objects.get()
    assert (page.issuing_authority, page.regulation_kind, page.publish_date) == ("", "", None)
    assert page.effective_date == D(2011, 9, 1)  # "本办法自2011年9月1日起施行"
    assert page.formed_date == D(2011, 9, 1)


def test_lists_and_feeds_show_the_documents_own_date_not_the_import_day(tmp_path, site_tree, departments, client):
    _import(tmp_path, SHANGHAI, PENALTY_LAW)
    today = timezone.localdate().isoformat()
    page = RegulationPage.objects.get(title__startswith="上海市")
    assert page.display_date == D(2011, 9, 1)

    home = client.get("/").content.decode()
    assert '<time datetime="2011-09-01">2011-09-01</time>' in home
    assert '<time datetime="2021-01-22">2021-01-22</time>' in home
    assert f'<time datetime="{today}">' not in home
    # Newest first by the documents' own dates: the 2021 law above the 2011 measures.
    assert home.index("中华人民共和国行政处罚法") < home.index("上海市实施")

    section = client.get("/laws/").content.decode()
    assert "2011-09-01" in section and f'<time datetime="{today}">' not in section
    feed = client.get("/feeds/laws/rss/").content.decode()
    assert "01 Sep 2011" in feed and "22 Jan 2021" in feed


def test_a_page_created_by_an_editor_keeps_its_formed_date_when_it_has_no_other(make_regulation):
    page = make_regulation(title="某项管理办法", slug="editor-made")
    assert page.display_date == page.formed_date == D(2026, 3, 2)


def test_the_docx_import_reads_the_history_and_rank_the_layout_does_not_give(site_tree, departments):
    _, laws = site_tree
    doc = parse_docx(gongwen_docx(law_source(), header="", doc_number="", extra_tail=False), "行政处罚法.docx")
    page = create_regulation(doc, laws, departments[0], Scope.PUBLIC)
    assert (page.regulation_kind, page.issuing_authority) == ("law", "全国人民代表大会常务委员会")
    assert [e["label"] for e in page.amendment_history] == ["通过", "第一次修正", "第二次修正", "修订"]
    assert page.effective_date == D(2021, 7, 15)


def test_the_docx_import_keeps_what_its_layout_gives(site_tree, departments):
    _, laws = site_tree
    doc = parse_docx(gongwen_docx(law_source()), "文件.docx")  # red header, 发文字号, 落款 and 印发 lines
    page = create_regulation(doc, laws, departments[0], Scope.PUBLIC, regulation_kind="normative")
    assert (page.doc_number, page.issuing_authority) == ("测政办〔2026〕18号", "测试市人民政府办公室")
    assert (page.written_date, page.publish_date, page.regulation_kind) == (D(2026, 3, 1), D(2026, 3, 2), "normative")
