"""The screens of 区编办 and 区政府法制办's door: supervision of the four systems (三（二）) and the walls around them."""
import datetime

import pytest
from django.test import Client
from django.urls import reverse

from cooperation.models import CaseTransfer, InformationRequest
from coordination import accountability, disputes, supervision
from coordination.models import AccountabilityCase, Dispute
from portal.walls.coordination import supervises

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _records(world):
    late = CaseTransfer.objects.create(title="违规设置户外广告", from_department=world.b, to_department=world.a,
                                       facts="巡查发现。", discovered_date=datetime.date(2026, 11, 2))
    CaseTransfer.objects.create(title="渣土撒漏", from_department=world.a, to_department=world.b, facts="巡查发现。",
                                discovered_date=TODAY)
    InformationRequest.objects.create(
        requesting_department=world.b, requested_department=world.a, kind=InformationRequest.Kind.PENALTY_DATA,
        subject="第三季度行政处罚数据", purpose="统计分析", received_date=datetime.date(2026, 11, 2))
    d = disputes.raise_dispute(world.a_liaison, department=world.a, parties=[world.b], kind=Dispute.Kind.DUTIES,
                               title="餐饮油烟监管分工", facts="分工办法未列明。", on=TODAY)
    case = accountability.register(world.bb_liaison, source=AccountabilityCase.Source.TRANSFER_OVERDUE,
                                   department=world.b, title="逾期未移送", facts="超过2个工作日。",
                                   source_key=f"transfer-send:{late.pk}", on=TODAY)
    return d, case


def test_overview_counts_open_and_overdue_items_of_each_system_by_department_三二(world):
    _records(world)
    view = supervision.overview(TODAY)
    rows = {row.department: row for row in view.rows}
    assert [title for _, title, _ in view.systems] == ["联席会议", "案件移送", "首问负责", "信息共享"]
    assert (rows["住建局"].cells["transfers"].open, rows["住建局"].cells["transfers"].overdue) == (1, 1)
    assert (rows["执法局"].cells["transfers"].open, rows["执法局"].cells["transfers"].overdue) == (1, 0)
    assert (rows["执法局"].cells["sharing"].open, rows["执法局"].cells["sharing"].overdue) == (1, 1)
    assert (view.totals.cells["transfers"].open, view.totals.cells["transfers"].overdue) == (2, 1)
    assert (view.open_disputes, view.open_cases) == (1, 1)


def test_only_the_coordinators_and_superusers_open_the_supervision_screens_三二(world):
    assert [supervises(u) for u in (world.bb_liaison, world.fzb_liaison, world.root)] == [True] * 3
    assert [supervises(u) for u in (world.a_liaison, world.b_clerk, world.zfb_liaison)] == [False] * 3
    urls = [reverse("coordination_admin:supervision"), reverse("coordination_admin:case_candidates"),
            reverse("coordination_admin:case_add")]
    bb, outsider = _client(world.bb_liaison), _client(world.a_liaison)
    for url in urls:
        assert bb.get(url).status_code == 200, url
        response = outsider.get(url)
        assert response.status_code == 404 and "仅限区编办、区政府法制办" in response.content.decode(), url
    page = _client(world.root).get(urls[0]).content.decode()
    assert "联席会议" in page and "信息共享" in page and "三（二）" in page


def test_other_departments_open_neither_the_dispute_nor_the_case_二四7(world):
    d, case = _records(world)
    dispute_url = reverse("coordination_admin:dispute_detail", args=[d.pk])
    case_url = reverse("coordination_admin:case_detail", args=[case.pk])
    outsider = _client(world.c_liaison)
    for url in (dispute_url, case_url, reverse("coordination_admin:dispute_action", args=[d.pk, "consult"])):
        response = outsider.get(url)
        assert response.status_code == 404 and "餐饮油烟" not in response.content.decode()
    assert "餐饮油烟" not in outsider.get(reverse("coordination_admin:dispute_index")).content.decode()
    assert "逾期未移送" not in outsider.get(reverse("coordination_admin:case_index")).content.decode()
    concerned = _client(world.b_clerk)
    assert concerned.get(case_url).status_code == 200 and concerned.get(dispute_url).status_code == 200
    assert _client(world.a_liaison).get(case_url).status_code == 404  # not the department concerned


def test_both_coordinators_record_their_opinions_on_the_dispute_screen_二一(world):
    d, _ = _records(world)
    for who, dept in ((world.a_liaison, world.a), (world.b_liaison, world.b)):
        disputes.record_consultation(d, who, department=dept, date=TODAY, note="协商未果。", today=TODAY)
    disputes.refer(d, world.a_liaison, reason="协商未果。")
    url = reverse("coordination_admin:dispute_action", args=[d.pk, "opinion"])
    bb = _client(world.bb_liaison)
    assert "登记认定／协调意见" in bb.get(reverse("coordination_admin:dispute_detail", args=[d.pk])).content.decode()
    response = bb.post(url, {"coordinator": world.fzb.pk, "competent_department": world.b.pk, "text": "代为认定"})
    assert response.status_code == 200  # the form again: 区编办 may not choose 区政府法制办
    assert not d.opinions.exists()
    bb.post(url, {"coordinator": world.bb.pk, "competent_department": world.b.pk, "text": "由住建局监管。"})
    assert Dispute.objects.get(pk=d.pk).status == Dispute.Status.REFERRED
    _client(world.fzb_liaison).post(url, {"coordinator": world.fzb.pk, "competent_department": world.b.pk,
                                          "text": "同意。"})
    d = Dispute.objects.get(pk=d.pk)
    assert (d.status, d.competent_department) == (Dispute.Status.DETERMINED, world.b)


def test_a_refused_transfer_is_offered_for_a_jurisdiction_dispute_to_its_parties_only_二四3(world):
    t = CaseTransfer.objects.create(title="违规堆放建筑材料", from_department=world.a, to_department=world.b,
                                    facts="现场检查发现。", discovered_date=TODAY, status=CaseTransfer.Status.REJECTED)
    add = reverse("coordination_admin:dispute_add") + f"?transfer={t.pk}"
    sender = _client(world.a_liaison)
    assert add in sender.get(reverse("coordination_admin:dispute_index")).content.decode()
    assert _client(world.c_liaison).get(add).status_code == 404
    assert sender.get(reverse("coordination_admin:dispute_add") + "?transfer=²").status_code in (400, 404)
    sender.post(add, {"reason": "我局认为属住建局职责。"})
    d = Dispute.objects.get(transfer=t)
    assert d.kind == Dispute.Kind.JURISDICTION and set(d.parties.all()) == {world.a, world.b}
    assert add not in sender.get(reverse("coordination_admin:dispute_index")).content.decode()


def test_a_party_no_id_can_be_is_refused_in_chinese_and_nothing_is_raised_二一(world):
    response = _client(world.a_liaison).post(reverse("coordination_admin:dispute_add"), {
        "department": world.a.pk, "others": str(10**30), "kind": Dispute.Kind.DUTIES, "title": "x", "facts": "y"})
    assert response.status_code == 200 and "所选项不存在，请重新选择。" in response.content.decode()
    assert not Dispute.objects.exists()
