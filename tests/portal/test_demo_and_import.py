"""load_demo (idempotent, refused without DEBUG) and import_texts (skips, reports, never half-imports)."""
import io
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, Workflow

from demo.loader import DEMO_PASSWORD
from portal import roles
from portal.models import Department, RegulationPage, Scope, SharedInfoPage, User

DATA = Path(__file__).resolve().parent.parent / "data" / "laws"


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
    assert any("建立综合行政执法联席会议制度" in a["text"] for a in directive.articles())
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    # The demo password passes the project's own rules for every demo account (README documents it).
    for user in User.objects.all():
        validate_password(DEMO_PASSWORD, user)
    assert f"`{DEMO_PASSWORD}`" in (DATA.parents[2] / "README.md").read_text(encoding="utf-8")
    for group in (roles.EDITORS, roles.REVIEWERS, roles.LEADERS, roles.LIAISONS, roles.MANAGERS):
        assert Group.objects.get(name=group).user_set.exists(), group


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
