"""法规更新: when a new version of a held law or 公文 is published, what of the portal's documents cites a
provision it changed, renumbered or repealed, who is told, and how each citing place is dealt with.

- ``services``: the impact of a new version recorded (``record_new_version``), the owners told,
  a renumbered citation updated in place (a new revision), a changed or repealed one marked reviewed
- ``models``: ``Amendment`` (one new version) and ``CitationImpact`` (one citing place)
- ``signals``: ``page_published`` of a RegulationPage → ``services.record_new_version``
- ``admin_views``: the 法规更新 admin page, visible per scope (portal.walls)
"""
from django.apps import AppConfig


class AmendmentsConfig(AppConfig):
    name = "amendments"
    label = "amendments"
    verbose_name = "法规更新"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from amendments import signals  # connects signals to models: only once the apps are loaded

        signals.connect()
