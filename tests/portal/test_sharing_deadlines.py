"""The sharing clock: 应共享日期 across holidays, the department dashboard, supervision by month, XLSX and CSV exports."""
import csv
import datetime
import io

import pytest
from django.utils import timezone
from wagtail.models import Page

from portal.models import CategoryIndexPage, Department, OtherSharedInfoPage, Scope, User
from sharing import deadlines
from sharing.deadlines import (
    CALENDAR_MISSING,
    DUE_SOON,
    LATE,
    ON_TIME,
    OVERDUE,
    PENDING,
    UNKNOWN,
    department_deadline_report,
    parse_month,
    supervision_report,
)

TODAY = datetime.date(2026, 11, 25)  # a Wednesday inside chinesecalendar's data


def shared_on(page, day: datetime.date) -> None:
    """Pretend the page was first published on ``day`` (local time, mid-morning)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    Page.objects.filter(pk=page.pk).update(first_published_at=moment)


@pytest.fixture
def other_section(site_tree):
    home, _ = site_tree
    section = CategoryIndexPage(title="其他共享信息", slug="other", section="other")
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


@pytest.fixture
def record(other_section, departments):
    """Return a factory: a record formed on ``formed``, shared (published) on ``shared`` or left a draft."""

    def make(title, formed, shared=None, department=None, scope=Scope.SHARED):
        page = OtherSharedInfoPage(title=title, department=department or departments[0], scope=scope,
                                   formed_date=formed, live=shared is not None, body=f"<p>{title}正文</p>")
        other_section.add_child(instance=page)
        revision = page.save_revision()
        if shared is not None:
            revision.publish()
            shared_on(page, shared)
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def clock(record, departments):
    """Return the items of department A in every state on TODAY, and one of B."""
    a, b = departments
    return {
        # formed before 国庆 2026: due 10-13 (10-10 is a make-up Saturday); shared on the due date.
        ON_TIME: record("国庆前形成按时共享", datetime.date(2026, 9, 30), shared=datetime.date(2026, 10, 13)),
        LATE: record("国庆前形成逾期共享", datetime.date(2026, 9, 30), shared=datetime.date(2026, 10, 14)),
        OVERDUE: record("十一月初形成未共享", datetime.date(2026, 11, 2)),  # due 11-09, still a draft
        DUE_SOON: record("即将到期未共享", datetime.date(2026, 11, 19)),  # due 11-26, one working day left
        PENDING: record("刚形成未共享", datetime.date(2026, 11, 24)),  # due 12-01
        "private": record("不予共享不计入", datetime.date(2026, 11, 2), scope=Scope.PRIVATE),
        "b": record("乙部门逾期", datetime.date(2026, 10, 9), department=b),  # due 10-15
    }


def test_deadline_row_counts_working_days_across_guoqing_with_the_make_up_saturday(clock):
    row = deadlines.deadline_row(clock[ON_TIME], TODAY)
    assert row.due == datetime.date(2026, 10, 13)
    assert row.shared == datetime.date(2026, 10, 13)
    assert (row.status, row.status_label) == (ON_TIME, "按时")
    late = deadlines.deadline_row(clock[LATE], TODAY)
    assert (late.status, late.status_label) == (LATE, "逾期办结")


def test_deadline_row_names_the_holidays_its_counting_span_crosses(clock, record):
    row = deadlines.deadline_row(clock[ON_TIME], TODAY)  # 9-30 to 10-13 crosses the 2026 国庆 break
    assert (row.holidays, row.holiday_text) == (("国庆节",), "（含国庆节假期）")
    assert deadlines.deadline_row(clock[OVERDUE], TODAY).holiday_text == ""  # 11-02 to 11-09: none
    # 2025-09-30 to 2025-10-10: 国庆 and 中秋 (10-06) in one break, each named once, in date order.
    both = deadlines.deadline_row(record("双节前形成", datetime.date(2025, 9, 30)), TODAY)
    assert both.holiday_text == "（含国庆节、中秋节假期）"
    # Past the known arrangements nothing is guessed: no holiday is named.
    assert deadlines.deadline_row(record("年底形成", datetime.date(2026, 12, 28)), TODAY).holidays == ()


def test_the_dashboard_deadline_table_shows_the_holidays_next_to_the_due_date(client, clock, staff, monkeypatch):
    monkeypatch.setattr(deadlines, "current_date", lambda: TODAY)
    client.force_login(staff[0])
    html = client.get("/staff/").content.decode()
    row = html.split("国庆前形成按时共享", 1)[1].split("</tr>")[0]
    assert "2026-10-13 <span class=\"holidays\">（含国庆节假期）</span>" in row
    quiet = html.split("十一月初形成未共享", 1)[1].split("</tr>")[0]
    assert "假期）" not in quiet


def test_deadline_row_across_chunjie_2026(record):
    # Friday 2026-02-13, just before the 春节 break (2-15..2-23): five working days later is 2-27.
    page = record("春节前形成", datetime.date(2026, 2, 13), shared=datetime.date(2026, 2, 27))
    row = deadlines.deadline_row(page, TODAY)
    assert row.due == datetime.date(2026, 2, 27)
    assert row.status == ON_TIME


def test_shared_date_is_the_local_date_of_first_publication(record):
    page = record("午夜后发布", datetime.date(2026, 9, 30))
    # 2026-10-13 23:30 in Shanghai is 15:30 UTC: the local date decides.
    Page.objects.filter(pk=page.pk).update(
        live=True, first_published_at=datetime.datetime(2026, 10, 13, 15, 30, tzinfo=datetime.UTC))
    page.refresh_from_db()
    assert deadlines.deadline_row(page, TODAY).shared == datetime.date(2026, 10, 13)


def test_department_report_counts_each_status_and_lists_the_overdue(clock, departments):
    report = department_deadline_report(departments[0], today=TODAY)
    assert report.counts[ON_TIME] == 1
    assert report.counts[LATE] == 1
    assert report.counts[OVERDUE] == 1
    assert report.counts[DUE_SOON] == 1
    assert report.counts[PENDING] == 1
    assert [row.page.pk for row in report.overdue] == [clock[OVERDUE].pk]
    assert clock["private"].pk not in [row.page.pk for row in report.rows]
    assert clock["b"].pk not in [row.page.pk for row in report.rows]
    assert report.on_time_rate == "50.0%"


def test_item_past_the_calendar_data_gets_an_estimated_deadline_marked_as_such(record, departments):
    page = record("年底形成", datetime.date(2026, 12, 28))
    row = deadlines.deadline_row(page, TODAY)
    # 12-29, 30, 31, then 2027 on weekends alone: 01-01 (a Friday), 01-04 (预计).
    assert (row.due, row.estimated, row.status) == (datetime.date(2027, 1, 4), True, PENDING)
    assert row.due_text == "2027-01-04（预计）"
    assert row.note.startswith("预计：2027年节假日安排尚未导入")
    # A "today" past the data is estimated too: overdue the day after.
    assert deadlines.deadline_row(page, datetime.date(2027, 1, 5)).status == OVERDUE
    assert deadlines.deadline_row(page, datetime.date(2027, 1, 1)).status == DUE_SOON


def test_item_formed_before_the_calendar_data_says_so_instead_of_guessing(record):
    row = deadlines.deadline_row(record("旧信息", datetime.date(2003, 12, 1)), TODAY)
    assert (row.status, row.due, row.status_label) == (UNKNOWN, None, CALENDAR_MISSING)
    assert "2004年起" in row.note


@pytest.mark.parametrize("value, expected", [
    ("2026-10", (2026, 10)), ("2026-1", (2026, 1)), (" 2026-12 ", (2026, 12)),
    ("2026-13", None), ("2026/10", None), ("十月", None), ("", None), (None, None), ("2026-10-01", None),
])
def test_parse_month_accepts_only_year_dash_month(value, expected):
    assert parse_month(value) == expected


def test_supervision_month_filter_uses_the_formation_month(clock):
    october = supervision_report(month=(2026, 10), today=TODAY)
    assert {row.page.title for row in october.rows} == {"乙部门逾期"}
    november = supervision_report(month=(2026, 11), today=TODAY)
    assert {row.page.title for row in november.rows} == {"十一月初形成未共享", "即将到期未共享", "刚形成未共享"}
    assert november.counts[OVERDUE] == 1


# --- views -------------------------------------------------------------------------------

@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(deadlines, "current_date", lambda: TODAY)
    return TODAY


@pytest.fixture
def supervisor(db):
    bb = Department.objects.create(name="中共测试区委机构编制委员会办公室", short_name="区编办", code="BB")
    return User.objects.create_user("bianban", password="pw-bianban-2026", department=bb)


def test_dashboard_requires_login(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_dashboard_shows_the_departments_counts_and_overdue_item(client, clock, staff, fixed_today):
    client.force_login(staff[0])
    response = client.get("/staff/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "信息共享工作台" in html
    overdue_section = html.split("逾期未共享")[1].split("</table>")[0]
    assert "十一月初形成未共享" in overdue_section
    assert "2026-11-09" in overdue_section
    assert "乙部门逾期" not in html  # department B's item is not on A's dashboard
    counts = response.context["reports"][0].counts
    assert (counts[ON_TIME], counts[LATE], counts[OVERDUE]) == (1, 1, 1)


def test_dashboard_refuses_a_bad_month_400_in_chinese(client, clock, staff, fixed_today):
    client.force_login(staff[0])
    response = client.get("/staff/?month=2026-13")
    assert response.status_code == 400
    assert "月份“2026-13”无效" in response.content.decode()


def test_supervision_is_refused_to_an_ordinary_department(client, clock, staff):
    client.force_login(staff[0])
    assert client.get("/staff/supervision/").status_code == 404
    assert client.get("/staff/supervision/export.csv").status_code == 404


def test_supervision_lists_every_department_filtered_by_month(client, clock, supervisor, fixed_today):
    client.force_login(supervisor)
    response = client.get("/staff/supervision/?month=2026-10")
    assert response.status_code == 200
    html = response.content.decode()
    assert "乙部门逾期" in html
    assert "十一月初形成未共享" not in html
    assert "2026年10月" in html


def test_supervision_csv_has_a_bom_and_one_row_per_item(client, clock, supervisor, fixed_today):
    client.force_login(supervisor)
    response = client.get("/staff/supervision/export.csv?month=2026-11")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    items_header = rows.index(deadlines.ITEM_HEADINGS)
    items = {row[2]: row for row in rows[items_header + 1:]}
    assert set(items) == {"十一月初形成未共享", "即将到期未共享", "刚形成未共享"}
    assert items["十一月初形成未共享"][6:9] == ["2026-11-09", "未共享", "逾期"]
    summary = {row[0]: row for row in rows[2:items_header - 1]}
    assert summary["测试区综合行政执法局"][1] == "3"


def test_supervision_xlsx_opens_with_openpyxl(client, clock, supervisor, fixed_today):
    from openpyxl import load_workbook

    client.force_login(supervisor)
    response = client.get("/staff/supervision/export.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["汇总", "明细"]
    summary = {row[0]: row for row in workbook["汇总"].iter_rows(min_row=2, values_only=True)}
    a = summary["测试区综合行政执法局"]
    headings = [cell.value for cell in workbook["汇总"][1]]
    assert a[headings.index("逾期")] == 1 and a[headings.index("按时")] == 1 and a[headings.index("逾期办结")] == 1
    details = list(workbook["明细"].iter_rows(min_row=2, values_only=True))
    assert len(details) == 6  # five of A, one of B; 不予共享 left out
    assert "不予共享不计入" not in {row[2] for row in details}


def test_supervision_hides_titles_of_other_departments_internal_items(client, record, departments, supervisor,
                                                                      fixed_today):
    record("张三工伤认定内部材料", datetime.date(2026, 11, 2), department=departments[1], scope=Scope.INTERNAL)
    client.force_login(supervisor)
    response = client.get("/staff/supervision/export.csv")
    text = response.content.decode("utf-8-sig")
    assert "张三工伤认定内部材料" not in text
    assert "（部门内部信息，标题不予显示）" in text
