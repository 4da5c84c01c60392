"""Acceptance journey in a real browser: an editor amends a published regulation, the reviewer
sees exactly what changed, and the public can compare the versions and read the text in force
on a date.

The amendment is the smallest real one: two characters changed inside 第四条 (整洁 → 规范) and
a new article inserted after 第三条 as 第三条之一 (the way Chinese amendments insert without
renumbering), with a later 生效日期. Every view must mark those changes and nothing else.
"""
import datetime
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from archive.versions import published_versions
from portal import roles
from portal.models import User
from tests.browser.conftest import ARTIFACTS, log_in
from tests.browser.test_editorial_workflow import PASSWORD, SUBMIT_LABEL, footer_action, success_message

pytestmark = [
    pytest.mark.browser,
    # See test_editorial_workflow: the live server sees only committed data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "测试区户外广告设置管理办法"
OLD_TEXT = (
    "第一条 为了加强本区户外广告设置管理，维护市容环境，根据有关法律法规，制定本办法。\n\n"
    "第二条 本办法适用于本区行政区域内户外广告设施的设置及其监督管理。\n\n"
    "第三条 区综合行政执法局负责户外广告设置的监督检查。\n\n"
    "第四条 设置户外广告应当安全牢固、整洁美观，不得影响交通安全。\n\n"
    "第五条 本办法自2025年1月1日起施行。"
)
OLD_EFFECTIVE, NEW_EFFECTIVE = datetime.date(2025, 1, 1), datetime.date(2026, 9, 1)
EDITED_LABEL = "第四条"
OLD_ARTICLE = "设置户外广告应当安全牢固、整洁美观，不得影响交通安全。"
NEW_ARTICLE = "设置户外广告应当安全牢固、规范美观，不得影响交通安全。"
OLD_CHARS, NEW_CHARS = "整洁", "规范"
INSERTED_AFTER, INSERTED_LABEL = "第三条", "第三条之一"
INSERTED_TEXT = "户外广告设施的设置人应当定期对设施进行安全检查，发现安全隐患的，应当及时消除。"
ARTICLES_AFTER = ["第一条", "第二条", "第三条", "第三条之一", "第四条", "第五条"]
SIGN_COMMENT = "同意修订。"
ARTIFACT = "test_two_changed_characters_and_an_inserted_article_are_all_that_is_marked"


@pytest.fixture
def amendment_desk(site_tree, departments, make_regulation):
    """Return the published regulation (in force from 2025-01-01) and its editor, reviewer and leader."""
    groups = roles.ensure_roles()
    _, laws = site_tree
    a, _ = departments
    people = {}
    for username, (last, first), group in [
        ("bianji", ("王", "编辑"), roles.EDITORS),
        ("shenhe", ("李", "审核"), roles.REVIEWERS),
        ("lingdao", ("张", "领导"), roles.LEADERS),
    ]:
        user = User.objects.create_user(username, password=PASSWORD, department=a, last_name=last, first_name=first)
        user.groups.add(groups[group])
        people[group] = user
    regulation = make_regulation(
        title=TITLE, slug="outdoor-ads", text=OLD_TEXT,
        publish_date=datetime.date(2024, 12, 20), effective_date=OLD_EFFECTIVE,
    )
    return SimpleNamespace(
        laws=laws, regulation=regulation,
        editor=people[roles.EDITORS], reviewer=people[roles.REVIEWERS], leader=people[roles.LEADERS],
    )


def fill_date(page, label, value):
    """Type an ISO date into one of Wagtail's date widgets and close its calendar (see test_editorial_workflow)."""
    date = page.get_by_role("textbox", name=label, exact=True)
    date.fill(value)
    calendar = page.locator(".xdsoft_datetimepicker").filter(visible=True)
    expect(calendar).to_have_count(1)
    date.press("Tab")
    expect(calendar).to_have_count(0)
    expect(date).to_have_value(value)


def expect_only_the_amendment_marked(page):
    """Assert that a 修改前后对照 table marks 整洁→规范 in 第四条 and the new 第三条之一, and nothing else."""
    summary = page.locator(".compare-summary > span")
    expect(summary).to_have_text(["修改1 条", "新增1 条", "未修改4 条"])
    table = page.get_by_role("table", name="修改前后对照")
    rows = table.locator("tbody tr")
    expect(rows.locator("td.col-status")).to_have_text(["未修改", "未修改", "未修改", "新增", "修改", "未修改"])
    expect(rows.locator("td.new .article-no")).to_have_text(ARTICLES_AFTER)
    expect(rows.locator("td.old .article-no")).to_have_text([a for a in ARTICLES_AFTER if a != INSERTED_LABEL])
    # Exactly one deletion and two insertions in the whole table, each exactly what was edited.
    expect(table.locator("del")).to_have_text([OLD_CHARS])
    expect(table.locator("ins")).to_have_text([INSERTED_TEXT, NEW_CHARS])
    inserted, modified = rows.nth(ARTICLES_AFTER.index(INSERTED_LABEL)), rows.nth(ARTICLES_AFTER.index(EDITED_LABEL))
    expect(inserted.locator("td.old")).to_have_text("")
    expect(inserted.locator("td.new")).to_have_text(INSERTED_LABEL + INSERTED_TEXT)
    expect(modified.locator("td.old")).to_have_text(EDITED_LABEL + OLD_ARTICLE)
    expect(modified.locator("td.new")).to_have_text(EDITED_LABEL + NEW_ARTICLE)
    expect(modified.locator("td.old del")).to_have_text(OLD_CHARS)
    expect(modified.locator("td.new ins")).to_have_text(NEW_CHARS)


def snapshot(page, name):
    """Save the whole of the page's main content as test-artifacts/<test>--<name>.png.

    The admin scrolls inside its own layout, so a full-page screenshot stops at the window;
    the window is stretched to the content for the shot.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    viewport = page.viewport_size
    boxes = [page.locator("main").bounding_box(), page.locator("main table").last.bounding_box()]
    height = max(int(box["y"] + box["height"]) + 40 for box in boxes if box)
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], min(height, 5000))})
    page.screenshot(path=str(ARTIFACTS / f"{ARTIFACT}--{name}.png"), full_page=True)
    page.set_viewport_size(viewport)


def test_two_changed_characters_and_an_inserted_article_are_all_that_is_marked(page, pages, amendment_desk):
    desk = amendment_desk
    regulation = desk.regulation
    regulation.refresh_from_db()
    old_revision_id = regulation.live_revision_id

    # --- 编辑: open the published regulation, change two characters, insert an article.
    log_in(page, desk.editor.username, PASSWORD)
    page.goto(f"/admin/pages/{desk.laws.pk}/")
    page.get_by_role("link", name=TITLE).first.click()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{regulation.pk}/edit/$"))

    fill_date(page, "生效日期", NEW_EFFECTIVE.isoformat())

    def article_block(label):
        return page.locator("[data-streamfield-child]").filter(
            has=page.get_by_role("heading", name=f"条 {label}", exact=True))

    # Select 整洁 with the keyboard and type 规范 over it.
    edited = article_block(EDITED_LABEL).get_by_role("textbox", name=re.compile("^条文"))
    expect(edited).to_have_value(OLD_ARTICLE)
    edited.focus()
    edited.press("Control+Home")
    for _ in range(OLD_ARTICLE.index(OLD_CHARS)):
        edited.press("ArrowRight")
    for _ in OLD_CHARS:
        edited.press("Shift+ArrowRight")
    edited.press_sequentially(NEW_CHARS)
    expect(edited).to_have_value(NEW_ARTICLE)

    # The ⊕ between 第三条 and 第四条, then the block type 条 in its menu.
    article_block(INSERTED_AFTER).locator("xpath=following-sibling::div[1]").get_by_role(
        "button", name="插入区块").click()
    page.get_by_role("option", name="条", exact=True).click()
    inserted = article_block(INSERTED_AFTER).locator("xpath=following-sibling::div[@data-streamfield-child][1]")
    inserted.get_by_role("textbox", name=re.compile("^条号")).fill(INSERTED_LABEL)
    inserted.get_by_role("textbox", name=re.compile("^条文")).fill(INSERTED_TEXT)
    expect(page.locator("[data-streamfield-child]")).to_have_count(len(ARTICLES_AFTER))

    footer_action(page, SUBMIT_LABEL)
    expect(success_message(page, re.compile(rf"页面\W+{TITLE}\W+.*提交.*审核"))).to_be_visible()
    pages.retire(page)

    # --- 审核: from the dashboard, Wagtail's 与发布版本进行比较 (the patched Chinese diff).
    reviewer = pages.open("reviewer")
    log_in(reviewer, desk.reviewer.username, PASSWORD)
    awaiting = reviewer.get_by_role("region", name="等待你的审查")
    row = awaiting.get_by_role("row").filter(has=reviewer.get_by_role("link", name=TITLE))
    row.get_by_role("button", name="动作").click()
    row.get_by_role("link", name="与发布版本进行比较").click()
    expect(reviewer).to_have_url(re.compile(rf"/admin/pages/{regulation.pk}/revisions/compare/live\.\.\.\d+/$"))
    changed_fields = reviewer.locator("table.listing tbody tr")
    expect(changed_fields.locator("td.title")).to_have_text(["生效日期:", "正文:"])
    effective, body = changed_fields.nth(0).locator("td.comparison"), changed_fields.nth(1).locator("td.comparison")
    expect(effective.locator(".deletion")).to_have_text([OLD_EFFECTIVE.isoformat()])
    expect(effective.locator(".addition")).to_have_text([NEW_EFFECTIVE.isoformat()])
    blocks = body.locator(".comparison__child-object")
    expect(blocks).to_have_count(len(ARTICLES_AFTER))
    expect(body.locator("span.deletion")).to_have_text([OLD_CHARS])
    expect(body.locator("span.addition")).to_have_text([NEW_CHARS])
    expect(blocks.nth(ARTICLES_AFTER.index(EDITED_LABEL))).to_contain_text(
        OLD_ARTICLE.replace(OLD_CHARS, OLD_CHARS + NEW_CHARS))
    expect(body.locator(".comparison__child-object.deletion")).to_have_count(0)
    added = body.locator(".comparison__child-object.addition")
    expect(added).to_have_count(1)
    # label, heading, text, and the optional 原文写法 (empty: the label is written as parsed)
    expect(added.locator("dd")).to_have_text([INSERTED_LABEL, "", INSERTED_TEXT, ""])
    expect(blocks.nth(ARTICLES_AFTER.index(INSERTED_LABEL))).to_have_class(re.compile(r"\baddition\b"))
    # Nothing else on the page is marked: the two dates, 整洁/规范 and the new block.
    expect(reviewer.locator("main .deletion")).to_have_count(2)
    expect(reviewer.locator("main .addition")).to_have_count(3)
    snapshot(reviewer, "wagtail-compare")

    # --- 审核: the 修改前后对照 table, from the edit view's header (draft against the live version).
    reviewer.get_by_role("link", name="编辑", exact=True).click()
    expect(reviewer).to_have_url(re.compile(rf"/admin/pages/{regulation.pk}/edit/$"))
    header = reviewer.locator("#w-slim-header-buttons")
    header.get_by_role("button", name="动作").click()
    header.get_by_role("link", name="修改前后对照").click()
    expect(reviewer).to_have_url(re.compile(rf"/admin/archive/compare/{regulation.pk}/{old_revision_id}/\d+/$"))
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(f"修改前后对照：{TITLE}")
    expect_only_the_amendment_marked(reviewer)
    snapshot(reviewer, "admin-review")
    reviewer.get_by_role("link", name="编辑页面").click()
    expect(reviewer).to_have_url(re.compile(rf"/admin/pages/{regulation.pk}/edit/$"))
    footer_action(reviewer, "批准")
    expect(reviewer).to_have_url(re.compile(rf"/admin/pages/{desk.laws.pk}/$"))
    expect(success_message(reviewer, TITLE)).to_be_visible()
    pages.retire(reviewer)

    # --- 分管领导: sign and publish (as in test_editorial_workflow).
    leader = pages.open("leader")
    log_in(leader, desk.leader.username, PASSWORD)
    leader.get_by_role("region", name="等待你的审查").get_by_role("link", name=TITLE).click()
    expect(leader).to_have_url(re.compile(rf"/admin/pages/{regulation.pk}/edit/$"))
    footer_action(leader, re.compile(r"^带评论批准\s*[和并]\s*发布$"))
    modal = leader.get_by_role("dialog")
    modal.get_by_label("评论").fill(SIGN_COMMENT)
    modal.get_by_role("button", name="批准").click()
    expect(leader).to_have_url(re.compile(rf"/admin/pages/{desk.laws.pk}/$"))
    expect(success_message(leader, TITLE)).to_be_visible()
    pages.retire(leader)

    # --- The public: 修订对照 between the two published versions marks the same and nothing else.
    visitor = pages.open("visitor")
    visitor.goto(regulation.url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    visitor.get_by_role("link", name="修订对照").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"{TITLE} · 修订对照")
    details = visitor.locator("dl.details dd")
    expect(details).to_have_text([f"{TITLE}（生效日期：2025年1月1日）", f"{TITLE}（生效日期：2026年9月1日）"])
    expect_only_the_amendment_marked(visitor)
    snapshot(visitor, "public-compare")
    visitor.get_by_role("link", name="只看有变化的条文").click()
    rows = visitor.get_by_role("table", name="修改前后对照").locator("tbody tr")
    expect(rows.locator("td.new .article-no")).to_have_text([INSERTED_LABEL, EDITED_LABEL])

    # 历史版本: both published versions with their 生效日期, the new one current.
    visitor.get_by_role("link", name="历史版本").click()
    versions = visitor.get_by_role("table", name="已发布的版本").locator("tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.nth(0)).to_contain_text("现行")
    expect(versions.nth(0).locator("td").nth(4)).to_have_text("2026年9月1日")
    expect(versions.nth(1).locator("td").nth(4)).to_have_text("2025年1月1日")

    # --- ?date=: the day before the new 生效日期 shows the old text, with its banner; from that day the new.
    body = visitor.locator(".law-body")
    visitor.goto(f"{regulation.url}?date=2026-08-31")
    expect(visitor.locator(".banner-version")).to_have_text(
        "以下为2026年8月31日施行的文本（生效日期：2025年1月1日）。查看现行文本")
    expect(body.locator(".article-label")).to_have_text([a for a in ARTICLES_AFTER if a != INSERTED_LABEL])
    expect(body.locator(f'section[id="{EDITED_LABEL}"] p')).to_have_text(f"{EDITED_LABEL} {OLD_ARTICLE}")
    expect(body).not_to_contain_text(INSERTED_TEXT)
    expect(visitor.get_by_role("table", name="信息元数据").get_by_role("row", name=re.compile("^生效日期"))).to_have_text(
        re.compile(r"生效日期\s*2025-01-01"))
    # What the visitor downloads from here is this version too.
    expect(visitor.locator(".export-links").get_by_role("link", name="Word")).to_have_attribute(
        "href", f"/archive/export/{regulation.pk}.docx?date=2026-08-31")
    snapshot(visitor, "in-force-2026-08-31")

    visitor.goto(f"{regulation.url}?date=2026-09-01")
    expect(visitor.locator(".banner-version")).to_have_text(
        "以下为2026年9月1日施行的文本（生效日期：2026年9月1日）。查看现行文本")
    expect(body.locator(".article-label")).to_have_text(ARTICLES_AFTER)
    expect(body.locator(f'section[id="{EDITED_LABEL}"] p')).to_have_text(f"{EDITED_LABEL} {NEW_ARTICLE}")
    expect(body.locator(f'section[id="{INSERTED_LABEL}"] p')).to_have_text(f"{INSERTED_LABEL} {INSERTED_TEXT}")
    # 查看现行文本: the plain URL, no banner, the same (new) text.
    visitor.get_by_role("link", name="查看现行文本").click()
    expect(visitor).to_have_url(re.compile(rf"{re.escape(regulation.url)}$"))
    expect(visitor.locator(".banner-version")).to_have_count(0)
    expect(body.locator(".article-label")).to_have_text(ARTICLES_AFTER)

    # --- The record: two published versions, each with its own 生效日期; signed by the right people.
    regulation.refresh_from_db()
    assert regulation.live and not regulation.has_unpublished_changes
    versions = published_versions(regulation)
    assert [v.revision_id for v in versions][0] == old_revision_id
    assert [v.effective_date for v in versions] == [OLD_EFFECTIVE, NEW_EFFECTIVE]
    assert [a["label"] for a in regulation.articles()] == ARTICLES_AFTER
    state = regulation.workflow_states.get()
    assert state.status == state.STATUS_APPROVED
    assert {ts.task.name: ts.finished_by for ts in state.task_states.all()} == {
        roles.TASK_REVIEW: desk.reviewer, roles.TASK_SIGN: desk.leader,
    }
