"""Tests of lib.indexnumber: 索引号 formatting, parsing and generation."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.indexnumber import format_index_number, next_index_number, parse_index_number


def test_format_pads_the_sequence_to_five_digits():
    assert format_index_number("ZHZF", 2018, 12) == "ZHZF/2018-00012"


@pytest.mark.parametrize("code, year, seq", [
    ("", 2018, 1), ("ZH/ZF", 2018, 1), ("ZH ZF", 2018, 1), ("执法", 2018, 1),
    ("ZHZF", 1900, 1), ("ZHZF", 2101, 1), ("ZHZF", 2018, 0), ("ZHZF", 2018, 100000),
])
def test_format_rejects_values_that_cannot_be_read_back(code, year, seq):
    with pytest.raises(ValueError):
        format_index_number(code, year, seq)


def test_parse_returns_code_year_and_sequence():
    assert parse_index_number("ZHZF/2018-00012") == ("ZHZF", 2018, 12)
    assert parse_index_number(" 11330000002482870P/2020-00001 ") == ("11330000002482870P", 2020, 1)


@pytest.mark.parametrize("bad", [
    "", "ZHZF-2018-00012", "ZHZF/2018-12", "ZHZF/18-00012", "ZHZF/2018-000012", "/2018-00012", "ZHZF/2018-00000",
    "ZHZF/1900-00001",
])
def test_parse_rejects_malformed_numbers_with_chinese_message(bad):
    with pytest.raises(ValueError, match="索引号格式不正确"):
        parse_index_number(bad)


@given(code=st.from_regex(r"[0-9A-Za-z]{1,18}", fullmatch=True), year=st.integers(1949, 2100), seq=st.integers(1, 99999))
def test_format_and_parse_round_trip(code, year, seq):
    assert parse_index_number(format_index_number(code, year, seq)) == (code, year, seq)


def test_first_number_of_a_year_is_00001():
    assert next_index_number("ZHZF", 2018, []) == "ZHZF/2018-00001"


def test_next_number_follows_the_highest_and_does_not_fill_gaps():
    existing = ["ZHZF/2018-00001", "ZHZF/2018-00007", "ZHZF/2018-00003"]
    assert next_index_number("ZHZF", 2018, existing) == "ZHZF/2018-00008"


def test_other_codes_and_years_do_not_count():
    existing = ["ZHZF/2017-00050", "CGJ/2018-00099", "zhzf/2018-00040", "ZHZF/2018-00002"]
    assert next_index_number("ZHZF", 2018, existing) == "ZHZF/2018-00003"


def test_malformed_existing_values_are_ignored():
    existing = ["ZHZF-2018-00090", "ZHZF/2018-9", "", None, "乱码", "ZHZF/2018-00004"]
    assert next_index_number("ZHZF", 2018, iter(existing)) == "ZHZF/2018-00005"


def test_exhausted_sequence_raises_instead_of_overflowing():
    with pytest.raises(ValueError, match="已用完"):
        next_index_number("ZHZF", 2018, ["ZHZF/2018-99999"])
