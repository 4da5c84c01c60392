"""The access policy in the Wagtail admin: who may see and act on which page.

``portal.walls.access`` decides what the front end shows; this module makes the admin follow the same walls.
Wagtail asks every page view (edit, view_draft, revisions, compare, preview, history, usage, copy, move,
delete, unpublish, lock, privacy, bulk actions, workflow actions) through ``page.permissions_for_user(user)``
and every listing (explorer, page search, the admin API, reports, site history, workflow and locked-page
reports) through the registered page permission policy.  Both are replaced here:

- An *item* (a page with a 发布机构: every SharedInfoPage and the publicity pages) is acted on only by staff
  of its own department, with their groups' page permissions (``portal.roles``); superusers act on all.
  Another department's item does not exist in the admin for them: it is not listed, not searchable, not
  choosable for editing, and every admin URL that names it answers 404 (``AdminPageWallMiddleware``).
- The *structure* (root, home page, sections, the 回收站) is changed only by superusers; groups with
  ``add`` may add items under a section.
- The page chooser (for links) also offers other departments' live items that ``portal.walls.access.can_view``
  lets the user see: the front end would show them to the user anyway.

Publishing through the workflow is the owning department's business too: see
``portal.models.workflow.DepartmentApprovalTask``.
"""
from __future__ import annotations

import functools

import wagtail.models.pages
import wagtail.permissions
from django.db.models import Q
from wagtail.models import Page, get_page_models
from wagtail.models.pages import AbstractPage, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.walls.access import visible_q

_UNKNOWN = object()


@functools.cache
def item_models() -> tuple[type, ...]:
    """Return the concrete page models that belong to a department (they have a ``department`` field)."""

    models = []
    for model in get_page_models():
        if model._meta.abstract or model is Page:
            continue
        try:
            field = model._meta.get_field("department")
        except Exception:  # noqa: BLE001 — FieldDoesNotExist: a structural page type
            continue
        if field.is_relation:
            models.append(model)
    # Keep only the top of each multi-table family: SharedInfoPage covers its subclasses.
    return tuple(m for m in models if not any(issubclass(m, other) and m is not other for other in models))


def is_item(page) -> bool:
    """Return True when the page is an item that belongs to a department (not structure)."""
    specific_class = getattr(page, "specific_class", None) or type(page)
    return any(issubclass(specific_class, model) for model in item_models())


def owning_department_id(page):
    """Return the id of the department the item belongs to (None for an item without one or for structure)."""
    value = getattr(page, "department_id", _UNKNOWN)
    if value is _UNKNOWN:
        if not is_item(page):
            return None
        value = getattr(page.specific_deferred, "department_id", None)
    return value


def user_department_id(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return getattr(user, "department_id", None)


def owns(user, page) -> bool:
    """Return True when the user belongs to the department that owns this item (never for structure)."""
    dept = user_department_id(user)
    return dept is not None and is_item(page) and owning_department_id(page) == dept


def admin_can_open(user, page) -> bool:
    """Return True when the admin may show this page (any view of it) to the user.

    Superusers: every page.  Staff: the structure and their own department's items, whatever the scope.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return not is_item(page) or owns(user, page)


def _owned_ids_q(department_id) -> Q:
    q = Q(pk__in=[])
    for model in item_models():
        q |= Q(pk__in=model.objects.filter(department_id=department_id).values("pk"))
    return q


def owned_pages(department_id):
    """Return the ``Page`` queryset of the items that belong to the department."""
    return Page.objects.filter(_owned_ids_q(department_id))


def _item_ids_q() -> Q:
    q = Q(pk__in=[])
    for model in item_models():
        q |= Q(pk__in=model.objects.values("pk"))
    return q


def admin_listed_q(user) -> Q:
    """Return the condition on ``Page`` rows the admin lists for a (non-super) user: structure and own items."""
    dept = user_department_id(user)
    structure = ~_item_ids_q()
    return structure | _owned_ids_q(dept) if dept is not None else structure


def chooser_q(user) -> Q:
    """Return the condition on ``Page`` rows the page chooser offers: what the admin lists, plus visible live items."""
    from portal.models.metadata import SharedInfoPage  # portal.models imports this module (its workflow task)

    visible_items = SharedInfoPage.objects.live().filter(visible_q(user)).values("pk")
    q = admin_listed_q(user) | Q(pk__in=visible_items)
    for model in item_models():
        if not issubclass(model, SharedInfoPage):  # publicity pages are always public
            q |= Q(pk__in=model.objects.live().values("pk"))
    return q


class DepartmentPagePermissionTester(PagePermissionTester):
    """Wagtail's permission tester, with the department wall: items are acted on by their own department only."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.is_item = is_item(page)
        self.owner = user.is_active and (user.is_superuser or owns(user, page))

    def _may(self, allowed_by_wagtail: bool) -> bool:
        if self.user.is_superuser:
            return allowed_by_wagtail
        # Structure is the superusers'; items are their department's.
        return self.is_item and self.owner and allowed_by_wagtail

    def can_add_subpage(self):
        if self.user.is_superuser or not self.is_item:
            # Adding an item under a section; the new item's 发布机构 is the user's own (the page form).
            return (self.user.is_superuser or self.page.depth > 2) and super().can_add_subpage()
        return self.owner and super().can_add_subpage()

    def can_edit(self):
        return self._may(super().can_edit())

    def can_delete(self, ignore_bulk=False):
        return self._may(super().can_delete(ignore_bulk=ignore_bulk))

    def can_unpublish(self):
        return self._may(super().can_unpublish())

    def can_publish(self):
        return self._may(super().can_publish())

    def can_submit_for_moderation(self):
        return self._may(super().can_submit_for_moderation())

    def can_lock(self):
        return self._may(super().can_lock())

    def can_unlock(self):
        return self._may(super().can_unlock())

    def can_publish_subpage(self):
        if self.user.is_superuser or not self.is_item:
            return (self.user.is_superuser or self.page.depth > 2) and super().can_publish_subpage()
        return False

    def can_reorder_children(self):
        return self.user.is_superuser and super().can_reorder_children()

    def can_view_revisions(self):
        return self._may(super().can_view_revisions())


class DepartmentPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, narrowed to the structure and the user's own department's items."""

    def _walled(self, user) -> bool:
        return user.is_active and not user.is_superuser

    def explorable_instances(self, user):
        if not self._walled(user):
            return super().explorable_instances(user)
        # Wagtail's explorable set is every page under a grant (the roles' grants are on the root),
        # which here is narrowed to the structure and the user's own department's items.
        under_grants = Q(pk__in=[])
        for perm in self.get_cached_permissions_for_user(user):
            under_grants |= Q(path__startswith=perm.page.path)
        return self.model._default_manager.filter(under_grants).filter(admin_listed_q(user))

    def instances_user_has_any_permission_for(self, user, actions):
        pages = super().instances_user_has_any_permission_for(user, actions)
        if not self._walled(user):
            return pages
        dept = user_department_id(user)
        own = _owned_ids_q(dept) if dept is not None else Q(pk__in=[])
        # Permissions on structure are only ever used to add items under it.
        if "add" in actions:
            own |= ~_item_ids_q() & Q(depth__gt=2)
        return pages.filter(own)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        allowed = super().user_has_any_permission_for_instance(user, actions, instance)
        if not allowed or not self._walled(user):
            return allowed
        if is_item(instance):
            return owns(user, instance)
        return set(actions) <= {"add"} and instance.depth > 2

    def users_with_any_permission_for_instance(self, actions, instance, include_superusers=True):
        users = super().users_with_any_permission_for_instance(actions, instance, include_superusers)
        superusers = Q(is_superuser=True) if include_superusers else Q(pk__in=[])
        if not is_item(instance):
            return users.filter(superusers)
        dept = owning_department_id(instance)
        return users.filter(Q(department_id=dept) | superusers) if dept is not None else users.filter(superusers)


def register() -> None:
    """Install the tester and the policy for every page (called once, from ``PortalConfig.ready``).

    Wagtail builds a page's tester in ``Page.permissions_for_user`` from the ``PagePermissionTester`` name of
    ``wagtail.models.pages`` (there is no setting for it), so that name is pointed at ours: the root and the
    structural pages get the wall too, not only the page types this project defines.
    """

    wagtail.models.pages.PagePermissionTester = DepartmentPagePermissionTester
    policy = DepartmentPagePermissionPolicy(Page)
    register_permission_policy(AbstractPage, policy)
    wagtail.permissions.page_permission_policy = policy
