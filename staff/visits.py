"""The staff dashboard's "new since your last visit": remembering visits, and the items shared since.

A *visit* is one stretch of work on the dashboard: it begins when the user
comes in a new login session, or comes back after ``VISIT_GAP`` of silence.
While a visit lasts, the cut-off for "new" stays where the previous visit
ended, so reloading the dashboard or coming back from a search does not make
the new items vanish; the next visit moves the cut-off up to the end of this one.

Views call ``record_visit()`` once per dashboard view and ``new_items()`` with
its answer; every list goes through ``portal.walls.access``.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portal.models.metadata import SharedInfoPage
from portal.models.staff import DashboardVisit
from portal.walls.access import visible_q

VISIT_GAP = datetime.timedelta(minutes=30)
FIRST_VISIT_WINDOW = datetime.timedelta(days=7)  # what a first-time user is shown as "new"
NEW_ITEMS_LIMIT = 20


@dataclass(frozen=True)
class VisitInfo:
    """Where "new" begins for this view of the dashboard, and whether the user has been here before."""

    since: datetime.datetime
    first_visit: bool


def record_visit(user, session_key: str | None, now: datetime.datetime | None = None) -> VisitInfo:
    """Record that ``user`` opened the dashboard now; return the cut-off for "new" (the previous visit's end).

    Worked example: the user looks at 09:00 and 09:10 (one visit), goes home, and comes back at
    14:00 in a new session: the 14:00 view (and the 14:05 reload) shows what was published after
    09:10. With no earlier visit, the last ``FIRST_VISIT_WINDOW`` counts as new.
    """
    now = now or timezone.now()
    session_key = session_key or ""
    with transaction.atomic():
        visit, created = DashboardVisit.objects.select_for_update().get_or_create(
            user=user, defaults={"session_key": session_key, "visit_started_at": now, "last_seen_at": now})
        if created:
            return VisitInfo(since=now - FIRST_VISIT_WINDOW, first_visit=True)
        new_visit = visit.session_key != session_key or now - visit.last_seen_at > VISIT_GAP
        if new_visit:
            visit.previous_seen_at = visit.last_seen_at
            visit.session_key = session_key
            visit.visit_started_at = now
        visit.last_seen_at = now
        visit.save()
    if visit.previous_seen_at is None:  # still the first visit: its window is counted from its start
        return VisitInfo(since=visit.visit_started_at - FIRST_VISIT_WINDOW, first_visit=True)
    return VisitInfo(since=visit.previous_seen_at, first_visit=False)


@dataclass
class NewItem:
    """An item published (for the first time, or again with changes) since the cut-off."""

    page: SharedInfoPage
    is_update: bool  # published before the cut-off and published again after it


def new_items(user, since: datetime.datetime, limit: int = NEW_ITEMS_LIMIT) -> tuple[list[NewItem], int]:
    """Return (the newest items other departments published since ``since`` that ``user`` may see, their total).

    "Shared with my department" is what the access policy opens to the user and what the
    user's own department did not publish itself (their own items are on the deadline
    clock beside it). A superuser without a department sees every department's items.
    """
    qs = SharedInfoPage.objects.live().filter(visible_q(user), last_published_at__gt=since)
    department_id = getattr(user, "department_id", None)
    if department_id:
        qs = qs.exclude(department_id=department_id)
    total = qs.count()
    pages = qs.select_related("department").order_by("-last_published_at", "-pk")[:limit]
    return [NewItem(page, bool(page.first_published_at and page.first_published_at <= since)) for page in pages], total
