"""Statistics by department and month, the pending actions of a department, overdue alerts to both sides."""
from datetime import date as D
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from cooperation import info_requests, meetings, transfers
from cooperation.pending import dashboard_items, overdue_alerts
from cooperation.statistics import Row, Tracked, summarize, transfer_statistics
from cooperation.statistics import request_statistics as request_stats
from jobs.mail import deliver_due


def send(world, document, discovered, on, to=None):
    t = transfers.create_transfer(world.a_clerk, from_department=world.a, to_department=to or world.b,
                                  title=f"案件{discovered}", facts="事实", discovered_date=discovered,
                                  today=discovered)
    for kind in ("letter", "inspection", "evidence"):
        transfers.add_material(t, world.a_clerk, kind=kind, document=document(kind))
    transfers.submit(t, world.a_clerk)
    transfers.approve(t, world.a_head)
    if on:
        transfers.send(t, world.a_clerk, on=on)
    return t


def test_summarize_counts_on_time_late_overdue_and_open():
    items = [
        Tracked("甲", "2026-03", D(2026, 3, 12), D(2026, 3, 11)),  # on time
        Tracked("甲", "2026-03", D(2026, 3, 12), D(2026, 3, 13)),  # late
        Tracked("甲", "2026-04", D(2026, 4, 2), None),  # overdue on 4-10
        Tracked("乙", "2026-04", D(2026, 4, 30), None, order=2),  # still open
        Tracked("乙", "2026-04", None, None, order=2),  # limit unknown: counted, not judged
    ]
    by_department = summarize(items, "department", D(2026, 4, 10))
    a, b = by_department  # in the departments' order (甲 0, 乙 2), not by code point
    assert (a.label, a.total, a.on_time, a.late, a.overdue, a.open) == ("甲", 3, 1, 1, 1, 0)
    assert a.rate_display == "33.3%"
    assert (b.total, b.open, b.rate_display) == (2, 2, "—")
    by_month = summarize(items, "month", D(2026, 4, 10))
    assert [r.label for r in by_month] == ["2026-03", "2026-04"] and by_month[0].on_time_rate == 0.5


def test_rate_of_nothing_judged_is_a_dash():
    assert Row("x").rate_display == "—"


def test_transfer_statistics_judge_sender_and_receiver(world, document):
    on_time = send(world, document, D(2026, 3, 10), D(2026, 3, 11))
    transfers.answer(on_time, world.b_liaison, accept=True, on=D(2026, 3, 20))  # due 03-18: late
    send(world, document, D(2026, 4, 1), None)  # never sent: overdue
    section = transfer_statistics(2026, today=D(2026, 5, 1))
    rows = {r.label: r for r in section.by_department}
    sender, receiver = rows[world.a.display_name], rows[world.b.display_name]
    assert (sender.total, sender.on_time, sender.overdue) == (2, 1, 1)
    assert (receiver.total, receiver.late) == (1, 1)
    assert dict(section.counts)["已受理"] == 1
    assert [r.label for r in section.by_month] == ["2026-03", "2026-04"]
    assert section.chart_table()[0] == ["部门", "按时办结", "逾期办结", "逾期未办"]
    assert transfer_statistics(2025, today=D(2026, 5, 1)).by_department == []


def test_withdrawn_requests_are_left_out_of_the_rates(world):
    kept = info_requests.submit_request(world.b_clerk, requesting_department=world.b, requested_department=world.a,
                                        kind="penalty_data", subject="数据", purpose_kind="industry", received_date=D(2026, 3, 2))
    gone = info_requests.submit_request(world.b_clerk, requesting_department=world.b, requested_department=world.a,
                                        kind="penalty_data", subject="数据2", purpose_kind="industry", received_date=D(2026, 3, 2))
    info_requests.withdraw(gone, world.b_clerk)
    info_requests.provide(kept, world.a_liaison, note="已提供。", on=D(2026, 3, 4))
    section = request_stats(2026, today=D(2026, 5, 1))
    assert [(r.label, r.total, r.on_time) for r in section.by_department] == [(world.a.display_name, 1, 1)]


# --- pending actions ------------------------------------------------------------------------------------

def test_receiver_sees_the_transfer_to_answer_with_its_deadline(world, document):
    t = send(world, document, D(2026, 3, 10), D(2026, 3, 11))
    items = dashboard_items(world.b_liaison, today=D(2026, 3, 19))
    answer = [i for i in items if i.system == "案件移送"]
    assert len(answer) == 1 and answer[0].action == "书面答复是否受理"
    assert answer[0].due == t.answer_due and answer[0].overdue
    assert dashboard_items(world.outsider, today=D(2026, 3, 19)) == []


def test_head_sees_transfers_to_approve_and_tasks_reach_the_responsible_unit(world, document):
    t = transfers.create_transfer(world.a_clerk, from_department=world.a, to_department=world.b, title="待审批",
                                  facts="事实", discovered_date=D(2026, 3, 10), today=D(2026, 3, 10))
    transfers.submit(t, world.a_clerk)
    assert [i.action for i in dashboard_items(world.a_head, D(2026, 3, 10)) if i.system == "案件移送"] == ["审批移送"]

    meeting = meetings.create_meeting(world.a_clerk, title="例会", kind="routine", date=D(2026, 6, 26),
                                      topics_open_date=D(2026, 6, 12), convener=world.convener)
    meetings.approve_agenda(meeting, world.convener)
    meetings.mark_held(meeting, world.a_clerk, today=D(2026, 6, 26))
    minutes = meetings.save_minutes(meeting, world.a_clerk, content="议定事项")
    meetings.add_task(minutes, world.a_clerk, title="建立台账", responsible_department=world.b, due_date=D(2026, 7, 31))
    assert not [i for i in dashboard_items(world.b_liaison, D(2026, 7, 1)) if i.action == "办理交办事项"]
    assert [i.action for i in dashboard_items(world.convener, D(2026, 7, 1))] == ["签发会议纪要"]
    meetings.issue_minutes(meeting, world.convener)
    tasks = [i for i in dashboard_items(world.b_clerk, D(2026, 7, 1)) if i.action == "办理交办事项"]
    assert [(t.title, t.due) for t in tasks] == [("建立台账", D(2026, 7, 31))]


# --- overdue alerts and the command --------------------------------------------------------------------

def test_overdue_answer_alerts_both_sides(world, document):
    send(world, document, D(2026, 3, 10), D(2026, 3, 11))  # answer due 2026-03-18
    assert overdue_alerts(D(2026, 3, 18)) == []
    alerts = overdue_alerts(D(2026, 3, 19))
    assert len(alerts) == 1 and set(alerts[0].departments) == {world.a, world.b}
    # On the dashboards: the receiver has the overdue answer to give, the sender an overdue reminder.
    receiver = [i for i in dashboard_items(world.b_liaison, D(2026, 3, 19)) if i.overdue]
    sender = [i for i in dashboard_items(world.a_clerk, D(2026, 3, 19)) if i.overdue]
    assert [i.action for i in receiver] == ["书面答复是否受理"]
    assert [i.action for i in sender] == ["逾期提醒：督促办理"] and "至今未答复" in sender[0].title


def test_unsent_transfer_past_its_two_days_alerts_both_sides(world, document):
    send(world, document, D(2025, 9, 30), None)
    assert overdue_alerts(D(2025, 10, 10)) == []
    assert "2025-10-10前移送" in overdue_alerts(D(2025, 10, 11))[0].text


def test_command_prints_each_overdue_step_and_emails_both_departments_liaisons(world, document):
    send(world, document, D(2026, 3, 10), D(2026, 3, 11))
    out = StringIO()
    call_command("check_cooperation_deadlines", "--date", "2026-03-19", stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("逾期：[案件移送] 案件移送“案件2026-03-10”") and "提醒：执法局、住建局" in lines[0]
    assert lines[-1] == "2026-03-19：逾期事项1项，涉及2个部门，已为2名信息联络员排队发送提醒邮件。"
    assert mail.outbox == []  # queued for the scheduler's mail job
    deliver_due()
    assert sorted(m.to[0] for m in mail.outbox) == ["a_liaison@example.gov.cn", "b_liaison@example.gov.cn"]
    assert "/admin/cooperation/transfers/" in mail.outbox[0].body


def test_command_dry_run_sends_nothing(world, document):
    send(world, document, D(2026, 3, 10), D(2026, 3, 11))
    out = StringIO()
    call_command("check_cooperation_deadlines", "--date", "2026-03-19", "--dry-run", stdout=out, stderr=StringIO())
    deliver_due()
    assert mail.outbox == [] and "未发送邮件" in out.getvalue()


def test_command_rejects_a_bad_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="无法识别"):
        call_command("check_cooperation_deadlines", "--date", "2026/03/19", stdout=StringIO())
