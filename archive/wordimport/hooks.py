"""Wagtail hooks of the Word import: its admin URLs, a menu item and a button on the laws sections.

Imported from archive/wagtail_hooks.py, which Wagtail loads.
"""
from django.urls import path, reverse
from django.utils.http import urlencode
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from archive.wordimport import views as import_views
from portal.models import CategoryIndexPage, RegulationPage


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("import/docx/", import_views.import_docx, name="archive_import_docx"),
        path("import/docx/confirm/", import_views.import_docx_confirm, name="archive_import_docx_confirm"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return import_views.can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem("导入Word文件", reverse("archive_import_docx"), name="import-docx",
                          icon_name="doc-full-inverse", order=350)


class ImportDocxButton(PageMenuItem):
    label = "导入Word文件"
    icon_name = "doc-full-inverse"

    @property
    def url(self):
        return reverse("archive_import_docx") + "?" + urlencode({"parent": self.page.pk})

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_add_subpage()


def _import_button(page, priority):
    specific_class = page.specific_class
    if specific_class is not None and issubclass(specific_class, CategoryIndexPage) \
            and RegulationPage.can_create_at(page) and page.specific.section == CategoryIndexPage.Section.LAWS:
        yield ImportDocxButton(page=page, priority=priority)


@hooks.register("register_page_header_buttons")
def page_header_import_button(page, user, view_name, next_url=None):
    yield from _import_button(page, priority=15)


@hooks.register("register_page_listing_more_buttons")
def page_listing_import_button(page, user, next_url=None):
    yield from _import_button(page, priority=15)
