"""Published versions of a regulation, its plain text, and the version in force on a date.

Wagtail revisions are the version history of pages. A revision counts as a *published
version* when Wagtail's audit log holds a ``wagtail.publish`` entry for it: Wagtail 8 writes
one PageLogEntry per publication, with ``revision`` pointing at the revision made live
(``PublishRevisionAction``; scheduled publishing and publishing a reverted revision log the
same action). The version's metadata (发布日期, 生效日期, 修订依据) is read from the revision
itself, so a later edit of the live page never rewrites what an old version said.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from wagtail.models import PageLogEntry, Revision

from lib.lawtext import LawText, document_from_stream, render_text
from portal import params
from portal.walls.access import can_view

PUBLISH_ACTION = "wagtail.publish"

@dataclass(frozen=True)
class Version:
    """One published version of a page: its revision and the dates that revision carries."""

    revision_id: int
    published_at: datetime.datetime  # when it was first made live (audit log)
    created_at: datetime.datetime  # when the revision was saved
    title: str
    publish_date: datetime.date | None  # 发布日期
    effective_date: datetime.date | None  # 生效日期
    revision_basis: str  # 修订依据
    object: object = field(compare=False, repr=False)  # the page as of this revision

    @property
    def in_force_from(self) -> datetime.date:
        """Return the date from which this version applies: 生效日期, else 发布日期, else publication."""
        return self.effective_date or self.publish_date or self.published_at.date()


def _as_object(page_or_revision):
    if isinstance(page_or_revision, Revision):
        return page_or_revision.as_object()
    return page_or_revision


def regulation_law_text(page_or_revision) -> LawText:
    """Return the document tree (law or 公文, lib.lawtext) built from a regulation's body blocks."""
    page = _as_object(page_or_revision)
    return document_from_stream(page.title, ((block.block_type, block.value) for block in page.body))


def regulation_text(page_or_revision) -> str:
    """Return the text (Markdown law format, or a 公文's lines) of a RegulationPage version, for compare_laws.

    Accepts a page, the page object of a revision (``revision.as_object()``) or a Revision.
    """
    return render_text(regulation_law_text(page_or_revision))


def _version(revision: Revision, published_at: datetime.datetime) -> Version:
    obj = revision.as_object()
    return Version(
        revision_id=revision.pk,
        published_at=published_at,
        created_at=revision.created_at,
        title=obj.title,
        publish_date=getattr(obj, "publish_date", None),
        effective_date=getattr(obj, "effective_date", None),
        revision_basis=getattr(obj, "revision_basis", "") or "",
        object=obj,
    )


def published_revision_ids(page) -> list[int]:
    """Return the ids of the page's published revisions, oldest first (cheap: no revision is loaded)."""
    ids = (
        PageLogEntry.objects.filter(page_id=page.pk, action=PUBLISH_ACTION, revision_id__isnull=False)
        .order_by("timestamp", "pk")
        .values_list("revision_id", flat=True)
    )
    unique = list(dict.fromkeys(ids))
    if not unique and page.live and page.live_revision_id:
        unique = [page.live_revision_id]
    existing = set(Revision.page_revisions.filter(pk__in=unique).values_list("pk", flat=True))
    return [pk for pk in unique if pk in existing]


def published_versions(page) -> list[Version]:
    """Return the published versions of a page, oldest publication first.

    One version per revision (a revision published twice counts once, at its first
    publication); revisions removed since (``purge_revisions``) are skipped. A live page
    without any publish entry in the log (content loaded before auditing) still has its
    live revision as a version.
    """
    entries = (
        PageLogEntry.objects.filter(page_id=page.pk, action=PUBLISH_ACTION, revision_id__isnull=False)
        .order_by("timestamp", "pk")
        .values_list("revision_id", "timestamp")
    )
    first_published: dict[int, datetime.datetime] = {}
    for revision_id, timestamp in entries:
        first_published.setdefault(revision_id, timestamp)
    if not first_published and page.live and page.live_revision_id:
        first_published[page.live_revision_id] = page.last_published_at or page.live_revision.created_at
    revisions = Revision.page_revisions.filter(object_id=str(page.pk), pk__in=first_published).in_bulk()
    return [
        _version(revisions[revision_id], published_at)
        for revision_id, published_at in first_published.items()
        if revision_id in revisions
    ]


def visible_versions(user, page) -> list[Version]:
    """Return the published versions of ``page`` this user may read, oldest publication first.

    Each version is judged by its own 共享范围 and 发布机构 (portal.walls.access.can_view on the
    revision's page object), not the live page's: a text first published 部门内部 and later
    widened to 公开 keeps its first version inside the department, on the version list, the
    修订对照 and every other path that lists versions.
    """
    return [version for version in published_versions(page) if can_view(user, version.object)]


def get_published_version(page, revision_id) -> Version | None:
    """Return the published version of ``page`` with this revision id, or None."""
    return next((v for v in published_versions(page) if v.revision_id == revision_id), None)


def version_in_force(page, date: datetime.date, versions: list[Version] | None = None) -> Version | None:
    """Return the published version whose 生效日期 is the latest on or before ``date``, or None.

    A version without 生效日期 applies from its 发布日期, else from the day it was published.
    Two versions effective the same day: the later publication wins (it corrected the first).
    """
    candidates = [v for v in (versions if versions is not None else published_versions(page))
                  if v.in_force_from <= date]
    if not candidates:
        return None
    return max(candidates, key=lambda v: (v.in_force_from, v.published_at, v.revision_id))


def format_cn_date(date: datetime.date) -> str:
    """Return a date as 2024年1月1日."""
    return f"{date.year}年{date.month}月{date.day}日"


@dataclass(frozen=True)
class DatedText:
    """What a regulation page shows for ``?date=``: the version in force, or why not."""

    date: datetime.date | None = None
    version: Version | None = None
    notice: str = ""  # shown instead of (or besides) the banner: bad date, nothing in force yet

    @property
    def banner(self) -> str:
        """Return "以下为2020年1月1日施行的文本（生效日期：2017年9月1日）", or "" without a version."""
        if not (self.date and self.version):
            return ""
        if self.version.effective_date:
            since = f"生效日期：{format_cn_date(self.version.effective_date)}"
        elif self.version.publish_date:
            since = f"发布日期：{format_cn_date(self.version.publish_date)}"
        else:
            since = f"发布于{format_cn_date(self.version.published_at.date())}"
        return f"以下为{format_cn_date(self.date)}施行的文本（{since}）"


def parse_iso_date(raw: str) -> datetime.date | None:
    """Return the date of a strict YYYY-MM-DD string (ASCII digits, 1900–2100), or None if it is not one."""
    return params.date_param(raw)


def text_in_force(page, raw_date: str | None) -> DatedText:
    """Return the version of ``page`` to show for the ``?date=`` value ``raw_date``.

    No value: nothing to do. A value that is not a YYYY-MM-DD date, or a date before the
    first version took effect: a Chinese notice, and the current text is shown.
    """
    if raw_date is None or not raw_date.strip():
        return DatedText()
    date = parse_iso_date(raw_date)
    if date is None:
        shown = raw_date.strip()[:20]
        return DatedText(notice=f"日期“{shown}”无效，应为“年-月-日”格式（如 2020-01-01），已忽略；以下为现行文本。")
    versions = published_versions(page)
    version = version_in_force(page, date, versions)
    if version is None:
        first = min((v.in_force_from for v in versions), default=None)
        since = f"（最早的版本自{format_cn_date(first)}起施行）" if first else ""
        return DatedText(date=date, notice=f"{format_cn_date(date)}本文件尚未施行{since}；以下为现行文本。")
    return DatedText(date=date, version=version)
