"""Reading the State Council's holiday notices (lib.holiday_notice) — on the real notices of 2016-2026.

The texts in tests/data/holidays/ are the published notices (sources in SOURCE.txt). Each one read
here is checked day by day against chinesecalendar, whose data was entered from the same notices
by other hands: a parser that misreads a range, a 补休 or a 上班 day disagrees somewhere.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from chinese_calendar import constants as cc

from lib.holiday_notice import NoticeError, disagreements, parse_notice

NOTICES = Path(__file__).resolve().parents[1] / "data" / "holidays"
TODAY = datetime.date(2026, 12, 3)
REAL_YEARS = [2016, 2017, 2021, 2023, 2024, 2025, 2026]


def notice(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def chinesecalendar_status(day: datetime.date) -> bool | None:
    """Return chinesecalendar's working status of ``day``, None outside its data."""
    if not min(cc.holidays).year <= day.year <= max(cc.holidays).year:
        return None
    return day in cc.workdays or (day.weekday() < 5 and day not in cc.holidays)


def parse(text: str, **kwargs):
    return parse_notice(text, today=TODAY, **kwargs)


def problems_of(text: str, **kwargs) -> str:
    with pytest.raises(NoticeError) as caught:
        parse(text, **kwargs)
    return "\n".join(caught.value.problems)


@pytest.mark.parametrize("year", REAL_YEARS)
def test_real_notice_agrees_with_chinesecalendar_on_every_day_of_its_year(year):
    arrangement = parse(notice(year))
    assert arrangement.year == year
    assert disagreements(arrangement, chinesecalendar_status) == []
    # The make-up working days are exactly chinesecalendar's; every day off it lists is off there too.
    assert set(arrangement.workdays) == {d for d in cc.workdays if d.year == year}
    assert set(arrangement.holidays) <= set(cc.holidays)


def test_2026_notice_reads_nine_days_of_chunjie_and_its_two_make_up_saturdays():
    arrangement = parse(notice(2026))
    chunjie = next(item for item in arrangement.items if item.name == "春节")
    assert chunjie.holidays[0] == datetime.date(2026, 2, 15) and chunjie.holidays[-1] == datetime.date(2026, 2, 23)
    assert len(chunjie.holidays) == 9
    assert chunjie.workdays == (datetime.date(2026, 2, 14), datetime.date(2026, 2, 28))
    assert arrangement.workdays[datetime.date(2026, 1, 4)] == "元旦"
    assert arrangement.title == "国务院办公厅关于2026年部分节假日安排的通知"
    assert arrangement.issued_on == datetime.date(2025, 11, 4)
    assert chunjie.text.startswith("2月15日（农历腊月二十八、周日）至23日")  # as written, full-width kept


def test_2025_notice_one_day_new_year_and_merged_national_day_with_its_document_number():
    arrangement = parse(notice(2025))
    assert [d for d, name in arrangement.holidays.items() if name == "元旦"] == [datetime.date(2025, 1, 1)]
    merged = arrangement.items[-1]
    assert merged.name == "国庆节、中秋节"
    assert (merged.holidays[0], merged.holidays[-1], len(merged.holidays)) == (
        datetime.date(2025, 10, 1), datetime.date(2025, 10, 8), 8)
    assert arrangement.doc_number == "国办发明电〔2024〕12号"
    # The paragraph on the revised 放假办法 names dates too; they are not arrangements.
    assert datetime.date(2025, 1, 2) not in arrangement.holidays


def test_2024_encouragement_to_rest_on_chuxi_is_not_read_as_a_holiday_but_noted():
    arrangement = parse(notice(2024))
    assert datetime.date(2024, 2, 9) not in arrangement.holidays
    assert len(arrangement.notes) == 1 and "除夕（2月9日）" in arrangement.notes[0]
    assert arrangement.title == "国务院办公厅关于2024年部分节假日安排的通知"  # its title is on two lines


def test_2023_new_year_break_begins_in_the_year_before():
    arrangement = parse(notice(2023))
    assert list(arrangement.holidays)[:3] == [datetime.date(2022, 12, 31), datetime.date(2023, 1, 1),
                                              datetime.date(2023, 1, 2)]


def test_2017_and_2016_bu_xiu_days_are_days_off():
    assert datetime.date(2017, 1, 2) in parse(notice(2017)).holidays  # 1月1日放假，1月2日（星期一）补休
    assert datetime.date(2016, 5, 2) in parse(notice(2016)).holidays


def test_2020_notice_disagrees_with_the_data_that_has_the_extended_chunjie():
    # chinesecalendar has the later 国办发明电〔2020〕1号 (春节 extended to 2 February): the original notice
    # worked on 31 January and 1 February.
    found = disagreements(parse(notice(2020)), chinesecalendar_status)
    assert found == ["2020年1月31日（星期五）：通知为上班，已有数据为休息",
                     "2020年2月1日（星期六）：通知为上班，已有数据为休息"]


@pytest.mark.parametrize("variant", [
    pytest.param(lambda t: t.replace("\n", ""), id="all-on-one-line"),
    pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
    pytest.param(lambda t: t.translate(str.maketrans("：（），", ":(),")), id="half-width-punctuation"),
    pytest.param(lambda t: t.replace("2月14日（周六）、", "2月14日\n（周六）、"), id="hard-wrapped-line"),
    pytest.param(lambda t: "\ufeff" + t, id="byte-order-mark"),
])
def test_layout_variants_of_a_pasted_notice_read_the_same(variant):
    assert parse(variant(notice(2026))).holidays == parse(notice(2026)).holidays
    assert parse(variant(notice(2026))).workdays == parse(notice(2026)).workdays


def test_items_pasted_without_title_need_the_year():
    items = "\n".join(line for line in notice(2026).splitlines() if re.match(r"[一二三四五六七]、", line))
    assert "无法确定年份" in problems_of(items)
    assert parse(items, year=2026).holidays == parse(notice(2026)).holidays
    assert "指定的年份2025年与通知所写的2026年不一致" in problems_of(notice(2026), year=2025)


def test_last_years_notice_relabelled_as_next_year_is_refused_for_its_weekdays():
    problems = problems_of(notice(2026).replace("2026年", "2027年"))
    assert problems.startswith("有20处星期与日期不符，通知可能不是2027年的")
    assert "2027年1月1日是星期五，不是星期四" in problems


def test_implausible_years_are_refused():
    assert "年份2099年不合理：只能导入2000年至2027年" in problems_of(notice(2026).replace("2026年", "2099年"))
    assert "年份1999年不合理" in problems_of(notice(2026).replace("2026年", "1999年"))


def test_text_that_is_no_notice_is_refused():
    assert "没有找到放假安排条目" in problems_of("关于召开年度工作会议的通知：请于12月8日到会。", year=2027)
    assert "通知内容为空" in problems_of("  \n ")


def test_a_missing_item_is_a_partial_paste():
    problems = problems_of(re.sub(r"五、端午节.*\n", "", notice(2026)))
    assert "条目编号不连续（一、二、三、四、六、七）" in problems
    assert "通知中没有端午节的安排" in problems


def test_a_day_both_off_and_worked_is_an_overlap():
    problems = problems_of(notice(2026).replace("9月20日（周日）", "6月21日（周日）"))
    assert problems == "2026年6月21日（星期日）重复出现（端午节放假、国庆节上班），安排相互重叠。"


def test_day_count_must_match_the_range():
    problems = problems_of(notice(2026).replace("共9天", "共8天"))
    assert "春节：写明共8天，但所列放假日期有9天" in problems


def test_make_up_day_on_a_weekday_invalid_date_and_date_outside_the_year_are_refused():
    assert "2026年5月8日（星期五）是工作日，不是需要调休上班的周末" in problems_of(
        notice(2026).replace("5月9日（周六）上班", "5月8日（周五）上班"))
    assert "“2月30日（周六）”不是有效日期" in problems_of(notice(2026).replace("2月28日（周六）", "2月30日（周六）"))
    assert "不在2026年的安排范围内" in problems_of(notice(2026).replace("1月4日（周日）上班", "2025年6月1日（周日）上班"))
