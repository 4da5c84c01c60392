"""Who may download a document: as confidential as the most confidential page that uses it.

Wagtail serves documents at /documents/<id>/<filename> (``WAGTAILDOCS_SERVE_METHOD
= "serve_view"``, so every download passes through Django); the
``before_serve_document`` hook asks ``can_download`` and answers 404 on refusal.

A document is visible to a user when Wagtail's ReferenceIndex shows it used
only by pages the user may see (``portal.walls.access.can_view``), live ones for the
public. A document no page uses, or one also used by anything else (a
snippet), is for signed-in staff only. Superusers may download everything, 不予共享
attachments included, which nobody else may fetch through the portal.
"""
from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex

from portal.walls.access import can_view, is_staff_member


def referencing_pages(document) -> tuple[list[Page], bool]:
    """Return (the specific pages that reference the document, whether anything other than a page does)."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids, other = set(), False
    for base_type_id, object_id in ReferenceIndex.get_references_to(document).values_list(
        "base_content_type_id", "object_id"
    ):
        if base_type_id == page_type.pk:
            page_ids.add(int(object_id))
        else:
            other = True
    pages = list(Page.objects.filter(pk__in=page_ids).specific())
    # A reference to a page that no longer exists is stale; it grants nothing.
    return pages, other or len(pages) != len(page_ids)


def can_download(user, document) -> bool:
    """Return True when the user may download the document (see the module docstring for the rule)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    pages, other = referencing_pages(document)
    staff = is_staff_member(user)
    if not pages:
        return staff
    # Drafts are staff business: a page not yet live lends its visibility to staff only.
    visible = all((page.live or staff) and can_view(user, page) for page in pages)
    return visible and (staff or not other)
