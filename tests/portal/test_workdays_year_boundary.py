"""Acceptance across the year boundary: deadlines running into a year without a holiday arrangement.

chinesecalendar 1.11.0 ends on 2026-12-31. With no 2027 arrangement stored, a record formed on
Monday 2026-12-28 is due on 2027-01-04 (预计, on weekends alone: 12-29, 12-30, 12-31, 01-01, 01-04),
and the staff dashboard, the supervision CSV export and the pages API all say 预计. After
``manage.py holidays import`` of a 2027 notice the same deadline is exact and honours its holidays:
the fixture's 元旦 (01-01..01-03) moves it to 2027-01-05; the deadlines of the other records follow
the notice's 春节 and its make-up Sunday.

The 2027 notice is a TEST FIXTURE (tests/data/holidays/test-fixture-2027-not-an-official-notice.txt),
written for these tests in the notices' wording: no real 2027 notice was found.
"""
import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from portal.models import CategoryIndexPage, Department, OtherSharedInfoPage, Scope, User
from sharing import deadlines

FIXTURE_2027 = Path(__file__).resolve().parents[1] / "data" / "holidays" / "test-fixture-2027-not-an-official-notice.txt"
TODAY = datetime.date(2026, 12, 28)

# title: (信息形成日期, 应共享日期 estimated without a 2027 arrangement, 应共享日期 under the 2027 fixture)
RECORDS = {
    # Monday 12-28: estimated 12-29..12-31, 01-01, 01-04; the fixture's 元旦 (01-01..01-03) makes it 01-05.
    "年底形成的检查记录": (datetime.date(2026, 12, 28), datetime.date(2027, 1, 4), datetime.date(2027, 1, 5)),
    # Friday 01-29: estimated 02-01..02-05; the fixture's make-up Sunday 01-31 makes it 02-04.
    "调休前形成的简报": (datetime.date(2027, 1, 29), datetime.date(2027, 2, 5), datetime.date(2027, 2, 4)),
    # Thursday 02-04: estimated 02-05, 02-08..02-11; the fixture's 春节 (02-05..02-12) makes it 02-19.
    "春节前形成的通报": (datetime.date(2027, 2, 4), datetime.date(2027, 2, 11), datetime.date(2027, 2, 19)),
}


@pytest.fixture
def world(site_tree, departments, monkeypatch):
    """Public, published records of department A formed around the year boundary; a member of A; a supervisor."""
    monkeypatch.setattr(deadlines, "current_date", lambda: TODAY)
    home, _ = site_tree
    section = CategoryIndexPage(title="其他共享信息", slug="other", section="other")
    home.add_child(instance=section)
    section.save_revision().publish()
    pages = {}
    for title, (formed, _, _) in RECORDS.items():
        page = OtherSharedInfoPage(title=title, department=departments[0], scope=Scope.PUBLIC, formed_date=formed,
                                   body=f"<p>{title}正文</p>")
        section.add_child(instance=page)
        page.save_revision().publish()
        moment = timezone.make_aware(datetime.datetime.combine(formed, datetime.time(10, 0)))
        Page.objects.filter(pk=page.pk).update(first_published_at=moment)  # shared the day it was formed
        pages[title] = page
    member = User.objects.create_user("member_a", password="pw-member-2026", department=departments[0])
    bb = Department.objects.create(name="中共测试区委机构编制委员会办公室", short_name="区编办", code="BB")
    supervisor = User.objects.create_user("bianban", password="pw-bianban-2026", department=bb)
    return {"pages": pages, "member": member, "supervisor": supervisor}


def dashboard_due_cells(client, user) -> dict[str, str]:
    """Return {title: the text of its 应共享日期 cell} of the dashboard's table of all items."""
    client.force_login(user)
    html = client.get("/staff/").content.decode()
    table = html.split("<caption>全部信息</caption>")[1].split("</table>")[0]
    cells = {}
    for title in RECORDS:
        row = table.split(title, 1)[1].split("</tr>")[0]
        cells[title] = row.split("<td>")[4].split("</td>")[0]  # title, 索引号, 共享范围, 信息形成日期, 应共享日期
    return cells | {"_page": html}


def export_rows(client, user) -> dict[str, list[str]]:
    """Return {title: row} of the items part of the supervision CSV export."""
    client.force_login(user)
    response = client.get("/staff/supervision/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    items = rows[rows.index(deadlines.ITEM_HEADINGS) + 1:]
    return {row[2]: dict(zip(deadlines.ITEM_HEADINGS, row, strict=True)) for row in items}


def api_deadlines(client, pages) -> dict[str, dict]:
    client.logout()
    found = {}
    for title, page in pages.items():
        response = client.get(f"/api/v2/pages/{page.pk}/")
        assert response.status_code == 200
        data = json.loads(response.content)
        assert data["formed_date"] == RECORDS[title][0].isoformat()
        found[title] = data["sharing_deadline"]
    return found


def import_2027_fixture():
    call_command("holidays", "import", str(FIXTURE_2027), "--yes", stdout=io.StringIO())


def test_without_2027_data_the_deadline_of_2026_12_28_is_estimated_on_dashboard_export_and_api(client, world):
    cells = dashboard_due_cells(client, world["member"])
    for title, (_, estimate, _) in RECORDS.items():
        assert cells[title].startswith(f"{estimate:%Y-%m-%d} <span class=\"estimated\"")
        assert ">预计</span>" in cells[title]
    assert "3 条信息的应共享日期标为“预计”，2027年节假日安排尚未导入" in cells["_page"]

    exported = export_rows(client, world["supervisor"])
    row = exported["年底形成的检查记录"]
    assert row["应共享日期"] == "2027-01-04（预计）"
    assert row["状态"] == "按时"
    assert row["说明"].startswith("预计：2027年节假日安排尚未导入，仅按周末")

    api = api_deadlines(client, world["pages"])
    assert api["年底形成的检查记录"]["date"] == "2027-01-04"
    assert api["年底形成的检查记录"]["estimated"] is True and api["年底形成的检查记录"]["label"] == "预计"
    assert {title: value["date"] for title, value in api.items()} == {
        title: estimate.isoformat() for title, (_, estimate, _) in RECORDS.items()}


def test_after_importing_a_2027_notice_the_same_deadlines_are_exact_and_follow_its_holidays(client, world):
    import_2027_fixture()

    cells = dashboard_due_cells(client, world["member"])
    crossed = {"年底形成的检查记录": "元旦", "调休前形成的简报": "", "春节前形成的通报": "春节"}
    for title, (_, _, exact) in RECORDS.items():
        # No 预计 mark; the fixture's holidays the counting span crosses are named next to the date.
        named = f" <span class=\"holidays\">（含{crossed[title]}假期）</span>" if crossed[title] else ""
        assert cells[title] == f"{exact:%Y-%m-%d}{named}"
    assert "标为“预计”" not in cells["_page"]

    exported = export_rows(client, world["supervisor"])
    assert {title: (row["应共享日期"], row["说明"]) for title, row in exported.items()} == {
        title: (exact.isoformat(), "") for title, (_, _, exact) in RECORDS.items()}

    api = api_deadlines(client, world["pages"])
    assert api == {title: {"date": exact.isoformat(), "estimated": False, "label": "", "note": ""}
                   for title, (_, _, exact) in RECORDS.items()}


def test_administrators_are_warned_from_november_until_next_years_arrangement_is_imported(client, world,
                                                                                          monkeypatch):
    admin = User.objects.create_superuser("holiday_admin", password="pw-holiday-admin-2026")
    client.force_login(admin)
    warning = "尚未录入2027年节假日安排"
    assert warning in client.get("/staff/").content.decode()  # 2026-12-28
    monkeypatch.setattr(deadlines, "current_date", lambda: datetime.date(2026, 10, 31))
    assert warning not in client.get("/staff/").content.decode()  # before November nothing is due yet
    monkeypatch.setattr(deadlines, "current_date", lambda: TODAY)
    client.force_login(world["member"])
    assert warning not in client.get("/staff/").content.decode()  # for administrators only
    import_2027_fixture()
    client.force_login(admin)
    assert warning not in client.get("/staff/").content.decode()
    monkeypatch.setattr(deadlines, "current_date", lambda: datetime.date(2027, 11, 1))
    assert "尚未录入2028年节假日安排" in client.get("/staff/").content.decode()
