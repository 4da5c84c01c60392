"""Acceptance journey in a real browser: an editor pastes a regulation, it passes 科室审核 and
分管领导签发, and the public reads it article by article.

Selectors go by what a user sees (roles, Chinese labels and button texts) or by form field
names; the admin is Wagtail 8 (Stimulus controllers, tippy dropdowns, modal workflow).
"""
import datetime
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from portal import roles
from portal.models import RegulationPage, Scope, User
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data, so the test database is flushed after each
    # browser test; serialized_rollback restores what migrations created (root page, default
    # site, root collection) so that every browser test starts from the same world.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Zhifa-Test-2026"
TITLE = "测试区户外广告设置管理办法"
FULL_TEXT = (
    "第一条 为了规范户外广告设置，根据有关法律法规，结合本区实际，制定本办法。\n"
    "第二条 本办法自发布之日起施行。"
)
FORMED_DATE = "2026-11-25"
SUBMIT_LABEL = f"提交给{roles.WORKFLOW_NAME}"  # Wagtail's "Submit to %(workflow_name)s" in zh-hans
SIGN_COMMENT = "同意发布。"


@pytest.fixture
def newsroom(site_tree, departments):
    """Return the laws section, the departments and an editor, a reviewer and a leader of department A."""
    # transactional_db flushes tables between tests, groups included: recreate them and the workflow.
    groups = roles.ensure_roles()
    home, laws = site_tree
    a, b = departments
    people = {}
    for username, (last, first), group in [
        ("bianji", ("王", "编辑"), roles.EDITORS),
        ("shenhe", ("李", "审核"), roles.REVIEWERS),
        ("lingdao", ("张", "领导"), roles.LEADERS),
    ]:
        user = User.objects.create_user(username, password=PASSWORD, department=a, last_name=last, first_name=first)
        user.groups.add(groups[group])
        people[group] = user
    return SimpleNamespace(
        home=home, laws=laws, department=a, other_department=b,
        editor=people[roles.EDITORS], reviewer=people[roles.REVIEWERS], leader=people[roles.LEADERS],
    )


def footer_action(page, label, exact=True):
    """Click an entry of the edit form's action menu (the ▲ dropdown beside 保存草稿)."""
    footer = page.get_by_role("navigation", name="动作（页脚）")
    footer.get_by_role("button", name="更多动作").click()
    item = footer.get_by_role("button", name=label, exact=exact)
    expect(item).to_be_visible()
    item.click()


def success_message(page, text):
    return page.get_by_role("status").filter(has_text=text)


def test_regulation_goes_through_review_and_signing_to_the_public(page, pages, newsroom):
    laws = newsroom.laws

    # --- 编辑: draft the regulation by pasting its full text, then submit it to the workflow.
    log_in(page, newsroom.editor.username, PASSWORD)
    # Autosave is off (settings.WAGTAIL_AUTOSAVE_INTERVAL): nothing is saved until the editor acts.
    page.goto(f"/admin/pages/{laws.pk}/")
    page.get_by_role("link", name="添加子页面").first.click()
    page.get_by_role("link", name=RegulationPage._meta.verbose_name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/add/portal/regulationpage/{laws.pk}/$"))

    page.locator('input[name="title"]').fill(TITLE)

    page.get_by_role("button", name="选择 部门").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("link", name=newsroom.department.name, exact=True).click()
    expect(dialog).to_have_count(0)
    expect(page.locator('input[name="department"]')).to_have_value(str(newsroom.department.pk))

    page.get_by_role("combobox", name="共享范围").select_option(label=Scope.PUBLIC.label)
    page.get_by_role("textbox", name="粘贴全文").fill(FULL_TEXT)

    # Wagtail 8's date widget is a text input with a jQuery (xdsoft) calendar that opens 100 ms
    # after focus and then covers the fields below it and the action menu. Typing the ISO date
    # works; wait for the calendar to open, then Tab closes it (a Tab sent earlier is lost).
    date = page.get_by_role("textbox", name="信息形成日期")
    date.fill(FORMED_DATE)
    calendar = page.locator(".xdsoft_datetimepicker").filter(visible=True)
    expect(calendar).to_have_count(1)
    date.press("Tab")
    expect(calendar).to_have_count(0)
    expect(date).to_have_value(FORMED_DATE)

    expect(page).to_have_url(re.compile(rf"/admin/pages/add/portal/regulationpage/{laws.pk}/$"))
    assert not RegulationPage.objects.filter(title=TITLE).exists()  # no background save happened

    footer_action(page, SUBMIT_LABEL)
    # "页面 '…' 已提交…审核。" (wording differs between the create and the edit view)
    expect(success_message(page, re.compile(rf"页面\W+{TITLE}\W+.*提交.*审核"))).to_be_visible()

    regulation = RegulationPage.objects.get(title=TITLE)
    assert not regulation.live
    state = regulation.current_workflow_state
    assert state is not None and state.current_task_state.task.name == roles.TASK_REVIEW
    pages.retire(page)

    # --- 审核: the dashboard lists the page as awaiting review; approve 科室审核.
    reviewer = pages.open("reviewer")
    log_in(reviewer, newsroom.reviewer.username, PASSWORD)
    awaiting = reviewer.get_by_role("region", name="等待你的审查")
    awaiting.get_by_role("link", name=TITLE).click()
    expect(reviewer).to_have_url(re.compile(rf"/admin/pages/{regulation.pk}/edit/$"))
    footer_action(reviewer, "批准")
    # Approving from the edit form saves it too; Wagtail confirms with "页面 '…' 已被更新。"
    # and returns to the section's listing.
    expect(reviewer).to_have_url(re.compile(rf"/admin/pages/{laws.pk}/$"))
    expect(success_message(reviewer, TITLE)).to_be_visible()

    state.refresh_from_db()
    assert state.current_task_state.task.name == roles.TASK_SIGN
    regulation.refresh_from_db()
    assert not regulation.live
    pages.retire(reviewer)

    # --- 分管领导: sign with a comment (the modal of 带评论批准); the page goes live.
    leader = pages.open("leader")
    log_in(leader, newsroom.leader.username, PASSWORD)
    leader.get_by_role("region", name="等待你的审查").get_by_role("link", name=TITLE).click()
    expect(leader).to_have_url(re.compile(rf"/admin/pages/{regulation.pk}/edit/$"))
    # On the last task a user who may publish sees "Approve with comment and publish"; Wagtail's
    # zh-hans catalogue renders it "带评论批准 和发布" (the intended wording is 带评论批准并发布).
    footer_action(leader, re.compile(r"^带评论批准\s*[和并]\s*发布$"))
    modal = leader.get_by_role("dialog")
    modal.get_by_label("评论").fill(SIGN_COMMENT)
    modal.get_by_role("button", name="批准").click()
    expect(leader).to_have_url(re.compile(rf"/admin/pages/{laws.pk}/$"))
    expect(success_message(leader, TITLE)).to_be_visible()
    pages.retire(leader)

    # --- The database: live, revisions kept, two articles, workflow approved by the right people.
    regulation = RegulationPage.objects.get(pk=regulation.pk)
    assert regulation.live and not regulation.has_unpublished_changes
    assert regulation.revisions.count() >= 1
    assert [article["label"] for article in regulation.articles()] == ["第一条", "第二条"]
    assert regulation.department == newsroom.department
    assert regulation.scope == Scope.PUBLIC
    assert regulation.formed_date == datetime.date.fromisoformat(FORMED_DATE)
    # The first item of the department this year: no number was spent on an abandoned draft.
    assert regulation.index_number == f"{newsroom.department.code}/2026-00001"
    state.refresh_from_db()
    assert state.status == state.STATUS_APPROVED
    finished = {ts.task.name: ts for ts in state.task_states.all()}
    assert {name: ts.status for name, ts in finished.items()} == {
        roles.TASK_REVIEW: "approved", roles.TASK_SIGN: "approved",
    }
    assert finished[roles.TASK_REVIEW].finished_by == newsroom.reviewer
    assert finished[roles.TASK_SIGN].finished_by == newsroom.leader
    assert finished[roles.TASK_SIGN].comment == SIGN_COMMENT

    # --- The public: a shared link to 第二条 lands on it; both articles carry anchors.
    visitor = pages.open("visitor")
    url = regulation.get_url()
    visitor.goto(f"{url}#第二条")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    first, second = visitor.locator("section#第一条"), visitor.locator("section#第二条")
    expect(first).to_contain_text("为了规范户外广告设置")
    expect(second).to_contain_text("本办法自发布之日起施行")
    expect(visitor.locator("section:target")).to_have_attribute("id", "第二条")
    expect(second).to_be_in_viewport()
    # Each article's label links to its own anchor.
    first.get_by_role("link", name="第一条").click()
    expect(visitor.locator("section:target")).to_have_attribute("id", "第一条")
    assert visitor.evaluate("decodeURIComponent(location.hash)") == "#第一条"


def test_login_form_is_labelled_in_chinese(page):
    page.goto("/admin/login/")
    expect(page.get_by_role("textbox", name="用户名")).to_be_visible()
    # The accessible name carries the required-field asterisk: "密码*".
    expect(page.get_by_role("textbox", name=re.compile(r"^\s*密码\W*$"))).to_be_visible(timeout=1_000)
    expect(page.locator("label[for=id_password]")).not_to_contain_text("Password")
