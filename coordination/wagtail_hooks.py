"""Wagtail hooks of 区编办 and 区政府法制办's door: its admin URLs and its menu (协调监督)."""
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from coordination import admin_urls
from portal.walls import coordination as wall


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("coordination/", include(admin_urls, namespace="coordination_admin"))]


class DoorMenuItem(MenuItem):
    def is_shown(self, request):
        return wall.may_open_door(request.user)


class SupervisorMenuItem(MenuItem):
    def is_shown(self, request):
        return wall.supervises(request.user)


class CoordinationMenu(SubmenuMenuItem):
    def is_shown(self, request):
        return wall.may_open_door(request.user)


@hooks.register("register_admin_menu_item")
def register_coordination_menu():
    items = [
        DoorMenuItem("争议协调", reverse("coordination_admin:dispute_index"), name="coordination-disputes",
                     icon_name="resubmit", order=10),
        DoorMenuItem("责任追究", reverse("coordination_admin:case_index"), name="coordination-accountability",
                     icon_name="warning", order=20),
        SupervisorMenuItem("监督检查", reverse("coordination_admin:supervision"), name="coordination-supervision",
                           icon_name="view", order=30),
    ]
    return CoordinationMenu("协调监督", Menu(items=items), name="coordination", icon_name="resubmit", order=165)
