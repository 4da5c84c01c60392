"""The anonymous page cache: what the public is shown is rendered once and served from the cache.

Every visitor who is not logged in sees the same pages (the access policy shows the public only
what is public, masked the same way for everyone), so a page rendered for one anonymous visitor
can be served to the next.  The cache sits after every other middleware, so security headers, the
CSP and X-Frame-Options are still added to each response.

What is cached: GET requests without a session or messages cookie (a logged-in user, or one with a
pending message, always gets a fresh page), answered 200 with a complete body, no cookie set and no
``Cache-Control`` of private / no-cache / no-store, on any path but the prefixes in
``settings.PAGE_CACHE_EXEMPT_PATHS`` (admin, staff portal, documents, health check…).

When it is invalidated: any saved or deleted content (every model except the bookkeeping ones in
``IGNORED_MODELS``: sessions, login attempts, view logs, the search queue; nor a login's
``last_login``) and every page move
change the *generation* once the transaction commits; keys carry the generation, so every entry
from before is never read again.  The date is in the key too (有效性 follows the calendar), and
entries expire after ``settings.PAGE_CACHE_SECONDS`` (0 switches the cache off) whatever happens,
which bounds any change made without a signal (a ``QuerySet.update`` in a script).

The generation lives in a cache of its own, ``settings.PAGE_CACHE_GENERATION_ALIAS``, shared like the
pages' (Redis, or the file cache's folder: every process sees a change at once), stored without
expiry and out of reach of any culling (``portal.settings.base.cache_settings``): writing pages
must never throw it out, which would drop every cached page at once.  Losing it anyway (the cache
cleared, Redis restarted) only starts a new generation.
"""
from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from wagtail.signals import page_unpublished, post_page_move

GENERATION_KEY = "pagecache:generation"
HEADER = "X-Page-Cache"
# Bookkeeping written while people browse or log in: it changes nothing a visitor is shown.
IGNORED_MODELS = {
    "sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
    "portal.viewlog", "search.pendingindexupdate", "admin.logentry", "search.querycount",
}
_UNCACHEABLE = ("private", "no-cache", "no-store")


def generation_cache():
    """Return the cache holding the generation (see module), apart from the pages' own."""
    return caches[settings.PAGE_CACHE_GENERATION_ALIAS]


def generation() -> str:
    """Return the current generation, starting one (stored without expiry) if there is none."""
    store = generation_cache()
    value = store.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        if not store.add(GENERATION_KEY, value, None):  # another process started one first
            value = store.get(GENERATION_KEY) or value
    return value


def invalidate() -> None:
    """Start a new generation now: every page cached so far is rendered again on its next request."""
    generation_cache().set(GENERATION_KEY, uuid.uuid4().hex, None)


def invalidate_on_commit(sender=None, **kwargs) -> None:
    """Signal receiver: start a new generation once the current transaction commits (at once outside one).

    Not before the commit: a page rendered meanwhile from the old data would be stored under the
    new generation and outlive the change.
    """
    if sender is not None and getattr(sender, "_meta", None) is not None \
            and sender._meta.label_lower in IGNORED_MODELS:
        return
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:  # a login, not an edit
        return
    transaction.on_commit(invalidate)


def is_cacheable_request(request) -> bool:
    """True when ``request`` may be answered from, or stored in, the anonymous page cache."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.path.startswith(tuple(settings.PAGE_CACHE_EXEMPT_PATHS))


def is_cacheable_response(response) -> bool:
    """True when ``response`` is the same for every anonymous visitor and whole."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in _UNCACHEABLE)


def cache_key(request) -> str:
    """Return the cache key of ``request``: generation, date, scheme, host and full path."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"pagecache:{generation()}:{timezone.localdate().isoformat()}:{digest}"


def connect_signals() -> None:
    """Invalidate on every saved, deleted or re-linked model and every page move (see module)."""

    for signal in (post_save, post_delete, m2m_changed, post_page_move, page_unpublished):
        signal.connect(invalidate_on_commit, dispatch_uid=f"pagecache-{id(signal)}")


class AnonymousPageCacheMiddleware:
    """Serve anonymous GET requests from the page cache; store the cacheable answers (see module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if is_cacheable_response(response) and not (user is not None and user.is_authenticated):
            # Whoever logs in gets a different page: browsers and proxies must not reuse this one for them.
            patch_vary_headers(response, ("Cookie",))
            headers = [(name, value) for name, value in response.items() if name != HEADER]
            cache.set(key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS)
            response[HEADER] = "miss"
        return response
