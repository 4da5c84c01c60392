"""首问负责: register, classify, transfer, close with a reply, and the masked category-8 status page."""
from datetime import date as D

import pytest

from cooperation import complaints, transfers
from cooperation.models import ComplaintRecord
from cooperation.states import TransitionError
from portal.models import CategoryIndexPage, ComplaintHandlingPage, Scope

S, C = ComplaintRecord.Status, ComplaintRecord.Classification
NAME, PHONE = "张秀兰", "13903941234"


def register(world, **kw):
    fields = dict(first_department=world.a, channel="complaint", received_date=D(2026, 11, 2),
                  subject="农贸市场外流动摊贩占道经营", complainant_name=NAME, complainant_phone=PHONE,
                  content=f"{NAME}投诉东门外占道经营，住某路18号3号楼2单元301室，电话{PHONE}。",
                  today=D(2026, 11, 2))
    fields.update(kw)
    return complaints.register(world.a_clerk, **fields)


@pytest.fixture
def complaints_section(site_tree):
    home, _ = site_tree
    section = CategoryIndexPage(title="举报投诉信访受理处理情况", slug="complaints", section="complaints")
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


def test_first_receiving_department_registers_and_is_responsible(world):
    record = register(world)
    assert record.status == S.REGISTERED and record.received_by == world.a_clerk
    with pytest.raises(TransitionError, match="不是"):
        register(world, first_department=world.b)


def test_transfer_classification_needs_preliminary_verification(world):
    record = register(world)
    with pytest.raises(TransitionError, match="初步调查核实"):
        complaints.classify(record, world.a_clerk, classification=C.TRANSFER)
    record.refresh_from_db()
    assert record.status == S.REGISTERED and record.classification == ""
    complaints.classify(record, world.a_clerk, classification=C.TRANSFER, preliminary_result="属住建局职责。")
    assert record.status == S.IN_PROGRESS and record.transfer_due == D(2026, 11, 4)


def test_inform_classification_needs_where_to_go(world):
    record = register(world)
    with pytest.raises(TransitionError, match="有权的机关"):
        complaints.classify(record, world.a_clerk, classification=C.INFORM)


def test_only_the_first_department_classifies(world):
    record = register(world)
    with pytest.raises(TransitionError, match="首问责任部门"):
        complaints.classify(record, world.b_liaison, classification=C.OWN)


def test_closing_without_a_reply_is_refused(world):
    record = register(world)
    complaints.classify(record, world.a_clerk, classification=C.OWN)
    for reply in ("", "   ", None):
        with pytest.raises(TransitionError, match="未答复当事人，不能办结"):
            complaints.close(record, world.a_clerk, reply=reply)
    record.refresh_from_db()
    assert record.status == S.IN_PROGRESS and record.closed_by is None
    complaints.close(record, world.a_clerk, reply="已责令整改并告知投诉人。", replied_date=D(2026, 11, 10))
    assert record.status == S.CLOSED and record.closing_department == world.a


def test_closing_a_registered_matter_before_classifying_is_refused(world):
    record = register(world)
    with pytest.raises(TransitionError, match="已登记"):
        complaints.close(record, world.a_clerk, reply="已答复")


def _transferred(world, document):
    """Return a matter of A classified for transfer, and its transfer to B, sent on 2026-11-03."""
    record = register(world)
    complaints.classify(record, world.a_clerk, classification=C.TRANSFER, preliminary_result="属住建局职责。")
    transfer = complaints.draft_transfer(record, world.a_clerk, to_department=world.b, today=D(2026, 11, 2))
    for kind in ("letter", "complaint", "evidence"):
        transfers.add_material(transfer, world.a_clerk, kind=kind, document=document(kind))
    transfers.submit(transfer, world.a_clerk)
    transfers.approve(transfer, world.a_head)
    transfers.send(transfer, world.a_clerk, on=D(2026, 11, 3))
    record.refresh_from_db()
    return record, transfer


def test_matter_for_transfer_closes_only_with_its_transfer_linked(world):
    record = register(world)
    complaints.classify(record, world.a_clerk, classification=C.TRANSFER, preliminary_result="属住建局职责。")
    with pytest.raises(TransitionError, match="关联案件移送"):
        complaints.close(record, world.a_clerk, reply="已移送住建局。")
    transfer = complaints.draft_transfer(record, world.a_clerk, to_department=world.b, today=D(2026, 11, 2))
    assert record.transfer == transfer and transfer.discovered_date == D(2026, 11, 2)
    assert transfer.from_department == world.a and NAME in transfer.facts


def test_final_handling_department_replies_to_the_complainant_二四4(world, document):
    record, transfer = _transferred(world, document)
    assert record.transfer_status(D(2026, 11, 20)) == "on_time"
    # Sent, not yet handled: nobody can reply yet, not even the receiver.
    for who in (world.a_clerk, world.b_liaison):
        with pytest.raises(TransitionError, match="尚未办结"):
            complaints.close(record, who, reply="已移送。")
    transfers.answer(transfer, world.b_liaison, accept=True, reasons="受理。", on=D(2026, 11, 5))
    transfers.close(transfer, world.b_liaison, outcome="penalty", result="已责令改正并处罚。", on=D(2026, 11, 16))
    record.refresh_from_db()
    assert complaints.final_department(record) == (world.b, "")
    # The first department cannot reply for a matter it transferred, in its own name or in B's.
    with pytest.raises(TransitionError, match="只有测试区住房和城乡建设局的工作人员可以答复办结"):
        complaints.close(record, world.a_clerk, reply="已转住建局处理。")
    with pytest.raises(TransitionError, match="最终办结部门是测试区住房和城乡建设局"):
        complaints.close(record, world.a_clerk, reply="已转住建局处理。", closing_department=world.a)
    record.refresh_from_db()
    assert record.status == S.IN_PROGRESS and record.reply == ""
    complaints.close(record, world.b_clerk, reply="已查处并告知投诉人。", replied_date=D(2026, 11, 18))
    assert record.status == S.CLOSED and record.closing_department == world.b and record.closed_by == world.b_clerk


def test_matter_ruled_back_to_the_sender_is_answered_by_the_first_department_二四4(world, document):
    record, transfer = _transferred(world, document)
    transfers.answer(transfer, world.b_liaison, accept=False, reasons="不属本局职责。", on=D(2026, 11, 5))
    transfers.raise_dispute(transfer, world.a_liaison, kind="duties", arbiter=world.bb, reason="职责争议")
    transfers.record_ruling(transfer, world.bb_liaison, ruling="sender", text="由执法局管辖。")
    record.refresh_from_db()
    final, why = complaints.final_department(record)
    assert final is None and "尚未办结" in why
    transfers.close(transfer, world.a_liaison, outcome="penalty", result="已处罚。")
    record.refresh_from_db()
    assert complaints.final_department(record) == (world.a, "")
    with pytest.raises(TransitionError, match="只有测试区综合行政执法局的工作人员"):
        complaints.close(record, world.b_liaison, reply="已处理。")
    complaints.close(record, world.a_clerk, reply="已处罚并告知投诉人。")
    assert record.closing_department == world.a


def test_consulting_a_related_department_is_recorded_with_its_answer_二四4(world):
    record = register(world)
    complaints.classify(record, world.a_clerk, classification=C.OWN)
    assert not complaints.can_view_complaint(world.b_liaison, record)
    with pytest.raises(TransitionError, match="只有办理该事项的测试区综合行政执法局"):
        complaints.ask_opinion(record, world.b_clerk, department=world.a, question="是否取得许可？")
    with pytest.raises(TransitionError, match="征求意见的事项"):
        complaints.ask_opinion(record, world.a_clerk, department=world.b, question="  ")
    q = complaints.ask_opinion(record, world.a_clerk, department=world.b, question="该摊位是否取得许可？",
                               on=D(2026, 11, 4))
    assert (q.asking_department, q.department, q.asked_date, q.asked_by) == (world.a, world.b, D(2026, 11, 4),
                                                                            world.a_clerk)
    assert not q.answered and complaints.consultation_actions(q, world.b_liaison) == ["answer"]
    # The asked department now sees the matter, and answers in its own name only.
    assert complaints.can_view_complaint(world.b_liaison, record)
    with pytest.raises(TransitionError, match="被征求意见部门"):
        complaints.give_opinion(q, world.a_liaison, opinion="未取得。")
    complaints.give_opinion(q, world.b_liaison, opinion="经查，未取得许可。", on=D(2026, 11, 6))
    q.refresh_from_db()
    assert (q.opinion, q.answered_date, q.answered_by) == ("经查，未取得许可。", D(2026, 11, 6), world.b_liaison)
    with pytest.raises(TransitionError, match="不能重复回复"):
        complaints.give_opinion(q, world.b_liaison, opinion="补充")
    assert complaints.consultation_actions(q, world.b_liaison) == []


def test_link_only_transfers_of_the_first_department(world):
    record = register(world)
    complaints.classify(record, world.a_clerk, classification=C.TRANSFER, preliminary_result="核实")
    foreign = transfers.create_transfer(world.b_clerk, from_department=world.b, to_department=world.a, title="x",
                                        facts="y", discovered_date=D(2026, 11, 2))
    with pytest.raises(TransitionError, match="本首问责任部门"):
        complaints.link_transfer(record, world.a_clerk, foreign)


# --- category 8, masked --------------------------------------------------------------------------------

def test_publishing_creates_a_masked_draft_page_under_the_complaints_section(world, complaints_section):
    record = register(world)
    complaints.classify(record, world.a_clerk, classification=C.OWN)
    complaints.close(record, world.a_clerk, reply=f"已电话告知{NAME}（{PHONE}）处理结果。",
                     replied_date=D(2026, 11, 10))
    page = complaints.publish_handling(record, world.a_liaison)
    assert isinstance(page, ComplaintHandlingPage)
    assert not page.live and page.get_parent().pk == complaints_section.pk
    assert page.scope == Scope.SHARED and page.department == world.a
    assert page.handling_status == ComplaintHandlingPage.Status.CLOSED and page.channel == "complaint"
    published_text = " ".join([page.title, page.body, page.result])
    for secret in (NAME, PHONE, "18号", "301室"):
        assert secret not in published_text
    # The complainant's own number goes entirely; other personal data is masked by lib.masking.
    assert "张某某投诉" in page.body and "电话***" in page.body and "某路**号***" in page.body
    revision = page.get_latest_revision()
    assert revision is not None and revision.user == world.a_liaison
    record.refresh_from_db()
    assert record.published_page_id == page.pk


def test_publishing_again_revises_the_same_draft(world, complaints_section):
    record = register(world)
    first = complaints.publish_handling(record, world.a_liaison)
    assert first.handling_status == ComplaintHandlingPage.Status.ACCEPTED
    complaints.classify(record, world.a_clerk, classification=C.OWN)
    complaints.close(record, world.a_clerk, reply="已办结。", replied_date=D(2026, 11, 10))
    second = complaints.publish_handling(record, world.a_liaison)
    assert second.pk == first.pk
    assert ComplaintHandlingPage.objects.count() == 1
    assert second.get_latest_revision_as_object().handling_status == ComplaintHandlingPage.Status.CLOSED


def test_publishing_needs_page_permission_in_the_section(world, complaints_section):
    from portal.models import User

    record = register(world)
    nobody = User.objects.create_user("plain_a", password="x-plain-2026", department=world.a)
    with pytest.raises(TransitionError, match="没有在"):
        complaints.publish_handling(record, nobody)
    assert not ComplaintHandlingPage.objects.exists()


def test_publishing_without_the_section_is_refused(world):
    record = register(world)
    with pytest.raises(TransitionError, match="未找到"):
        complaints.publish_handling(record, world.a_liaison)


def test_other_departments_do_not_see_the_register(world):
    record = register(world)
    assert complaints.can_view_complaint(world.a_clerk, record)
    assert not complaints.can_view_complaint(world.b_liaison, record)


def test_consultation_and_final_department_on_the_screens_二四4(client, world):
    from django.urls import reverse

    record = register(world)
    complaints.classify(record, world.a_clerk, classification=C.OWN)
    client.force_login(world.a_clerk)
    url = reverse("cooperation_admin:complaint_action", args=[record.pk, "consult"])
    assert client.post(url, {"department": world.b.pk, "question": "是否取得许可？"}).status_code == 302
    q = record.consultations.get()
    client.force_login(world.b_liaison)
    page = client.get(reverse("cooperation_admin:complaint_detail", args=[record.pk])).content.decode()
    assert "是否取得许可？" in page and "尚未回复" in page and "最终办结部门" in page
    answer = reverse("cooperation_admin:consultation_action", args=[q.pk, "answer"])
    assert client.post(answer, {"opinion": "未取得许可。"}).status_code == 302
    q.refresh_from_db()
    assert q.opinion == "未取得许可。" and q.answered_by == world.b_liaison
    # B may not close A's own matter through the screen either.
    close = reverse("cooperation_admin:complaint_action", args=[record.pk, "close"])
    assert "只有测试区综合行政执法局的工作人员" in client.post(close, {"reply": "已处理"}).content.decode()


def test_dashboard_asks_the_final_department_for_the_reply_and_the_consulted_for_its_opinion_二四4(world, document):
    from cooperation.pending import dashboard_items

    def actions(user):
        return {(i.action, i.title) for i in dashboard_items(user, today=D(2026, 11, 20))}

    record, transfer = _transferred(world, document)
    assert ("答复当事人并办结", record.subject) not in actions(world.a_clerk) | actions(world.b_liaison)
    transfers.answer(transfer, world.b_liaison, accept=True, reasons="受理。", on=D(2026, 11, 5))
    transfers.close(transfer, world.b_liaison, outcome="penalty", result="已处罚。", on=D(2026, 11, 16))
    complaints.ask_opinion(record, world.b_clerk, department=world.a, question="该处以往是否处罚过？")
    assert ("答复当事人并办结", record.subject) in actions(world.b_liaison)
    assert ("答复当事人并办结", record.subject) not in actions(world.a_clerk)
    assert ("回复住建局征求的意见", record.subject) in actions(world.a_liaison)
