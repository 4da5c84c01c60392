"""load_demo (idempotent, refused without DEBUG) and import_texts (skips, reports, never half-imports)."""
import io
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Workflow

from demo.directive import DirectiveTextError, read_directive
from demo.loader import DEMO_PASSWORD, LoadReport, load_departments
from portal import roles
from portal.models import Department, RegulationPage, Scope, SharedInfoPage, User

DATA = Path(__file__).resolve().parent.parent / "data" / "laws"
DIRECTIVE_SOURCE = Path(__file__).resolve().parents[2] / "demo" / "data" / "zhouzhengban-2018-18.txt"


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
        "departments": Department.objects.count(),
        "latest_revision_ids": sorted(Page.objects.values_list("latest_revision_id", flat=True), key=str),
    }


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing_the_second_time(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = snapshot()
    assert first["departments"] == 19
    call_command("load_demo", stdout=out)
    assert snapshot() == first
    assert "未作任何改动" in out.getvalue()


@pytest.mark.django_db
def test_demo_content_covers_every_type_scope_and_a_twice_published_regulation(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    types = {p.specific_class.__name__ for p in SharedInfoPage.objects.all()}
    assert {"RegulationPage", "DiscretionStandardPage", "WorkflowPage", "LicenceDecisionPage", "PenaltyDecisionPage",
            "StatisticsPage", "InspectionRecordPage", "BulletinPage", "ComplaintHandlingPage",
            "OtherSharedInfoPage"} <= types
    assert set(SharedInfoPage.objects.values_list("scope", flat=True)) == set(Scope.values)
    amended = RegulationPage.objects.get(slug="xingzheng-fuyi-fa")
    assert amended.revisions.count() >= 2
    assert amended.revision_basis.startswith("2023年9月1日")
    assert len(amended.articles()) > 80
    directive = RegulationPage.objects.get(doc_number="周政办字〔2018〕18号")
    assert "1．建立综合执法部门联席会议制度。" in directive_text(directive)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    # The demo password passes the project's own rules for every demo account (README documents it).
    for user in User.objects.all():
        validate_password(DEMO_PASSWORD, user)
    assert f"`{DEMO_PASSWORD}`" in (DATA.parents[2] / "README.md").read_text(encoding="utf-8")
    for group in (roles.EDITORS, roles.REVIEWERS, roles.LEADERS, roles.LIAISONS, roles.MANAGERS):
        assert Group.objects.get(name=group).user_set.exists(), group


def directive_text(page: RegulationPage) -> str:
    """Return the stored body of the directive page, one paragraph a line."""
    return "\n".join(str(block.value) for block in page.get_latest_revision_as_object().body)


@pytest.mark.django_db
def test_the_directive_is_loaded_whole_with_its_issuer_number_addressees_and_no_invented_date(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    source = DIRECTIVE_SOURCE.read_text(encoding="utf-8")
    page = RegulationPage.objects.get(slug="zhouzhengbanzi-2018-18")
    assert page.live and page.scope == Scope.PUBLIC
    assert page.title == "关于加强综合行政执法协作配合的实施意见"
    assert page.issuing_authority == "周村区人民政府办公室" and page.department.short_name == "区政府办公室"
    assert page.doc_number == "周政办字〔2018〕18号"
    assert page.written_date is None and page.publish_date is None and page.effective_date is None
    assert "主送：各镇政府、街道办事处，周村经济开发区管委会，区政府有关部门，有关单位" in page.summary
    assert "抄送：区委办，区人大办，区政协办，区纪委办，区人武部，区法院，区检察院" in page.summary
    assert "未载明" in page.summary
    # Every line of the text is stored, in order and unchanged: no character is lost.
    stored = directive_text(page).split("\n")
    assert stored == [line for line in source.splitlines() if line.strip()]
    assert re.sub(r"\s", "", "".join(stored)) == re.sub(r"\s", "", source)  # only blank lines are not paragraphs


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
    (tmp_path / "无条文.md").write_text("# 只有标题\n\n没有任何条文的说明。", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_texts", str(tmp_path), "--scope", "共享", "--department", "ZJB", stdout=out, stderr=err)
    page = RegulationPage.objects.get(title="中华人民共和国行政处罚法")
    assert len(page.articles()) == 86
    assert page.live and page.scope == Scope.SHARED and page.department.code == "ZJB"
    assert page.publish_date.isoformat() == "2021-01-22"
    assert "导入 1 个" in out.getvalue() and "失败 2 个" in out.getvalue()
    assert "乱码.txt" in err.getvalue() and "无条文.md" in err.getvalue()
    assert RegulationPage.objects.count() == 1  # nothing half-imported from the bad files

    out = io.StringIO()
    call_command("import_texts", str(tmp_path), stdout=out, stderr=io.StringIO())
    assert "已存在跳过 1 个" in out.getvalue()
    assert RegulationPage.objects.count() == 1


def test_import_texts_rejects_a_missing_directory_in_chinese(site_tree, departments):
    with pytest.raises(CommandError, match="目录不存在"):
        call_command("import_texts", "/no/such/dir")


def test_admin_login_page_reads_chinese(client, db):
    html = client.get("/admin/login/").content.decode()
    assert "登录" in html and "Sign in" not in html
    assert "<title>登录 - 综合行政执法信息共享平台" in html


def test_a_text_without_the_head_of_a_gongwen_is_refused_in_chinese():
    with pytest.raises(DirectiveTextError, match="发文机关、标题、发文字号和主送机关"):
        read_directive("某某情况说明\n\n正文一段。")
    head = "周村区人民政府办公室\n关于某事的通知\n周政办字〔2018〕18号\n各镇政府：\n正文。"
    with pytest.raises(DirectiveTextError, match="抄送"):
        read_directive(head)
    assert read_directive(head + "\n抄送：区委办，\n  区法院。").copied_to == "区委办，区法院"
