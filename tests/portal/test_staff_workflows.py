"""The workflow viewer: each workflow's steps drawn as a server-side SVG with departments and working-day limits."""
import datetime
import xml.etree.ElementTree as ET

import pytest

from lib.workdays import estimated, stored_years_fixed
from portal.models import Department, Scope, User
from staff.workflow_diagram import NO_LIMIT, Step, diagram_svg, step_deadlines, text_width, workflow_steps, wrap
from tests.portal.staff_worlds import publish_workflow, section

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def workflows(site_tree, departments):
    """Return (the demo's ten-step workflow of A, shared; a two-department workflow of B, internal)."""
    home, _ = site_tree
    a, b = departments
    parent = section(home, "workflows")
    demo = publish_workflow(parent, a)
    handover = publish_workflow(parent, b, title="违法建设移交处置流程", scope=Scope.INTERNAL, steps=[
        {"name": "巡查发现并移交", "department": b, "time_limit_days": 1},
        {"name": "立案查处", "department": a, "time_limit_days": 5, "basis": "《城乡规划法》第六十四条"},
        {"name": "结果反馈", "department": b, "time_limit_days": None},
    ])
    return demo, handover


def texts(svg: str) -> str:
    root = ET.fromstring(svg)
    return "".join(el.text or "" for el in root.iter(f"{SVG}text"))


def test_diagram_is_well_formed_svg_naming_every_step_department_and_limit(workflows):
    demo, _ = workflows
    steps = workflow_steps(demo)
    svg = diagram_svg(demo.title, steps)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    drawn = texts(svg)
    for step in steps:
        assert step.name in drawn
    assert "时限：5 个工作日" in drawn and "责任部门：测试区综合行政执法局" in drawn
    assert f"时限：{NO_LIMIT}" in drawn
    assert len(root.findall(f".//{SVG}g[@class='step']")) == 10
    # One arrow from 开始 to the first step, between the steps, and to 结束.
    assert len(root.findall(f"{SVG}path")) == 11
    desc = root.find(f"{SVG}desc").text
    assert "共 10 个环节" in desc and "4. 法制审核（责任部门：测试区综合行政执法局；时限：5 个工作日）" in desc


def test_steps_without_a_limit_are_drawn_dashed_not_by_colour_alone(workflows):
    demo, _ = workflows
    root = ET.fromstring(diagram_svg(demo.title, workflow_steps(demo)))
    boxes = [g.find(f"{SVG}rect") for g in root.findall(f".//{SVG}g[@class='step']")]
    dashed = [i + 1 for i, rect in enumerate(boxes) if rect.get("stroke-dasharray")]
    assert dashed == [2, 6, 7, 8, 9]  # the demo's steps with no working-day limit


def test_each_department_gets_a_lane_and_the_work_changes_hands_with_a_turn(workflows):
    _, handover = workflows
    svg = diagram_svg(handover.title, workflow_steps(handover))
    root = ET.fromstring(svg)
    drawn = texts(svg)
    assert "测试区住房和城乡建设局" in drawn and "测试区综合行政执法局" in drawn
    xs = [float(g.find(f"{SVG}rect").get("x")) for g in root.findall(f".//{SVG}g[@class='step']")]
    assert xs[0] == xs[2] != xs[1]  # 住建局, 执法局, back to 住建局
    turns = [p.get("d") for p in root.findall(f"{SVG}path") if " H" in p.get("d")]
    assert len(turns) == 2


def test_hostile_text_is_escaped_in_the_svg():
    steps = [Step(1, '<script>alert("x")</script> & 立案', "某局 <b>", 3)]
    svg = diagram_svg("流程 & <测试>", steps)
    ET.fromstring(svg)  # still well-formed
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_empty_workflow_draws_start_and_end_only():
    root = ET.fromstring(diagram_svg("空流程", []))
    assert root.findall(f".//{SVG}g[@class='step']") == []
    assert "尚未填写流程环节" in root.find(f"{SVG}desc").text


def test_long_names_wrap_inside_the_box_and_closing_punctuation_never_starts_a_line():
    lines = wrap("调查终结与案件审核（涉嫌犯罪的，依照规定移送公安机关）", 15 * 8, 15)
    assert all(text_width(line, 15) <= 15 * 8 + 15 for line in lines)
    assert not any(line[0] in "，）。" for line in lines)
    assert wrap("很长" * 50, 60, 15, max_lines=2)[-1].endswith("…")


def test_step_deadlines_count_working_days_across_guoqing_and_its_make_up_saturday():
    steps = [Step(1, "立案", "", 5), Step(2, "调查", "", None), Step(3, "审核", "", 3)]
    dues, notice = step_deadlines(steps, datetime.date(2026, 9, 30))
    # 2026: 10-01..10-07 off; then 10-08, 10-09, 10-10 (a make-up Saturday), 10-12, 10-13.
    assert dues == [datetime.date(2026, 10, 13), None, datetime.date(2026, 10, 10)]
    assert notice == ""


def test_step_deadlines_past_the_known_arrangements_are_estimated_and_say_so():
    with stored_years_fixed([]):
        dues, notice = step_deadlines([Step(1, "立案", "", 5)], datetime.date(2099, 1, 5))
    assert dues == [datetime.date(2099, 1, 12)] and estimated(dues[0])
    assert notice.startswith("预计：2099年节假日安排尚未导入")
    dues, notice = step_deadlines([Step(1, "立案", "", 5)], datetime.date(2003, 6, 2))
    assert dues == [None] and "法定节假日数据自2004年起" in notice


def test_viewer_page_shows_the_diagram_and_a_table_of_limits_and_due_dates(client, workflows, staff):
    demo, _ = workflows
    client.force_login(staff[1])
    response = client.get(f"/staff/workflows/{demo.pk}/", {"start": "2026-09-30"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" role="img"' in html
    assert "已规定时限合计 21 个工作日" in html
    row = html.split('id="step-1"')[1].split("</tr>")[0]
    assert "案件受理与立案" in row and "5 个工作日" in row and "2026-10-13" in row


@pytest.mark.parametrize("start", ["2026-02-30", "9999-12-31", "0001-01-01"])
def test_a_bad_start_date_is_refused_400_in_chinese(client, workflows, staff, start):
    demo, _ = workflows
    client.force_login(staff[0])
    response = client.get(f"/staff/workflows/{demo.pk}/", {"start": start})
    assert response.status_code == 400
    assert f"起算日期“{start}”无效" in response.content.decode()


def test_internal_workflow_is_a_404_for_other_departments(client, workflows, staff):
    _, handover = workflows
    client.force_login(staff[0])  # department A; the workflow is B's internal one
    assert client.get(f"/staff/workflows/{handover.pk}/").status_code == 404
    assert "违法建设移交处置流程" not in client.get("/staff/workflows/").content.decode()
    client.force_login(staff[1])
    assert client.get(f"/staff/workflows/{handover.pk}/").status_code == 200


def test_ids_that_are_not_workflows_are_a_404(client, workflows, staff, site_tree):
    home, _ = site_tree
    client.force_login(staff[0])
    assert client.get(f"/staff/workflows/{home.pk}/").status_code == 404
    assert client.get("/staff/workflows/999999/").status_code == 404


def test_workflow_page_links_staff_to_its_diagram_but_not_the_public(client, workflows, staff):
    demo, _ = workflows
    publish_public = publish_workflow(demo.get_parent().specific, demo.department, title="公开的简易程序流程",
                                      scope=Scope.PUBLIC, steps=[{"name": "当场处罚", "time_limit_days": 0}])
    link = f'href="/staff/workflows/{publish_public.pk}/"'
    assert link not in client.get(publish_public.url).content.decode()
    client.force_login(staff[0])
    assert link in client.get(publish_public.url).content.decode()


def test_a_step_whose_department_was_deleted_reads_as_unassigned(workflows, departments):
    extra = Department.objects.create(name="临时专班", code="LSZB")
    _, handover = workflows
    handover.steps = [{"type": "step", "value": {"name": "专班会商", "department": extra.pk, "time_limit_days": 2}}]
    handover.save_revision().publish()
    extra.delete()
    handover.refresh_from_db()
    (step,) = workflow_steps(handover)
    assert step.department == "" and "未指定责任部门" in diagram_svg(handover.title, [step])


def test_viewer_needs_a_signed_in_member_of_staff(client, workflows):
    demo, _ = workflows
    assert client.get(f"/staff/workflows/{demo.pk}/").status_code == 302
    client.force_login(User.objects.create_user("citizen", password="pw-citizen-2026"))
    assert client.get("/staff/workflows/").status_code == 404
