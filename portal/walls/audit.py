"""The view log: who opened which 部门内部 / 不予共享 item, and which attempts the access policy refused.

Changes are Wagtail's business (its audit log, 站点历史 report, with CSV/XLSX
export); this module records reading. Called from the ``before_serve_page``,
``before_edit_page`` and ``before_serve_document`` hooks in portal/wagtail_hooks.py.
The address recorded is the client's as django-axes sees it (``portal.security.client_ip``:
X-Forwarded-For behind the configured proxies, REMOTE_ADDR otherwise).
"""
from __future__ import annotations

from portal.models.metadata import Scope
from portal.models.sharing import ViewLog
from portal.roles import MANAGERS
from portal.security import client_ip

# Opening an item of these scopes is logged; refusals are logged whatever the scope.
LOGGED_SCOPES = (Scope.INTERNAL, Scope.PRIVATE)


def is_manager(user) -> bool:
    """Return True for those who may browse and export the audit logs: superusers and the 管理员 group."""

    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=MANAGERS).exists()


def _record(request, kind: str, page=None, path: str | None = None):

    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    department = getattr(user, "department", None) if signed_in else None
    return ViewLog.objects.create(
        kind=kind,
        user=user if signed_in else None,
        username=user.get_username() if signed_in else "",
        user_department=department.name if department else "",
        page=page,
        page_title=(page.title if page is not None else "")[:255],
        page_department=str(getattr(page, "department", "") or "")[:100] if page is not None else "",
        scope=getattr(page, "scope", "") or "",
        path=(path or request.get_full_path())[:1000],
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:300],
    )


def log_view(request, page, admin: bool = False):
    """Record that the user opened a 部门内部 / 不予共享 item; other scopes are not logged (returns None)."""

    if getattr(page, "scope", None) not in LOGGED_SCOPES:
        return None
    return _record(request, ViewLog.Kind.ADMIN_OPEN if admin else ViewLog.Kind.VIEW, page)


def log_refusal(request, page=None, path: str | None = None):
    """Record an attempt the access policy refused (answered 404): who, from where, which URL."""

    return _record(request, ViewLog.Kind.REFUSED, page, path)
