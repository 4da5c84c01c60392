"""联席会议: topic collection window, topics, agenda, minutes and 签发, assigned tasks (周政办字〔2018〕18号 二（四）1)."""
from datetime import date as D

import pytest

from cooperation import meetings
from cooperation.limits import latest_topic_opening, topic_window_error
from cooperation.models import AssignedTask, JointMeeting, MeetingMinutes, MeetingTopic
from cooperation.states import TransitionError

MEETING_DATE = D(2026, 6, 26)


@pytest.fixture
def meeting(world):
    m = meetings.create_meeting(world.a_clerk, title="2026年上半年例会", kind=JointMeeting.Kind.ROUTINE,
                                date=MEETING_DATE, topics_open_date=D(2026, 6, 12), convener=world.convener)
    return m


def propose(meeting, world, today=D(2026, 6, 15), **kw):
    fields = dict(department=world.b, title="工地扬尘执法职责衔接", description="职责交叉。", opinion="以围挡为界。")
    fields.update(kw)
    return meetings.propose_topic(meeting, world.b_liaison, today=today, **fields)


def escalated(meeting, world, **kw):
    topic = propose(meeting, world, **kw)
    return meetings.coordinate_topic(topic, world.a_clerk, resolved=False, note="职责交叉，办公室协调未果。")


def held_meeting(meeting, world):
    topic = escalated(meeting, world)
    meetings.decide_topic(topic, world.convener, adopt=True)
    meetings.approve_agenda(meeting, world.convener)
    meetings.mark_held(meeting, world.a_clerk, held_date=MEETING_DATE, today=MEETING_DATE)
    return meeting


# --- the 5-working-day window of 二（四）1 ---------------------------------------------------------

def test_topic_collection_must_open_five_working_days_before_the_meeting():
    assert topic_window_error(D(2026, 6, 22), D(2026, 6, 29)) == ""
    assert "最迟应于2026-06-22开始征集" in topic_window_error(D(2026, 6, 23), D(2026, 6, 29))


def test_national_day_holiday_counts_no_working_days_in_the_window():
    # 2026-09-30, then 国庆 (10-01..10-07); 10-08, 10-09, the make-up Saturday 10-10, 10-12, 10-13.
    assert topic_window_error(D(2026, 9, 30), D(2026, 10, 13)) == ""
    assert topic_window_error(D(2026, 9, 30), D(2026, 10, 12)) != ""
    assert latest_topic_opening(D(2026, 10, 13)) == D(2026, 9, 30)


def test_meeting_with_too_short_collection_is_refused_and_not_created(world):
    with pytest.raises(TransitionError, match="至少5个工作日"):
        meetings.create_meeting(world.a_clerk, title="仓促的会议", kind="routine", date=D(2026, 6, 29),
                                topics_open_date=D(2026, 6, 25), convener=world.convener)
    assert not JointMeeting.objects.exists()


def test_only_the_joint_meeting_office_schedules_meetings(world):
    with pytest.raises(TransitionError, match="联席会议办公室"):
        meetings.create_meeting(world.b_liaison, title="例会", kind="routine", date=MEETING_DATE,
                                topics_open_date=D(2026, 6, 12), convener=world.convener)


def test_meeting_model_clean_reports_the_window_on_the_field(world):
    from django.core.exceptions import ValidationError

    m = JointMeeting(title="例会", date=D(2026, 6, 29), topics_open_date=D(2026, 6, 26), convener=world.convener)
    with pytest.raises(ValidationError) as info:
        m.clean()
    assert "topics_open_date" in info.value.message_dict


# --- topics and agenda -----------------------------------------------------------------------------

def test_member_unit_proposes_a_topic_with_its_explanation_and_opinion(meeting, world):
    topic = propose(meeting, world)
    assert topic.status == MeetingTopic.Status.SUBMITTED
    assert topic.department == world.b and topic.submitted_by == world.b_liaison


def test_topic_without_initial_opinion_is_refused(meeting, world):
    with pytest.raises(TransitionError, match="初步意见"):
        propose(meeting, world, opinion="  ")
    assert not MeetingTopic.objects.exists()


def test_topic_in_another_departments_name_is_refused(meeting, world):
    with pytest.raises(TransitionError, match="不是"):
        meetings.propose_topic(meeting, world.b_clerk, department=world.a, title="议题", description="说明",
                               opinion="意见", today=D(2026, 6, 15))


def test_topic_before_collection_opens_is_refused(meeting, world):
    with pytest.raises(TransitionError, match="尚未开始征集"):
        propose(meeting, world, today=D(2026, 6, 11))


def test_convener_or_vice_convener_decides_topics_others_are_refused(meeting, world):
    first, second = escalated(meeting, world), escalated(meeting, world, title="第二个议题")
    with pytest.raises(TransitionError, match="召集人或副召集人"):
        meetings.decide_topic(first, world.b_head, adopt=True)
    first.refresh_from_db()
    assert first.status == MeetingTopic.Status.ESCALATED
    meetings.decide_topic(first, world.a_head, adopt=True)
    meetings.decide_topic(second, world.convener, adopt=False, note="另行研究")
    assert first.status == MeetingTopic.Status.ADOPTED and second.status == MeetingTopic.Status.REJECTED


def test_deciding_a_topic_twice_is_refused(meeting, world):
    topic = escalated(meeting, world)
    meetings.decide_topic(topic, world.convener, adopt=True)
    with pytest.raises(TransitionError, match="已采纳"):
        meetings.decide_topic(topic, world.convener, adopt=False)
    topic.refresh_from_db()
    assert topic.status == MeetingTopic.Status.ADOPTED


def test_agenda_is_not_approved_while_a_topic_is_undecided(meeting, world):
    escalated(meeting, world)
    with pytest.raises(TransitionError, match="1个议题未审定"):
        meetings.approve_agenda(meeting, world.convener)
    meeting.refresh_from_db()
    assert meeting.status == JointMeeting.Status.COLLECTING


def test_no_topics_after_the_agenda_is_approved(meeting, world):
    meetings.approve_agenda(meeting, world.convener)
    assert meeting.status == JointMeeting.Status.AGENDA_APPROVED
    with pytest.raises(TransitionError, match="议程已审定"):
        propose(meeting, world)


def test_meeting_cannot_be_marked_held_before_its_date(meeting, world):
    meetings.approve_agenda(meeting, world.convener)
    with pytest.raises(TransitionError, match="尚未召开"):
        meetings.mark_held(meeting, world.a_clerk, held_date=MEETING_DATE, today=D(2026, 6, 25))


# --- minutes and 签发 ---------------------------------------------------------------------------------

def test_minutes_are_drafted_by_the_office_only(meeting, world):
    held_meeting(meeting, world)
    with pytest.raises(TransitionError, match="联席会议办公室"):
        meetings.save_minutes(meeting, world.b_liaison, content="议定事项")
    minutes = meetings.save_minutes(meeting, world.a_clerk, content="一、会议议定……", number="纪〔2026〕1号")
    assert minutes.status == MeetingMinutes.Status.DRAFT


def test_minutes_cannot_be_drafted_before_the_meeting_is_held(meeting, world):
    with pytest.raises(TransitionError, match="征集议题"):
        meetings.save_minutes(meeting, world.a_clerk, content="议定事项")


@pytest.mark.parametrize("signer", ["a_head", "a_clerk", "b_head"])
def test_minutes_signed_by_anyone_but_the_convener_are_refused(meeting, world, signer):
    held_meeting(meeting, world)
    minutes = meetings.save_minutes(meeting, world.a_clerk, content="议定事项")
    with pytest.raises(TransitionError, match="由联席会议召集人签发"):
        meetings.issue_minutes(meeting, getattr(world, signer))
    minutes.refresh_from_db()
    meeting.refresh_from_db()
    assert minutes.status == MeetingMinutes.Status.DRAFT and minutes.issued_by is None
    assert meeting.status == JointMeeting.Status.HELD


def test_superuser_cannot_sign_in_the_conveners_place(meeting, world):
    from portal.models import User

    held_meeting(meeting, world)
    meetings.save_minutes(meeting, world.a_clerk, content="议定事项")
    admin = User.objects.create_superuser("root", password="x-root-2026")
    with pytest.raises(TransitionError, match="召集人"):
        meetings.issue_minutes(meeting, admin)


def test_convener_signs_the_minutes_and_they_become_final(meeting, world):
    held_meeting(meeting, world)
    minutes = meetings.save_minutes(meeting, world.a_clerk, content="议定事项")
    meetings.add_task(minutes, world.a_clerk, title="建立移送台账", responsible_department=world.b,
                      due_date=D(2026, 7, 31))
    issued = meetings.issue_minutes(meeting, world.convener)
    assert issued.status == MeetingMinutes.Status.ISSUED and issued.issued_by == world.convener
    assert meeting.status == JointMeeting.Status.MINUTES_ISSUED
    with pytest.raises(TransitionError, match="不能重复签发"):
        meetings.issue_minutes(meeting, world.convener)
    with pytest.raises(TransitionError):
        meetings.save_minutes(meeting, world.a_clerk, content="改写")
    with pytest.raises(TransitionError, match="已签发"):
        meetings.add_task(issued, world.a_clerk, title="追加", responsible_department=world.b, due_date=D(2026, 8, 1))


def test_minutes_cannot_be_signed_before_they_are_drafted(meeting, world):
    held_meeting(meeting, world)
    with pytest.raises(TransitionError, match="尚未起草"):
        meetings.issue_minutes(meeting, world.convener)


# --- assigned tasks ---------------------------------------------------------------------------------

@pytest.fixture
def issued_task(meeting, world):
    held_meeting(meeting, world)
    minutes = meetings.save_minutes(meeting, world.a_clerk, content="议定事项")
    task = meetings.add_task(minutes, world.a_clerk, title="建立移送台账", responsible_department=world.b,
                             due_date=D(2026, 7, 31))
    meetings.issue_minutes(meeting, world.convener)
    task.refresh_from_db()
    return task


def test_task_of_draft_minutes_is_not_yet_in_force(meeting, world):
    held_meeting(meeting, world)
    minutes = meetings.save_minutes(meeting, world.a_clerk, content="议定事项")
    task = meetings.add_task(minutes, world.a_clerk, title="台账", responsible_department=world.b,
                             due_date=D(2026, 7, 31))
    with pytest.raises(TransitionError, match="尚未签发"):
        meetings.complete_task(task, world.b_liaison, note="已完成")


def test_responsible_unit_reports_completion_in_writing(issued_task, world):
    with pytest.raises(TransitionError, match="书面报告"):
        meetings.complete_task(issued_task, world.b_liaison, note="")
    meetings.complete_task(issued_task, world.b_liaison, note="台账已建立。", completed_date=D(2026, 7, 28))
    assert issued_task.status == AssignedTask.Status.DONE
    assert issued_task.deadline_key(D(2026, 12, 1)) == "on_time"


@pytest.mark.parametrize("reporter", ["b_clerk", "a_liaison", "a_head"])
def test_others_than_the_units_head_or_liaison_cannot_report_completion(issued_task, world, reporter):
    with pytest.raises(TransitionError, match="承办单位"):
        meetings.complete_task(issued_task, getattr(world, reporter), note="已完成")
    issued_task.refresh_from_db()
    assert issued_task.status == AssignedTask.Status.IN_PROGRESS


def test_task_deadline_is_the_calendar_date_of_the_minutes(issued_task, world):
    assert issued_task.deadline_key(D(2026, 7, 31)) == "due_soon"
    assert issued_task.deadline_key(D(2026, 8, 1)) == "overdue"
    meetings.report_delay(issued_task, world.b_liaison, reason="需协调产权单位，8月15日前完成。")
    meetings.complete_task(issued_task, world.b_liaison, note="已完成", completed_date=D(2026, 8, 14))
    assert issued_task.deadline_key(D(2026, 9, 1)) == "late"


def test_meeting_actions_follow_role_and_status(meeting, world):
    assert "propose_topic" in meetings.meeting_actions(meeting, world.b_liaison)
    assert "approve_agenda" not in meetings.meeting_actions(meeting, world.b_liaison)
    assert "approve_agenda" in meetings.meeting_actions(meeting, world.a_head)
    assert meetings.meeting_actions(meeting, world.outsider) == []


def test_meeting_history_is_kept(meeting, world):
    meetings.approve_agenda(meeting, world.convener)
    statuses = list(meeting.history.order_by("history_date").values_list("status", flat=True))
    assert statuses[-2:] == [JointMeeting.Status.COLLECTING, JointMeeting.Status.AGENDA_APPROVED]
    assert meeting.history.latest().history_user == world.convener
