from django.apps import AppConfig


class CitationsConfig(AppConfig):
    """The citation index: rebuilt for a page when it is published."""

    name = "citations"
    label = "citations"
    verbose_name = "引用"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from citations import signals  # connects signals to models: only once the apps are loaded

        signals.connect()
