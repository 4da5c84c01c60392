"""Back up the portal into one .tar.gz and restore it onto an empty instance.

The backup tarball holds three kinds of member:

- ``data.json``: every row of every model (Wagtail pages and revisions, snippets,
  users and groups, documents and images, workflows, log entries, history …) as
  Django's python serializer writes them, datetimes to the microsecond. Only the two
  tables that ``migrate`` fills with instance-specific primary keys, content types and
  permissions, are left out and referred to by natural key; every other row keeps its
  primary key, so references inside StreamField JSON, revision content and log entries
  stay valid. Search index tables are left out: restore rebuilds them.
- ``media/…``: every file under MEDIA_ROOT.
- ``manifest.json`` (last): format version, created_at, the applied migrations, row
  counts per model, size and sha256 of every other member, and a content hash per page,
  revision, snippet, document and image (``content_hashes``).

Restore reads the whole backup tarball into a temporary directory and checks it against the
manifest (member list, sizes, sha256, counts, content hashes) before it touches the
database; a truncated or altered tarball is refused with nothing changed. It then
checks that the database is empty (only what ``migrate`` creates), loads everything in
one transaction, copies the media, compares the content hashes of the restored rows
with the manifest (rolling back on any difference), and finally rebuilds the search
indexes.
"""
from __future__ import annotations

import datetime
import decimal
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command, get_commands
from django.core.management.color import no_style
from django.core.serializers import python as python_serializer
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.functional import Promise
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry, Page, PageLogEntry, Revision
from wagtail.snippets.models import get_snippet_models

from lib.progress import ProgressBar

__all__ = ["BackupError", "FORMAT", "FORMAT_VERSION", "backup_models", "content_hashes", "create_backup",
           "database_content_hashes", "restore_backup", "verify_backup"]

FORMAT = "zhifa-portal-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA_PREFIX = "media/"

# Rebuilt by ``migrate`` (post_migrate) or by the search rebuild; never restored.
EXCLUDED_MODELS = frozenset({
    "contenttypes.contenttype", "auth.permission", "sessions.session",
    "wagtailsearch.indexentry", "wagtailsearch.sqliteftsindexentry", "wagtailadmin.editingsession",
})
# The only rows whose primary keys differ between two migrated instances: referred to by natural key.
NATURAL_KEY_MODELS = (ContentType, Permission)
EMPTY_DB_HINT = (
    "恢复只能在空实例上进行：请新建一个空数据库（SQLite：让 DATABASE_URL 指向一个新文件，或删除旧文件；"
    "PostgreSQL：dropdb 后 createdb），执行 python manage.py migrate，再运行 python manage.py restore。"
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese and says what to do."""


# ---------------------------------------------------------------- serialising rows
class _JSONEncoder(json.JSONEncoder):
    """Encodes what Django's python serializer leaves as objects, keeping microseconds."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.date, datetime.time)):
            return o.isoformat()
        if isinstance(o, (decimal.Decimal, uuid.UUID, Promise)):
            return str(o)
        if isinstance(o, datetime.timedelta):
            return o.total_seconds()
        return super().default(o)


class _Serializer(python_serializer.Serializer):
    """Django's python serializer with natural keys only for content types and permissions.

    ``references`` (optional) collects the natural keys written, so that restore can create
    a content type or permission the target instance lacks (one of a model since removed).
    """

    def __init__(self, references: dict | None = None):
        super().__init__()
        self.references = references

    def handle_fk_field(self, obj, field):
        related = field.remote_field.model
        if related is ContentType:
            value = getattr(obj, field.attname)
            key = ContentType.objects.get_for_id(value).natural_key() if value else None
            self._current[field.name] = key
            if key and self.references is not None:
                self.references["contenttypes"].add(key)
            return
        self.use_natural_foreign_keys = issubclass(related, NATURAL_KEY_MODELS)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        natural = issubclass(field.remote_field.model, Permission)
        self.use_natural_foreign_keys = natural
        super().handle_m2m_field(obj, field)
        if natural and self.references is not None:
            self.references["permissions"].update(tuple(key) for key in self._current.get(field.name, []))


def _json_safe(record: dict) -> dict:
    """Return the record as it reads back from data.json (dates as ISO strings, Decimals as text)."""
    return json.loads(json.dumps(record, cls=_JSONEncoder, ensure_ascii=False))


def backup_models(using: str = DEFAULT_DB_ALIAS) -> list:
    """Return the models whose rows go into a backup, in a stable order (label)."""
    tables = set(connections[using].introspection.table_names())
    models = [
        m for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in EXCLUDED_MODELS
        and m._meta.db_table in tables
    ]
    return sorted(models, key=lambda m: m._meta.label_lower)


def _iter_records(models, using: str, progress=None, references: dict | None = None):
    """Yield the JSON-safe record of every row of ``models``, in model then primary-key order."""
    for model in models:
        queryset = model._base_manager.using(using).order_by("pk")
        for obj in queryset.iterator(chunk_size=500):
            serializer = _Serializer(references)
            serializer.serialize([obj])
            yield _json_safe(serializer.getvalue()[0])
            if progress:
                progress.advance()


# ---------------------------------------------------------------- content hashes
def _canonical(record: dict) -> str:
    """Return the record as canonical JSON; StreamField text is parsed so key order cannot matter."""

    fields = dict(record["fields"])
    try:
        model = apps.get_model(record["model"])
    except LookupError:
        model = None
    if model is not None:
        for name, value in fields.items():
            try:
                model_field = model._meta.get_field(name)
            except Exception:
                continue
            if isinstance(model_field, StreamField) and isinstance(value, str):
                try:
                    fields[name] = json.loads(value)
                except ValueError:
                    pass
    return json.dumps({"model": record["model"], "pk": record.get("pk"), "fields": fields},
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=_JSONEncoder)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hash_kinds():
    """Return (page model labels, snippet model labels, document label, image label)."""

    pages = {m._meta.label_lower for m in apps.get_models() if issubclass(m, Page)}
    snippets = {m._meta.label_lower for m in get_snippet_models()}
    return pages, snippets, get_document_model()._meta.label_lower, get_image_model()._meta.label_lower


def content_hashes(records, file_hashes: dict[str, str]) -> dict[str, dict[str, str]]:
    """Return {"pages", "revisions", "snippets", "documents", "images"} -> {key: sha256} for the records.

    A page's hash covers the rows of every table of its type (Page, SharedInfoPage,
    RegulationPage …); a document's and an image's also the sha256 of its file
    (``file_hashes`` maps the file's storage name to it, "" when the file is missing).
    """
    page_labels, snippet_labels, document_label, image_label = _hash_kinds()
    page_parts: dict[str, dict[str, str]] = defaultdict(dict)
    out: dict[str, dict[str, str]] = {"pages": {}, "revisions": {}, "snippets": {}, "documents": {}, "images": {}}
    for record in records:
        label, pk = record["model"], str(record.get("pk"))
        if label in page_labels:
            page_parts[pk][label] = _canonical(record)
        elif label == "wagtailcore.revision":
            out["revisions"][pk] = _sha(_canonical(record))
        elif label in snippet_labels:
            out["snippets"][f"{label}:{pk}"] = _sha(_canonical(record))
        elif label in (document_label, image_label):
            file_sha = file_hashes.get(record["fields"].get("file") or "", "")
            kind = "documents" if label == document_label else "images"
            out[kind][pk] = _sha(_canonical(record) + file_sha)
    for pk, parts in page_parts.items():
        out["pages"][pk] = _sha(json.dumps(parts, sort_keys=True, ensure_ascii=False))
    return out


def _hashed_models() -> list:
    page_labels, snippet_labels, document_label, image_label = _hash_kinds()
    wanted = page_labels | snippet_labels | {document_label, image_label, "wagtailcore.revision"}
    return [m for m in backup_models() if m._meta.label_lower in wanted]


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def database_content_hashes(using: str = DEFAULT_DB_ALIAS) -> dict[str, dict[str, str]]:
    """Return the content hashes of the pages, revisions, snippets, documents and images now stored."""
    records = list(_iter_records(_hashed_models(), using))
    root = _media_root()
    files = {}
    for record in records:
        name = record["fields"].get("file") if isinstance(record["fields"].get("file"), str) else None
        if name and (root / name).is_file():
            files[name] = _file_sha256(root / name)
    return content_hashes(records, files)


# ---------------------------------------------------------------- backup
class _HashingReader:
    """A file wrapper that hashes what tarfile reads through it."""

    def __init__(self, f):
        self.f, self.sha = f, hashlib.sha256()

    def read(self, size=-1):
        data = self.f.read(size)
        self.sha.update(data)
        return data


def _applied_migrations(using: str) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connections[using]).applied_migrations())


def _media_files() -> list[tuple[Path, str]]:
    """Return (path, member name) for every regular file under MEDIA_ROOT, sorted, symlinks left out."""
    root = _media_root()
    if not root.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            found.append((path, MEDIA_PREFIX + path.relative_to(root).as_posix()))
    return found


def _tarinfo(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(timezone.now().timestamp()), 0o644
    return info


@dataclass
class BackupSummary:
    path: Path
    objects: int
    models: int
    media_files: int
    size: int
    counts: dict = field(default_factory=dict)

    def line(self) -> str:
        return (f"备份完成：{self.path}，{self.objects} 条记录（{self.models} 类），{self.media_files} 个媒体文件，"
                f"共 {self.size / 1024 / 1024:.1f} MB。")


def create_backup(destination, using: str = DEFAULT_DB_ALIAS, stream=None) -> BackupSummary:
    """Write the backup tarball to ``destination`` (.tar.gz) and return what it holds.

    The backup tarball is written beside the destination and renamed into place at the end, so
    a failed backup never leaves a half-written file under the requested name.
    """
    destination = Path(destination)
    if destination.is_dir():
        raise BackupError(f"“{destination}”是目录，请给出备份文件名，例如 backup-2026-03-01.tar.gz。")
    if not destination.parent.is_dir():
        raise BackupError(f"目录“{destination.parent}”不存在。")
    models = backup_models(using)
    page_labels, snippet_labels, document_label, image_label = _hash_kinds()
    hashed = page_labels | snippet_labels | {document_label, image_label, "wagtailcore.revision"}
    references: dict[str, set] = {"contenttypes": set(), "permissions": set()}
    counts: Counter = Counter()
    members: dict[str, dict] = {}
    records_for_hashes = []
    fd, partial = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".partial")
    os.close(fd)
    try:
        with tempfile.TemporaryDirectory(prefix="portal-backup-") as workdir:
            data_path = Path(workdir) / DATA
            # One transaction, so that the rows come from one consistent state of the database
            # (SQLite: BEGIN IMMEDIATE holds writers off; PostgreSQL: a repeatable-read snapshot).
            # Inside a caller's transaction (a test's) the snapshot is the caller's: PostgreSQL takes
            # SET TRANSACTION only before a transaction's first query.
            outermost = not connections[using].in_atomic_block
            with transaction.atomic(using=using), open(data_path, "w", encoding="utf-8") as out:
                if connections[using].vendor == "postgresql" and outermost:
                    with connections[using].cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                total = sum(m._base_manager.using(using).count() for m in models)
                bar = ProgressBar(total, "导出数据", stream=stream)
                out.write(f'{{"format": {json.dumps(FORMAT)}, "format_version": {FORMAT_VERSION}, "objects": [\n')
                for record in _iter_records(models, using, bar, references):
                    if record["model"] in hashed:
                        records_for_hashes.append(record)
                    out.write(",\n" if counts else "")
                    out.write(json.dumps(record, ensure_ascii=False, cls=_JSONEncoder))
                    counts[record["model"]] += 1
                bar.close()
                permissions = []
                for codename, app_label, model in sorted(references["permissions"]):
                    perm = Permission.objects.using(using).filter(
                        codename=codename, content_type__app_label=app_label, content_type__model=model).first()
                    permissions.append([codename, app_label, model, perm.name if perm else codename])
                    references["contenttypes"].add((app_label, model))
                refs = {"contenttypes": sorted(list(t) for t in references["contenttypes"]), "permissions": permissions}
                out.write("\n],\n" + '"references": ' + json.dumps(refs, ensure_ascii=False) + "}\n")
            media = _media_files()
            file_hashes: dict[str, str] = {}
            with tarfile.open(partial, "w:gz") as tar:
                with open(data_path, "rb") as f:
                    reader = _HashingReader(f)
                    size = data_path.stat().st_size
                    tar.addfile(_tarinfo(DATA, size), reader)
                    members[DATA] = {"sha256": reader.sha.hexdigest(), "size": size}
                bar = ProgressBar(len(media), "打包媒体文件", stream=stream)
                for path, name in media:
                    with open(path, "rb") as f:
                        size = os.fstat(f.fileno()).st_size
                        reader = _HashingReader(f)
                        tar.addfile(_tarinfo(name, size), reader)
                    members[name] = {"sha256": reader.sha.hexdigest(), "size": size}
                    file_hashes[name[len(MEDIA_PREFIX):]] = members[name]["sha256"]
                    bar.advance()
                bar.close()
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": timezone.now().isoformat(),
                    "database_vendor": connections[using].vendor,
                    "migrations": _applied_migrations(using),
                    "counts": dict(sorted(counts.items())),
                    "members": members,
                    "content_hashes": content_hashes(records_for_hashes, file_hashes),
                }
                raw = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
                tar.addfile(_tarinfo(MANIFEST, len(raw)), io.BytesIO(raw))
        os.chmod(partial, 0o600)  # users' password hashes are inside
        os.replace(partial, destination)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return BackupSummary(destination, sum(counts.values()), len(counts), len(media), destination.stat().st_size,
                         dict(counts))


# ---------------------------------------------------------------- verification
@dataclass
class VerifiedBackup:
    """An tarball unpacked into ``directory`` whose every member matched its manifest."""

    directory: Path
    manifest: dict
    data: dict

    @property
    def records(self) -> list[dict]:
        return self.data["objects"]

    def media(self) -> list[str]:
        return sorted(name for name in self.manifest["members"] if name.startswith(MEDIA_PREFIX))


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (not path.is_absolute() and ".." not in path.parts and name == path.as_posix()
            and (name in (MANIFEST, DATA) or (name.startswith(MEDIA_PREFIX) and len(path.parts) > 1)))


def verify_backup(tarball, directory: Path, stream=None) -> VerifiedBackup:
    """Unpack ``tarball`` into ``directory`` and check it against its manifest; raise BackupError.

    Nothing outside ``directory`` is touched: this is the check that runs before any change.
    """
    tarball = Path(tarball)
    if not tarball.is_file():
        raise BackupError(f"备份文件“{tarball}”不存在。")
    broken = "备份文件已损坏或不完整（{}），已拒绝恢复，未做任何改动。请使用完整的备份文件。"
    seen: dict[str, dict] = {}
    manifest_raw = None
    try:
        with open(tarball, "rb") as raw, tarfile.open(fileobj=raw, mode="r|*") as tar:
            # Stream mode: one pass, no seeking; progress follows the compressed bytes read.
            bar = ProgressBar(tarball.stat().st_size, "校验备份", stream=stream, unit="B", unit_scale=True)
            for member in tar:
                name = member.name
                if not member.isfile() or not _safe_member_name(name):
                    raise BackupError(f"备份文件中含有不允许的成员“{name}”，已拒绝恢复，未做任何改动。")
                if name in seen or (name == MANIFEST and manifest_raw is not None):
                    raise BackupError(f"备份文件中的“{name}”出现了两次，已拒绝恢复，未做任何改动。")
                source = tar.extractfile(member)
                if name == MANIFEST:
                    manifest_raw = source.read()
                    continue
                digest, size = hashlib.sha256(), 0
                target = directory / name
                target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") as out:
                    while chunk := source.read(1024 * 1024):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                seen[name] = {"sha256": digest.hexdigest(), "size": size}
                bar.advance(max(0, raw.tell() - bar.done))
            bar.advance(max(0, bar.total - bar.done))
            bar.close()
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(broken.format(exc.__class__.__name__ + ("：" + str(exc) if str(exc) else ""))) from exc
    if manifest_raw is None:
        raise BackupError(broken.format("缺少 manifest.json 清单"))
    try:
        manifest = json.loads(manifest_raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupError(broken.format("清单 manifest.json 无法读取")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError("这不是本平台的备份文件（清单格式不符），已拒绝恢复。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('format_version')} 与本程序支持的版本 {FORMAT_VERSION} 不符，已拒绝恢复。")
    expected = manifest.get("members") or {}
    missing = sorted(set(expected) - set(seen))
    extra = sorted(set(seen) - set(expected))
    changed = sorted(n for n in set(expected) & set(seen) if expected[n] != seen[n])
    if missing or extra or changed:
        parts = []
        if missing:
            parts.append("缺少 " + "、".join(missing[:3]))
        if extra:
            parts.append("多出 " + "、".join(extra[:3]))
        if changed:
            parts.append("校验值与清单不符：" + "、".join(changed[:3]))
        raise BackupError("备份文件与清单不一致（" + "；".join(parts) + "），可能已被截断或篡改。已拒绝恢复，未做任何改动。")
    try:
        data = json.loads((directory / DATA).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(broken.format("data.json 无法读取")) from exc
    verified = VerifiedBackup(directory, manifest, data)
    counts = Counter(r["model"] for r in verified.records)
    if dict(counts) != manifest.get("counts"):
        raise BackupError("备份中的记录数与清单不符，可能已被篡改。已拒绝恢复，未做任何改动。")
    files = {name[len(MEDIA_PREFIX):]: meta["sha256"] for name, meta in expected.items()
             if name.startswith(MEDIA_PREFIX)}
    if content_hashes(verified.records, files) != manifest.get("content_hashes"):
        raise BackupError("备份中的内容与清单记录的内容校验值不符，可能已被篡改。已拒绝恢复，未做任何改动。")
    return verified


# ---------------------------------------------------------------- restore
def existing_content(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Return {what: rows} for the content this database holds (empty: an instance where only ``migrate`` ran).

    Content is what any real instance has: users, pages beyond Wagtail's root and welcome
    page, revisions, log entries, documents, images and snippets (departments …). Rows that
    migrations create (groups, workflows, the default site) are not content: restore
    replaces them. Asking for content rather than for "anything but the seeded tables"
    keeps a future data migration from making every fresh instance look non-empty.
    """

    found = {}
    models = [get_user_model(), Revision, PageLogEntry, ModelLogEntry, LogEntry, get_document_model(),
              get_image_model(), *get_snippet_models()]
    for model in dict.fromkeys(models):
        n = model._base_manager.using(using).count()
        if n:
            found[str(model._meta.verbose_name)] = n
    page_type = ContentType.objects.db_manager(using).get_for_model(Page)
    pages = Page.objects.using(using)
    if pages.filter(depth__gt=2).exists() or pages.exclude(content_type=page_type).exists():
        found["页面"] = pages.count()
    return found


def _flush(using: str) -> None:
    """Delete every row the restore will write, keeping content types and permissions (in the caller's transaction)."""
    connection = connections[using]
    keep = {ContentType._meta.db_table, Permission._meta.db_table}
    existing = set(connection.introspection.table_names())
    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)
                     if m._meta.managed and not m._meta.proxy} & existing - keep)
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=False)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _ensure_references(references: dict, using: str) -> None:
    """Create the content types and permissions the rows refer to that this instance lacks (stale ones)."""
    for app_label, model in references.get("contenttypes", []):
        ContentType.objects.db_manager(using).get_or_create(app_label=app_label, model=model)
    for codename, app_label, model, name in references.get("permissions", []):
        content_type = ContentType.objects.db_manager(using).get_by_natural_key(app_label, model)
        Permission.objects.using(using).get_or_create(codename=codename, content_type=content_type,
                                                      defaults={"name": name[:255]})
    ContentType.objects.clear_cache()


@dataclass
class RestoreSummary:
    objects: int
    media_files: int
    search: list[str]

    def line(self) -> str:
        return (f"恢复完成：{self.objects} 条记录，{self.media_files} 个媒体文件，内容校验一致；"
                + "；".join(self.search) + "。")


def restore_backup(tarball, using: str = DEFAULT_DB_ALIAS, stream=None, rebuild_search: bool = True,
                   log=None) -> RestoreSummary:
    """Restore ``tarball`` onto this empty instance and return a summary; raise BackupError before any change."""
    log = log or (lambda message: None)
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as workdir:
        verified = verify_backup(tarball, Path(workdir), stream=stream)
        found = existing_content(using)
        if found:
            listing = "、".join(f"{name} {n} 条" for name, n in list(found.items())[:6])
            raise BackupError(f"目标数据库不是空库（已有：{listing}），已拒绝恢复，未做任何改动。{EMPTY_DB_HINT}")
        applied = {tuple(m) for m in _applied_migrations(using)}
        lacking = sorted({tuple(m) for m in verified.manifest.get("migrations", [])} - applied)
        if lacking:
            raise BackupError(
                "本实例的数据库结构比备份旧（缺少迁移 " + "、".join(f"{a}.{n}" for a, n in lacking[:3])
                + "），请先更新程序并执行 python manage.py migrate。未做任何改动。")
        media_root = _media_root()
        conflicts = [name for name in verified.media()
                     if (media_root / name[len(MEDIA_PREFIX):]).exists()
                     and _file_sha256(media_root / name[len(MEDIA_PREFIX):])
                     != verified.manifest["members"][name]["sha256"]]
        if conflicts:
            raise BackupError(f"媒体目录 {media_root} 中已有同名而内容不同的文件（如 {conflicts[0][len(MEDIA_PREFIX):]}），"
                              f"已拒绝恢复，未做任何改动。请使用空的媒体目录。")

        copied: list[Path] = []
        records = verified.records
        try:
            with transaction.atomic(using=using), override_settings(SIMPLE_HISTORY_ENABLED=False):
                _flush(using)
                _ensure_references(verified.data.get("references", {}), using)
                _load(records, using, stream)
                bar = ProgressBar(len(verified.media()), "恢复媒体文件", stream=stream)
                for name in verified.media():
                    target = media_root / name[len(MEDIA_PREFIX):]
                    if not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(verified.directory / name, target)
                        copied.append(target)
                    bar.advance()
                bar.close()
                if database_content_hashes(using) != verified.manifest["content_hashes"]:
                    raise BackupError("恢复后的内容与备份清单的校验值不一致，已全部撤销。请检查程序版本是否与备份一致。")
        except BaseException:
            for path in copied:
                path.unlink(missing_ok=True)
            raise
    search = _rebuild_search(log) if rebuild_search else ["未重建检索索引（--skip-search）"]
    return RestoreSummary(len(records), len(verified.media()), search)


def _load(records: list[dict], using: str, stream) -> None:
    """Save every record as loaddata does: raw saves, forward references resolved at the end, constraints checked."""
    connection = connections[using]
    bar = ProgressBar(len(records), "载入数据", stream=stream)
    deferred = []
    models = set()
    try:
        with connection.constraint_checks_disabled():
            for obj in python_serializer.Deserializer(records, using=using, handle_forward_references=True):
                obj.save(using=using)
                models.add(type(obj.object))
                if obj.deferred_fields:
                    deferred.append(obj)
                bar.advance()
            for obj in deferred:
                obj.save_deferred_fields(using=using)
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
    except DeserializationError as exc:
        raise BackupError(f"载入数据失败：{exc}。已全部撤销。") from exc
    finally:
        bar.close()
    reset = connection.ops.sequence_reset_sql(no_style(), list(models))
    if reset:
        with connection.cursor() as cursor:
            for sql in reset:
                cursor.execute(sql)


def _rebuild_search(log) -> list[str]:
    """Rebuild the search indexes with the commands this installation has; return what was done."""

    done = []
    commands = get_commands()
    for name, label in (("update_index", "Wagtail 后台检索索引"), ("reindex", "全文检索索引")):
        if name in commands:
            log(f"正在重建{label}（manage.py {name}）……")
            out = io.StringIO()
            try:
                call_command(name, stdout=out, stderr=out)
            except Exception as exc:  # the data is restored and committed; say how to finish by hand
                log(f"重建{label}失败：{exc}。数据已恢复，请修复后手动运行 python manage.py {name}。")
                done.append(f"{label}重建失败（请手动运行 {name}）")
            else:
                done.append(f"已重建{label}")
        else:
            log(f"未找到 manage.py {name} 命令，跳过{label}的重建。")
            done.append(f"跳过{label}（无 {name} 命令）")
    return done
