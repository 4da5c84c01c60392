from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "全文检索"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import signals  # connects signals to models: only once the apps are loaded

        signals.connect()
