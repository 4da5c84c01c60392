"""The job table: every periodic job of the portal, with its Chinese label, its schedule and what it calls.

Each job's function does its work and returns one line in Chinese saying what it did; it raises
``JobFailed`` (a Chinese message) when it ran but something needs an administrator, and any other
exception when it crashed. ``atomic`` jobs run in one transaction, so a crash stores nothing of them
(their e-mails are queued rows, rolled back too); the others change one item at a time, each whole by itself.

The order is the order of a ``scheduler --once`` round: the jobs that publish and remind come before
the mail job, which sends what they queued in the same round.
"""
from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import DraftStateMixin, Page, Revision

from amendments.services import compute_pending
from archive.records import expire_documents
from cooperation.meetings import send_routine_meeting_reminders
from cooperation.pending import send_overdue_alerts
from jobs import mail
from jobs.models import JobRun, OutgoingMail
from portal.models import LicenceDecisionPage, Validity

# The index retry queue lives in search.sync; search.service cannot offer it (search.sync imports search.service).
from search.sync import retry_pending
from sharing.notifications import send_reminders
from staff.saved_searches import send_digests

KEEP_RUNS = datetime.timedelta(days=30)
KEEP_SENT_MAIL = datetime.timedelta(days=30)
KEEP_FAILED_MAIL = datetime.timedelta(days=180)


class JobFailed(Exception):
    """A job ran but did not succeed; the message (Chinese) is what the run log shows."""


@dataclass(frozen=True)
class Schedule:
    """When a job is due: a Chinese description and the APScheduler trigger that keeps it."""

    text: str
    make_trigger: Callable[[ZoneInfo], BaseTrigger]

    def trigger(self, tz: ZoneInfo) -> BaseTrigger:
        return self.make_trigger(tz)


def every(minutes: int) -> Schedule:
    """Every ``minutes`` minutes, on the clock (xx:00, xx:05 … for 5)."""
    text = "每分钟" if minutes == 1 else f"每 {minutes} 分钟"
    return Schedule(text, lambda tz: IntervalTrigger(
        minutes=minutes, start_date=datetime.datetime(2000, 1, 1, tzinfo=tz), timezone=tz))


def daily(hour: int, minute: int, weekdays_only: bool = False) -> Schedule:
    """Each day (or Monday to Friday) at hour:minute, local time."""
    text = f"{'周一至周五' if weekdays_only else '每日'} {hour:02d}:{minute:02d}"
    return Schedule(text, lambda tz: CronTrigger(
        hour=hour, minute=minute, day_of_week="mon-fri" if weekdays_only else "*", timezone=tz))


def weekly(weekday: str, label: str, hour: int, minute: int) -> Schedule:
    """Once a week on ``weekday`` (APScheduler's "mon" …; ``label`` its Chinese name) at hour:minute, local time."""
    return Schedule(f"每{label} {hour:02d}:{minute:02d}", lambda tz: CronTrigger(
        day_of_week=weekday, hour=hour, minute=minute, timezone=tz))


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    schedule: Schedule
    func: Callable[[], str]
    atomic: bool = False


# --- the jobs ----------------------------------------------------------------------------------------

def _draft_state_models() -> list:
    """Page and every other model with go-live and expiry times, as Wagtail's publish_scheduled sees them."""
    return [Page] + [m for m in apps.get_models() if issubclass(m, DraftStateMixin) and not issubclass(m, Page)]


def publish_scheduled() -> str:
    """Apply the go-live and expiry times set in the admin (Wagtail's own ``publish_scheduled``)."""
    now = timezone.now()
    postponed = _postpone_held_licences(now)
    going_live = Revision.objects.filter(approved_go_live_at__lt=now).count()
    expiring = sum(m.objects.filter(live=True, expire_at__lt=now).count() for m in _draft_state_models())
    call_command("publish_scheduled", stdout=io.StringIO())
    held = f"暂缓 {len(postponed)} 项（{'；'.join(postponed)}）。" if postponed else ""
    return f"定时发布 {going_live} 项，到期下线 {expiring} 项。{held}"


def _postpone_held_licences(now) -> list[str]:
    """Unschedule due 行政许可 revisions that an open case transfer holds (二（四）3（4）); return why, per page.

    Wagtail's publish_scheduled would stop at the first one (its publish raises), leaving every later
    revision unpublished minute after minute.  The revision stays as it is, unscheduled: an editor schedules
    or publishes it again once the bureau has decided; the page's history records the cancellation.
    """
    reasons = []
    for revision in Revision.objects.filter(approved_go_live_at__lt=now,
                                            content_type=ContentType.objects.get_for_model(LicenceDecisionPage)):
        page = LicenceDecisionPage.objects.filter(pk=revision.object_id).first()
        message = page.held_revision_message(revision) if page is not None else ""
        if message:
            was = revision.approved_go_live_at
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            log(instance=page, action="wagtail.schedule.cancel", revision=revision,
                data={"revision": {"id": revision.id, "created": revision.created_at.isoformat(),
                                   "go_live_at": was.isoformat(), "has_live_version": page.live}})
            reasons.append(f"《{page.title}》：{message}")
    return reasons


def expire_into_archive() -> str:
    """Re-derive 有效性 from today's date: documents whose 废止日期 has come become 已废止 (the archive)."""
    changed = expire_documents()
    abolished = sum(1 for _, _, new in changed if new == Validity.ABOLISHED)
    return f"有效性更新 {len(changed)} 件，其中转为已废止、移入归档 {abolished} 件。"


def remind_deadlines() -> str:
    """The sharing deadlines of 二（四）3（1）: each department's liaisons told of items due soon or overdue."""
    return send_reminders().line()


def check_cooperation_deadlines() -> str:
    """Overdue cooperation steps: both departments' liaisons told."""
    return send_overdue_alerts().line()


def remind_routine_meeting() -> str:
    """二（四）1 例行会议每半年召开一次: the office reminded while the current half-year has none arranged."""
    return send_routine_meeting_reminders()


def amendment_impacts() -> str:
    """法规更新: the documents citing provisions a new version changed, renumbered or repealed; owners told."""
    return compute_pending()


def retry_index_updates() -> str:
    """Index updates queued while the search engine was unreachable (search.PendingIndexUpdate)."""
    done, left = retry_pending()
    if left and not done:
        raise JobFailed(f"检索引擎仍不可用，{left} 项索引更新继续排队。")
    if not (done or left):
        return "没有待重试的索引更新。"
    return f"已完成 {done} 项排队的索引更新" + (f"，还有 {left} 项待重试。" if left else "。")


def send_saved_search_digests() -> str:
    """The daily e-mail of each user's saved searches: what is new since the last one, as that user may see it."""
    return send_digests().line()


def deliver_mail() -> str:
    """Send the queued e-mails whose time has come; a delivery given up after the last attempt fails the run."""
    summary = mail.deliver_due()
    if summary.given_up:
        raise JobFailed(summary.line())
    return summary.line()


def prune_records() -> str:
    """Forget old run records and delivered e-mails; failed deliveries are kept longer."""
    now = timezone.now()
    runs, _ = JobRun.objects.filter(started_at__lt=now - KEEP_RUNS).delete()
    sent, _ = OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT, sent_at__lt=now - KEEP_SENT_MAIL).delete()
    failed, _ = OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED,
                                            created_at__lt=now - KEEP_FAILED_MAIL).delete()
    return f"清理运行记录 {runs} 条、已发送邮件 {sent} 封、发送失败邮件 {failed} 封。"


JOBS: list[Job] = [
    Job("publish_scheduled", "定时发布与到期下线", every(1), publish_scheduled),
    Job("expire_documents", "到期文件自动废止（归档）", daily(0, 5), expire_into_archive),
    Job("remind_deadlines", "共享时限提醒", daily(8, 30, weekdays_only=True), remind_deadlines, atomic=True),
    Job("check_cooperation_deadlines", "协作机制时限检查", daily(8, 40, weekdays_only=True),
        check_cooperation_deadlines, atomic=True),
    Job("remind_routine_meeting", "联席会议例行会议提醒", weekly("mon", "周一", 8, 45), remind_routine_meeting,
        atomic=True),
    Job("saved_search_digests", "保存的检索每日邮件提醒", daily(7, 30), send_saved_search_digests, atomic=True),
    Job("amendment_impacts", "法规更新影响计算", every(1), amendment_impacts, atomic=True),
    Job("retry_index_updates", "检索索引重试", every(5), retry_index_updates),
    Job("deliver_mail", "邮件发送", every(1), deliver_mail),
    Job("prune_records", "清理旧记录", daily(3, 15), prune_records, atomic=True),
]


def job_named(name: str) -> Job | None:
    return next((job for job in JOBS if job.name == name), None)
