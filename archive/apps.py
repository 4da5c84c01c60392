from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    label = "archive"
    verbose_name = "版本与归档"
    default_auto_field = "django.db.models.BigAutoField"
