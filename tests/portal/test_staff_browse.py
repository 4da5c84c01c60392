"""Category browsers (/staff/browse/<category>/): what the user may see, filtered, paginated, bad input ignored."""
import datetime

import pytest

from portal.models import OtherSharedInfoPage, PenaltyDecisionPage, Scope, User, Validity
from staff import browse
from tests.portal.staff_worlds import section

URL = "/staff/browse/other/"


@pytest.fixture
def other(site_tree):
    home, _ = site_tree
    return section(home, "other")


@pytest.fixture
def items(other, departments):
    """Return {title: page}: one item of every scope for A and B, plus an abolished and a 2024 item of A."""
    a, b = departments
    made = {}
    specs = [("甲公开", a, Scope.PUBLIC), ("甲共享", a, Scope.SHARED), ("甲内部", a, Scope.INTERNAL),
             ("甲不予共享", a, Scope.PRIVATE), ("乙公开", b, Scope.PUBLIC), ("乙共享", b, Scope.SHARED),
             ("乙内部", b, Scope.INTERNAL), ("乙不予共享", b, Scope.PRIVATE)]
    for title, department, scope in specs:
        made[title] = _publish(other, title, department, scope)
    made["甲已废止"] = _publish(other, "甲已废止", a, Scope.SHARED, validity=Validity.ABOLISHED,
                            effective_date=datetime.date(2020, 1, 1), abolished_date=datetime.date(2025, 1, 1))
    made["甲二〇二四年"] = _publish(other, "甲二〇二四年", a, Scope.SHARED, formed_date=datetime.date(2024, 5, 6),
                              publish_date=datetime.date(2024, 5, 8), doc_number="周综执〔2024〕3号")
    return made


def _publish(parent, title, department, scope, **fields):
    page = OtherSharedInfoPage(title=title, department=department, scope=scope,
                               formed_date=fields.pop("formed_date", datetime.date(2026, 3, 2)),
                               body=f"<p>{title}</p>", **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def titles(response) -> set[str]:
    return {page.title for page in response.context["items"]}


def test_staff_see_public_shared_and_their_own_departments_internal_items(client, items, staff):
    client.force_login(staff[0])
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == {"甲公开", "甲共享", "甲内部", "乙公开", "乙共享", "甲二〇二四年"}
    client.force_login(staff[1])
    assert titles(client.get(URL)) == {"甲公开", "甲共享", "乙内部", "乙公开", "乙共享", "甲二〇二四年"}


def test_abolished_items_appear_only_when_asked_for(client, items, staff):
    client.force_login(staff[0])
    assert "甲已废止" not in titles(client.get(URL))
    assert "甲已废止" in titles(client.get(URL, {"include_abolished": "1"}))
    assert titles(client.get(URL, {"validity": "abolished"})) == {"甲已废止"}


def test_filters_narrow_by_department_year_scope_and_text(client, items, staff, departments):
    client.force_login(staff[0])
    assert titles(client.get(URL, {"department": "ZJB"})) == {"乙公开", "乙共享"}
    assert titles(client.get(URL, {"department": "住建局"})) == {"乙公开", "乙共享"}
    assert titles(client.get(URL, {"year": "2024"})) == {"甲二〇二四年"}
    assert titles(client.get(URL, {"scope": "internal"})) == {"甲内部"}
    assert titles(client.get(URL, {"scope": "部门内部"})) == {"甲内部"}
    assert titles(client.get(URL, {"q": "〔2024〕3号"})) == {"甲二〇二四年"}
    assert titles(client.get(URL, {"q": "甲 共享"})) == {"甲共享"}


def test_asking_for_private_items_shows_nothing_private(client, items, staff):
    client.force_login(staff[0])
    response = client.get(URL, {"scope": "private"})
    assert "共享范围“private”无法识别" in response.content.decode()
    assert not any("不予共享" in t for t in titles(response))


@pytest.mark.parametrize("params, notice", [
    ({"department": "不存在的局"}, "没有找到部门“不存在的局”"),
    ({"validity": "永久有效"}, "有效性“永久有效”无法识别"),
])
def test_bad_filter_values_are_ignored_with_a_chinese_notice(client, items, staff, params, notice):
    client.force_login(staff[0])
    response = client.get(URL, params)
    assert response.status_code == 200
    assert notice in response.content.decode()
    assert len(titles(response)) == 6  # the filter was dropped, not applied


@pytest.mark.parametrize("params, message", [
    ({"year": "二〇二四"}, "年份“二〇二四”无效"),
    ({"year": "99999"}, "年份“99999”无效"),
    ({"year": "²⁰²⁴"}, "年份“²⁰²⁴”无效"),
    ({"department": "٣"}, "部门编号“٣”无效"),
])
def test_malformed_years_and_department_ids_are_refused_400_in_chinese(client, items, staff, params, message):
    client.force_login(staff[0])
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_pagination_past_the_end_shows_the_last_page(client, other, departments, staff):
    for n in range(browse.PAGE_SIZE + 5):
        _publish(other, f"共享信息{n:02d}", departments[1], Scope.SHARED)
    client.force_login(staff[0])
    last = client.get(URL, {"page": "99"})
    assert last.context["items"].number == 2 and len(last.context["items"]) == 5
    assert client.get(URL, {"page": "abc"}).context["items"].number == 1
    first = client.get(URL, {"department": "ZJB"}).content.decode()
    assert "department=ZJB&amp;page=2" in first


def test_unknown_category_is_a_404(client, staff):
    client.force_login(staff[0])
    assert client.get("/staff/browse/nonsense/").status_code == 404


def test_category_may_be_named_in_chinese(client, items, staff):
    client.force_login(staff[0])
    response = client.get("/staff/browse/其他共享信息/")
    assert response.status_code == 200 and "甲共享" in titles(response)


def test_browsers_are_closed_to_anonymous_visitors_and_accounts_without_department(client, items):
    assert client.get(URL).status_code == 302
    client.force_login(User.objects.create_user("nobody", password="pw-nobody-2026"))
    assert client.get(URL).status_code == 404
    assert client.get("/staff/browse/").status_code == 404


def test_browse_index_counts_what_the_user_may_see(client, items, staff):
    client.force_login(staff[0])
    counts = {code: n for code, _label, n in client.get("/staff/browse/").context["categories"]}
    assert counts["other"] == 6 and counts["penalties"] == 0


def test_staff_see_penalty_decisions_unmasked_in_their_browser(client, site_tree, departments, staff):
    home, _ = site_tree
    parent = section(home, "penalties")
    decision = PenaltyDecisionPage(title="对张三占道经营的行政处罚决定", department=departments[1], scope=Scope.SHARED,
                                   formed_date=datetime.date(2026, 3, 2), party_kind=PenaltyDecisionPage.PartyKind.PERSON,
                                   party_name="张三")
    parent.add_child(instance=decision)
    decision.save_revision().publish()
    client.force_login(staff[0])
    assert "对张三占道经营的行政处罚决定" in client.get("/staff/browse/penalties/").content.decode()
