"""Running the job table: one run recorded (``run_job``), a round of the due jobs (``run_due``), and forever (``serve``).

A job is due when its schedule had a time after its last recorded run, or when it never ran. ``serve``
keeps the table with APScheduler's BlockingScheduler: one worker thread, so jobs run one after another
(SQLite has one writer), a late job runs once however many times it was missed (coalesce), and on
start the jobs that came due while no scheduler ran are run at once.
"""
from __future__ import annotations

import datetime
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from jobs import table
from jobs.models import JobRun
from jobs.table import Job, JobFailed

log = logging.getLogger(__name__)

_MESSAGE_CHARS = 4000
_JUST_AFTER = datetime.timedelta(microseconds=1)
HEALTHY_WITHIN = datetime.timedelta(minutes=5)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _last_started(job: Job) -> datetime.datetime | None:
    return JobRun.objects.filter(job=job.name).order_by("-started_at").values_list("started_at", flat=True).first()


def next_time(job: Job, after: datetime.datetime) -> datetime.datetime | None:
    """Return the first time of the job's schedule after ``after``."""
    return job.schedule.trigger(local_zone()).get_next_fire_time(None, after + _JUST_AFTER)


def is_due(job: Job, now: datetime.datetime | None = None) -> bool:
    """True when the job never ran, or its schedule had a time since its last run began."""
    now = now or timezone.now()
    last = _last_started(job)
    if last is None:
        return True
    upcoming = next_time(job, last)
    return upcoming is not None and upcoming <= now


def health(now: datetime.datetime | None = None) -> tuple[bool, str]:
    """Return (healthy, message): healthy when some job started within ``HEALTHY_WITHIN`` (the mail job runs each minute)."""
    now = now or timezone.now()
    last = JobRun.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    if last is None:
        return False, "调度器尚未运行过任何任务。"
    when = f"{timezone.localtime(last):%Y-%m-%d %H:%M:%S}"
    if now - last > HEALTHY_WITHIN:
        return False, f"调度器可能已停止：最近一次任务运行于 {when}。"
    return True, f"调度器正常：最近一次任务运行于 {when}。"


def run_job(job: Job) -> JobRun:
    """Run one job, record the run (started, finished, ok, message) and return the record; never raises."""
    run = JobRun.objects.create(job=job.name, label=job.label, started_at=timezone.now())
    try:
        if job.atomic:
            with transaction.atomic():
                message = job.func()
        else:
            message = job.func()
        ok = True
    except JobFailed as exc:
        ok, message = False, str(exc)
    except Exception as exc:  # noqa: BLE001 - a crashing job is recorded and the others still run
        log.exception("定时任务“%s”出错", job.label)
        ok, message = False, f"出错：{type(exc).__name__}：{exc}"
    run.finished_at = timezone.now()
    run.ok = ok
    run.message = (message or "完成。")[:_MESSAGE_CHARS]
    run.save(update_fields=["finished_at", "ok", "message"])
    return run


def describe(run: JobRun) -> str:
    """One line for the terminal: 任务：成功，……"""
    return f"{run.label}：{'成功' if run.ok else '失败'}，{run.message}"


@dataclass
class RoundResult:
    lines: list[str]
    failed: list[str]


def run_due(names: list[str] | None = None, everything: bool = False,
            now: datetime.datetime | None = None) -> RoundResult:
    """Run once, in table order, every due job (every job with ``everything``; only ``names`` when given)."""
    now = now or timezone.now()
    lines, failed = [], []
    for job in table.JOBS:
        if names is not None and job.name not in names:
            continue
        if not (everything or names is not None or is_due(job, now)):
            upcoming = next_time(job, _last_started(job))
            when = timezone.localtime(upcoming).strftime("%Y-%m-%d %H:%M") if upcoming else "—"
            lines.append(f"{job.label}：未到时间（{job.schedule.text}，下次 {when}）")
            continue
        run = run_job(job)
        lines.append(describe(run))
        if not run.ok:
            failed.append(job.label)
    return RoundResult(lines, failed)


def _run_in_worker(job: Job, write: Callable[[str], None]) -> None:
    """Run a job in the scheduler's worker thread, on fresh database connections closed afterwards."""
    close_old_connections()
    try:
        write(f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {describe(run_job(job))}")
    except Exception:  # noqa: BLE001 - the run log itself unreachable (database down): try again next time
        log.exception("无法运行或记录定时任务“%s”", job.label)
    finally:
        connections.close_all()


def build_scheduler(write: Callable[[str], None]) -> BlockingScheduler:
    """Return a scheduler holding the job table; the jobs due now (missed while none ran) start at once."""
    zone = local_zone()
    scheduler = BlockingScheduler(
        timezone=zone, executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600})
    now = timezone.now()
    for job in table.JOBS:
        extra = {"next_run_time": now} if is_due(job, now) else {}
        scheduler.add_job(_run_in_worker, job.schedule.trigger(zone), args=[job, write], id=job.name,
                          name=job.label, **extra)
    connections.close_all()
    return scheduler


def serve(write: Callable[[str], None]) -> None:
    """Run the job table until SIGTERM or SIGINT; a running job is let finish."""
    scheduler = build_scheduler(write)

    def stop(signum, frame):
        write("调度器正在停止（等待正在运行的任务结束）……")
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for job in table.JOBS:
        write(f"{job.label}：{job.schedule.text}")
    write(f"调度器已启动，共 {len(table.JOBS)} 个任务。")
    scheduler.start()
    write("调度器已停止。")
