"""Saved searches with alerts (保存的检索): what a saved query finds that is new or changed since a moment.

A member of staff saves a query with its filters (``search.models.SavedSearch``). Everything it
finds is asked of ``search.service.search`` *as its owner*, and every page found is checked again
with ``portal.walls.access.can_view``, so the dashboard, the daily digest e-mail and the Atom feed
list only what the owner may see now (scope, and masking, are the search service's).

- ``new_matches(saved, since)``: the pages matching it published (first or again) after ``since``;
- ``dashboard_alerts(user)``: per saved search, what is new since the user last looked at it;
- ``send_digests()``: the daily job: one e-mail per user listing what is new since the last digest,
  through the mail queue (``jobs.mail.queue_mail``).
"""
from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from jobs.mail import queue_mail
from portal.walls.access import can_view, is_staff_member
from search import service
from search.models import SavedSearch

log = logging.getLogger(__name__)

MAX_SAVED_PER_USER = 20
SCAN_PAGES = 2  # pages of ``SCAN_PER_PAGE`` results looked through for new matches
SCAN_PER_PAGE = 100
DASHBOARD_SEARCHES = 10
DASHBOARD_ITEMS = 5
FEED_WINDOW = datetime.timedelta(days=30)
FEED_ITEMS = 20
DIGEST_KIND = "saved_search_digest"
_PAGE_ID = re.compile(r"^page:(\d+)")
_ATTACHMENT = re.compile(r"（附件：(.+)）$")  # the file named in an attachment hit's title (search.indexing)


@dataclass
class Match:
    """A page a saved search finds, published (first or again) after the cut-off."""

    page: Page
    is_update: bool  # published before the cut-off and published again after it
    found_in: list[str] = field(default_factory=list)  # the articles, rows or attachments that matched

    @property
    def when(self) -> datetime.datetime:
        return self.page.last_published_at


@dataclass
class Alert:
    """One saved search on the dashboard: its newest matches since the last look, and how many there are."""

    saved: SavedSearch
    matches: list[Match]
    total: int
    unavailable: bool = False


def _page_id(result_id: str) -> int | None:
    match = _PAGE_ID.match(result_id or "")
    return int(match.group(1)) if match else None


def _found_in(result) -> str:
    """Return what part of the page a result is (第十条, 第3项, 附件：a file's name), or "" for the page itself."""
    if result.kind == "attachment":
        match = _ATTACHMENT.search(result.title)
        return f"附件：{match.group(1)}" if match else "附件"
    return result.anchor if result.kind != "page" else ""


def new_matches(saved: SavedSearch, since: datetime.datetime, limit: int | None = None) -> tuple[list[Match], int]:
    """Return (the newest live pages ``saved`` finds for its owner published after ``since``, their total).

    Raises ``service.SearchUnavailable`` when the engine cannot answer.
    """
    parts: dict[int, list[str]] = {}
    for number in range(1, SCAN_PAGES + 1):
        page = service.search(saved.user, saved.query, **saved.filters(), per_page=SCAN_PER_PAGE, page=number)
        for result in page.results:
            page_id = _page_id(result.id)
            if page_id is None:
                continue
            found = parts.setdefault(page_id, [])
            where = _found_in(result)
            if where and where not in found:
                found.append(where)
        if not page.has_next:
            break
    pages = Page.objects.live().filter(pk__in=parts, last_published_at__gt=since).specific()
    visible = [p for p in pages if can_view(saved.user, p)]  # the index's scope checked against the page's own
    visible.sort(key=lambda p: (p.last_published_at, p.pk), reverse=True)
    matches = [Match(p, bool(p.first_published_at and p.first_published_at <= since), parts[p.pk][:3])
               for p in visible[:limit]]
    return matches, len(visible)


def saved_searches_of(user):
    return SavedSearch.objects.filter(user=user).order_by("name")


def dashboard_alerts(user, limit: int = DASHBOARD_SEARCHES) -> list[Alert]:
    """Return, for each of the user's saved searches (at most ``limit``), what is new since their last look."""
    alerts = []
    for saved in saved_searches_of(user)[:limit]:
        saved.user = user
        try:
            matches, total = new_matches(saved, saved.seen_at, DASHBOARD_ITEMS)
        except service.SearchUnavailable:
            alerts.append(Alert(saved, [], 0, unavailable=True))
            continue
        alerts.append(Alert(saved, matches, total))
    return alerts


def mark_seen(saved: SavedSearch, now: datetime.datetime | None = None) -> None:
    """Record that the owner has looked at what the saved search found (its alerts start again from now)."""
    saved.seen_at = now or timezone.now()
    SavedSearch.objects.filter(pk=saved.pk).update(seen_at=saved.seen_at)


def feed_matches(saved: SavedSearch, now: datetime.datetime | None = None) -> list[Match]:
    """Return what the saved search found in the last ``FEED_WINDOW`` (newest first, at most ``FEED_ITEMS``)."""
    matches, _ = new_matches(saved, (now or timezone.now()) - FEED_WINDOW, FEED_ITEMS)
    return matches


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path if path.startswith("/") else path


def digest_body(user, sections: list[tuple[SavedSearch, list[Match], int]]) -> str:
    """Return the plain-text digest: for each saved search, its new and changed items."""
    lines = [f"{user.get_full_name() or user.get_username()}：", "",
             "您保存的检索有以下新发布或更新的信息（仅列出您有权查看的内容）：", ""]
    for saved, matches, total in sections:
        lines.append(f"【{saved.name}】检索词：{saved.query}，共 {total} 条")
        for match in matches:
            tag = "更新" if match.is_update else "新"
            where = f"（匹配：{'、'.join(match.found_in)}）" if match.found_in else ""
            lines.append(f"  · [{tag}] {match.page.title}{where}")
            lines.append(f"    {absolute_url(match.page.url or '')}")
        if total > len(matches):
            lines.append(f"  ……另有 {total - len(matches)} 条，请到工作台查看。")
        lines.append("")
    lines.append(f"管理保存的检索：{absolute_url('/staff/saved/')}")
    return "\n".join(lines)


@dataclass
class DigestSummary:
    mails: int = 0
    items: int = 0
    unavailable: int = 0

    def line(self) -> str:
        text = f"已排队 {self.mails} 封保存检索提醒邮件，共 {self.items} 条新信息。"
        if self.unavailable:
            text += f"{self.unavailable} 个保存的检索因检索服务不可用未能处理，下次再试。"
        return text


def send_digests(now: datetime.datetime | None = None, per_search: int = 20) -> DigestSummary:
    """Queue one e-mail per user whose saved searches (with 每日邮件提醒) found something since the last digest.

    A saved search's cut-off moves to ``now`` when it was checked (found something or not); one the
    engine could not answer keeps its cut-off, so nothing is skipped.
    """
    now = now or timezone.now()
    summary = DigestSummary()
    by_user: dict[int, list[SavedSearch]] = {}
    for saved in SavedSearch.objects.filter(digest=True, user__is_active=True).select_related("user"):
        by_user.setdefault(saved.user_id, []).append(saved)
    for searches in by_user.values():
        user = searches[0].user
        if not is_staff_member(user):
            continue
        sections, checked = [], []
        for saved in searches:
            try:
                matches, total = new_matches(saved, saved.digest_sent_at or saved.created_at, per_search)
            except service.SearchUnavailable:
                summary.unavailable += 1
                continue
            checked.append(saved.pk)
            if total:
                sections.append((saved, matches, total))
        if sections and queue_mail(f"保存的检索：{sum(t for _, _, t in sections)} 条新信息", digest_body(user, sections),
                                   [user.email], kind=DIGEST_KIND):
            summary.mails += 1
            summary.items += sum(t for _, _, t in sections)
        SavedSearch.objects.filter(pk__in=checked).update(digest_sent_at=now)
    return summary
