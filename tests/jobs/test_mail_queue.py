"""The outgoing mail queue: queued in the request's transaction, sent in batches over one connection, retried.

The e-mail backends below stand in for an SMTP server that refuses, or is unreachable: Django's
in-memory backend (the outbox) with a failure put in front of it.
"""
import datetime
import io

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from jobs.mail import MAX_ATTEMPTS, RETRY_DELAYS, deliver_due, queue_mail
from jobs.models import JobRun, OutgoingMail
from portal import roles
from portal.models import User

pytestmark = pytest.mark.django_db
HERE = "tests.jobs.test_mail_queue"


class CountingBackend(LocmemBackend):
    """The outbox, counting how many connections were opened."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return super().open()


class FlakyBackend(LocmemBackend):
    """Refuses the next ``failures`` messages (as a server answering 451), then delivers."""

    failures = 0

    def send_messages(self, messages):
        if type(self).failures:
            type(self).failures -= 1
            raise OSError("451 临时错误，请稍后再试")
        return super().send_messages(messages)


class UnreachableBackend(LocmemBackend):
    def open(self):
        raise ConnectionRefusedError("连接被拒绝")


def queued(n: int, subject="抄告") -> list[OutgoingMail]:
    return [queue_mail(f"{subject}{i}", "正文", [f"user{i}@example.gov.cn"], kind="抄告") for i in range(n)]


def test_queueing_sends_nothing_and_skips_recipients_without_an_address():
    assert queue_mail("无人可发", "正文", ["", ""]) is None
    item = queue_mail("【抄告】测试", "正文", ["a@example.gov.cn", ""], kind="抄告")
    assert item.to == ["a@example.gov.cn"] and item.status == OutgoingMail.Status.QUEUED
    assert item.from_email and item.next_attempt_at <= timezone.now()
    assert mail.outbox == []


def test_a_rolled_back_transaction_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail("【抄告】撤回的发布", "正文", ["a@example.gov.cn"])
        raise RuntimeError("发布失败")
    assert not OutgoingMail.objects.exists()
    deliver_due()
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND=f"{HERE}.CountingBackend")
def test_a_batch_goes_over_one_connection():
    CountingBackend.opened = 0
    queued(3)
    summary = deliver_due()
    assert summary.sent == 3 and CountingBackend.opened == 1
    assert sorted(m.subject for m in mail.outbox) == ["抄告0", "抄告1", "抄告2"]
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(OutgoingMail.Status.SENT, 1)}


@override_settings(EMAIL_BACKEND=f"{HERE}.CountingBackend")
def test_a_long_queue_is_sent_in_batches():
    CountingBackend.opened = 0
    queued(3)
    first = deliver_due(batch_size=2)
    assert (first.sent, first.still_queued) == (2, 1)
    assert "队列中还有 1 封待发送" in first.line()
    assert deliver_due(batch_size=2).sent == 1
    assert CountingBackend.opened == 2 and len(mail.outbox) == 3


@override_settings(EMAIL_BACKEND=f"{HERE}.FlakyBackend")
def test_a_failed_delivery_is_retried_after_its_delay_and_then_sent():
    FlakyBackend.failures = 1
    item = queue_mail("【时限提醒】执法局", "正文", ["a@example.gov.cn"])
    now = timezone.now()

    first = deliver_due(now)
    item.refresh_from_db()
    assert (first.sent, first.retrying) == (0, 1)
    assert item.status == OutgoingMail.Status.QUEUED and item.attempts == 1
    assert item.next_attempt_at == now + RETRY_DELAYS[0] and "451" in item.last_error
    assert mail.outbox == []

    assert deliver_due(now + RETRY_DELAYS[0] - datetime.timedelta(seconds=1)).sent == 0  # not yet
    second = deliver_due(now + RETRY_DELAYS[0])
    item.refresh_from_db()
    assert second.sent == 1 and item.status == OutgoingMail.Status.SENT and item.attempts == 2
    assert item.last_error == "" and [m.to for m in mail.outbox] == [["a@example.gov.cn"]]


@override_settings(EMAIL_BACKEND=f"{HERE}.FlakyBackend")
def test_one_refused_message_does_not_hold_up_the_rest_of_the_batch():
    FlakyBackend.failures = 1
    queued(3)
    summary = deliver_due()
    assert (summary.sent, summary.retrying) == (2, 1)
    assert sorted(m.subject for m in mail.outbox) == ["抄告1", "抄告2"]


@override_settings(EMAIL_BACKEND=f"{HERE}.UnreachableBackend")
def test_an_unreachable_server_counts_an_attempt_for_every_message_of_the_batch():
    queued(2)
    summary = deliver_due()
    assert summary.retrying == 2
    assert {(m.attempts, m.last_error) for m in OutgoingMail.objects.all()} == \
        {(1, "无法连接邮件服务器：ConnectionRefusedError：连接被拒绝")}


@override_settings(EMAIL_BACKEND=f"{HERE}.UnreachableBackend")
def test_after_the_last_attempt_the_mail_is_marked_failed_and_the_mail_job_fails():
    item = queue_mail("【抄告】发不出去的邮件", "正文", ["a@example.gov.cn"])
    OutgoingMail.objects.filter(pk=item.pk).update(attempts=MAX_ATTEMPTS - 1)
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 个任务失败：邮件发送"):
        call_command("scheduler", "--job", "deliver_mail", stdout=out)

    item.refresh_from_db()
    assert item.status == OutgoingMail.Status.FAILED and item.attempts == MAX_ATTEMPTS and item.next_attempt_at is None
    assert out.getvalue().startswith(f"邮件发送：失败，已发送 0 封，1 封尝试 {MAX_ATTEMPTS} 次仍失败、不再重试")
    assert not JobRun.objects.get(job="deliver_mail").ok
    assert deliver_due().given_up == []  # never tried again


def _failed_mail_world():
    item = queue_mail("【抄告】发不出去的邮件", "正文", ["a@example.gov.cn"])
    OutgoingMail.objects.filter(pk=item.pk).update(status=OutgoingMail.Status.FAILED, attempts=MAX_ATTEMPTS,
                                                   last_error="SMTPRecipientsRefused：a@example.gov.cn")
    now = timezone.now()
    JobRun.objects.create(job="deliver_mail", label="邮件发送", started_at=now, finished_at=now, ok=False,
                          message="已发送 0 封，1 封尝试 5 次仍失败、不再重试")
    superuser = User.objects.create_superuser("root", password="pw-root-2026")
    manager = User.objects.create_user("manager", password="pw-manager-2026")
    manager.groups.add(roles.ensure_roles()[roles.MANAGERS])
    editor = User.objects.create_user("editor", password="pw-editor-2026")
    editor.groups.add(roles.ensure_roles()[roles.EDITORS])
    return superuser, manager, editor


def test_a_failed_delivery_is_listed_for_superusers_and_the_run_log_for_managers(client):
    superuser, manager, editor = _failed_mail_world()

    client.force_login(superuser)
    listing = client.get("/admin/outgoingmail/?status=failed").content.decode()
    assert "【抄告】发不出去的邮件" in listing and "发送失败" in listing and "a@example.gov.cn" in listing
    home = client.get("/admin/").content.decode()
    assert "定时任务需要处理" in home and "1 封邮件多次尝试仍发送失败" in home

    client.force_login(manager)
    runs = client.get("/admin/jobruns/")
    assert runs.status_code == 200 and "邮件发送" in runs.content.decode() and "失败" in runs.content.decode()
    assert client.get("/admin/outgoingmail/").status_code in (302, 403)
    assert "请系统管理员检查邮件服务器设置" in client.get("/admin/").content.decode()

    client.force_login(editor)
    assert client.get("/admin/jobruns/").status_code in (302, 403)
    assert "定时任务需要处理" not in client.get("/admin/").content.decode()


def test_nobody_can_add_change_or_delete_a_run_record_or_a_queued_mail(client):
    superuser, _, _ = _failed_mail_world()
    client.force_login(superuser)
    run = JobRun.objects.get()
    item = OutgoingMail.objects.get()
    for url in ("/admin/jobruns/new/", f"/admin/jobruns/edit/{run.pk}/", f"/admin/jobruns/delete/{run.pk}/",
                "/admin/outgoingmail/new/", f"/admin/outgoingmail/edit/{item.pk}/",
                f"/admin/outgoingmail/delete/{item.pk}/"):
        assert client.get(url).status_code in (302, 403), url
    assert client.get(f"/admin/outgoingmail/inspect/{item.pk}/").status_code == 200
    assert JobRun.objects.count() == 1 and OutgoingMail.objects.count() == 1


@pytest.mark.parametrize("query", ["ok=²", "started_at_from=2026-13-45&started_at_to=x", "p=99999999999999999999",
                                   "job=%00&q=%FF", "ordering=-nonexistent", "export=xlsx", "export=csv"])
def test_the_run_log_listing_answers_bad_parameters_without_a_server_error(client, query):
    superuser, _, _ = _failed_mail_world()
    client.force_login(superuser)
    assert client.get(f"/admin/jobruns/?{query}").status_code < 500
    assert client.get(f"/admin/outgoingmail/?{query.replace('started_at', 'created_at')}").status_code < 500
