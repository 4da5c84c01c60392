"""The outgoing mail queue: ``queue_mail`` inside a request or a job, ``deliver_due`` from the scheduler's mail job.

Nothing waits for an SMTP server while a page is published: the e-mail becomes an ``OutgoingMail`` row in the
same transaction (a rolled-back publish queues nothing). The mail job sends the due ones in batches, each batch
over one connection (``get_connection`` + ``send_messages``). A failed delivery is tried again later
(``RETRY_DELAYS``); after ``MAX_ATTEMPTS`` it is marked 发送失败 and stays visible in the admin (邮件发送队列).

Run one scheduler only: two delivering at once could send a message twice.
"""
from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from jobs.models import OutgoingMail

log = logging.getLogger(__name__)

__all__ = ["BATCH_SIZE", "MAX_ATTEMPTS", "RETRY_DELAYS", "DeliverySummary", "deliver_due", "queue_mail"]

# The wait after the 1st, 2nd, … failed attempt; the attempt after the last delay is the last one.
RETRY_DELAYS = (datetime.timedelta(minutes=1), datetime.timedelta(minutes=5), datetime.timedelta(minutes=30),
                datetime.timedelta(hours=2))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
BATCH_SIZE = 100
_ERROR_CHARS = 1000


def queue_mail(subject: str, body: str, to: Iterable[str], *, kind: str = "",
               from_email: str | None = None) -> OutgoingMail | None:
    """Queue one e-mail to ``to`` (addresses; empty ones dropped) and return it; None when nobody has an address."""
    recipients = [address for address in to if address]
    if not recipients:
        return None
    return OutgoingMail.objects.create(
        kind=kind, subject=subject[:255], body=body, from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=recipients, next_attempt_at=timezone.now())


@dataclass
class DeliverySummary:
    """What one delivery round did."""

    sent: int = 0
    retrying: int = 0
    given_up: list[OutgoingMail] = field(default_factory=list)
    still_queued: int = 0

    def line(self) -> str:
        if not (self.sent or self.retrying or self.given_up):
            text = "没有到期待发送的邮件"
        else:
            text = f"已发送 {self.sent} 封"
            if self.retrying:
                text += f"，{self.retrying} 封发送失败、稍后重试"
            if self.given_up:
                text += (f"，{len(self.given_up)} 封尝试 {MAX_ATTEMPTS} 次仍失败、不再重试（见“邮件发送队列”），"
                         f"最近的错误：{self.given_up[-1].last_error}")
        if self.still_queued:
            text += f"；队列中还有 {self.still_queued} 封待发送"
        return text + "。"


def _describe(exc: BaseException) -> str:
    return (f"{type(exc).__name__}：{exc}" if str(exc) else type(exc).__name__)[:_ERROR_CHARS]


def _record_failure(mail: OutgoingMail, error: str, now: datetime.datetime, summary: DeliverySummary) -> None:
    """Count a failed attempt; schedule the next one, or give up after the last."""
    mail.attempts += 1
    mail.last_error = error
    if mail.attempts >= MAX_ATTEMPTS:
        mail.status = OutgoingMail.Status.FAILED
        mail.next_attempt_at = None
        summary.given_up.append(mail)
    else:
        mail.next_attempt_at = now + RETRY_DELAYS[mail.attempts - 1]
        summary.retrying += 1
    OutgoingMail.objects.filter(pk=mail.pk).update(
        attempts=F("attempts") + 1, last_error=mail.last_error, status=mail.status,
        next_attempt_at=mail.next_attempt_at)


def _record_sent(mail: OutgoingMail, now: datetime.datetime, summary: DeliverySummary) -> None:
    OutgoingMail.objects.filter(pk=mail.pk).update(
        attempts=F("attempts") + 1, status=OutgoingMail.Status.SENT, sent_at=now, next_attempt_at=None,
        last_error="")
    summary.sent += 1


def deliver_due(now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE) -> DeliverySummary:
    """Send the queued e-mails whose time has come, oldest first, one batch over one connection."""
    now = now or timezone.now()
    summary = DeliverySummary()
    due = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now)
    batch = list(due.order_by("next_attempt_at", "pk")[:batch_size])
    if batch:
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except Exception as exc:  # noqa: BLE001 - server unreachable: every message of the batch waits and retries
            for mail in batch:
                _record_failure(mail, f"无法连接邮件服务器：{_describe(exc)}", now, summary)
        else:
            try:
                for mail in batch:
                    message = EmailMessage(mail.subject, mail.body, mail.from_email, mail.to, connection=connection)
                    try:
                        accepted = connection.send_messages([message])
                    except Exception as exc:  # noqa: BLE001 - one refused message must not stop the batch
                        _record_failure(mail, _describe(exc), now, summary)
                    else:
                        if accepted:
                            _record_sent(mail, now, summary)
                        else:
                            _record_failure(mail, "邮件服务器未接受该邮件", now, summary)
            finally:
                try:
                    connection.close()
                except Exception:  # noqa: BLE001 - the messages are delivered; a failed QUIT changes nothing
                    log.warning("关闭邮件服务器连接时出错", exc_info=True)
    summary.still_queued = due.count()
    return summary
