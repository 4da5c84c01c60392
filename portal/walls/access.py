"""The one access policy: who may see which shareable item.

Every door of the portal (page serving, listings, search, feeds, sitemap,
API, documents) asks these functions; nothing else reads ``scope``.

- 公开 (public): anyone.
- 共享 (shared): signed-in staff of any department.
- 部门内部 (internal): signed-in staff of the owning department.
- 不予共享 (private): never shown on the portal's front end; it stays in the
  owner's admin, where Wagtail's page permissions govern editing.
"""
from django.db import models
from django.db.models import Q, QuerySet


class Scope(models.TextChoices):
    """Who may see an item (共享范围): read by the functions below and nowhere else.

    It lives here, with the policy, so that the content model imports the policy and never the
    other way round (``portal.models`` re-exports it for the page types).
    """

    PUBLIC = "public", "公开"
    SHARED = "shared", "共享"
    INTERNAL = "internal", "部门内部"
    PRIVATE = "private", "不予共享"


def _department_id(user) -> int | None:
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "department_id", None)


def is_staff_member(user) -> bool:
    """Return True when the user is signed in and either belongs to a department or is a superuser."""
    return bool(user and user.is_authenticated and (user.is_superuser or _department_id(user)))


def can_view(user, page) -> bool:
    """Return True when the user may see this page on the front end."""
    scope = getattr(page, "scope", None)
    if scope is None or scope == Scope.PUBLIC:
        return True
    if scope == Scope.SHARED:
        return is_staff_member(user)
    if scope == Scope.INTERNAL:
        if user is not None and user.is_authenticated and user.is_superuser:
            return True
        dept = _department_id(user)
        return dept is not None and dept == page.department_id
    return False


def visible_q(user, prefix: str = "") -> Q:
    """Return a Q object selecting the SharedInfoPage rows the user may see.

    ``prefix`` is the lookup path to the SharedInfoPage, e.g. ``"sharedinfopage__"``
    when filtering a queryset of plain ``Page`` objects.
    """
    scope, department = f"{prefix}scope", f"{prefix}department_id"
    q = Q(**{scope: Scope.PUBLIC})
    if is_staff_member(user):
        q |= Q(**{scope: Scope.SHARED})
        if user.is_superuser:
            q |= Q(**{scope: Scope.INTERNAL})
        else:
            q |= Q(**{scope: Scope.INTERNAL, department: _department_id(user)})
    return q


def filter_visible(user, queryset: QuerySet) -> QuerySet:
    """Return the SharedInfoPage queryset narrowed to what the user may see."""
    return queryset.filter(visible_q(user))


def visible_scopes(user) -> tuple[list[str], int | None]:
    """Return (scopes visible everywhere, department whose 部门内部 items are also visible).

    For search backends, which filter on these two facts rather than on a Q object.
    """
    if not is_staff_member(user):
        return [Scope.PUBLIC], None
    if user.is_superuser:
        return [Scope.PUBLIC, Scope.SHARED, Scope.INTERNAL], None
    return [Scope.PUBLIC, Scope.SHARED], _department_id(user)


def acting_departments(user) -> list:
    """Return the departments the user acts for: their own, those they lead, those they liaise for (each once)."""
    if not (user is not None and getattr(user, "is_authenticated", False) and user.is_active):
        return []
    seen, result = set(), []
    candidates = [user.department] if user.department_id else []
    candidates += list(user.led_departments.all()) + list(user.liaison_for.all())
    for department in candidates:
        if department.pk not in seen:
            seen.add(department.pk)
            result.append(department)
    return result
