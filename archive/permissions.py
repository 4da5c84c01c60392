"""Who may do what in the archive's admin screens (the front end asks portal.walls.access)."""
from portal.roles import MANAGERS


def is_manager(user) -> bool:
    """Return True for users who may restore, purge and revert: superusers and the 管理员 group.

    The ``archive.manage_recycle_bin`` permission grants the same to any other group.
    """
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.has_perm("archive.manage_recycle_bin"):
        return True
    return user.groups.filter(name=MANAGERS).exists()


def can_review_page(user, page) -> bool:
    """Return True when the user may compare the page's revisions in the admin.

    The same rule as Wagtail's own revision compare view: whoever may edit or publish the
    page. Drafts are admin content, governed by Wagtail's page permissions (portal.walls.access
    governs only what the front end shows).
    """
    perms = page.permissions_for_user(user)
    return perms.can_edit() or perms.can_publish()
