"""``manage.py scheduler`` as a process: forever until SIGTERM, and ``--once``'s exit code when a job fails.

Each test runs the command in a subprocess on a fresh instance (a copy of a just-migrated SQLite database),
so it meets a database where no job ever ran: every job is due.
"""
import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import pytest

from jobs import table

ROOT = Path(__file__).resolve().parents[2]
LABELS = [job.label for job in table.JOBS]


def _env(workdir: Path, **extra) -> dict:
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.test", DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
               MEDIA_ROOT=str(workdir / "media"), SEARCH_SQLITE_PATH=str(workdir / "search.sqlite3"),
               PYTHONUNBUFFERED="1", **extra)
    if "ELASTICSEARCH_URL" not in extra:
        env.pop("ELASTICSEARCH_URL", None)
    return env


@pytest.fixture(scope="module")
def migrated_template(migrated_database, tmp_path_factory) -> Path:
    """Return a SQLite database on which only ``migrate`` ran (the session's, or migrated here on PostgreSQL)."""
    if migrated_database is not None:
        return migrated_database
    workdir = tmp_path_factory.mktemp("migrated")
    result = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                            env=_env(workdir), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return workdir / "db.sqlite3"


@pytest.fixture
def instance(tmp_path, migrated_template) -> Path:
    (tmp_path / "media").mkdir()
    shutil.copyfile(migrated_template, tmp_path / "db.sqlite3")
    return tmp_path


def _rows(workdir: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(workdir / "db.sqlite3")) as db:
        return db.execute(sql).fetchall()


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def test_the_scheduler_runs_the_due_jobs_at_start_and_stops_cleanly_on_sigterm(instance):
    process = subprocess.Popen([sys.executable, "manage.py", "scheduler"], cwd=ROOT, env=_env(instance),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()
    seen, deadline = [], time.monotonic() + 180
    try:
        # Every job is due (none ever ran): each runs once at start, one after another.
        while time.monotonic() < deadline and not all(any(f" {label}：" in s for s in seen) for label in LABELS):
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            assert line is not None, "\n".join(seen)
            seen.append(line)
        assert all(any(f" {label}：成功，" in s for s in seen) for label in LABELS), "\n".join(seen)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    while (line := lines.get(timeout=10)) is not None:
        seen.append(line)
    assert seen[-1] == "调度器已停止。", "\n".join(seen)
    assert f"调度器已启动，共 {len(table.JOBS)} 个任务。" in seen
    runs = _rows(instance, "select job, ok from jobs_jobrun")
    assert sorted(runs) == sorted((job.name, 1) for job in table.JOBS)


def test_once_exits_non_zero_when_a_job_fails_and_runs_the_others_all_the_same(instance):
    # An index update is waiting, and the search engine cannot be reached (nothing listens on port 9).
    with closing(sqlite3.connect(instance / "db.sqlite3")) as db:
        db.execute("insert into search_pendingindexupdate (page_id, queued_at, attempts, last_error) "
                   "values (12345, '2026-11-25 08:00:00', 1, '连接被拒绝')")
        db.commit()
    env = _env(instance, ELASTICSEARCH_URL="http://127.0.0.1:9", SEARCH_ES_TIMEOUT="0.5")

    result = subprocess.run([sys.executable, "manage.py", "scheduler", "--once"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)

    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split("：")[0] for line in lines] == LABELS
    retry = next(line for line in lines if line.startswith("检索索引重试："))
    assert retry == "检索索引重试：失败，检索引擎仍不可用，1 项索引更新继续排队。"
    assert all("：成功，" in line for line in lines if line is not retry)
    assert "1 个任务失败：检索索引重试。" in result.stderr
    assert _rows(instance, "select attempts from search_pendingindexupdate") == [(2,)]
