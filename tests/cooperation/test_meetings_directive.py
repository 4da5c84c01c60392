"""联席会议 as 周政办字〔2018〕18号 二（四）1 says: the conveners, the half-yearly 例行会议 with all member units,
the 专题会议 called on approved topics, and the office's 初步协调 (each test ends with the provision it proves).

二（四）1 holds the whole 联席会议 system in three paragraphs (organisation; the two kinds of meeting; the
minutes); it has no numbered sub-items, so the tests cite 二（四）1.
"""
from datetime import date as D

import pytest
from django.urls import reverse

from cooperation import meetings
from cooperation.limits import half_year_bounds, half_year_of, half_years
from cooperation.models import JointMeeting, MeetingMinutes, MeetingTopic
from cooperation.pending import dashboard_items
from cooperation.states import TransitionError
from jobs.models import OutgoingMail
from jobs.table import job_named
from portal.models import Department

MEETING_DATE = D(2026, 6, 26)
OPENS = D(2026, 6, 12)


def routine(world, date=MEETING_DATE, opens=OPENS, **kw):
    kw.setdefault("convener", world.convener)
    return meetings.create_meeting(world.a_clerk, title=f"{date:%Y-%m}例行会议", kind="routine", date=date,
                                   topics_open_date=opens, **kw)


def topic_of(meeting, world, title="扬尘执法职责衔接"):
    return meetings.propose_topic(meeting, world.b_liaison, department=world.b, title=title, description="职责交叉。",
                                  opinion="以围挡为界。", today=D(2026, 6, 15))


def held(meeting, world):
    meetings.approve_agenda(meeting, world.convener)
    meetings.mark_held(meeting, world.a_clerk, held_date=meeting.date, today=meeting.date)
    return meetings.save_minutes(meeting, world.a_clerk, content="议定事项")


def special_topic(world):
    return meetings.submit_special_topic(world.b_liaison, department=world.b, title="农贸市场周边占道经营",
                                         description="早市占道经营反复。", opinion="联合整治。")


# --- conveners: 分管副区长 or the entrusted 区政府办公室副主任; one vice-convener, the bureau's 局长 -----------------

def test_entrusted_office_deputy_director_convenes_and_signs_the_minutes_二四1(world):
    meeting = routine(world, convener=world.entrusted, convener_capacity=JointMeeting.Capacity.ENTRUSTED)
    assert meeting.get_convener_capacity_display() == "受委托的区政府办公室副主任"
    held(meeting, world)
    minutes = meetings.issue_minutes(meeting, world.entrusted)
    assert minutes.status == MeetingMinutes.Status.ISSUED and minutes.issued_by == world.entrusted


def test_either_convener_may_sign_the_minutes_of_a_meeting_the_other_convened_二四1(world):
    meeting = routine(world, convener=world.convener)
    held(meeting, world)
    assert "issue_minutes" in meetings.meeting_actions(meeting, world.entrusted)
    assert meetings.issue_minutes(meeting, world.entrusted).issued_by == world.entrusted


def test_the_one_vice_convener_is_the_bureau_head_and_cannot_sign_二四1(world):
    meeting = routine(world)
    assert meeting.vice_convener == world.a_head == meetings.office_head()
    with pytest.raises(TransitionError, match="副召集人由区综合行政执法局局长担任"):
        routine(world, date=D(2026, 12, 25), opens=D(2026, 12, 1), vice_convener=world.b_head)
    held(meeting, world)
    with pytest.raises(TransitionError, match="由联席会议召集人签发"):
        meetings.issue_minutes(meeting, world.a_head)
    assert MeetingMinutes.objects.get().status == MeetingMinutes.Status.DRAFT


def test_a_convener_who_is_neither_deputy_mayor_nor_entrusted_deputy_director_is_refused_二四1(world):
    with pytest.raises(TransitionError, match="分管副区长或受委托的区政府办公室副主任"):
        routine(world, convener=world.b_head)
    assert not JointMeeting.objects.exists()


# --- 例行会议每半年召开一次，参会单位为全体成员单位，并可视情况邀请其他相关单位参加 ------------------------------

def test_half_years_run_january_to_june_and_july_to_december_二四1():
    assert half_year_of(D(2026, 6, 30)) == (2026, 1) and half_year_of(D(2026, 7, 1)) == (2026, 2)
    assert half_year_bounds(2026, 2) == (D(2026, 7, 1), D(2026, 12, 31))
    assert half_years(D(2025, 11, 3), D(2027, 1, 2)) == [(2025, 2), (2026, 1), (2026, 2), (2027, 1)]


def test_routine_meeting_missing_in_half_year_is_reported_二四1(world):
    held(routine(world, date=D(2025, 6, 20), opens=D(2025, 6, 6)), world)
    routine(world, date=D(2026, 6, 26))  # arranged in 2026 H1 but never held
    report = meetings.routine_meeting_report(today=D(2026, 12, 3))
    assert [(h.label, h.state) for h in report] == [
        ("2025年上半年", "held"), ("2025年下半年", "missing"), ("2026年上半年", "missing"),
        ("2026年下半年", "unscheduled")]
    lacking = meetings.half_years_without_routine_meeting(today=D(2026, 12, 3))
    assert [h.label for h in lacking] == ["2025年下半年", "2026年上半年", "2026年下半年"]


def test_a_special_meeting_does_not_count_as_the_half_years_routine_meeting_二四1(world):
    topic = meetings.decide_topic(special_topic(world), world.convener, adopt=True)
    meeting = meetings.call_special_meeting(world.a_clerk, topics=[topic], title="专题会议", date=D(2026, 11, 20),
                                            convener=world.convener)
    meetings.mark_held(meeting, world.a_clerk, today=D(2026, 11, 20))
    assert meetings.routine_meeting_report(today=D(2026, 12, 3))[-1].state == "unscheduled"


def test_office_is_reminded_weekly_while_the_half_year_has_no_routine_meeting_二四1(world):
    assert job_named("remind_routine_meeting").schedule.text == "每周一 08:45"
    line = meetings.send_routine_meeting_reminders(today=D(2026, 12, 7))
    mail = OutgoingMail.objects.get()
    assert "2026年下半年尚未安排例行会议" in line and "二（四）1" in mail.body
    assert mail.to == [world.a_head.email]  # the office head, the bureau's 局长
    routine(world, date=D(2026, 12, 25), opens=D(2026, 12, 1))
    assert "无需提醒" in meetings.send_routine_meeting_reminders(today=D(2026, 12, 14))
    assert OutgoingMail.objects.count() == 1


def test_routine_meeting_has_every_member_unit_and_invites_only_other_units_二四1(world):
    town = Department.objects.create(name="测试镇人民政府", short_name="测试镇", code="TOWN", is_member=False)
    meeting = routine(world, invited=[town])
    members = set(Department.objects.filter(is_member=True))
    assert set(meeting.participants.all()) == members and world.b in members
    assert list(meeting.invited.all()) == [town]
    with pytest.raises(TransitionError, match="本就是参会单位"):
        routine(world, date=D(2026, 12, 25), opens=D(2026, 12, 1), invited=[world.b])


# --- 专题会议: topic first, approved by the convener or vice-convener, then the meeting; units by topic ----------

def test_special_meeting_is_not_scheduled_before_a_topic_is_approved_二四1(world):
    with pytest.raises(TransitionError, match="请先提交专题议题"):
        meetings.create_meeting(world.a_clerk, title="专题会议", kind="special", date=D(2026, 6, 29),
                                topics_open_date=D(2026, 6, 12), convener=world.convener)
    topic = special_topic(world)
    assert topic.meeting is None and topic.status == MeetingTopic.Status.SUBMITTED
    with pytest.raises(TransitionError, match="尚未经召集人或副召集人审定同意"):
        meetings.call_special_meeting(world.a_clerk, topics=[topic], title="专题会议", date=D(2026, 6, 29),
                                      convener=world.convener)
    with pytest.raises(TransitionError, match="召集人或副召集人"):
        meetings.decide_topic(topic, world.b_head, adopt=True)
    assert not JointMeeting.objects.exists()


def test_special_meeting_is_called_on_the_approved_topic_with_the_units_it_needs_二四1(world):
    topic = meetings.decide_topic(special_topic(world), world.a_head, adopt=True, note="同意召开专题会议。")
    # Called two days ahead: the 5-working-day collection applies to the 例行会议 only.
    meeting = meetings.call_special_meeting(world.a_clerk, topics=[topic], title="占道经营专题会议",
                                            date=D(2026, 6, 26), convener=world.entrusted,
                                            convener_capacity="entrusted", participants=[world.a])
    topic.refresh_from_db()
    assert meeting.kind == JointMeeting.Kind.SPECIAL and meeting.topics_open_date is None
    assert meeting.status == JointMeeting.Status.AGENDA_APPROVED and meeting.agenda_approved_by == world.a_head
    assert topic.meeting == meeting
    assert set(meeting.participants.all()) == {world.a, world.b}  # the chosen unit and the proposing one


def test_topic_collection_window_applies_to_routine_meetings_only_二四1(world):
    with pytest.raises(TransitionError, match="至少5个工作日"):
        routine(world, date=D(2026, 6, 29), opens=D(2026, 6, 25))
    topic = meetings.decide_topic(special_topic(world), world.convener, adopt=True)
    meeting = meetings.call_special_meeting(world.a_clerk, topics=[topic], title="专题会议", date=D(2026, 6, 29),
                                            convener=world.convener)
    meeting.clean()  # no collection window to check


# --- 办公室…进行初步协调，难以解决的，报联席会议召集人、副召集人审定后，提交会议讨论 --------------------------------------

def test_office_settles_a_topic_by_preliminary_coordination_without_a_meeting_二四1(world):
    meeting = routine(world)
    topic = meetings.coordinate_topic(topic_of(meeting, world), world.a_clerk, resolved=True,
                                      note="经协调，双方同意以围挡为界。")
    assert topic.status == MeetingTopic.Status.RESOLVED and topic.coordinated_by == world.a_clerk
    assert topic.coordination == "经协调，双方同意以围挡为界。"
    with pytest.raises(TransitionError, match="已初步协调解决"):
        meetings.decide_topic(topic, world.convener, adopt=True)
    assert meetings.approve_agenda(meeting, world.convener).status == JointMeeting.Status.AGENDA_APPROVED


def test_only_what_the_office_cannot_resolve_goes_to_the_convener_二四1(world):
    meeting = routine(world)
    topic = topic_of(meeting, world)
    with pytest.raises(TransitionError, match="尚未经办公室初步协调"):
        meetings.decide_topic(topic, world.convener, adopt=True)
    with pytest.raises(TransitionError, match="联席会议办公室"):
        meetings.coordinate_topic(topic, world.b_liaison, resolved=False, note="协调未果")
    with pytest.raises(TransitionError, match="难以解决"):
        meetings.coordinate_topic(topic, world.a_clerk, resolved=False, note=" ")
    with pytest.raises(TransitionError, match="1个议题未经联席会议办公室初步协调"):
        meetings.approve_agenda(meeting, world.convener)
    meetings.coordinate_topic(topic, world.a_clerk, resolved=False, note="职责交叉，协调未果。")
    assert meetings.topic_actions(topic, world.a_head) == ["adopt", "decline"]
    assert meetings.decide_topic(topic, world.a_head, adopt=True).status == MeetingTopic.Status.ADOPTED


# --- the screens ----------------------------------------------------------------------------------------------

def test_meeting_overview_reports_the_half_year_without_routine_meeting_二四1(client, world):
    held(routine(world, date=D(2025, 6, 20), opens=D(2025, 6, 6)), world)
    client.force_login(world.a_clerk)
    content = client.get(reverse("cooperation_admin:meeting_index")).content.decode()
    assert "例行会议每半年召开一次" in content
    assert 'id="half-2025-2"' in content and "未召开例行会议" in content
    assert "刘振华" in content  # the bureau's head: vice-convener and head of the office


def test_screens_offer_coordination_to_the_office_and_approval_to_the_convener_二四1(client, world):
    meeting = routine(world)
    topic = topic_of(meeting, world)
    special = special_topic(world)
    client.force_login(world.a_clerk)
    detail = client.get(reverse("cooperation_admin:meeting_detail", args=[meeting.pk])).content.decode()
    assert reverse("cooperation_admin:topic_action", args=[topic.pk, "escalate"]) in detail
    assert "全体成员单位" in detail
    response = client.post(reverse("cooperation_admin:topic_action", args=[topic.pk, "resolve"]), {"note": "已协调解决。"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.status == MeetingTopic.Status.RESOLVED
    client.force_login(world.entrusted)
    listing = client.get(reverse("cooperation_admin:special_topic_index")).content.decode()
    assert reverse("cooperation_admin:topic_action", args=[special.pk, "adopt"]) in listing
    client.post(reverse("cooperation_admin:topic_action", args=[special.pk, "adopt"]), {"note": ""})
    client.force_login(world.a_clerk)
    response = client.post(reverse("cooperation_admin:special_meeting_add"), {
        "topics": [special.pk], "title": "专题会议", "date": "2026-06-29", "convener": world.entrusted.pk,
        "convener_capacity": "entrusted", "participants": [world.a.pk]})
    called = JointMeeting.objects.get(kind="special")
    assert response.status_code == 302 and response.url.endswith(f"/{called.pk}/")
    assert set(called.participants.all()) == {world.a, world.b}


def test_dashboards_show_coordination_to_the_office_and_special_topics_to_the_conveners_二四1(world):
    meeting = routine(world)
    topic_of(meeting, world)
    special = special_topic(world)
    office = [i.action for i in dashboard_items(world.a_clerk, D(2026, 6, 15))]
    assert "初步协调议题（1个待协调）" in office
    assert "审定专题会议议题（1个待审定）" in [i.action for i in dashboard_items(world.entrusted, D(2026, 6, 15))]
    meetings.decide_topic(special, world.entrusted, adopt=True)
    assert "召集专题会议（1个议题已审定）" in [i.action for i in dashboard_items(world.a_clerk, D(2026, 6, 15))]
