"""Signal handlers that keep the index current, connected in ``SearchConfig.ready``.

Every handler only names the pages concerned and calls ``search.sync``, which reads their current
state; so a handler firing twice, or in an unexpected order, does no harm.

- published → the page's documents replaced (title, text, scope, metadata: all of it)
- unpublished (also on the way into the 回收站), deleted → its documents removed
- moved, slug changed → the page and its descendants (their URLs changed)
- a live page saved with only some fields (``expire_documents`` turning it 已废止) → re-indexed
- a department saved or deleted → synonyms reloaded; on a new name or code its pages re-indexed
- a document (attachment) saved with a new file or title, or deleted → the live pages linking to it re-indexed
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from portal.models import Department, InterpretationPage, NewsPage, SharedInfoPage
from portal.walls.documents import referencing_pages
from search import service, sync
from search.models import LexiconEntry

# Fields whose change alters what the index holds for a page saved outside a publish.
INDEXED_FIELDS = frozenset({"title", "validity", "scope", "department", "doc_number", "keywords", "category",
                            "publish_date", "formed_date", "summary", "live", "abolished_date", "effective_date"})


def on_published(sender, instance, **kwargs):
    sync.sync_page(instance.pk)


def on_unpublished(sender, instance, **kwargs):
    sync.sync_page(instance.pk)


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        sync.sync_page(instance.pk)


def on_page_moved(sender, instance, **kwargs):
    sync.sync_subtree(instance)


def on_slug_changed(sender, instance, **kwargs):
    sync.sync_subtree(instance)


def on_page_saved(sender, instance, created, update_fields=None, **kwargs):
    """Re-index a live page saved with only some of its fields, when those change the index.

    Full saves are left to ``page_published``: an editor's draft is saved to a revision, never to
    the page row, and a publish sends its own signal.
    """
    if created or not update_fields or not isinstance(instance, Page) or not instance.live:
        return
    if INDEXED_FIELDS & set(update_fields):
        sync.sync_page(instance.pk)


def _department_names(instance):
    return (instance.name, instance.code)


def on_department_pre_save(sender, instance, **kwargs):
    if instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("name", "code").first()
        instance._search_names_before = old


def on_department_saved(sender, instance, created, **kwargs):

    service.reload_departments()
    before = getattr(instance, "_search_names_before", None)
    if before is not None and before != _department_names(instance):

        ids = set(SharedInfoPage.objects.live().filter(department=instance).values_list("pk", flat=True))
        for model in (NewsPage, InterpretationPage):
            ids |= set(model.objects.live().filter(department=instance).values_list("pk", flat=True))
        sync.sync_pages(sorted(ids))


def on_department_deleted(sender, instance, **kwargs):

    service.reload_departments()


def on_document_saved(sender, instance, created, **kwargs):
    """Re-index the live pages linking to a changed document (its text is indexed with them)."""
    if created:
        return  # a new document is linked from no page yet; the page's publish indexes it
    pages, _ = referencing_pages(instance)
    ids = [page.pk for page in pages if page.live]
    if ids:
        sync.sync_pages(ids)


def on_document_pre_delete(sender, instance, **kwargs):
    pages, _ = referencing_pages(instance)  # read before Wagtail forgets the references
    instance._search_page_ids = [page.pk for page in pages if page.live]


def on_document_deleted(sender, instance, **kwargs):
    ids = getattr(instance, "_search_page_ids", [])
    if ids:
        sync.sync_pages(ids)


def on_lexicon_changed(sender, instance, **kwargs):
    service.reload_lexicon()  # the editor's entry counts from this process's next search on


def connect() -> None:
    """Connect the handlers (idempotent: each has a dispatch_uid)."""

    page_published.connect(on_published, dispatch_uid="search_page_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="search_page_unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="search_page_moved")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="search_page_slug_changed")
    post_delete.connect(on_page_deleted, dispatch_uid="search_page_deleted")
    post_save.connect(on_page_saved, dispatch_uid="search_page_saved")
    pre_save.connect(on_department_pre_save, sender=Department, dispatch_uid="search_department_pre_save")
    post_save.connect(on_department_saved, sender=Department, dispatch_uid="search_department_saved")
    post_delete.connect(on_department_deleted, sender=Department, dispatch_uid="search_department_deleted")
    post_save.connect(on_document_saved, sender=get_document_model(), dispatch_uid="search_document_saved")
    pre_delete.connect(on_document_pre_delete, sender=get_document_model(), dispatch_uid="search_document_pre_delete")
    post_delete.connect(on_document_deleted, sender=get_document_model(), dispatch_uid="search_document_deleted")
    post_save.connect(on_lexicon_changed, sender=LexiconEntry, dispatch_uid="search_lexicon_saved")
    post_delete.connect(on_lexicon_changed, sender=LexiconEntry, dispatch_uid="search_lexicon_deleted")
