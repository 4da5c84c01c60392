"""Signal handlers of 法规更新, connected in ``AmendmentsConfig.ready``: a law or 公文 published → its impact recorded."""
from __future__ import annotations

from wagtail.signals import page_published

from amendments import services
from portal.models import RegulationPage


def on_regulation_published(sender, instance, revision=None, **kwargs):
    services.record_new_version(instance, revision)


def connect() -> None:
    page_published.connect(on_regulation_published, sender=RegulationPage, dispatch_uid="amendments-published")
