"""``manage.py holidays``: importing a notice (shown before it is stored), listing and showing years.

The 2027 notice is a test fixture (tests/data/holidays/test-fixture-2027-not-an-official-notice.txt):
no real 2027 notice was found. The 2020 and 2026 ones are the real notices.
"""
import datetime
import io
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lib import workdays
from portal.models import HolidayArrangement, HolidayArrangementDay, User

NOTICES = Path(__file__).resolve().parents[1] / "data" / "holidays"
FIXTURE_2027 = NOTICES / "test-fixture-2027-not-an-official-notice.txt"

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("holidays", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_shows_the_arrangement_then_stores_it_with_the_whole_text():
    output = run("import", str(FIXTURE_2027), "--yes")
    assert "国务院办公厅关于2027年部分节假日安排的通知" in output
    assert "2027年：放假28天，调休上班5天。" in output
    assert "春节：放假 2027-02-05（五）至2027-02-12（五），共8天；调休上班 2027-01-31（日）、2027-02-20（六）" in output
    assert output.rstrip().endswith("已保存2027年节假日安排（国务院办公厅关于2027年部分节假日安排的通知）。")
    stored = HolidayArrangement.objects.get(year=2027)
    assert stored.source_text == FIXTURE_2027.read_text(encoding="utf-8")  # not a character dropped
    assert stored.imported_by is None and stored.imported_by_name.startswith("命令行（")
    assert stored.days.filter(kind=HolidayArrangementDay.Kind.HOLIDAY).count() == 28
    assert set(stored.days.filter(kind=HolidayArrangementDay.Kind.WORKDAY).values_list("date", flat=True)) == {
        datetime.date(2027, 1, 31), datetime.date(2027, 2, 20), datetime.date(2027, 5, 8),
        datetime.date(2027, 9, 26), datetime.date(2027, 10, 9)}


def test_imported_year_is_used_by_workdays_at_once_and_forgotten_when_deleted():
    sunday = datetime.date(2027, 1, 31)  # the fixture's make-up Sunday before 春节
    assert (workdays.is_working_day(sunday), workdays.is_known(sunday)) == (False, False)
    run("import", str(FIXTURE_2027), "--yes")
    assert (workdays.is_working_day(sunday), workdays.is_known(sunday)) == (True, True)
    assert not workdays.is_working_day(datetime.date(2027, 2, 10))
    assert workdays.calendar_range()[1] == datetime.date(2027, 12, 31)
    HolidayArrangement.objects.get(year=2027).delete()
    assert (workdays.is_working_day(sunday), workdays.is_known(sunday)) == (False, False)


def test_import_records_the_portal_user_named():
    admin = User.objects.create_user("holiday_admin", password="pw-holiday-2026")
    run("import", str(FIXTURE_2027), "--yes", "--user", "holiday_admin")
    stored = HolidayArrangement.objects.get(year=2027)
    assert (stored.imported_by, stored.imported_by_name) == (admin, "holiday_admin")
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        run("import", str(FIXTURE_2027), "--yes", "--user", "nobody", "--replace")


def test_dry_run_and_unconfirmed_import_store_nothing():
    assert "试运行：未保存。" in run("import", str(FIXTURE_2027), "--dry-run")
    with pytest.raises(CommandError, match="非交互运行时请确认无误后加 --yes"):
        run("import", str(FIXTURE_2027))  # pytest's stdin is no terminal: no question can be asked
    assert not HolidayArrangement.objects.exists()


def test_import_from_standard_input_in_gb18030(monkeypatch):
    data = FIXTURE_2027.read_text(encoding="utf-8").encode("gb18030")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    run("import", "-", "--yes")
    assert HolidayArrangement.objects.get(year=2027).source_text == FIXTURE_2027.read_text(encoding="utf-8")


def test_a_year_chinesecalendar_has_is_not_imported_again():
    output = run("import", str(NOTICES / "2026.txt"), "--yes")
    assert "2026年的安排已内置于 chinesecalendar，且与通知逐日一致，无需导入。" in output
    assert not HolidayArrangement.objects.exists()


def test_a_notice_that_disagrees_with_chinesecalendar_is_refused():
    with pytest.raises(CommandError) as refused:
        run("import", str(NOTICES / "2020.txt"), "--yes")
    assert "通知与已有的节假日数据不一致（2020年）" in str(refused.value)
    assert "2020年1月31日（星期五）：通知为上班，已有数据为休息" in str(refused.value)
    assert not HolidayArrangement.objects.exists()


@pytest.mark.parametrize("text, message", [
    ("请各部门于12月8日前报送材料。", "没有找到放假安排条目"),
    (FIXTURE_2027.read_text(encoding="utf-8").replace("共8天", "共7天"), "春节：写明共7天，但所列放假日期有8天"),
    (FIXTURE_2027.read_text(encoding="utf-8").replace("2027年", "2031年"), "年份2031年不合理"),
    (FIXTURE_2027.read_text(encoding="utf-8").replace("5月8日（周六）", "6月9日（周三）"), "是工作日，不是需要调休上班的周末"),
])
def test_bad_notices_are_refused_in_chinese_and_nothing_is_stored(tmp_path, text, message):
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("import", str(path), "--yes")
    assert not HolidayArrangement.objects.exists() and not HolidayArrangementDay.objects.exists()


def test_missing_file_and_undecodable_file_are_refused(tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        run("import", str(tmp_path / "none.txt"), "--yes")
    binary = tmp_path / "notice.doc"
    binary.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\xff\xfe\x80")
    with pytest.raises(CommandError, match="既不是 UTF-8 也不是 GB18030"):
        run("import", str(binary), "--yes")


def test_a_stored_year_is_replaced_only_when_asked(tmp_path):
    run("import", str(FIXTURE_2027), "--yes")
    assert "日期完全相同，无需再次导入" in run("import", str(FIXTURE_2027), "--yes")
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(FIXTURE_2027.read_text(encoding="utf-8").replace("5月8日（周六）", "4月25日（周日）"),
                         encoding="utf-8")
    with pytest.raises(CommandError, match="2027年已有导入的安排.*如确需以本通知更正，请加 --replace"):
        run("import", str(corrected), "--yes")
    assert HolidayArrangementDay.objects.filter(date=datetime.date(2027, 5, 8)).exists()
    output = run("import", str(corrected), "--yes", "--replace")
    assert "将替换2027年已导入的安排" in output
    assert not HolidayArrangementDay.objects.filter(date=datetime.date(2027, 5, 8)).exists()
    assert HolidayArrangementDay.objects.get(date=datetime.date(2027, 4, 25)).kind == "workday"
    assert HolidayArrangement.objects.count() == 1
    assert workdays.is_working_day(datetime.date(2027, 4, 25)) and not workdays.is_working_day(
        datetime.date(2027, 5, 8))


def test_list_and_show():
    run("import", str(FIXTURE_2027), "--yes")
    listing = run("list")
    assert "chinesecalendar 1.11.0：2004年至2026年（内置）" in listing
    assert "2027年：国务院办公厅关于2027年部分节假日安排的通知，放假28天，调休上班5天" in listing
    assert "工作日可计算至2027-12-31。" in listing
    shown = run("show", "2027")
    assert "国庆节：放假 2027-10-01（五）至2027-10-07（四），共7天；调休上班 2027-09-26（日）、2027-10-09（六）" in shown
    builtin = run("show", "2026")
    assert "来自 chinesecalendar 1.11.0 内置数据" in builtin
    assert "春节：放假 2026-02-15（日）至2026-02-23（一），共9天；调休上班 2026-02-14（六）、2026-02-28（六）" in builtin
    assert "2028年尚无节假日安排" in run("show", "2028")
    with pytest.raises(CommandError, match="年份“二〇二七”无效"):
        run("show", "二〇二七")
