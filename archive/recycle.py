"""Nothing lost: deleting a page moves it, with its children and revisions, into the 回收站.

The bin is one RecycleBinPage under the tree root, outside every site, so nothing below it
can be routed to; pages are unpublished on the way in, so no ``live()`` listing, feed or
search index shows them. Wagtail keeps revisions and log entries by page id, and a move
keeps the id: restoring is a move back, then the pages that were live are published again
with the very revisions that were live. Only ``purge`` destroys anything.
"""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.actions.delete_page import DeletePageAction
from wagtail.actions.move_page import MovePageAction
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page, Revision, Site, WorkflowState

from archive.models import RecycleBinEntry, RecycleBinPage

RECYCLE_ACTION = "archive.recycle"
RESTORE_ACTION = "archive.restore"


class RecycleBinError(Exception):
    """Raised when a bin operation cannot be done; the message is Chinese, for the user."""


class NewParentRequired(RecycleBinError):
    """Raised by ``restore`` when the original parent is gone: the user must pick a new one."""


def get_recycle_bin(create: bool = True) -> RecycleBinPage | None:
    """Return the 回收站 container page, creating it under the tree root on first use."""
    bin_page = RecycleBinPage.objects.first()
    if bin_page is None and create:
        root = Page.get_first_root_node()
        bin_page = RecycleBinPage(title="回收站", slug="recycle-bin", live=False, show_in_menus=False)
        root.add_child(instance=bin_page)
    return bin_page


def in_recycle_bin(page) -> bool:
    """Return True for the bin itself and every page below it."""
    bin_page = get_recycle_bin(create=False)
    return bool(bin_page and page.path.startswith(bin_page.path))


def recycled_pages():
    """Return a queryset of the bin and all pages in it (empty when there is no bin yet)."""
    bin_page = get_recycle_bin(create=False)
    if bin_page is None:
        return Page.objects.none()
    return Page.objects.descendant_of(bin_page, inclusive=True)


def move_to_recycle_bin(page, user=None) -> RecycleBinEntry:
    """Return the entry recording that ``page`` (with its descendants) was moved into the bin.

    Unpublishes every live page of the subtree, cancels their workflows and scheduled
    publications (a page in the bin must not go live by itself), then moves it.
    """
    page = Page.objects.get(pk=page.pk)
    if in_recycle_bin(page):
        raise RecycleBinError(f"“{page.get_admin_display_title()}”已在回收站中；如需彻底删除，请在回收站中操作。")
    if page.is_root() or Site.objects.filter(root_page=page).exists():
        raise RecycleBinError(f"“{page.get_admin_display_title()}”是站点的根页面，不能删除。")
    bin_page = get_recycle_bin()
    with transaction.atomic():
        parent = page.get_parent()
        next_sibling = page.get_next_sibling()
        subtree = Page.objects.descendant_of(page, inclusive=True)
        page_ids = [str(pk) for pk in subtree.values_list("pk", flat=True)]
        live_revisions = {
            str(pk): revision_id
            for pk, revision_id in subtree.filter(live=True, live_revision__isnull=False).values_list(
                "pk", "live_revision_id"
            )
        }
        page_type = ContentType.objects.get_for_model(Page)
        for state in WorkflowState.objects.active().filter(base_content_type=page_type, object_id__in=page_ids):
            state.cancel(user=user)
        Revision.page_revisions.filter(object_id__in=page_ids).update(approved_go_live_at=None)
        # One by one rather than include_descendants: Wagtail skips descendants the user
        # may not unpublish, and a live page in the bin would stay in every listing.
        for live_page in subtree.live().specific().order_by("path"):
            UnpublishPageAction(live_page, user=user).execute(skip_permission_checks=True)
        entry = RecycleBinEntry.objects.create(
            page=page,
            title=page.get_admin_display_title(),
            original_parent=parent,
            original_next_sibling=next_sibling,
            original_url_path=page.url_path,
            original_parent_title=parent.get_admin_display_title(),
            live_revisions=live_revisions,
            page_count=len(page_ids),
            deleted_by=user if user and user.is_authenticated else None,
        )
        MovePageAction(page, bin_page, pos="last-child", user=user).execute(skip_permission_checks=True)
        log(
            instance=page.specific_deferred,
            action=RECYCLE_ACTION,
            user=user,
            data={"parent": {"id": parent.pk, "title": entry.original_parent_title}, "pages": len(page_ids)},
        )
    return entry


def allowed_new_parents(entry: RecycleBinEntry):
    """Return the pages outside the bin under which the entry's page may be restored."""
    page = entry.page.specific_deferred
    candidates = Page.objects.type(*page.specific_class.allowed_parent_page_models())
    bin_page = get_recycle_bin(create=False)
    if bin_page is not None:
        candidates = candidates.not_descendant_of(bin_page, inclusive=True)
    return [parent for parent in candidates.order_by("path") if page.can_move_to(parent)]


def original_parent_available(entry: RecycleBinEntry) -> bool:
    """Return True when the page can go back under the parent it was deleted from."""
    # Fetched afresh: a cached parent may have moved into the bin since the entry was loaded.
    parent = Page.objects.filter(pk=entry.original_parent_id).first() if entry.original_parent_id else None
    return parent is not None and not in_recycle_bin(parent)


def restore(entry: RecycleBinEntry, user=None, new_parent=None) -> Page:
    """Return the page moved back where it was (or under ``new_parent``) and republished.

    Raises NewParentRequired when the original parent was purged or is itself in the bin
    and no ``new_parent`` is given; RecycleBinError when the place cannot take the page.
    """
    page = Page.objects.get(pk=entry.page_id)
    if new_parent is None:
        if not original_parent_available(entry):
            raise NewParentRequired(
                f"“{entry.title}”原来的上级页面“{entry.original_parent_title}”已不存在或也在回收站中，请选择新的位置。"
            )
        parent = Page.objects.get(pk=entry.original_parent_id)
    else:
        parent = Page.objects.get(pk=new_parent.pk)
        if in_recycle_bin(parent) or parent.pk not in {p.pk for p in allowed_new_parents(entry)}:
            raise RecycleBinError(f"“{entry.title}”不能放在“{parent.get_admin_display_title()}”下，请另选位置。")
    if not Page._slug_is_available(page.slug, parent, page):
        raise RecycleBinError(
            f"“{parent.get_admin_display_title()}”下已有网址（slug）为“{page.slug}”的页面，"
            "恢复后网址会冲突；请先修改那个页面的网址，或选择新的位置。"
        )
    with transaction.atomic():
        sibling = Page.objects.filter(pk=entry.original_next_sibling_id).first() if entry.original_next_sibling_id else None
        if sibling is not None and parent.pk == entry.original_parent_id and sibling.get_parent().pk == parent.pk:
            MovePageAction(page, sibling, pos="left", user=user).execute(skip_permission_checks=True)
        else:
            MovePageAction(page, parent, pos="last-child", user=user).execute(skip_permission_checks=True)
        republished = 0
        revisions = Revision.page_revisions.filter(pk__in=entry.live_revisions.values()).in_bulk()
        # Parents first, so a child is never live below an unpublished parent, even briefly.
        for pk in Page.objects.filter(pk__in=[int(k) for k in entry.live_revisions]).order_by("path").values_list(
            "pk", flat=True
        ):
            revision = revisions.get(entry.live_revisions[str(pk)])
            if revision is not None and revision.object_id == str(pk):
                revision.publish(user=user, log_action=False, skip_permission_checks=True)
                republished += 1
        page = Page.objects.get(pk=page.pk)
        log(
            instance=page.specific_deferred,
            action=RESTORE_ACTION,
            user=user,
            data={"parent": {"id": parent.pk, "title": parent.get_admin_display_title()}, "republished": republished},
        )
        entry.delete()
    return page


def purge(entry: RecycleBinEntry, user=None) -> int:
    """Delete the entry's page and its descendants for good; return how many pages went."""
    page = entry.page.specific
    if not in_recycle_bin(page):
        raise RecycleBinError("只能彻底删除回收站中的页面。")
    count = page.get_descendant_count() + 1
    with transaction.atomic():
        DeletePageAction(page, user=user).execute(skip_permission_checks=True)
    return count
