"""``manage.py scheduler --once`` does the scheduled work: go-live and expiry times, 到期废止, reminders, index retries.

Each test leaves the clock alone and puts the scheduled moment in the past instead, as time passing would;
then one round of the scheduler runs and the result is looked for where a user would find it (the page
live or not, the search results, the archive, the outbox) and in the run log.
"""
import dataclasses
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.models import Page, Revision

from jobs import runner, table
from jobs.models import JobRun, OutgoingMail
from portal.models import CategoryIndexPage, Notification, OtherSharedInfoPage, RegulationPage, Scope, User, Validity
from search import service
from search.models import PendingIndexUpdate
from sharing import deadlines

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()
TEXT = "第一条 为了规范户外广告设置，制定本办法。\n\n第二条 本办法自发布之日起施行。"


def found(text: str, **filters) -> list[str]:
    """Return the urls of the pages the public finds for ``text``."""
    return [r.url for r in service.search(ANONYMOUS, text, per_page=100, **filters).results if r.kind == "page"]


def once(*args) -> list[str]:
    """Run one round of the scheduler; return its lines (CommandError, if a job failed, propagates)."""
    out = io.StringIO()
    call_command("scheduler", "--once", *args, stdout=out)
    return out.getvalue().splitlines()


def line_of(lines: list[str], label: str) -> str:
    return next(line for line in lines if line.startswith(f"{label}："))


def test_a_go_live_time_that_has_passed_is_published_and_indexed_by_the_scheduler(site_tree, departments):
    _, laws = site_tree
    page = RegulationPage(title="户外广告设置管理办法", slug="ads", department=departments[0], scope=Scope.PUBLIC,
                          formed_date=datetime.date(2026, 3, 2), live=False)
    page.set_text(f"# 户外广告设置管理办法\n\n{TEXT}")
    laws.add_child(instance=page)
    # The editor publishes with a go-live time an hour ahead: Wagtail only schedules it.
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    assert not RegulationPage.objects.get(pk=page.pk).live
    assert found("户外广告") == []
    # The hour passes.
    past = timezone.now() - datetime.timedelta(minutes=1)
    content = {**Revision.objects.get(pk=revision.pk).content, "go_live_at": past.isoformat()}
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=past, content=content)
    Page.objects.filter(pk=page.pk).update(go_live_at=past)

    lines = once()

    page = RegulationPage.objects.get(pk=page.pk)
    assert page.live
    assert found("户外广告") == [page.url]
    assert line_of(lines, "定时发布与到期下线") == "定时发布与到期下线：成功，定时发布 1 项，到期下线 0 项。"
    run = JobRun.objects.get(job="publish_scheduled")
    assert run.ok and run.finished_at >= run.started_at and "定时发布 1 项" in run.message


def test_an_expiry_time_that_has_passed_takes_the_page_offline_and_out_of_search(make_regulation):
    page = make_regulation(title="户外广告设置管理办法", slug="ads", text=TEXT)
    assert found("户外广告") == [page.url]
    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))

    lines = once()

    page = RegulationPage.objects.get(pk=page.pk)
    assert not page.live and page.expired
    assert found("户外广告") == []
    assert "到期下线 1 项" in line_of(lines, "定时发布与到期下线")


def test_a_document_whose_abolition_date_came_is_moved_into_the_archive_by_the_scheduler(client, make_regulation):
    today = timezone.localdate()
    page = make_regulation(title="户外广告设置管理办法", slug="ads", text=TEXT,
                           abolished_date=today + datetime.timedelta(days=30))
    # Time passes: the 废止日期 arrives without anyone editing the page.
    RegulationPage.objects.filter(pk=page.pk).update(abolished_date=today - datetime.timedelta(days=1))
    assert RegulationPage.objects.get(pk=page.pk).validity == Validity.IN_FORCE

    lines = once()

    assert RegulationPage.objects.get(pk=page.pk).validity == Validity.ABOLISHED
    assert line_of(lines, "到期文件自动废止（归档）") == \
        "到期文件自动废止（归档）：成功，有效性更新 1 件，其中转为已废止、移入归档 1 件。"
    assert "户外广告设置管理办法" in client.get("/archive/").content.decode()
    assert found("户外广告") == []
    assert found("户外广告", include_abolished=True) == [page.url]


@pytest.fixture
def reminder_world(site_tree, departments, monkeypatch):
    """An unshared item of department A due tomorrow (2026-11-26), A's liaison with an address; today 2026-11-25."""
    home, _ = site_tree
    section = CategoryIndexPage(title="其他共享信息", slug="other", section="other")
    home.add_child(instance=section)
    section.save_revision().publish()
    a, _ = departments
    liaison = User.objects.create_user("liaison_a", password="pw-liaison-2026", department=a, email="a@example.gov.cn")
    a.liaisons.add(liaison)
    item = OtherSharedInfoPage(title="即将到期的检查简报", department=a, scope=Scope.SHARED, live=False,
                               formed_date=datetime.date(2026, 11, 19), body="<p>正文</p>")
    section.add_child(instance=item)
    item.save_revision()
    monkeypatch.setattr(deadlines, "current_date", lambda: datetime.date(2026, 11, 25))
    return liaison


def test_the_scheduler_sends_the_sharing_reminder_e_mail(reminder_world):
    lines = once()

    assert [m.to for m in mail.outbox] == [["a@example.gov.cn"]]
    reminder = mail.outbox[0]
    assert "共享时限提醒" in reminder.subject and "即将到期的检查简报" in reminder.body and "2026-11-26" in reminder.body
    assert "排队发送 1 封提醒邮件" in line_of(lines, "共享时限提醒")
    assert line_of(lines, "邮件发送").startswith("邮件发送：成功，已发送 1 封")
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT
    # Due again only at its next time: a second round sends nothing.
    lines = once()
    assert line_of(lines, "共享时限提醒").startswith("共享时限提醒：未到时间（周一至周五 08:30，下次 ")
    assert len(mail.outbox) == 1


def _crash():
    raise RuntimeError("测试用的故障")


def _with_job(monkeypatch, name, func):
    """Replace one job's function in the table (the table itself stays as it is for the other jobs)."""
    jobs = [dataclasses.replace(job, func=func) if job.name == name else job for job in table.JOBS]
    monkeypatch.setattr(table, "JOBS", jobs)


def test_a_crashing_job_is_reported_and_the_other_jobs_still_run(reminder_world, monkeypatch):
    _with_job(monkeypatch, "expire_documents", _crash)
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 个任务失败：到期文件自动废止（归档）"):
        call_command("scheduler", "--once", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == len(table.JOBS)
    assert line_of(lines, "到期文件自动废止（归档）") == "到期文件自动废止（归档）：失败，出错：RuntimeError：测试用的故障"
    assert all("：成功，" in line for line in lines if not line.startswith("到期文件自动废止"))
    assert [m.to for m in mail.outbox] == [["a@example.gov.cn"]]  # the jobs after it ran
    crashed = JobRun.objects.get(job="expire_documents")
    assert not crashed.ok and crashed.finished_at is not None and "测试用的故障" in crashed.message
    assert JobRun.objects.filter(ok=True).count() == len(table.JOBS) - 1


def test_a_job_that_crashes_half_way_stores_none_of_its_work(reminder_world, monkeypatch):
    def remind_then_crash():
        table.remind_deadlines()  # queues the e-mail and writes the dashboard notification …
        raise RuntimeError("提醒中途出错")  # … then fails

    _with_job(monkeypatch, "remind_deadlines", remind_then_crash)
    with pytest.raises(CommandError):
        once()
    assert not Notification.objects.exists()
    assert not OutgoingMail.objects.exists() and mail.outbox == []
    assert not JobRun.objects.get(job="remind_deadlines").ok


def test_a_queued_index_update_is_applied_by_the_scheduler(make_regulation):
    page = make_regulation(title="户外广告设置管理办法", slug="ads", text=TEXT)
    # As if the engine had been unreachable when the page was published.
    service.get_backend().delete_page(page.pk)
    PendingIndexUpdate.objects.create(page_id=page.pk, last_error="连接被拒绝")
    assert found("户外广告") == []

    lines = once()

    assert found("户外广告") == [page.url]
    assert not PendingIndexUpdate.objects.exists()
    assert line_of(lines, "检索索引重试") == "检索索引重试：成功，已完成 1 项排队的索引更新。"


def test_a_job_is_due_again_only_when_its_schedule_comes_round(db):
    job = table.job_named("remind_deadlines")
    assert runner.is_due(job)
    run = runner.run_job(job)
    started = run.started_at
    upcoming = runner.next_time(job, started)
    local = timezone.localtime(upcoming)
    assert (local.hour, local.minute) == (8, 30) and local.weekday() < 5 and upcoming > started
    assert not runner.is_due(job, upcoming - datetime.timedelta(seconds=1))
    assert runner.is_due(job, upcoming)


def test_one_job_can_be_run_by_name_and_an_unknown_name_is_refused(db):
    lines = once("--job", "prune_records")
    assert lines == ["清理旧记录：成功，清理运行记录 0 条、已发送邮件 0 封、发送失败邮件 0 封。"]
    with pytest.raises(CommandError, match="没有任务“publish”。可用的任务代号：publish_scheduled、"):
        call_command("scheduler", "--job", "publish", stdout=io.StringIO())
    assert list(JobRun.objects.values_list("job", flat=True)) == ["prune_records"]


def test_old_run_records_and_delivered_mail_are_pruned(db):
    long_ago = timezone.now() - datetime.timedelta(days=31)
    JobRun.objects.create(job="deliver_mail", label="邮件发送", started_at=long_ago, finished_at=long_ago, ok=True)
    recent = JobRun.objects.create(job="deliver_mail", label="邮件发送", started_at=timezone.now(), ok=True)
    OutgoingMail.objects.create(subject="旧邮件", body="正文", from_email="p@example.gov.cn", to=["a@example.gov.cn"],
                                status=OutgoingMail.Status.SENT, sent_at=long_ago)
    failed = OutgoingMail.objects.create(subject="失败的邮件", body="正文", from_email="p@example.gov.cn",
                                         to=["a@example.gov.cn"], status=OutgoingMail.Status.FAILED)
    lines = once("--job", "prune_records")
    assert lines == ["清理旧记录：成功，清理运行记录 1 条、已发送邮件 1 封、发送失败邮件 0 封。"]
    assert set(JobRun.objects.filter(job="deliver_mail").values_list("pk", flat=True)) == {recent.pk}
    assert list(OutgoingMail.objects.values_list("pk", flat=True)) == [failed.pk]


def test_the_health_check_says_whether_a_job_ran_lately(db):
    with pytest.raises(CommandError, match="调度器尚未运行过任何任务"):
        call_command("scheduler", "--check", stdout=io.StringIO())
    runner.run_job(table.job_named("prune_records"))
    out = io.StringIO()
    call_command("scheduler", "--check", stdout=out)
    assert out.getvalue().startswith("调度器正常：最近一次任务运行于 ")
    JobRun.objects.update(started_at=timezone.now() - datetime.timedelta(minutes=6))
    with pytest.raises(CommandError, match="调度器可能已停止"):
        call_command("scheduler", "--check", stdout=io.StringIO())
