from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    label = "portal"
    verbose_name = "信息共享门户"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate
        from django.urls import register_converter

        from portal import holidays, media_permissions, notifications, pagecache, params, permissions
        from portal.models.workflow import connect_review_notifications
        from portal.roles import ensure_roles

        # Before any URLconf is imported: the project's patterns use <id:…> (ids the database can hold).
        register_converter(params.IdConverter, "id")
        post_migrate.connect(ensure_roles, sender=self)
        pagecache.connect_signals()
        notifications.connect_signals()
        permissions.register()
        media_permissions.register()
        connect_review_notifications()
        holidays.connect()  # portal.workdays reads the stored 节假日安排 through it


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with the department on the user forms."""

    user_viewset = "portal.users.PortalUserViewSet"
