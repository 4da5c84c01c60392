"""portal.params: only ASCII digits within range are numbers, only real ISO dates of 1900–2100 are dates;
malformed values are refused with a Chinese message (400) or a Chinese 404, never a server error."""
import datetime
import re

import pytest
from django.http import Http404
from django.test import RequestFactory

from portal import params
from portal.params import BadParameter

CHINESE = re.compile(r"[\u4e00-\u9fff]")
HOSTILE = ["²", "²²²²", "٣", "١٢", "१२", "２０２６", "-1", "+1", "1e9", "1_000", "1.0", "0x10", "%00", "\x00", "1\x00",
           "abc", "一", "9" * 5000]


@pytest.mark.parametrize("value", HOSTILE)
def test_int_param_refuses_everything_but_ascii_digits(value):
    assert params.int_param(value) is None


@pytest.mark.parametrize("value, expected", [("1", 1), (" 42 ", 42), ("007", 7), (str(2**63 - 1), 2**63 - 1),
                                             ("0" * 5000 + "1", 1)])
def test_int_param_reads_ascii_digits(value, expected):
    assert params.int_param(value) == expected


@pytest.mark.parametrize("value", ["0", str(2**63), str(10**30), "", None, "   "])
def test_int_param_refuses_values_outside_the_range_or_absent(value):
    assert params.int_param(value) is None


def test_int_param_keeps_to_a_given_range():
    assert params.int_param("5", minimum=0, maximum=5) == 5
    assert params.int_param("0", minimum=0, maximum=5) == 0
    assert params.int_param("6", minimum=0, maximum=5) is None
    assert params.int_param("10", maximum=9) is None


@pytest.mark.parametrize("value, expected", [("2026", 2026), ("2026年", 2026), ("1900", 1900), ("2100", 2100),
                                             ("1899", None), ("2101", None), ("99999", None), ("0202", None),
                                             ("²⁰²⁶", None), ("٢٠٢٦", None), ("二〇二六", None), ("26", None)])
def test_year_param_reads_four_ascii_digits_from_1900_to_2100(value, expected):
    assert params.year_param(value) == expected


@pytest.mark.parametrize("value, expected", [("2026-10", (2026, 10)), ("2026-1", (2026, 1)), ("2026-13", None),
                                             ("2026-0", None), ("9999-12", None), ("٢٠٢٦-١٠", None), ("2026/10", None)])
def test_month_param_reads_year_and_month(value, expected):
    assert params.month_param(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("2026-11-02", datetime.date(2026, 11, 2)), (" 2026-11-02 ", datetime.date(2026, 11, 2)),
    ("2026-02-30", None), ("9999-12-31", None), ("0001-01-01", None), ("1899-12-31", None),
    ("2026-1-2", None), ("20261102", None), ("２０２６-１１-０２", None), ("٢٠٢٦-١١-٠٢", None), ("2026-11-02T00:00", None),
])
def test_date_param_reads_iso_dates_of_the_portals_years_only(value, expected):
    assert params.date_param(value) == expected


def test_require_functions_give_none_for_an_absent_value():
    assert params.require_int("", "编号") is None
    assert params.require_year(None) is None
    assert params.require_month("  ") is None
    assert params.require_date("") is None


@pytest.mark.parametrize("call", [
    lambda: params.require_int("²", "部门编号"),
    lambda: params.require_int(str(10**30), "偏移量", minimum=0),
    lambda: params.require_year("²²²²"),
    lambda: params.require_month("2026-13"),
    lambda: params.require_date("9999-12-31", "起算日期"),
])
def test_require_functions_refuse_malformed_values_in_chinese(call):
    with pytest.raises(BadParameter) as refused:
        call()
    assert CHINESE.search(refused.value.message)


def test_a_refusal_repeats_only_the_start_of_the_value_and_no_control_characters():
    with pytest.raises(BadParameter) as refused:
        params.require_int("\x00" + "9" * 300, "编号")
    assert "\x00" not in refused.value.message and "9" * 21 not in refused.value.message


def test_id_or_404_refuses_an_id_no_object_can_have_with_a_chinese_404():
    assert params.id_or_404("12") == 12
    for value in ("²", str(2**63), "-3", ""):
        with pytest.raises(Http404) as refused:
            params.id_or_404(value)
        assert CHINESE.search(str(refused.value))


def test_the_id_converter_matches_only_ids_the_database_can_hold():
    converter = params.IdConverter()
    assert converter.to_python(str(2**63 - 1)) == 2**63 - 1
    with pytest.raises(ValueError):
        converter.to_python(str(2**63))
    assert not re.fullmatch(converter.regex, "9" * 20)
    assert not re.fullmatch(converter.regex, "²")


@pytest.mark.django_db
def test_the_middleware_answers_bad_parameter_400_in_chinese_on_the_site_page():
    request = RequestFactory().get("/archive/?year=x")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = params.BadParameterMiddleware(lambda r: None).process_exception(request, BadParameter("年份“x”无效。"))
    assert response.status_code == 400
    assert "年份“x”无效。" in response.content.decode() and "请求参数无效" in response.content.decode()


def test_the_middleware_answers_json_under_the_api():
    request = RequestFactory().get("/api/v2/pages/?offset=x")
    response = params.bad_request(request, "偏移量无效。")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    assert "偏移量无效。" in response.content.decode()


def test_the_middleware_leaves_other_exceptions_alone():
    request = RequestFactory().get("/")
    assert params.BadParameterMiddleware(lambda r: None).process_exception(request, ValueError("x")) is None



def test_the_portals_own_urls_take_ids_through_the_id_converter():
    from django.urls import resolve

    assert resolve("/archive/versions/12/").kwargs["page_id"] == 12
    assert resolve("/staff/workflows/12/").url_name == "staff_workflow"
    assert resolve(f"/staff/workflows/{2**63}/").url_name != "staff_workflow"  # Wagtail's catch-all: a 404


@pytest.mark.parametrize("query", ["offset=" + "9" * 30, "group=²", "group=" + str(2**63), "content_type=" + "9" * 30,
                                   "timestamp_from=0001-01-01", "timestamp_to=9999-12-31", "last_published_at=²⁰²⁶-01-01",
                                   "id=1&id=٣"])
def test_an_admin_query_with_a_malformed_id_count_or_date_is_refused_in_chinese(query):
    from django.http import QueryDict

    assert CHINESE.search(params.admin_parameter_problem(QueryDict(query)))


@pytest.mark.parametrize("query", ["", "q=" + "9" * 30, "id=all", "id=1&id=2", "content_type=portal.regulationpage",
                                   "timestamp_from=2026-01-01&timestamp_to=", "group=3", "p=2", "locale=zh-hans"])
def test_well_formed_admin_queries_pass(query):
    from django.http import QueryDict

    assert params.admin_parameter_problem(QueryDict(query)) == ""
