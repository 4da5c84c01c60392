"""Acceptance journeys of the working systems in a real browser (Playwright driving Debian chromium).

1. 联席会议: a member unit proposes a topic, the office reports it unresolved, the convener adopts it and approves the agenda, the
   联席会议办公室 drafts the minutes with an assigned task, the convener 签发, and the task shows
   on the responsible unit's /cooperation/ page.
2. 案件移送: the bureau drafts a transfer, uploads its 移送函, 案源材料 and 证据材料, its head approves, it is
   sent; the receiver answers 不予受理 with a reason; both sides see the same timeline.

Selectors go by what a user sees: headings, labels, button and link texts.
"""
import datetime
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from cooperation import meetings
from cooperation.models import AssignedTask, CaseTransfer, JointMeeting, MeetingTopic
from portal import roles
from portal.models import User
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data; see test_editorial_workflow.py.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Xiezuo-Test-2026"
TOPIC = "建筑工地扬尘污染执法职责衔接"
TASK = "建立工地外扬尘问题移送台账"
CASE = "某小区楼顶违法搭建彩钢房"
REFUSAL = "该建筑属于农村宅基地建房管理事项，应由自然资源部门依法处理。"


@pytest.fixture
def cast(departments, settings, tmp_path):
    """Return the bureau (A, the 联席会议办公室) and department B, their people, the convener and a meeting."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    groups = roles.ensure_roles()
    bureau, unit = departments

    def person(username, name, department, group):
        user = User.objects.create_user(username, password=PASSWORD, department=department, last_name=name[0],
                                        first_name=name[1:])
        user.groups.add(groups[group])
        return user

    office = person("zhaoxinyue", "赵欣悦", bureau, roles.LIAISONS)
    head = person("liuzhenhua", "刘振华", bureau, roles.LEADERS)
    liaison = person("guoshanshan", "郭珊珊", unit, roles.LIAISONS)
    convener = person("wangjianguo", "王建国", None, roles.LEADERS)
    bureau.leader = head
    bureau.save()
    conveners, vice_conveners = meetings.ensure_convener_groups()
    convener.groups.add(conveners)
    head.groups.add(vice_conveners)
    bureau.liaisons.add(office)
    unit.liaisons.add(liaison)
    meeting = meetings.create_meeting(office, title="2026年上半年综合行政执法联席会议例会", kind="routine",
                                      date=datetime.date(2026, 6, 26), topics_open_date=datetime.date(2026, 6, 12),
                                      convener=convener)
    return SimpleNamespace(bureau=bureau, unit=unit, office=office, head=head, liaison=liaison, convener=convener,
                           meeting=meeting)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The admin home caches Wagtail's site root paths; leave no stale entry to later tests.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def says(page, text):
    """Expect the admin's success message."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def open_meeting(page, meeting):
    page.goto(f"/admin/cooperation/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(meeting.title)


def status_is(page, text):
    expect(page.locator(".coop-facts").first.get_by_text(text, exact=True)).to_be_visible()


def test_topic_agenda_minutes_signed_and_task_reaches_the_responsible_unit(pages, cast):
    meeting = cast.meeting

    # --- 成员单位: propose a topic with its explanation and initial opinion (二（四）1).
    unit = pages.open("unit")
    log_in(unit, cast.liaison.username, PASSWORD)
    open_meeting(unit, meeting)
    unit.get_by_role("link", name="提交议题").click()
    expect(unit.get_by_label("提出单位")).to_have_value(str(cast.unit.pk))
    # The accessible name carries the required-field mark: "议题 *".
    unit.get_by_label(re.compile(r"^\s*议题\s*\*?\s*$")).fill(TOPIC)
    unit.get_by_label("议题说明").fill("施工现场扬尘由住建部门监管，工地外道路扬尘由综合执法局查处，边界不清。")
    unit.get_by_label("初步意见").fill("以工地围挡为界划分监管和处罚职责。")
    unit.get_by_role("button", name="提交议题").click()
    says(unit, "议题已提交")
    expect(unit.locator(f"#topic-{MeetingTopic.objects.get().pk}")).to_contain_text("已提交")
    pages.retire(unit)

    # --- 联席会议办公室: 初步协调; what it cannot resolve goes to the convener (二（四）1).
    coordinator = pages.open("coordinator")
    log_in(coordinator, cast.office.username, PASSWORD)
    open_meeting(coordinator, meeting)
    coordinator.locator(f"#topic-{MeetingTopic.objects.get().pk}").get_by_role(
        "link", name="报召集人、副召集人审定").click()
    coordinator.get_by_label("初步协调情况").fill("住建局与综合执法局对工地出入口道路的职责意见不一致，协调未果。")
    coordinator.get_by_role("button", name="报召集人、副召集人审定").click()
    says(coordinator, "已报召集人、副召集人审定")
    pages.retire(coordinator)

    # --- 召集人: adopt the topic, approve the agenda.
    chair = pages.open("convener")
    log_in(chair, cast.convener.username, PASSWORD)
    open_meeting(chair, meeting)
    row = chair.locator(f"#topic-{MeetingTopic.objects.get().pk}")
    row.get_by_role("button", name="采纳", exact=True).click()
    says(chair, "议题已采纳")
    expect(chair.locator(f"#topic-{MeetingTopic.objects.get().pk}")).to_contain_text("已采纳")
    chair.get_by_role("button", name="审定议程").click()
    says(chair, "议程已审定")
    status_is(chair, "议程已审定")
    pages.retire(chair)

    # --- 联席会议办公室: the meeting took place; draft the minutes and list the task.
    office = pages.open("office")
    log_in(office, cast.office.username, PASSWORD)
    open_meeting(office, meeting)
    office.get_by_role("button", name="确认会议已召开").click()
    says(office, "已确认会议召开")
    office.get_by_role("link", name="起草会议纪要").click()
    office.get_by_label("纪要编号").fill("周综执联纪〔2026〕1号")
    office.get_by_label("议定事项").fill("会议明确以工地围挡为界划分扬尘监管和处罚职责。")
    office.get_by_role("button", name="起草会议纪要").click()
    says(office, "会议纪要已保存")
    office.get_by_role("link", name="添加交办事项").click()
    office.get_by_label("交办事项").fill(TASK)
    office.get_by_label("承办单位").select_option(label=cast.unit.name)
    office.get_by_label("完成时限").fill("2026-07-31")
    office.get_by_role("button", name="添加交办事项").click()
    says(office, "交办事项已添加")
    expect(office.get_by_role("button", name="签发会议纪要")).to_have_count(0)  # 签发 is the convener's
    pages.retire(office)

    # --- 召集人: 签发.
    chair = pages.open("convener-signs")
    log_in(chair, cast.convener.username, PASSWORD)
    open_meeting(chair, meeting)
    chair.get_by_role("button", name="签发会议纪要").click()
    says(chair, "会议纪要已签发")
    status_is(chair, "纪要已签发")
    expect(chair.get_by_text(re.compile(r"王建国于.*签发"))).to_be_visible()
    pages.retire(chair)

    meeting.refresh_from_db()
    assert meeting.status == JointMeeting.Status.MINUTES_ISSUED
    assert meeting.minutes.issued_by == cast.convener

    # --- 承办单位: the task is on its /cooperation/ page and leads to the minutes.
    unit = pages.open("unit-task")
    log_in(unit, cast.liaison.username, PASSWORD)
    unit.goto("/cooperation/")
    expect(unit.get_by_role("heading", level=1)).to_have_text("协作机制待办事项")
    row = unit.get_by_role("row").filter(has_text=TASK)
    expect(row).to_contain_text("办理交办事项")
    expect(row).to_contain_text("2026-07-31")
    row.get_by_role("link", name=TASK).click()
    task = AssignedTask.objects.get()
    expect(unit.locator(f"#task-{task.pk}")).to_contain_text(cast.unit.name)


def test_transfer_sent_with_materials_refused_with_reason_and_both_sides_see_the_timeline(pages, cast):
    # --- 移送部门: draft, upload the mandatory materials, submit for approval.
    sender = pages.open("sender")
    log_in(sender, cast.office.username, PASSWORD)
    sender.goto("/admin/cooperation/transfers/")
    sender.get_by_role("link", name="起草移送").click()
    sender.get_by_label("案由").fill(CASE)
    sender.get_by_label("接收部门", exact=True).select_option(label=cast.unit.name)
    sender.get_by_label("案件情况").fill("巡查发现6号楼楼顶新建彩钢房约40平方米，未取得规划许可。")
    sender.get_by_label("发现日期").fill("2026-11-20")
    sender.get_by_role("button", name="保存草稿").click()
    says(sender, "移送已起草")
    transfer = CaseTransfer.objects.get()
    expect(sender.get_by_role("heading", level=1)).to_have_text(f"案件移送 {transfer.number}")
    expect(sender.get_by_text("尚缺必需材料")).to_be_visible()

    for kind, filename in [("涉嫌违法案件移送函", "移送函.txt"), ("案源材料：现场检查记录", "现场检查记录.txt"),
                           ("证据材料", "现场照片.txt")]:
        sender.get_by_role("link", name="上传材料").click()
        sender.get_by_label("材料类型").select_option(label=kind)
        sender.get_by_label("文件").set_input_files(
            {"name": filename, "mimeType": "text/plain", "buffer": f"{CASE}\n{kind}".encode()})
        sender.get_by_role("button", name="上传材料").click()
        says(sender, f"已上传：{kind}")
    expect(sender.get_by_text("尚缺必需材料")).to_have_count(0)
    sender.get_by_role("button", name="提交审批").click()
    says(sender, "已提交分管领导审批")
    pages.retire(sender)

    # --- 分管领导 of the sending department approves.
    head = pages.open("head")
    log_in(head, cast.head.username, PASSWORD)
    head.goto("/cooperation/")
    head.get_by_role("row").filter(has_text="审批移送").get_by_role("link").click()
    head.get_by_role("button", name="审批同意").click()
    says(head, "已审批同意移送")
    pages.retire(head)

    # --- 移送部门 sends.
    sender = pages.open("sender-sends")
    log_in(sender, cast.office.username, PASSWORD)
    sender.goto(f"/admin/cooperation/transfers/{transfer.pk}/")
    sender.get_by_role("button", name="移送", exact=True).click()
    says(sender, "已移送")
    status_is(sender, "已移送")
    pages.retire(sender)

    # --- 接收部门: the transfer waits on its /cooperation/ page; answer 不予受理 with the reason.
    receiver = pages.open("receiver")
    log_in(receiver, cast.liaison.username, PASSWORD)
    receiver.goto("/cooperation/")
    receiver.get_by_role("row").filter(has_text="书面答复是否受理").get_by_role("link").click()
    expect(receiver.get_by_role("heading", level=1)).to_have_text(f"案件移送 {transfer.number}")
    receiver.get_by_role("link", name="答复是否受理").click()
    receiver.get_by_label("不予受理").check()
    receiver.get_by_label("答复意见和理由").fill(REFUSAL)
    receiver.get_by_role("button", name="答复是否受理").click()
    says(receiver, "已答复：不予受理")
    status_is(receiver, "不予受理")
    expect(receiver.get_by_role("link", name="答复是否受理")).to_have_count(0)  # answered once
    expect_timeline(receiver)
    pages.retire(receiver)

    # --- 移送部门 sees the same timeline, with the reason.
    sender = pages.open("sender-reads")
    log_in(sender, cast.office.username, PASSWORD)
    sender.goto(f"/admin/cooperation/transfers/{transfer.pk}/")
    expect_timeline(sender)

    transfer.refresh_from_db()
    assert transfer.status == CaseTransfer.Status.REJECTED
    assert transfer.answer_reasons == REFUSAL and transfer.answered_by == cast.liaison
    assert sorted(transfer.materials.values_list("kind", flat=True)) == ["evidence", "inspection", "letter"]


def expect_timeline(page):
    timeline = page.get_by_role("list", name="办理时间线")
    steps = timeline.locator(".coop-step")
    expect(steps).to_have_text(["起草移送", "添加移送材料", "添加移送材料", "添加移送材料", "提交审批", "审批同意移送",
                                "移送", "作出不予受理决定"])
    expect(timeline.get_by_role("listitem").last).to_contain_text(REFUSAL)
    expect(timeline.get_by_role("listitem").last).to_contain_text("郭珊珊")
    expect(timeline.get_by_role("listitem").nth(5)).to_contain_text("刘振华")
