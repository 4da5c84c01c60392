from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.urls import register_converter
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    label = "portal"
    verbose_name = "信息共享门户"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The project's modules import models: only once the apps are loaded.
        from portal import holidays, params, security
        from portal.models.workflow import connect_review_notifications
        from portal.roles import ensure_roles
        from portal.walls import files, permissions

        # Before any URLconf is imported: the project's patterns use <id:…> (ids the database can hold).
        register_converter(params.IdConverter, "id")
        post_migrate.connect(ensure_roles, sender=self)
        permissions.register()
        files.register()
        connect_review_notifications()
        holidays.connect()  # lib.workdays reads the stored 节假日安排 through it
        security.nonce_chooser_scripts()  # the admin's CSP has no 'unsafe-inline' for scripts


class PortalUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with the department on the user forms."""

    user_viewset = "portal.walls.users.PortalUserViewSet"
