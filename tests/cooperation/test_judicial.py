"""行政执法与刑事司法衔接 (二（三）) and obstruction handed to the police (二（四）6): the judicial organs on the
portal, 案情通报, transfers that go to the judicial organ and no other department, their 优先办理 tracked."""
from datetime import date as D

import pytest
from django.urls import reverse

from cooperation import info_requests, transfers
from cooperation.models import JUDICIAL_ORGAN_CODES, CaseTransfer
from cooperation.permissions import can_use
from cooperation.states import TransitionError
from demo.loader import LoadReport, load_departments
from portal import roles
from portal.models import Department
from portal.walls.access import Scope, can_view


def crime(world, **kw):
    fields = dict(from_department=world.a, to_department=world.police, judicial_organ="police", suspected_crime=True,
                  title="非法排放含重金属废水", facts="监测总铬超标10倍以上，涉嫌污染环境罪。",
                  discovered_date=D(2026, 4, 28), today=D(2026, 4, 28))
    fields.update(kw)
    return transfers.create_transfer(world.a_clerk, **fields)


def send(world, t, document, on=D(2026, 4, 29)):
    for kind in ("letter", "inspection", "evidence"):
        transfers.add_material(t, world.a_clerk, kind=kind, document=document(kind))
    transfers.submit(t, world.a_clerk)
    transfers.approve(t, world.a_head)
    transfers.send(t, world.a_clerk, on=on)
    return t


def test_judicial_organs_have_demo_accounts_and_see_shared_items_二三(db):
    departments = load_departments(LoadReport(), roles.ensure_roles())
    shared = type("Item", (), {"scope": Scope.SHARED, "department_id": departments["ZHZF"].pk})()
    internal = type("Item", (), {"scope": Scope.INTERNAL, "department_id": departments["ZHZF"].pk})()
    for organ, code in JUDICIAL_ORGAN_CODES.items():
        dept = departments[code]
        people = [dept.leader, *dept.liaisons.all()]
        assert dept.is_member and dept.leader is not None and len(people) == 2, organ
        for user in people:
            assert user.department == dept and can_use(user)
            assert can_view(user, shared) and not can_view(user, internal)


def test_case_briefing_between_the_bureau_and_a_judicial_organ_二三(world, document):
    with pytest.raises(TransitionError, match="二（三）"):
        info_requests.brief_case(world.b_clerk, from_department=world.b, to_department=world.police,
                                 subject="案情", content="某案情况")
    t = send(world, crime(world), document)
    briefing = info_requests.brief_case(world.a_clerk, from_department=world.a, to_department=world.police,
                                        subject="污染环境案补充情况", content="又发现暗管两处。", transfer=t,
                                        on=D(2026, 5, 6))
    assert briefing.transfer == t and briefing.briefed_by == world.a_clerk
    assert list(info_requests.visible_briefings(world.b_liaison)) == []
    assert info_requests.briefing_actions(briefing, world.a_clerk) == []
    with pytest.raises(TransitionError, match="被通报单位"):
        info_requests.acknowledge(briefing, world.a_clerk)
    info_requests.acknowledge(briefing, world.police_liaison, on=D(2026, 5, 7))
    assert (briefing.received_date, briefing.received_by) == (D(2026, 5, 7), world.police_liaison)
    with pytest.raises(TransitionError, match="已于2026-05-07签收"):
        info_requests.acknowledge(briefing, world.police_liaison)
    # The judicial organ briefs back on the same footing.
    back = info_requests.brief_case(world.police_liaison, from_department=world.police, to_department=world.a,
                                    subject="立案情况", content="已立案侦查。", transfer=t)
    assert info_requests.briefing_actions(back, world.a_clerk) == ["acknowledge"]


def test_suspected_crime_goes_to_the_judicial_organ_and_no_other_department_二四3其他情形2(world):
    with pytest.raises(TransitionError, match="不得再移送其他部门"):
        crime(world, to_department=world.b)
    with pytest.raises(TransitionError, match="不得再移送其他部门"):
        crime(world, judicial_organ="procuratorate")  # the police named in place of the procuratorate
    t = crime(world)
    with pytest.raises(TransitionError, match="不得再移送其他部门"):
        transfers.update_transfer(t, world.a_clerk, to_department=world.b)
    t.refresh_from_db()
    assert t.to_department == world.police
    procuratorate = Department.objects.create(name="测试区人民检察院", short_name="区检察院", code="JCY")
    assert crime(world, to_department=procuratorate, judicial_organ="procuratorate").destination == \
        "人民检察院／测试区人民检察院"


def test_no_penalty_in_place_of_a_criminal_transfer_二三(world, document):
    t = send(world, crime(world), document)
    transfers.answer(t, world.police_liaison, accept=True, reasons="已立案侦查。", on=D(2026, 4, 30))
    with pytest.raises(TransitionError, match="不得以行政处罚代替移送"):
        transfers.close(t, world.police_liaison, outcome="penalty", result="罚款")
    t.refresh_from_db()
    assert t.status == CaseTransfer.Status.ACCEPTED


def test_judicial_organs_handle_the_bureaus_transfers_first_and_acceptance_is_tracked_二三(client, world, document):
    ordinary = transfers.create_transfer(world.b_clerk, from_department=world.b, to_department=world.police,
                                         title="违规停放车辆", facts="占用消防通道。", discovered_date=D(2026, 4, 27),
                                         today=D(2026, 4, 27))
    t = send(world, crime(world), document)
    assert t.judicial_priority and not ordinary.judicial_priority
    assert t.accepted_date is None
    transfers.answer(t, world.police_liaison, accept=True, reasons="已立案侦查。", on=D(2026, 5, 6))
    t.refresh_from_db()
    assert t.accepted_date == D(2026, 5, 6)
    client.force_login(world.police_liaison)
    page = client.get(reverse("cooperation_admin:transfer_index")).content.decode()
    assert "依法优先办理" in page and "2026-05-06" in page and "受理日期" in page
    assert page.index(t.title) < page.index(ordinary.title)  # although discovered later
    judicial = client.get(reverse("cooperation_admin:transfer_index") + "?judicial=1").content.decode()
    assert t.title in judicial and ordinary.title not in judicial


def test_obstruction_by_violence_or_threats_goes_only_to_the_police_二四6(world):
    def obstruction(**kw):
        fields = dict(from_department=world.a, to_department=world.police, case_type="obstruction", party="某摊主",
                      title="暴力阻碍执法", facts="当事人推搡执法队员并以言语威胁。", discovered_date=D(2026, 6, 2),
                      today=D(2026, 6, 2))
        fields.update(kw)
        return transfers.create_transfer(world.a_clerk, **fields)

    for bad in ({"to_department": world.b}, {"to_department": None, "judicial_organ": "police"},
                {"judicial_organ": "court"}):
        with pytest.raises(TransitionError, match="只能移交区公安分局"):
            obstruction(**bad)
    t = obstruction()
    assert t.case_type == CaseTransfer.CaseType.OBSTRUCTION and t.to_department == world.police
    with pytest.raises(TransitionError, match="二（四）6"):
        transfers.update_transfer(t, world.a_clerk, to_department=world.b)
    assert not CaseTransfer.objects.filter(case_type="obstruction").exclude(to_department=world.police).exists()


def test_briefing_screens_二三(client, world):
    client.force_login(world.a_clerk)
    response = client.post(reverse("cooperation_admin:briefing_add"), {
        "from_department": world.a.pk, "to_department": world.police.pk, "subject": "案情", "content": "某案情况"})
    assert response.status_code == 302
    briefing = info_requests.visible_briefings(world.a_clerk).get()
    client.force_login(world.police_liaison)
    assert "待签收" in client.get(reverse("cooperation_admin:briefing_index")).content.decode()
    assert client.post(reverse("cooperation_admin:briefing_action", args=[briefing.pk, "acknowledge"])).status_code == 302
    briefing.refresh_from_db()
    assert briefing.received_by == world.police_liaison
    client.force_login(world.b_liaison)
    assert client.get(reverse("cooperation_admin:briefing_detail", args=[briefing.pk])).status_code == 404


def test_transfer_page_shows_priority_acceptance_and_briefings_二三(client, world, document):
    t = send(world, crime(world), document)
    transfers.answer(t, world.police_liaison, accept=True, reasons="已立案侦查。", on=D(2026, 5, 6))
    info_requests.brief_case(world.police_liaison, from_department=world.police, to_department=world.a,
                             subject="立案情况", content="已立案侦查。", transfer=t, on=D(2026, 5, 7))
    client.force_login(world.police_liaison)
    page = client.get(reverse("cooperation_admin:transfer_detail", args=[t.pk])).content.decode()
    assert "依法优先办理" in page and "2026-05-06受理" in page and "立案情况" in page
