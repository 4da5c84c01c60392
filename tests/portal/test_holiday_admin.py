"""节假日安排 in the Wagtail admin: managers list the stored years and correct their days; others cannot.

The 2027 notice is a TEST FIXTURE (tests/data/holidays/test-fixture-2027-not-an-official-notice.txt).
"""
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from lib import workdays
from portal import roles
from portal.holidays import day_lines
from portal.models import HolidayArrangement, HolidayArrangementDay, User

FIXTURE_2027 = Path(__file__).resolve().parents[1] / "data" / "holidays" / "test-fixture-2027-not-an-official-notice.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored():
    call_command("holidays", "import", str(FIXTURE_2027), "--yes", stdout=io.StringIO())
    return HolidayArrangement.objects.get(year=2027)


@pytest.fixture
def people(departments):
    groups = roles.ensure_roles()
    manager = User.objects.create_user("guanli", password="pw-manager-2026", department=departments[0])
    manager.groups.add(groups[roles.MANAGERS])
    editor = User.objects.create_user("bianji", password="pw-editor-2026", department=departments[0])
    editor.groups.add(groups[roles.EDITORS])
    return {"manager": manager, "editor": editor,
            "root": User.objects.create_superuser("root", password="pw-root-2026")}


def edit_post(arrangement, days: str) -> dict:
    return {"title": arrangement.title, "doc_number": "国办发明电〔2026〕99号", "issued_on": "", "days": days}


def test_managers_see_the_stored_years_with_their_source_and_days(client, stored, people):
    for who in ("manager", "root"):
        client.force_login(people[who])
        listing = client.get(reverse("holidayarrangements:index")).content.decode()
        assert "2027" in listing and stored.title in listing and "放假28天，调休上班5天" in listing
        form = client.get(reverse("holidayarrangements:edit", args=[stored.pk])).content.decode()
        assert "2027-01-01 放假 元旦" in form and "2027-01-31 上班 春节" in form


def test_editors_may_neither_list_nor_correct_the_years(client, stored, people):
    client.force_login(people["editor"])
    assert client.get(reverse("holidayarrangements:index")).status_code in (302, 403)
    lines = holidays_text(stored).replace("2027-01-01 放假 元旦\n", "")
    answer = client.post(reverse("holidayarrangements:edit", args=[stored.pk]), edit_post(stored, lines))
    assert answer.status_code in (302, 403)
    assert stored.days.filter(date=datetime.date(2027, 1, 1)).exists()


def holidays_text(arrangement) -> str:
    return day_lines(arrangement) + "\n"


def test_a_correction_is_stored_counted_with_and_recorded_who_and_when(client, stored, people):
    client.force_login(people["manager"])
    # The fixture's 元旦 is 01-01..01-03; correct it to 01-01 alone (01-02 and 01-03 are a weekend anyway).
    lines = holidays_text(stored).replace("2027-01-02 放假 元旦\n", "").replace("2027-01-03 放假 元旦\n", "")
    answer = client.post(reverse("holidayarrangements:edit", args=[stored.pk]), edit_post(stored, lines))
    assert answer.status_code == 302
    stored.refresh_from_db()
    assert stored.doc_number == "国办发明电〔2026〕99号"
    assert not stored.days.filter(date=datetime.date(2027, 1, 2)).exists()
    assert stored.days.count() == 31
    assert stored.changed_by_name == "guanli" and stored.changed_at is not None
    assert ModelLogEntry.objects.filter(action="wagtail.edit", user=people["manager"],
                                        object_id=str(stored.pk)).exists()
    # Moving 元旦 onto a working Monday changes the deadlines at once.
    lines = holidays_text(stored) + "2027-01-04 放假 元旦\n"
    assert client.post(reverse("holidayarrangements:edit", args=[stored.pk]),
                       edit_post(stored, lines)).status_code == 302
    assert not workdays.is_working_day(datetime.date(2027, 1, 4))


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("2027-01-31 上班", "2027-02-01 上班"), "2027-02-01（一）是工作日，不是需要调休上班的周末"),
    (lambda t: t + "2027-01-01 上班 元旦\n", "2027-01-01（五）重复出现，安排相互重叠"),
    (lambda t: t + "2027-13-01 放假 元旦\n", "“2027-13-01”不是有效日期"),
    (lambda t: t + "2030-01-01 放假 元旦\n", "不属于2027年或相邻年份"),
    (lambda t: t + "2026-12-31 放假 元旦\n", "2026-12-31（四）：此处为休息，已有数据为上班"),
    (lambda t: t + "元旦放假\n", "格式不对"),
    (lambda t: t + "2028-01-01 放假 元旦\n", "2028-01-01（六）已列入2028年的安排（元旦放假），安排相互重叠"),
])
def test_a_bad_correction_is_refused_in_chinese_and_nothing_changes(client, stored, people, change, message):
    client.force_login(people["root"])
    later = HolidayArrangement.objects.create(year=2028, title="测试用2028年安排", source_text="测试",
                                              imported_at=stored.imported_at)
    HolidayArrangementDay.objects.create(arrangement=later, date=datetime.date(2028, 1, 1), kind="holiday", name="元旦")
    doc_number = stored.doc_number
    before = list(HolidayArrangementDay.objects.values_list("date", "kind", "name"))
    answer = client.post(reverse("holidayarrangements:edit", args=[stored.pk]),
                         edit_post(stored, change(holidays_text(stored))))
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert list(HolidayArrangementDay.objects.values_list("date", "kind", "name")) == before
    stored.refresh_from_db()
    assert stored.doc_number == doc_number and stored.changed_at is None
