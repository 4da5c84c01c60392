from django.apps import AppConfig


class SharingConfig(AppConfig):
    """The sharing clock of 二（四）3（1）: deadlines, 抄告 and reminders."""

    name = "sharing"
    label = "sharing"
    verbose_name = "信息共享时限与抄告"

    def ready(self):
        from sharing import notifications  # connects signals to models: only once the apps are loaded

        notifications.connect_signals()
