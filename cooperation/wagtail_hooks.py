"""Wagtail hooks of the working systems: admin URLs and menu, the admin home panel, document downloads."""
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import Collection

from cooperation.admin_screens import urls as admin_urls
from cooperation.files import COLLECTION_NAME, may_download
from cooperation.pending import dashboard_items
from cooperation.permissions import can_use


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("cooperation/", include(admin_urls, namespace="cooperation_admin"))]


class CooperationMenuItem(MenuItem):
    def is_shown(self, request):
        return can_use(request.user)


@hooks.register("register_admin_menu_item")
def register_cooperation_menu():
    items = [
        ("待办事项", reverse("cooperation:pending"), "tasks", "pending"),
        ("联席会议", reverse("cooperation_admin:meeting_index"), "group", "meetings"),
        ("专题会议议题", reverse("cooperation_admin:special_topic_index"), "comment", "special-topics"),
        ("交办事项台账", reverse("cooperation_admin:task_index"), "list-ul", "tasks"),
        ("案件移送", reverse("cooperation_admin:transfer_index"), "arrow-right-full", "transfers"),
        ("配合取证、认定、鉴定", reverse("cooperation_admin:assistance_index"), "search", "assistance"),
        ("处罚决定抄告", reverse("cooperation_admin:penalty_notice_index"), "mail", "penalty-notices"),
        ("首问负责登记", reverse("cooperation_admin:complaint_index"), "help", "complaints"),
        ("信息请求", reverse("cooperation_admin:request_index"), "mail", "requests"),
        ("案情通报", reverse("cooperation_admin:briefing_index"), "mail", "briefings"),
        ("协作统计", reverse("cooperation:statistics"), "table", "statistics"),
    ]
    menu = Menu(items=[CooperationMenuItem(label, url, name=f"cooperation-{name}", icon_name=icon, order=i * 10)
                       for i, (label, url, icon, name) in enumerate(items)])
    return SubmenuMenuItem("协作机制", menu, name="cooperation", icon_name="site", order=160)


@hooks.register("insert_global_admin_css")
def cooperation_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cooperation/cooperation.css"))


class PendingPanel(Component):
    """The admin home page's list of the user's pending cooperation actions (overdue ones first)."""

    name = "cooperation_pending"
    template_name = "cooperation/admin/home_panel.html"
    order = 60

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        items = dashboard_items(self.user)
        return {"items": items[:10], "more": max(len(items) - 10, 0), "pending_url": reverse("cooperation:pending")}


@hooks.register("construct_homepage_panels")
def add_pending_panel(request, panels):
    if can_use(request.user):
        panels.append(PendingPanel(request.user))


@hooks.register("before_serve_document")
def guard_cooperation_documents(document, request):
    """Transfer materials and provided information: only the departments involved may download them (404 else)."""
    allowed = may_download(request.user, document)
    if allowed is None or allowed:
        return None

    return render(request, "404.html", status=404)


@hooks.register("construct_document_chooser_queryset")
def hide_cooperation_documents_from_choosers(documents, request):
    # Materials belong to their transfer; they must not be picked into pages. By collection id: a chooser
    # search runs this filter in the search backend, which can filter on ``collection`` but not follow it.
    collections = list(Collection.objects.filter(name=COLLECTION_NAME).values_list("pk", flat=True))
    return documents.exclude(collection__in=collections)
