"""Tests of lib.docnumber: 发文字号 normalisation and validation."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.docnumber import DocNumberError, doc_number_year, normalize_doc_number


@pytest.mark.parametrize("raw", [
    "周政办字[2018]18号", "周政办字（2018）18号", "周政办字(2018)18号", "周政办字【2018】18号",
    "周政办字［2018］18号", "周政办字﹝2018﹞18号", "周政办字〖2018〗18号", "周政办字〔２０１８〕１８号",
    "周政办字〔2018〕18号", " 周政办字 〔 2018 〕 18 号 ", "周政办字\u3000〔2018〕18号", "周政办字〔2018〕018号",
])
def test_every_bracket_and_digit_variant_becomes_the_canonical_form(raw):
    assert normalize_doc_number(raw) == "周政办字〔2018〕18号"


def test_spaces_around_the_sequence_number_are_removed():
    assert normalize_doc_number("国发〔2016〕 5 号") == "国发〔2016〕5号"


@pytest.mark.parametrize("raw, expected", [
    ("主席令第七十号", "主席令第七十号"),
    ("国务院令第709号", "国务院令第709号"),
    ("中华人民共和国主席令第70号", "中华人民共和国主席令第70号"),
    ("国务院令第７０９号", "国务院令第709号"),
    ("公安部令 第 88 号", "公安部令第88号"),
])
def test_decree_numbers_are_valid_and_keep_their_wording(raw, expected):
    assert normalize_doc_number(raw) == expected


@pytest.mark.parametrize("empty", ["", "   ", "\u3000", None])
def test_empty_value_is_allowed_because_the_field_is_optional(empty):
    assert normalize_doc_number(empty) == ""


@pytest.mark.parametrize("raw", [
    "周政办字18号",          # no year
    "周政办字〔18〕18号",      # two-digit year
    "周政办字〔1900〕18号",    # before 1949
    "周政办字〔2101〕18号",    # after 2100
    "周政办字〔2018〕18",      # missing 号
    "周政办字〔2018〕号",      # missing sequence
    "周政办字〔2018〕0号",     # sequence zero
    "〔2018〕18号",           # missing agency
    "abc〔2018〕18号",        # agency without any Chinese
    "周政办字〔2018〕18号附件",
    "乱七八糟",
    "令第5号",                # decree without issuer
    "国务院令第零号",
    "国务院令第abc号",
])
def test_malformed_numbers_raise_doc_number_error(raw):
    with pytest.raises(DocNumberError):
        normalize_doc_number(raw)


def test_error_message_is_chinese_and_shows_an_example():
    with pytest.raises(DocNumberError) as info:
        normalize_doc_number("周政办字18号")
    assert "发文字号格式不正确" in str(info.value)
    assert "周政办字〔2018〕18号" in str(info.value)


def test_out_of_range_year_message_names_the_year():
    with pytest.raises(DocNumberError, match="1900"):
        normalize_doc_number("国发〔1900〕1号")


def test_doc_number_error_is_a_value_error_for_form_validation():
    assert issubclass(DocNumberError, ValueError)


@pytest.mark.parametrize("raw, year", [
    ("周政办字[2018]18号", 2018), ("国发〔１９４９〕1号", 1949), ("", None), ("国务院令第709号", None), ("乱码", None),
])
def test_doc_number_year_reads_the_year_or_none(raw, year):
    assert doc_number_year(raw) == year


@given(
    agency=st.sampled_from(["国发", "国办发", "周政办字", "京政发", "周城管发"]),
    year=st.integers(1949, 2100),
    seq=st.integers(1, 9999),
    brackets=st.sampled_from(["〔〕", "[]", "()", "（）", "【】", "［］", "﹝﹞", "〖〗"]),
)
def test_normalisation_is_idempotent_and_keeps_year_and_sequence(agency, year, seq, brackets):
    canonical = normalize_doc_number(f"{agency}{brackets[0]}{year}{brackets[1]}{seq}号")
    assert canonical == f"{agency}〔{year}〕{seq}号"
    assert normalize_doc_number(canonical) == canonical
    assert doc_number_year(canonical) == year


def test_decision_number_with_di_keeps_its_zero_padded_serial():
    assert normalize_doc_number("周综执罚决字[2026]第0312号") == "周综执罚决字〔2026〕第0312号"
    assert normalize_doc_number("周食药罚（2026）第０２０７号") == "周食药罚〔2026〕第0207号"
