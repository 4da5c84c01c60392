"""The health check at /healthz: is the database answering, is the search engine reachable?

``health_report()`` asks both and returns a small dictionary meant for load balancers, container
health checks and monitoring: status words, the database engine, the search backend and its
document count.  It never carries content, settings, host names or error text — a failure is
logged here and reported as ``"error"`` with a Chinese message.  The view only turns the report
into JSON, with HTTP 200 when everything is healthy and 503 when anything is not.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from search.service import get_backend

log = logging.getLogger(__name__)

OK, ERROR = "ok", "error"
DATABASE_DOWN = "数据库不可用"
SEARCH_DOWN = "检索服务不可用"


def check_database(connection=None) -> dict:
    """Return ``{"status", "engine"}`` of a trivial query on the connection (default: Django's default)."""
    connection = connection or connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down"; its text stays in the log
        log.warning("健康检查：数据库不可用", exc_info=True)
        return {"status": ERROR, "engine": connection.vendor, "message": DATABASE_DOWN}
    return {"status": OK, "engine": connection.vendor}


def check_search() -> dict:
    """Return ``{"status", "backend", "documents"}`` of the configured search engine."""


    backend_name = ("opensearch" if settings.OPENSEARCH_URL else
                    "elasticsearch" if settings.ELASTICSEARCH_URL else "fts5")
    try:
        stats = get_backend().stats()
    except Exception:  # noqa: BLE001 - unreachable, misconfigured or broken: all "down"
        log.warning("健康检查：检索服务不可用", exc_info=True)
        return {"status": ERROR, "backend": backend_name, "message": SEARCH_DOWN}
    return {"status": OK, "backend": stats.get("backend", backend_name), "documents": int(stats.get("documents", 0)),
            "needs_rebuild": bool(stats.get("needs_rebuild"))}


def health_report() -> dict:
    """Return the overall status (``"ok"`` only when every part is) with the database and search parts."""
    parts = {"database": check_database(), "search": check_search()}
    healthy = all(part["status"] == OK for part in parts.values())
    return {"status": OK if healthy else ERROR, **parts}


@never_cache
@require_safe
def healthz(request):
    """GET/HEAD /healthz: the health report as JSON; 200 when healthy, 503 when not."""
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == OK else 503,
                        json_dumps_params={"ensure_ascii": False})
