"""The demo content of the working systems loads through the state functions, and loads once."""

from cooperation.models import (
    CaseBriefing,
    CaseTransfer,
    ComplaintRecord,
    InformationRequest,
    JointMeeting,
    MeetingTopic,
    TransferEvent,
    is_standing_convener,
)
from demo.cooperation import load_cooperation_demo
from demo.loader import LoadReport, load_departments
from portal import roles


def test_demo_has_each_system_in_realistic_states_and_a_second_run_changes_nothing(db):
    report = LoadReport()
    departments = load_departments(report, roles.ensure_roles())
    report = LoadReport()
    load_cooperation_demo(report, departments)
    assert report.created["联席会议"] == 3 and report.created["信息请求"] == 3
    statuses = set(CaseTransfer.objects.values_list("status", flat=True))
    assert {"closed", "ruled", "sent", "pending_approval"} <= statuses
    assert CaseTransfer.objects.filter(suspected_crime=True, judicial_organ="police").exists()
    assert JointMeeting.objects.filter(status="minutes_issued").exists()
    assert JointMeeting.objects.filter(status="collecting").exists()
    # 二（四）1: the entrusted 区政府办公室副主任 (lijing) convenes the 专题会议, called on a topic she approved;
    # the bureau's 局长 is the one vice-convener; the office settled one routine topic by 初步协调.
    special = JointMeeting.objects.get(kind="special")
    assert special.convener.username == "lijing" and special.convener_capacity == "entrusted"
    assert is_standing_convener(special.convener)
    assert special.topics.get().decided_by.username == "lijing" and special.status == "agenda_approved"
    assert {m.vice_convener.username for m in JointMeeting.objects.all()} == {"liuzhenhua"}
    assert MeetingTopic.objects.filter(status="resolved", meeting__kind="routine").count() == 1
    routine = JointMeeting.objects.filter(kind="routine").first()
    assert routine.participants.count() == len(departments) - 2  # every member unit; not 区编办, 区政府办公室
    assert set(ComplaintRecord.objects.values_list("classification", flat=True)) == {"own", "transfer", "inform", ""}
    # No demo refusal: the earlier one was a 查阅、复制 asked the wrong way round (二（四）5), on a misquoted ground.
    assert set(InformationRequest.objects.values_list("status", flat=True)) == {"provided", "submitted"}
    assert not InformationRequest.objects.filter(kind="penalty_data", purpose_kind="").exists()
    # 二（三）, 二（四）6: the judicial organs receive transfers and 案情通报; an obstruction went to the police.
    assert CaseTransfer.objects.filter(case_type="obstruction", to_department__code="GAFJ").exists()
    assert {"GAFJ", "JCY", "FY", "ZHZF"} <= set(CaseBriefing.objects.values_list("to_department__code", flat=True))
    assert CaseTransfer.objects.filter(judicial_organ="police", from_department__is_bureau=True,
                                       status="accepted").exists()
    ruled = CaseTransfer.objects.get(status="ruled")
    assert [e.at.date().isoformat() for e in ruled.events.filter(action__in=["send", "reject", "rule"])] == [
        "2026-10-08", "2026-10-12", "2026-10-23"]

    counts = (CaseTransfer.objects.count(), TransferEvent.objects.count(), ComplaintRecord.objects.count(),
              CaseBriefing.objects.count())
    again = LoadReport()
    load_cooperation_demo(again, departments)
    assert again.total == 0
    assert (CaseTransfer.objects.count(), TransferEvent.objects.count(), ComplaintRecord.objects.count(),
            CaseBriefing.objects.count()) == counts
