"""Backup and restore: a round trip onto an empty database, and archives that must be refused untouched.

The restore target is what an operator starts from: a new SQLite file on which only
``migrate`` ran, with its own empty media directory. ``manage.py restore`` runs there in a
subprocess, so it meets exactly the rows that ``migrate`` creates.
"""
import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from portal.backup import BackupError, create_backup, database_content_hashes, restore_backup
from portal.models import Department, PenaltyDecisionPage, RegulationPage, Scope
from tests.archive.conftest import NEW_TEXT, OLD_TEXT, publish_new_version

ROOT = Path(__file__).resolve().parents[2]


def _env(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.test", DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
               MEDIA_ROOT=str(workdir / "media"), SEARCH_SQLITE_PATH=str(workdir / "search.sqlite3"))
    env.pop("ELASTICSEARCH_URL", None)
    return env


def _manage(workdir: Path, *args, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_env(workdir), capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="session")
def migrated_template(migrated_database, tmp_path_factory) -> Path:
    """Return a SQLite database on which only ``migrate`` ran (made once per session).

    That is the test database as migrated at the start of the session, or the one ``make test``
    migrated in its first session (tests/conftest.py); on PostgreSQL without either, ``migrate``
    runs here on a new file.
    """
    if migrated_database is not None:
        return migrated_database
    workdir = tmp_path_factory.mktemp("migrated")
    result = _manage(workdir, "migrate", "--noinput", "-v0")
    assert result.returncode == 0, result.stderr
    return workdir / "db.sqlite3"


@pytest.fixture
def empty_instance(tmp_path, migrated_template) -> Path:
    """Return the directory of a fresh instance: a just-migrated database and an empty media directory."""
    workdir = tmp_path / "instance"
    (workdir / "media").mkdir(parents=True)
    shutil.copyfile(migrated_template, workdir / "db.sqlite3")
    return workdir


def _state(workdir: Path) -> tuple[str, list[str]]:
    """Return (sha256 of the database file, files under media) of an instance."""
    digest = hashlib.sha256((workdir / "db.sqlite3").read_bytes()).hexdigest()
    return digest, sorted(str(p.relative_to(workdir)) for p in (workdir / "media").rglob("*"))


def _png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (8, 6), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def content(settings, tmp_path, make_regulation, staff, departments, site_tree):
    """Build a small portal: regulations with several revisions, departments, users, a document and an image."""
    settings.MEDIA_ROOT = str(tmp_path / "source-media")
    from django.contrib.auth.models import Group

    page = make_regulation(title="测试复议条例", slug="fuyi", text=OLD_TEXT, publish_date=datetime.date(2017, 9, 1))
    page, _ = publish_new_version(page, NEW_TEXT, revision_basis="2023年9月1日第一次修订")
    draft = RegulationPage.objects.get(pk=page.pk)
    draft.summary = "待审议的修改稿"
    draft.save_revision(user=staff[0])
    make_regulation(title="内部管理办法", slug="internal", scope=Scope.INTERNAL, keywords="内部 管理")
    _, section = site_tree
    penalty = PenaltyDecisionPage(title="行政处罚决定书", department=departments[0], scope=Scope.PUBLIC,
                                  formed_date=datetime.date(2026, 3, 2), party_name="张三", fine_amount="1234.50")
    section.add_child(instance=penalty)
    penalty.save_revision().publish()

    dept = Department.objects.get(code="ZJB")
    dept.leader = staff[1]
    dept.save()
    dept.liaisons.add(staff[0])
    staff[0].groups.add(Group.objects.get(name="编辑"))
    get_document_model().objects.create(title="附件一：执法文书格式", file=ContentFile("文书格式样本".encode(), name="格式.txt"))
    get_image_model().objects.create(title="现场照片", file=ImageFile(io.BytesIO(_png()), name="photo.png"))
    return page


def test_round_trip_onto_an_empty_database_keeps_every_content_hash(content, tmp_path, empty_instance):
    before = database_content_hashes()
    archive = tmp_path / "backup.tar.gz"

    summary = create_backup(archive)
    assert summary.media_files == 2 and "备份完成" in summary.line()
    assert len(before["pages"]) >= 6 and len(before["revisions"]) >= 6
    assert len(before["snippets"]) == 2 and len(before["documents"]) == 1 and len(before["images"]) == 1

    result = _manage(empty_instance, "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "恢复完成" in result.stdout and "内容校验一致" in result.stdout
    assert "载入数据" in result.stderr  # the progress bar

    probe = _manage(empty_instance, "shell", "-c", (
        "import json\n"
        "from portal.backup import database_content_hashes\n"
        "from portal.models import User, RegulationPage\n"
        "from wagtail.models import Revision\n"
        "page = RegulationPage.objects.get(slug='fuyi')\n"
        "print(json.dumps({'hashes': database_content_hashes(),\n"
        "  'password': User.objects.get(username='staff_a').check_password('pw-staff-a'),\n"
        "  'groups': list(User.objects.get(username='staff_a').groups.values_list('name', flat=True)),\n"
        "  'draft': page.get_latest_revision().as_object().summary,\n"
        "  'live': page.live, 'revisions': Revision.objects.for_instance(page).count()}))\n"))
    assert probe.returncode == 0, probe.stderr
    restored = json.loads(probe.stdout.strip().splitlines()[-1])
    assert restored["hashes"] == before
    assert restored["password"] is True and restored["groups"] == ["编辑"]
    assert restored["draft"] == "待审议的修改稿" and restored["live"] is True and restored["revisions"] == 3
    document = get_document_model().objects.get()
    assert (empty_instance / "media" / document.file.name).read_bytes() == "文书格式样本".encode()

    again = _manage(empty_instance, "restore", str(archive))
    assert again.returncode != 0 and "不是空库" in again.stderr and "migrate" in again.stderr


def _rewrite(archive: Path, target: Path, change) -> Path:
    """Copy an archive member by member, letting ``change(name, data)`` alter (or drop, with None) each one."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def _tamper_data(name, data):
    assert name != "data.json" or "测试复议条例".encode() in data
    return data.replace("测试复议条例".encode(), "测试复议条列".encode()) if name == "data.json" else data


@pytest.fixture
def backup_file(content, tmp_path) -> Path:
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive)
    return archive


def _consistent_forgery(archive: Path, target: Path) -> Path:
    with tarfile.open(archive) as source:
        data = _tamper_data("data.json", source.extractfile("data.json").read())
        manifest = json.loads(source.extractfile("manifest.json").read())
    manifest["members"]["data.json"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    forged = json.dumps(manifest, ensure_ascii=False).encode()
    return _rewrite(archive, target, lambda name, raw: data if name == "data.json"
                    else forged if name == "manifest.json" else raw)


BROKEN = {
    "truncated": (lambda a, t: t.write_bytes(a.read_bytes()[: a.stat().st_size * 2 // 3]) and t, "损坏或不完整"),
    "tampered-member": (lambda a, t: _rewrite(a, t, _tamper_data), "校验值与清单不符"),
    "forged-manifest": (_consistent_forgery, "内容校验值不符"),
    "missing-member": (lambda a, t: _rewrite(a, t, lambda n, d: None if n.startswith("media/") else d), "缺少"),
    "not-a-backup": (lambda a, t: t.write_bytes(b"PK\x03\x04 not a tar at all") and t, "损坏或不完整"),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_broken_archive_is_refused_before_anything_changes(kind, backup_file, tmp_path, empty_instance):
    make, words = BROKEN[kind]
    broken = make(backup_file, tmp_path / f"{kind}.tar.gz")
    before = _state(empty_instance)

    result = _manage(empty_instance, "restore", str(broken))

    assert result.returncode != 0
    assert words in result.stderr and "未做任何改动" in result.stderr
    assert _state(empty_instance) == before


def test_member_outside_the_archive_root_is_refused(backup_file, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(backup_file) as source, tarfile.open(evil, "w:gz") as out:
        for member in source.getmembers():
            out.addfile(member, source.extractfile(member))
        member = tarfile.TarInfo("media/../../escaped.txt")
        member.size = 3
        out.addfile(member, io.BytesIO(b"bad"))

    with pytest.raises(BackupError, match="不允许的成员"):
        restore_backup(evil, rebuild_search=False)
    assert not (tmp_path / "escaped.txt").exists()


def test_restore_onto_a_database_with_content_is_refused_in_process(backup_file):
    pages = RegulationPage.objects.count()
    with pytest.raises(BackupError, match="不是空库"):
        restore_backup(backup_file, rebuild_search=False)
    assert RegulationPage.objects.count() == pages


def test_manifest_lists_counts_and_hashes_of_every_member(backup_file):
    with tarfile.open(backup_file) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        for name, meta in manifest["members"].items():
            data = tar.extractfile(name).read()
            assert hashlib.sha256(data).hexdigest() == meta["sha256"] and len(data) == meta["size"]
    assert names[0] == "data.json" and names[-1] == "manifest.json"
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    assert manifest["format_version"] == 1 and manifest["created_at"]
    assert manifest["counts"]["portal.regulationpage"] == 2 and manifest["counts"]["portal.department"] == 2
    assert "contenttypes.contenttype" not in manifest["counts"] and "sessions.session" not in manifest["counts"]
    assert set(manifest["content_hashes"]) == {"pages", "revisions", "snippets", "documents", "images"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_outside_any_transaction_takes_a_snapshot_of_its_own(tmp_path, make_regulation):
    """The operator's path: no caller's transaction, so the backup opens its own (PostgreSQL: repeatable read)."""
    make_regulation(title="快照测试条例", slug="kuaizhao")

    summary = create_backup(tmp_path / "backup.tar.gz")

    assert "备份完成" in summary.line()
    with tarfile.open(tmp_path / "backup.tar.gz") as archive:
        assert "快照测试条例" in json.dumps(json.loads(archive.extractfile("data.json").read()), ensure_ascii=False)
