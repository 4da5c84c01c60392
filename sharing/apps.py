from django.apps import AppConfig


class SharingConfig(AppConfig):
    """The sharing clock of 二（四）5 (当日内互通，最长不超过5个工作日): deadlines, 抄告 and reminders."""

    name = "sharing"
    label = "sharing"
    verbose_name = "信息共享时限与抄告"

    def ready(self):
        from sharing import notifications  # connects signals to models: only once the apps are loaded

        notifications.connect_signals()
