"""Admin hooks of 法规更新: its URLs and its menu item (one door: 法规更新)."""
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from amendments import admin_urls


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("amendments/", include(admin_urls, namespace="amendments_admin"))]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return MenuItem("法规更新", reverse("amendments_admin:index"), name="amendments", icon_name="doc-full", order=850)
