"""The admin screens of 镇（街道）综合执法: the office registers and follows up, the bureau flags 组织不力,
and a joint action is a wall: units outside it get 404 (周政办字〔2018〕18号 二（二）、二（四）2)."""
import datetime

from django.test import Client
from django.urls import reverse

from townships import rules
from townships.accountability import accountability_cases
from townships.models import JointAction, StationedSquadron

DAY = datetime.date(2026, 6, 16)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _action(world):
    action = rules.create_action(world.town_clerk, world.town, title="某路联合检查", matter="某路占道经营反复出现。",
                                 date=DAY, location="某路", participants=[world.b])
    item = rules.add_follow_up(action, world.town_clerk, description="复查", responsible_department=world.b,
                               working_days=3, assigned_date=DAY)
    return action, item


def test_a_joint_action_is_a_wall_units_outside_it_get_404_二四2(world):
    action, item = _action(world)
    urls = [reverse("townships_admin:action_detail", args=[action.pk]),
            reverse("townships_admin:action_act", args=[action.pk, "findings"]),
            reverse("townships_admin:follow_up_complete", args=[item.pk])]
    for user in (world.c_clerk, world.street_clerk):
        client = client_of(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404, (user.username, url)
            assert "该记录不存在，或您没有查看权限。" in response.content.decode()
        assert "某路联合检查" not in client.get(reverse("townships_admin:action_index")).content.decode()
    for user in (world.town_clerk, world.b_clerk, world.a_clerk, world.root):
        client = client_of(user)
        assert client.get(urls[0]).status_code == 200, user.username
        assert "某路联合检查" in client.get(reverse("townships_admin:action_index")).content.decode()
    # A participant sees the action but does not act for the office.
    assert client_of(world.b_clerk).get(urls[1]).status_code == 404
    assert client_of(world.b_clerk).get(urls[2]).status_code == 200


def test_the_office_registers_a_joint_action_in_the_admin_and_bad_input_changes_nothing_二二(world):
    client = client_of(world.town_clerk)
    url = reverse("townships_admin:action_add")
    form = {"township": world.town.pk, "title": "某工业园联合检查", "matter": "扬尘、物料堆放，情况复杂。",
            "date": "2026-06-16", "location": "某工业园", "participants": [world.a.pk, world.b.pk],
            "local_forces": "安环办"}
    refused = client.post(url, {**form, "participants": []})
    assert refused.status_code == 200 and "请至少选择一个参加单位" in refused.content.decode()
    assert not JointAction.objects.exists()
    response = client.post(url, form)
    action = JointAction.objects.get()
    assert response.status_code == 302 and response.url == reverse("townships_admin:action_detail", args=[action.pk])
    page = client.get(response.url).content.decode()
    assert "测试镇综合执法办公室" in page and "执法局" in page and "住建局" in page
    assert client_of(world.zone_clerk).get(url).status_code == 404  # the development zone has no such office
    assert client_of(world.b_clerk).get(url).status_code == 404


def test_follow_ups_are_assigned_and_reported_done_in_the_admin_二四2(world):
    action, item = _action(world)
    client = client_of(world.town_clerk)
    response = client.post(reverse("townships_admin:action_act", args=[action.pk, "follow_up"]), {
        "description": "核查登记", "responsible_department": world.b.pk, "working_days": "5",
        "assigned_date": "2024-09-27"})
    assert response.status_code == 302
    assert action.follow_ups.get(description="核查登记").due_date == datetime.date(2024, 10, 10)
    outsider = client.post(reverse("townships_admin:action_act", args=[action.pk, "follow_up"]), {
        "description": "x", "responsible_department": world.c.pk, "working_days": "5", "assigned_date": "2026-06-16"})
    assert outsider.status_code == 200 and action.follow_ups.count() == 2  # 农业局 took no part: not a choice
    done = client_of(world.b_clerk).post(reverse("townships_admin:follow_up_complete", args=[item.pk]),
                                         {"note": "已复查"})
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.completion_note == "已复查" and item.completed_date is not None


def test_the_bureau_flags_poor_organisation_in_the_admin_二四2(world):
    action, _ = _action(world)
    url = reverse("townships_admin:action_act", args=[action.pk, "flag"])
    assert client_of(world.town_clerk).get(url).status_code == 404
    client = client_of(world.a_head)
    page = client.get(url).content.decode()
    assert "《周村区综合行政执法责任追究实施办法》" in page and "二（四）2" in page
    refused = client.post(url, {"poor_organisation": "未通知参加单位", "adverse_effect": ""})
    assert "不利影响" in refused.content.decode() and accountability_cases() == []
    client.post(url, {"poor_organisation": "未通知参加单位", "adverse_effect": "违法行为持续未查处"})
    assert [c.action_id for c in accountability_cases()] == [action.pk]


def test_the_squadron_screen_shows_who_manages_and_who_guides_二二(world):
    rules.station_squadron(world.a_head, name="派驻测试镇执法中队", bureau=world.a, township=world.town)
    page = client_of(world.town_clerk).get(reverse("townships_admin:squadron_index")).content.decode()
    assert "派驻测试镇执法中队" in page and "测试镇政府" in page and "执法局" in page
    assert "日常工作和队伍的日常管理以镇（街道）为主" in page
    add = reverse("townships_admin:squadron_add")
    assert client_of(world.town_clerk).get(add).status_code == 404
    response = client_of(world.a_head).post(add, {"name": "派驻测试街道执法中队", "bureau": world.a.pk,
                                                  "township": world.street.pk})
    assert response.status_code == 302
    assert StationedSquadron.objects.get(name="派驻测试街道执法中队").daily_management_unit == world.street


HOSTILE = ["²", "٣", str(10**30), str(2**63), "9" * 5000, "-1", "0", "9999-12-31", "0001-01-01", "\x00", "文"]


def test_hostile_values_in_the_townships_forms_are_refused_not_a_server_error_二四2(world):
    action, item = _action(world)
    client = client_of(world.town_clerk)
    forms = [
        (reverse("townships_admin:action_add"), ["township", "date", "participants"]),
        (reverse("townships_admin:action_act", args=[action.pk, "follow_up"]),
         ["responsible_department", "working_days", "assigned_date"]),
    ]
    valid = {"township": world.town.pk, "title": "某路", "matter": "某事", "date": "2026-06-16", "location": "某路",
             "participants": world.b.pk, "description": "复查", "responsible_department": world.b.pk,
             "working_days": "3", "assigned_date": "2026-06-16"}
    for url, fields in forms:
        for field in fields:
            for value in HOSTILE:
                response = client.post(url, {**valid, field: value})
                assert response.status_code == 200, (url, field, value, response.status_code)
    bureau = client_of(world.a_head)
    for field in ("bureau", "township", "stationed_since"):
        for value in HOSTILE:
            response = bureau.post(reverse("townships_admin:squadron_add"),
                                   {"name": "某中队", "bureau": world.a.pk, "township": world.town.pk, field: value})
            assert response.status_code == 200, (field, value, response.status_code)
    assert JointAction.objects.count() == 1 and action.follow_ups.count() == 1
    assert not StationedSquadron.objects.exists()
