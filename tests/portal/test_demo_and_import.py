"""load_demo (idempotent, refused without DEBUG) and import_texts (skips, reports, never half-imports)."""
import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page, Workflow

from demo.directive import DirectiveTextError, read_directive
from demo.loader import LoadReport, load_departments
from portal import roles
from portal.models import Department, RegulationPage, Scope, User

DATA = Path(__file__).resolve().parent.parent / "data" / "laws"
DIRECTIVE_SOURCE = Path(__file__).resolve().parents[2] / "demo" / "data" / "zhouzhengban-2018-18.txt"
DIRECTIVE = Path(__file__).resolve().parent.parent / "fixtures" / "zhouzhengban-2018-18.txt"


def test_the_demo_departments_are_the_17_member_units_of_二四1_in_its_order_and_words(db):
    text = DIRECTIVE_SOURCE.read_text(encoding="utf-8")
    named = re.search(r"部门联席会议成员单位由(.+?)等组成", text).group(1).split("、")
    assert len(named) == 17
    load_departments(LoadReport(), roles.ensure_roles())
    members = Department.objects.filter(is_member=True).order_by("sort_order")
    assert [d.short_name for d in members] == named
    assert all(d.name.startswith(("淄博市周村区", "淄博市公安局周村", "淄博市环境保护局周村", "淄博市规划局周村"))
               for d in members)
    assert Department.objects.get(is_bureau=True).short_name == "区综合行政执法局"
    coordinating = Department.objects.filter(is_member=False)
    assert {d.short_name for d in coordinating} == {"区编办", "区政府办公室"}
    # Later merged names are aliases: searching 区市场监督管理局 finds both units merged into it.
    merged = {d.short_name for d in Department.objects.all() if "区市场监督管理局" in d.alias_list()}
    assert merged == {"区工商局", "区食药局"}


@pytest.mark.django_db
def test_load_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_roles_and_the_two_step_workflow_exist_after_migrate():
    workflow = Workflow.objects.get(name=roles.WORKFLOW_NAME)
    assert workflow.active
    assert [t.name for t in workflow.tasks] == [roles.TASK_REVIEW, roles.TASK_SIGN]
    assert Page.get_first_root_node().get_workflow() == workflow
    assert not Workflow.objects.filter(active=True).exclude(pk=workflow.pk).exists()


def test_import_texts_imports_skips_and_reports_bad_files(tmp_path, site_tree, departments):
    shutil.copy(DATA / "行政处罚法(2021-01-22).md", tmp_path)
    (tmp_path / "乱码.txt").write_bytes(b"\xff\xfe\x00garbage\x81")
    (tmp_path / "空白.txt").write_text("  \n\n\u3000\n", encoding="utf-8")
    (tmp_path / "二进制.md").write_bytes(b"PK\x03\x04\x00\x01binary")
    (tmp_path / "无条文.md").write_text("# 只有标题\n\n没有任何条文的说明。", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_texts", str(tmp_path), "--scope", "共享", "--department", "ZJB", stdout=out, stderr=err)
    page = RegulationPage.objects.get(title="中华人民共和国行政处罚法")
    assert len(page.articles()) == 86
    assert page.live and page.scope == Scope.SHARED and page.department.code == "ZJB"
    assert page.publish_date.isoformat() == "2021-01-22"
    assert "导入 2 个" in out.getvalue() and "失败 3 个" in out.getvalue()
    assert "乱码.txt：无法读取" in err.getvalue()
    assert "空白.txt：文件内容为空" in err.getvalue() and "二进制.md：不是文本文件" in err.getvalue()
    # A text without 第X条 is no bad file: it is kept as paragraphs.
    plain = RegulationPage.objects.get(title="只有标题")
    assert plain.articles() == [] and "没有任何条文的说明。" in plain.plain_text()
    assert RegulationPage.objects.count() == 2  # nothing half-imported from the bad files

    out = io.StringIO()
    call_command("import_texts", str(tmp_path), stdout=out, stderr=io.StringIO())
    assert "已存在跳过 2 个" in out.getvalue()
    assert RegulationPage.objects.count() == 2


def test_a_gb18030_text_is_imported_with_every_character_and_latin1_noise_is_refused(tmp_path, site_tree,
                                                                                       departments):
    source = (DATA / "行政处罚法(2021-01-22).md").read_text(encoding="utf-8")
    (tmp_path / "行政处罚法(2021-01-22).md").write_bytes(source.encode("gb18030"))
    (tmp_path / "西文.txt").write_bytes("Café déjà vu, naïve façade, résumé".encode("latin-1"))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_texts", str(tmp_path), stdout=out, stderr=err)
    page = RegulationPage.objects.get(title="中华人民共和国行政处罚法")
    assert len(page.articles()) == 86
    stored = page.plain_text()
    content = [line.strip("# ").strip() for line in source.splitlines() if line.strip() != "<!-- INFO END -->"]
    missing = [line for line in content if line and line not in stored]
    assert missing == []
    assert "西文.txt：无法读取" in err.getvalue()
    assert RegulationPage.objects.count() == 1


def test_an_enormous_file_is_refused_before_it_is_read(tmp_path, site_tree, departments, monkeypatch):
    from portal import importer

    monkeypatch.setattr(importer, "MAX_TEXT_BYTES", 1000)
    (tmp_path / "巨大.txt").write_text("第一条 " + "很长的文字。" * 400, encoding="utf-8")
    err = io.StringIO()
    call_command("import_texts", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert "巨大.txt：文件过大" in err.getvalue()
    assert not RegulationPage.objects.exists()


def test_import_texts_imports_the_directive_as_a_gongwen_with_all_its_provisions(tmp_path, site_tree, departments,
                                                                                 client):
    shutil.copy(DIRECTIVE, tmp_path)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_texts", str(tmp_path), stdout=out, stderr=err)
    assert "导入 1 个" in out.getvalue() and "失败 0 个" in out.getvalue(), err.getvalue()
    page = RegulationPage.objects.get(title="关于加强综合行政执法协作配合的实施意见")
    provisions = page.provisions()
    assert len(provisions) == 43 and page.articles() == []
    cited = next(p for p in provisions if p["anchor"] == "二（四）3（1）")
    assert (cited["level"], cited["marker"], cited["label"]) == ("4", "（1）", "二（四）3（1）")
    assert "应当在2个工作日内将有关证据材料移送综合行政执法部门" in cited["text"]
    assert [e["label"] for e in page.toc()][:3] == ["一、", "二、", "（一）"]
    html = client.get(page.url).content.decode()
    assert 'id="二（四）3（1）"' in html and "深入贯彻落实中央、省、市有关文件精神" in html


def test_import_texts_takes_the_file_name_as_title_of_a_text_without_one(tmp_path, site_tree, departments):
    (tmp_path / "某项工作说明(2024-05-06).txt").write_text("第一条 这是没有标题行的文本。\n", encoding="utf-8")
    call_command("import_texts", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    page = RegulationPage.objects.get()
    assert page.title == "某项工作说明" and page.publish_date.isoformat() == "2024-05-06"
    assert [a["label"] for a in page.articles()] == ["第一条"]


def test_import_texts_reports_what_the_parser_could_not_place(tmp_path, site_tree, departments):
    (tmp_path / "通知.txt").write_text("关于某事项的通知\n一、甲\n（一）子甲。\n（二）子乙。\n（二）重复。\n",
                                      encoding="utf-8")
    err = io.StringIO()
    call_command("import_texts", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert "提示：通知.txt：第5行“（二）重复。”的编号“（二）”不接续前一项“（二）”" in err.getvalue()
    assert "（二）重复。" in RegulationPage.objects.get().plain_text()


def test_import_texts_rejects_a_missing_directory_in_chinese(site_tree, departments):
    with pytest.raises(CommandError, match="目录不存在"):
        call_command("import_texts", "/no/such/dir")


def test_admin_login_page_reads_chinese(client, db):
    html = client.get("/admin/login/").content.decode()
    assert "登录" in html and "Sign in" not in html
    assert "<title>登录 - 综合行政执法信息共享平台" in html


def test_a_text_without_the_head_of_a_gongwen_is_refused_in_chinese():
    with pytest.raises(DirectiveTextError, match="不是完整的公文"):
        read_directive("某某情况说明\n\n正文一段。")
    head = "周村区人民政府办公室\n关于某事的通知\n周政办字〔2018〕18号\n各镇政府：\n一、总体要求\n正文。\n二、工作任务\n正文。"
    with pytest.raises(DirectiveTextError, match="缺少抄送"):
        read_directive(head)
    read = read_directive(head + "\n 抄送：区委办，\n\n      区法院。\n ")
    assert (read.issuer, read.doc_number, read.addressees, read.copied_to) == (
        "周村区人民政府办公室", "周政办字〔2018〕18号", "各镇政府", "区委办，区法院")
