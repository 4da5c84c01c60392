"""Keep the index in step with the pages: one function per event, all of them immediate.

``sync_page(page_id)`` makes the index say what the database says *now*: a live content page has
its documents (the page, its articles or rows) replaced, anything else (unpublished, deleted,
moved into the 回收站, not content) has none.  Because it reads the current state rather than
replaying events, it can be called any number of times, in any order, and a retry of a queued
update can never bring back something that was removed since.

When the engine cannot be reached, the page id goes into ``PendingIndexUpdate``; the next
successful update and ``manage.py reindex`` work the queue off.  Publishing never fails because
of search.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from wagtail.models import Page

from search.backends.base import SearchBackend
from search.indexing import page_documents
from search.models import PendingIndexUpdate
from search.service import get_backend

log = logging.getLogger(__name__)

PENDING_BATCH = 200


def _apply(backend: SearchBackend, page_id: int) -> int:
    """Replace the page's documents with those of its current state; return how many it now has."""

    page = Page.objects.filter(pk=page_id).first()
    docs = page_documents(page) if page is not None else []
    backend.replace_page(page_id, docs)
    return len(docs)


def _queue(page_id: int, exc: BaseException) -> None:
    """Remember that the page must be synced again (one row per page, counting the attempts)."""
    try:
        with transaction.atomic():
            updated = PendingIndexUpdate.objects.filter(page_id=page_id).update(
                attempts=F("attempts") + 1, last_error=str(exc)[:1000])
            if not updated:
                PendingIndexUpdate.objects.create(page_id=page_id, last_error=str(exc)[:1000])
    except Exception:  # noqa: BLE001 - the queue itself failing must not fail a publish either
        log.exception("无法记录待同步的索引更新：页面 %s", page_id)


def sync_pages(page_ids: Iterable[int], backend: SearchBackend | None = None) -> bool:
    """Bring the index in line with these pages; return False when some had to be queued."""

    ok = True
    try:
        backend = backend or get_backend()
    except Exception as exc:  # noqa: BLE001 - a misconfigured engine: queue, never fail the caller
        log.exception("无法连接检索引擎")
        for page_id in page_ids:
            _queue(page_id, exc)
        return False
    for page_id in dict.fromkeys(page_ids):
        try:
            _apply(backend, page_id)
        except Exception as exc:  # noqa: BLE001 - engine down or failing: queue and carry on
            log.warning("索引更新失败，已排队重试：页面 %s（%s）", page_id, exc)
            _queue(page_id, exc)
            ok = False
        else:
            PendingIndexUpdate.objects.filter(page_id=page_id).delete()
    if ok:
        retry_pending(backend)
    return ok


def sync_page(page_id: int, backend: SearchBackend | None = None) -> bool:
    """Bring the index in line with one page; return False when the update had to be queued."""
    return sync_pages([page_id], backend)


def sync_subtree(page, backend: SearchBackend | None = None) -> bool:
    """Sync a page and all its descendants (their URLs change when it moves or changes slug)."""

    ids = list(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    return sync_pages(ids, backend)


def retry_pending(backend: SearchBackend | None = None, limit: int = PENDING_BATCH) -> tuple[int, int]:
    """Apply queued updates, oldest first, stopping at the first failure; return (done, still queued)."""

    pending = list(PendingIndexUpdate.objects.order_by("queued_at").values_list("pk", "page_id")[:limit])
    if not pending:
        return 0, 0
    backend = backend or get_backend()
    done = 0
    for pk, page_id in pending:
        try:
            _apply(backend, page_id)
        except Exception as exc:  # noqa: BLE001
            PendingIndexUpdate.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=str(exc)[:1000])
            break
        PendingIndexUpdate.objects.filter(pk=pk).delete()
        done += 1
    return done, PendingIndexUpdate.objects.count()
