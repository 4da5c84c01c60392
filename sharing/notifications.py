"""抄告 and deadline reminders: who is told, by email (queued, jobs.mail) and by a Notification row.

Recipients are the 信息联络员 of a department. A liaison is told of an item
only if ``portal.walls.access.can_view`` lets them see it: a 部门内部 item reaches
no other department, a 不予共享 item reaches nobody, whatever they subscribed to.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from wagtail.signals import page_published

from amendments.services import digest_section
from jobs.mail import queue_mail
from portal.models import Department
from portal.models.metadata import SharedInfoPage
from portal.models.sharing import DepartmentSubscription, Notification
from portal.walls.access import can_view
from sharing import deadlines
from sharing.deadlines import DUE_SOON, OVERDUE, UNKNOWN, department_deadline_report

__all__ = ["RemindSummary", "liaisons_of", "notify_subscribers", "recipients_for", "send_reminders"]


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def liaisons_of(department) -> list:
    """Return the department's active 信息联络员."""
    return list(department.liaisons.filter(is_active=True).order_by("pk"))


def recipients_for(page) -> list:
    """Return the liaisons to tell about a published item: of subscribed departments, and allowed to see it."""
    subscribed = set()
    for subscription in DepartmentSubscription.objects.select_related("subscriber"):
        if subscription.subscriber_id != page.department_id and subscription.matches(page):
            subscribed.add(subscription.subscriber)
    recipients = []
    for department in sorted(subscribed, key=lambda d: (d.sort_order, d.pk)):
        recipients += [user for user in liaisons_of(department) if can_view(user, page)]
    return recipients


def notify_subscribers(page) -> int:
    """Return how many liaisons were told (email + notification) of a just-published shareable item.

    Each liaison is told of an item once: a republication that widens the
    scope tells those who can see it now and were not told before.
    """
    page = page.specific if hasattr(page, "specific") else page
    if not isinstance(page, SharedInfoPage) or not page.live:
        return 0
    already = set(
        Notification.objects.filter(page=page, kind=Notification.Kind.PUBLISHED).values_list("recipient_id", flat=True)
    )
    recipients = [user for user in recipients_for(page) if user.pk not in already]
    if not recipients:
        return 0
    subject = f"【抄告】{page.department.display_name}发布：{page.title}"
    url = _absolute(page.url or "")
    message = (
        f"{page.department}于{timezone.localdate(page.last_published_at or timezone.now()):%Y-%m-%d}"
        f"在综合行政执法信息共享平台发布了“{page.get_category_display()}”信息：\n\n"
        f"{page.title}\n索引号：{page.index_number or '—'}\n共享范围：{page.get_scope_display()}\n\n"
        f"查看：{url}\n\n贵单位订阅了此类信息，特此抄告。管理订阅：{_absolute('/staff/subscriptions/')}"
    )
    Notification.objects.bulk_create(
        Notification(recipient=user, kind=Notification.Kind.PUBLISHED, page=page, subject=subject, message=message)
        for user in recipients
    )
    # Queued in the publication's transaction (a rolled-back publish tells nobody) and sent by the
    # scheduler's mail job: publishing never waits for the mail server.
    for user in recipients:
        queue_mail(subject, message, [user.email], kind=Notification.Kind.PUBLISHED.label)
    return len(recipients)


@dataclass
class RemindSummary:
    departments: int = 0
    emails: int = 0
    due_soon: int = 0
    overdue: int = 0
    unknown: int = 0
    impacts: int = 0  # 法规更新: citing places still 待处理, listed to their department's liaisons
    skipped_without_liaison: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (f"已向 {self.departments} 个部门的信息联络员排队发送 {self.emails} 封提醒邮件："
                f"即将到期 {self.due_soon} 条，逾期 {self.overdue} 条")
        if self.unknown:
            text += f"，{self.unknown} 条因节假日数据不足无法计算"
        if self.impacts:
            text += f"；法规更新待处理的引用 {self.impacts} 处"
        if self.skipped_without_liaison:
            text += f"；{len(self.skipped_without_liaison)} 个部门未设信息联络员：{'、'.join(self.skipped_without_liaison)}"
        return text + "。"


def send_reminders(today: datetime.date | None = None) -> RemindSummary:
    """Email each department's liaisons their items due soon or overdue on ``today``, and the citations of their
    documents a new version of a law changed that are still 待处理 (法规更新); return what was sent."""
    today = today or deadlines.current_date()
    summary = RemindSummary()
    for department in Department.objects.order_by("sort_order", "pk"):
        report = department_deadline_report(department, today=today)
        summary.unknown += report.counts[UNKNOWN]
        urgent = [row for row in report.rows if row.status in (DUE_SOON, OVERDUE)]
        liaisons = liaisons_of(department)
        # 法规更新 (issue 21): each liaison's digest also lists the department's citations still 待处理.
        updates = {user.pk: digest_section(user, department) for user in liaisons}
        if not urgent and not any(n for n, _lines in updates.values()):
            continue
        if not liaisons:
            summary.skipped_without_liaison.append(department.display_name)
            continue
        due_soon = [row for row in urgent if row.status == DUE_SOON]
        overdue = [row for row in urgent if row.status == OVERDUE]
        lines = [f"{department}信息共享时限提醒（{today:%Y-%m-%d}）", ""]
        for title, rows in (("已逾期、尚未共享", overdue), ("即将到期", due_soon)):
            if rows:
                lines.append(f"{title}（{len(rows)} 条）：")
                lines += [f"  · {row.page.title}{row.title_suffix}（信息形成日期 {row.formed:%Y-%m-%d}，"
                          f"应共享日期 {row.due_text}）" for row in rows]
                lines.append("")
        subject = f"【共享时限提醒】{department.display_name}：逾期 {len(overdue)} 条，即将到期 {len(due_soon)} 条"
        told = False
        for user in liaisons:
            impacts, extra = updates[user.pk]
            if not (urgent or impacts):
                continue
            message = "\n".join(lines + extra + [f"请及时共享。工作台：{_absolute('/staff/')}"])
            mine = subject + (f"，法规更新待处理 {impacts} 处" if impacts else "")
            Notification.objects.create(recipient=user, kind=Notification.Kind.REMINDER, subject=mine,
                                        message=message)
            if queue_mail(mine, message, [user.email], kind=Notification.Kind.REMINDER.label):
                summary.emails += 1
            summary.impacts += impacts
            told = True
        if not told:
            continue
        summary.departments += 1
        summary.due_soon += len(due_soon)
        summary.overdue += len(overdue)
    return summary


def notify_subscribers_on_publish(sender, instance, **kwargs):
    """抄告: tell the subscribed departments' 信息联络员 that a shareable item was published."""
    notify_subscribers(instance)


def connect_signals() -> None:
    """Connect 抄告 to Wagtail's ``page_published`` (called from PortalConfig.ready)."""
    page_published.connect(notify_subscribers_on_publish, dispatch_uid="sharing.notifications.subscribers")
