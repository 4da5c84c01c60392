"""Signal handlers that keep the citation index current, connected in ``CitationsConfig.ready``.

- a page published → what it cites rebuilt (``index.rebuild_page``); a law or 公文 also re-anchors
  the rows that cite it
- a page unpublished (also on the way into the 回收站) → what it cites dropped; rows citing it stay and
  come back into use when it is published again
- a law or 公文 saved, published, unpublished or deleted → the process's title index dropped
Rows of a deleted page go with it (foreign keys, on delete cascade).
"""
from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from citations import index
from citations.models import Citation
from portal.models import RegulationPage


def on_published(sender, instance, **kwargs):
    index.forget()
    index.rebuild_page(instance)


def on_unpublished(sender, instance, **kwargs):
    index.forget()
    Citation.objects.filter(citing_page_id=instance.pk).delete()


def on_regulation_changed(sender, instance, **kwargs):
    index.forget()


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="citations-published")
    page_unpublished.connect(on_unpublished, dispatch_uid="citations-unpublished")
    post_save.connect(on_regulation_changed, sender=RegulationPage, dispatch_uid="citations-regulation-saved")
    post_delete.connect(on_regulation_changed, sender=RegulationPage, dispatch_uid="citations-regulation-deleted")
