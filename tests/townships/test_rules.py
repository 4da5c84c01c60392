"""The rules of 镇（街道）综合执法 (周政办字〔2018〕18号 二（二）、二（四）2), tried as plain functions."""
import datetime
import json
import re
from pathlib import Path

import pytest

from townships import rules
from townships.accountability import accountability_cases, overdue_follow_ups
from townships.demo import TOWNSHIPS, organ_name
from townships.models import FollowUp, JointAction, StationedSquadron, Township
from townships.rules import RuleError

ROOT = Path(__file__).resolve().parents[2]
DIRECTIVE_TEXT = (ROOT / "demo" / "data" / "zhouzhengban-2018-18.txt").read_text(encoding="utf-8")
DAY = datetime.date(2026, 6, 16)


def _action(world, user=None, township=None, **fields):
    values = {"title": "某路联合检查", "matter": "某路占道经营和食品经营问题反复出现，情况复杂。", "date": DAY,
              "location": "某路", "participants": [world.a, world.b], "local_forces": "安环办"}
    values.update(fields)
    return rules.create_action(user or world.town_clerk, township or world.town, **values)


def _provision(anchor_text: str) -> str:
    """Return the text of the directive from ``anchor_text`` to the next provision heading."""
    start = DIRECTIVE_TEXT.index(anchor_text)
    following = re.search(r"\n(?:（[一二三四五六七八九十]+）|\d．|[一二三四]、)", DIRECTIVE_TEXT[start + 1:])
    return DIRECTIVE_TEXT[start: start + 1 + following.start()] if following else DIRECTIVE_TEXT[start:]


def test_the_rules_quote_the_directive_in_the_provisions_they_cite_二二():
    local = _provision("（二）落实镇（街道）属地管理责任")
    joint = _provision("2．建立综合执法基层联合执法制度")
    for quote in (rules.QUOTE_IN_NAME, rules.QUOTE_DAILY, rules.QUOTE_GUIDANCE):
        assert quote in local, quote
    for quote in (rules.QUOTE_MAJOR_CASES, rules.QUOTE_POOR, rules.ACCOUNTABILITY_RULES):
        assert quote in joint, quote
    assert rules.QUOTE_POOR not in local  # 组织不力 is 二（四）2's, not 二（二）'s


def test_the_demo_townships_are_the_names_the_recorded_sources_confirm_二二():
    sources = json.loads((ROOT / "demo" / "data" / "records.json").read_text(encoding="utf-8"))["_sources"]
    confirmed = re.search(r"街道（(.+?)）和镇（(.+?)）", sources)
    streets = {f"{n}街道" for n in confirmed.group(1).split("、")}
    towns = {f"{n}镇" for n in confirmed.group(2).split("、")}
    assert {name for _, name, kind, _ in TOWNSHIPS if kind == Township.Kind.SUBDISTRICT} == streets
    assert {name for _, name, kind, _ in TOWNSHIPS if kind == Township.Kind.TOWN} == towns
    addressees = DIRECTIVE_TEXT.splitlines()[6]
    assert addressees.startswith("各镇政府、街道办事处")
    zone = [(name, kind) for _, name, kind, _ in TOWNSHIPS if kind == Township.Kind.DEVELOPMENT_ZONE]
    assert len(zone) == 1 and organ_name(*zone[0]) in addressees
    assert organ_name("王村镇", Township.Kind.TOWN) == "王村镇政府"
    assert organ_name("青年路街道", Township.Kind.SUBDISTRICT) == "青年路街道办事处"


def test_a_joint_action_is_organised_in_the_name_of_the_township_office_二二(world):
    action = _action(world)
    assert action.office_name == "测试镇综合执法办公室"
    assert set(action.participants.all()) == {world.a, world.b}
    assert action.local_forces == "安环办" and action.status == JointAction.Status.PLANNED
    assert action.organised_by == world.town_clerk


def test_only_a_town_or_subdistrict_organises_and_only_by_its_own_staff_二二(world):
    with pytest.raises(RuleError, match="镇（街道）综合执法办公室的名义"):
        _action(world, user=world.zone_clerk, township=world.zone)
    with pytest.raises(RuleError, match="只有测试镇的工作人员"):
        _action(world, user=world.street_clerk)
    with pytest.raises(RuleError, match="只有测试镇的工作人员"):
        _action(world, user=world.a_head)
    assert not JointAction.objects.exists()


def test_a_joint_action_brings_in_the_stationed_units_of_departments_二二(world):
    with pytest.raises(RuleError, match="派驻执法机构"):
        _action(world, participants=[])
    with pytest.raises(RuleError, match="镇（街道）执法力量"):
        _action(world, participants=[world.a, world.town.department])
    action = _action(world, participants=[], other_forces="国土所")  # a stationed unit not on the portal
    assert action.other_forces == "国土所"
    assert JointAction.objects.count() == 1


def test_the_office_names_the_major_or_complex_case_it_coordinates_二四2(world):
    with pytest.raises(RuleError, match="重大、复杂案件"):
        _action(world, matter="  ")
    assert not JointAction.objects.exists()


def test_follow_ups_are_due_in_working_days_to_a_unit_that_took_part_二四2(world):
    action = _action(world)
    item = rules.add_follow_up(action, world.town_clerk, description="复查", responsible_department=world.b,
                               working_days=5, assigned_date=datetime.date(2024, 9, 27))
    assert item.due_date == datetime.date(2024, 10, 10)  # 国庆 not counted, the make-up Sunday 9-29 counted
    with pytest.raises(RuleError, match="参加联合执法的单位"):
        rules.add_follow_up(action, world.town_clerk, description="复查", responsible_department=world.c,
                            working_days=5, assigned_date=DAY)
    with pytest.raises(RuleError, match="1至60个工作日"):
        rules.add_follow_up(action, world.town_clerk, description="复查", responsible_department=world.b,
                            working_days=0, assigned_date=DAY)
    with pytest.raises(RuleError, match="只有测试镇的工作人员"):
        rules.add_follow_up(action, world.b_clerk, description="复查", responsible_department=world.b,
                            working_days=5, assigned_date=DAY)
    own = rules.add_follow_up(action, world.town_clerk, description="回访", responsible_department=world.town.department,
                              working_days=1, assigned_date=DAY)
    assert list(action.follow_ups.all()) == [item, own]


def test_the_responsible_unit_reports_done_and_overdue_items_are_listed_二四2(world):
    action = _action(world)
    first = rules.add_follow_up(action, world.town_clerk, description="复查", responsible_department=world.b,
                                working_days=2, assigned_date=DAY)
    late = rules.add_follow_up(action, world.town_clerk, description="核查登记", responsible_department=world.a,
                               working_days=2, assigned_date=DAY)
    today = first.due_date + datetime.timedelta(days=1)
    assert [i.pk for i in overdue_follow_ups(today)] == [first.pk, late.pk]
    with pytest.raises(RuleError, match="责任单位"):
        rules.complete_follow_up(first, world.c_clerk, note="已复查", today=today)
    with pytest.raises(RuleError, match="办理情况"):
        rules.complete_follow_up(first, world.b_clerk, note="", today=today)
    rules.complete_follow_up(first, world.b_clerk, note="已复查", today=today)
    assert rules.follow_up_status(first, today) == "late"
    assert [i.pk for i in overdue_follow_ups(today)] == [late.pk]
    assert overdue_follow_ups(DAY) == []


def test_a_joint_action_closes_after_its_findings_and_every_follow_up_二四2(world):
    action = _action(world)
    with pytest.raises(RuleError, match="发现的问题"):
        rules.close_action(action, world.town_clerk)
    rules.record_findings(action, world.town_clerk, "两家门店占道经营。")
    item = rules.add_follow_up(action, world.town_clerk, description="复查", responsible_department=world.b,
                               working_days=3, assigned_date=DAY)
    with pytest.raises(RuleError, match="未办结"):
        rules.close_action(action, world.town_clerk)
    rules.complete_follow_up(item, world.b_clerk, note="已整改", today=DAY)
    rules.close_action(action, world.town_clerk)
    assert JointAction.objects.get(pk=action.pk).status == JointAction.Status.CLOSED
    with pytest.raises(RuleError, match="已办结"):
        rules.add_follow_up(action, world.town_clerk, description="再查", responsible_department=world.b,
                            working_days=3, assigned_date=DAY)


def test_poor_organisation_with_adverse_effect_is_an_accountability_case_others_read_二四2(world):
    action = _action(world)
    for user in (world.town_clerk, world.a_clerk, world.b_clerk):
        with pytest.raises(RuleError, match="区综合行政执法局"):
            rules.flag_poor_organisation(action, user, poor_organisation="未通知", adverse_effect="未查处", today=DAY)
    with pytest.raises(RuleError, match="不利影响"):
        rules.flag_poor_organisation(action, world.a_head, poor_organisation="未通知参加单位", adverse_effect="",
                                     today=DAY)
    assert accountability_cases() == []
    rules.flag_poor_organisation(action, world.a_head, poor_organisation="未通知参加单位",
                                 adverse_effect="违法行为持续一月未查处", today=DAY)
    [case] = accountability_cases()
    assert (case.action_id, case.township, case.office) == (action.pk, "测试镇", "测试镇综合执法办公室")
    assert case.provision == "二（四）2" and case.rules == "《周村区综合行政执法责任追究实施办法》"
    assert case.flagged_by_department == "执法局" and case.flagged_date == DAY
    assert accountability_cases(since=DAY + datetime.timedelta(days=1)) == []
    with pytest.raises(RuleError, match="已认定"):
        rules.flag_poor_organisation(action, world.a_head, poor_organisation="x", adverse_effect="y", today=DAY)


def test_a_joint_action_is_seen_by_its_units_its_township_and_the_bureau_only_二四2(world):
    action = _action(world, participants=[world.b])
    seen = {u.username: rules.can_view_action(u, action) for u in (
        world.town_clerk, world.b_clerk, world.a_clerk, world.root, world.c_clerk, world.street_clerk)}
    assert seen == {"town_clerk": True, "b_clerk": True, "a_clerk": True, "t_root": True, "c_clerk": False,
                    "street_clerk": False}
    for username, may in seen.items():
        user = next(u for u in vars(world).values() if getattr(u, "username", None) == username)
        assert list(rules.visible_actions(user)) == ([action] if may else [])


def test_a_squadron_is_managed_daily_by_its_township_and_guided_by_the_bureau_二二(world):
    squadron = rules.station_squadron(world.a_head, name="派驻测试镇执法中队", bureau=world.a, township=world.town)
    assert squadron.daily_management_unit == world.town and squadron.guidance_unit == world.a
    for matter in rules.DAILY_MATTERS:
        assert rules.responsible_unit(squadron, matter) == world.town
    for matter in rules.GUIDANCE_MATTERS:
        assert rules.responsible_unit(squadron, matter) == world.a
    with pytest.raises(RuleError, match="二（二）只规定了"):
        rules.responsible_unit(squadron, "经费")


def test_only_the_bureau_stations_its_squadrons_in_a_town_or_subdistrict_二二(world):
    with pytest.raises(RuleError, match="由区综合行政执法局登记"):
        rules.station_squadron(world.town_clerk, name="甲中队", bureau=world.a, township=world.town)
    with pytest.raises(RuleError, match="请选择区综合行政执法局"):
        rules.station_squadron(world.a_head, name="甲中队", bureau=world.b, township=world.town)
    with pytest.raises(RuleError, match="不是镇或街道"):
        rules.station_squadron(world.a_head, name="甲中队", bureau=world.a, township=world.zone)
    assert not StationedSquadron.objects.exists() and not FollowUp.objects.exists()
