from django.apps import AppConfig


class CooperationConfig(AppConfig):
    """The directive's working systems: 联席会议, 案件移送, 首问负责 and information requests."""

    name = "cooperation"
    label = "cooperation"
    verbose_name = "协作机制"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Models load only once the apps are ready: the licence hold (二（四）3（4）) reads CaseTransfer.
        from cooperation.transfers import licence_hold_message
        from portal.models.enforcement import register_licence_hold

        register_licence_hold(licence_hold_message)
