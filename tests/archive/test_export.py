"""Downloads: PDF of any document page, Word of regulations, XLSX/CSV of tables, all behind can_view."""
import csv
import datetime
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from archive.wordimport.docx import parse_docx
from portal.models import DiscretionStandardPage, PenaltyDecisionPage, Scope, StatisticsPage

DATA = Path(__file__).resolve().parent.parent / "data"
DEMO = Path(__file__).resolve().parents[2] / "demo" / "data"
PENALTY_LAW = (DATA / "laws" / "行政处罚法(2021-01-22).md").read_text(encoding="utf-8")


def _pdf_text(data: bytes) -> str:
    """Return the PDF's text with all whitespace removed (line breaks fall anywhere in Chinese)."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def penalty_law(make_regulation):
    title, _, text = PENALTY_LAW.partition("\n")
    return make_regulation(title=title.lstrip("# ").strip(), slug="xzcff", text=text, doc_number="主席令第七十号",
                           publish_date=datetime.date(2021, 1, 22), effective_date=datetime.date(2021, 7, 15),
                           issuing_authority="全国人民代表大会常务委员会")


def test_pdf_of_a_long_regulation_contains_its_chinese_text(client, penalty_law):
    response = client.get(f"/archive/export/{penalty_law.pk}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 10
    text = _pdf_text(response.content)
    for sentence in (
        "中华人民共和国行政处罚法",
        "第一条为了规范行政处罚的设定和实施，保障和监督行政机关有效实施行政管理",
        "第二章行政处罚的种类和设定",
        "第九条行政处罚的种类：（一）警告、通报批评；",
        "第三十三条违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。",
        "第五章行政处罚的决定第一节一般规定",
        "第八十六条本法自2021年7月15日起施行。",
        "发文字号主席令第七十号",
    ):
        assert sentence in text, sentence


def test_docx_export_round_trips_through_the_importer(client, penalty_law):
    response = client.get(f"/archive/export/{penalty_law.pk}.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")

    doc = parse_docx(response.content)
    law = doc.law()
    assert doc.title == penalty_law.title
    assert doc.doc_number == "主席令第七十号"
    assert doc.publish_date == datetime.date(2021, 1, 22) and doc.effective_date == datetime.date(2021, 7, 15)
    assert [a.label for a in law.articles()] == [a["label"] for a in penalty_law.articles()]
    assert [a.text for a in law.articles()] == [a["text"] for a in penalty_law.articles()]
    chapters = [(e["label"], e["title"]) for e in penalty_law.toc()]
    assert [(d.label, d.title) for d in law.divisions()] == chapters


def _discretion(site_tree, departments, scope=Scope.PUBLIC):
    _, section = site_tree
    data = json.loads((DEMO / "discretion.json").read_text(encoding="utf-8"))
    rows = data["rows"][:4] + [{"violation": "=HYPERLINK(\"http://evil.example\")", "legal_basis": "-", "penalty_basis": "@x",
                                "level": "一般", "standard": "+1", "conditions": ""}]
    page = DiscretionStandardPage(title=data["title"], department=departments[0], scope=scope, intro=data["intro"],
                                  formed_date=datetime.date(2025, 6, 10),
                                  rows=[{"type": "row", "value": row} for row in rows])
    section.add_child(instance=page)
    page.save_revision().publish()
    return page, rows


def test_discretion_xlsx_has_every_row_and_no_formula(client, site_tree, departments):
    page, rows = _discretion(site_tree, departments)

    response = client.get(f"/archive/export/{page.pk}/discretion.xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["序号", "违法行为", "法律依据", "处罚依据", "违法情节/裁量阶次", "处罚标准/裁量幅度", "适用条件"]
    assert len(values) == 1 + len(rows)
    assert values[1][0] == 1 and values[1][1] == rows[0]["violation"] and values[1][5] == rows[0]["standard"]
    assert values[5][1] == rows[4]["violation"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_discretion_csv_is_utf8_with_bom_and_defused(client, site_tree, departments):
    page, rows = _discretion(site_tree, departments)

    response = client.get(f"/archive/export/{page.pk}/discretion.csv")

    assert response.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(table) == 1 + len(rows)
    assert table[2][1] == rows[1]["violation"]
    assert table[5][1].startswith("'=") and table[5][3] == "'@x" and table[5][5] == "'+1"


def test_statistics_xlsx_and_csv_keep_numbers(client, site_tree, departments):
    _, section = site_tree
    table = {"data": [["部门", "行政处罚案件数", "罚没金额（万元）"], ["区综合行政执法局", "486", "58.7"],
                      ["区食药局", "173", "12.5"]], "first_row_is_table_header": True}
    page = StatisticsPage(title="2026年第三季度行政执法情况统计", department=departments[0], scope=Scope.PUBLIC,
                          period="2026年第三季度", formed_date=datetime.date(2026, 10, 12),
                          data=[{"type": "table", "value": table}])
    section.add_child(instance=page)
    page.save_revision().publish()

    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/archive/export/{page.pk}/statistics.xlsx").content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["部门", "行政处罚案件数", "罚没金额（万元）"], ["区综合行政执法局", 486, 58.7], ["区食药局", 173, 12.5]]
    rows = list(csv.reader(io.StringIO(client.get(f"/archive/export/{page.pk}/statistics.csv").content.decode("utf-8-sig"))))
    assert rows[1] == ["区综合行政执法局", "486", "58.7"]
    assert "486" in _pdf_text(client.get(f"/archive/export/{page.pk}.pdf").content)


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_shared_regulation_is_404_for_anonymous_and_served_to_staff(client, make_regulation, staff, suffix):
    page = make_regulation(title="内部共享办法", slug="shared-rule", scope=Scope.SHARED)

    refused = client.get(f"/archive/export/{page.pk}{suffix}")
    assert refused.status_code == 404
    assert "页面不存在" in refused.content.decode()

    client.force_login(staff[1])
    assert client.get(f"/archive/export/{page.pk}{suffix}").status_code == 200


def test_internal_table_is_404_for_other_departments(client, site_tree, departments, staff):
    page, _ = _discretion(site_tree, departments, scope=Scope.INTERNAL)

    client.force_login(staff[1])  # department B; the page belongs to A
    assert client.get(f"/archive/export/{page.pk}/discretion.xlsx").status_code == 404
    client.force_login(staff[0])
    assert client.get(f"/archive/export/{page.pk}/discretion.xlsx").status_code == 200


def test_unknown_draft_or_wrong_kind_is_404(client, make_regulation, site_tree, departments):
    page = make_regulation(slug="public-rule")
    assert client.get(f"/archive/export/{page.pk}/discretion.csv").status_code == 404
    assert client.get("/archive/export/999999.pdf").status_code == 404
    page.unpublish()
    assert client.get(f"/archive/export/{page.pk}.pdf").status_code == 404


def test_penalty_decision_pdf_is_masked_for_the_public(client, site_tree, departments, staff):
    _, section = site_tree
    page = PenaltyDecisionPage(
        title="行政处罚决定书（张三占道经营案）", department=departments[0], scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 3, 2), party_name="张三", party_id_number="370306198705123411",
        party_phone="13812345678", party_address="周村区丝绸路街道某路18号3号楼2单元301室",
        facts="2026年3月1日，张三在某路占道经营。", decision="罚款200元", fine_amount=200)
    section.add_child(instance=page)
    page.save_revision().publish()

    public = _pdf_text(client.get(f"/archive/export/{page.pk}.pdf").content)
    assert "张某" in public and "张三" not in public
    assert "370306198705123411" not in public and "370306********3411" in public
    assert "13812345678" not in public and "某路18号" not in public
    assert "个人信息作了隐藏处理" in public

    client.force_login(staff[0])
    internal = _pdf_text(client.get(f"/archive/export/{page.pk}.pdf").content)
    assert "张三" in internal and "370306198705123411" in internal


def test_export_links_template_offers_the_formats_of_each_kind(rf, make_regulation, site_tree, departments):
    regulation = make_regulation(slug="links-rule")
    discretion, _ = _discretion(site_tree, departments)

    html = render_to_string("archive/includes/export_links.html", {"page": regulation})
    assert f"/archive/export/{regulation.pk}.pdf" in html and f"/archive/export/{regulation.pk}.docx" in html
    html = render_to_string("archive/includes/export_links.html", {"page": discretion})
    assert f"/archive/export/{discretion.pk}/discretion.xlsx" in html and ".docx" not in html
