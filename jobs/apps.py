from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Scheduled jobs (定时任务): the run log and the outgoing mail queue."""

    name = "jobs"
    label = "jobs"
    verbose_name = "定时任务"
    default_auto_field = "django.db.models.BigAutoField"
