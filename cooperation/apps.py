from django.apps import AppConfig


class CooperationConfig(AppConfig):
    """The directive's working systems: 联席会议, 案件移送, 首问负责 and information requests."""

    name = "cooperation"
    label = "cooperation"
    verbose_name = "协作机制"
    default_auto_field = "django.db.models.BigAutoField"
