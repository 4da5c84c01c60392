"""Wagtail hooks of 镇（街道）综合执法: the admin URLs and the menu (联合执法、派驻执法中队)."""
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from townships import urls as admin_urls
from townships.views import may_use


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("townships/", include(admin_urls, namespace="townships_admin"))]


class TownshipMenuItem(MenuItem):
    def is_shown(self, request):
        return may_use(request.user)


@hooks.register("register_admin_menu_item")
def register_townships_menu():
    items = [
        TownshipMenuItem("联合执法", reverse("townships_admin:action_index"), name="townships-actions",
                         icon_name="group", order=10),
        TownshipMenuItem("派驻执法中队", reverse("townships_admin:squadron_index"), name="townships-squadrons",
                         icon_name="user", order=20),
    ]
    return SubmenuMenuItem("镇（街道）综合执法", Menu(items=items), name="townships", icon_name="home", order=165)
