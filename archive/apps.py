from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "archive"
    label = "archive"
    verbose_name = "版本与归档"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Wagtail's compare view diffs runs of letters, and every Chinese character is a
        # letter; see archive.admin_compare for why this is a replacement of diff_text.
        from archive import admin_compare

        admin_compare.install()
