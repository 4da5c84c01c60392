from django.apps import AppConfig


class TownshipsConfig(AppConfig):
    """镇（街道）属地管理 (二（二）) and 基层联合执法 (二（四）2): townships, joint actions, stationed squadrons."""

    name = "townships"
    label = "townships"
    verbose_name = "镇（街道）综合执法"
    default_auto_field = "django.db.models.BigAutoField"
