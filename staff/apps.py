from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The /staff/ screens: dashboard, supervision, browsing, discretion lookup, workflow diagrams."""

    name = "staff"
    label = "staff"
    verbose_name = "工作人员门户"
