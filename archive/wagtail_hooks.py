"""Wagtail hooks of the archive: admin URLs and menus, review buttons, the 回收站, ?date=.

Deleting a page in the admin (single or bulk) moves it to the 回收站 instead; pages in the
bin cannot be edited, moved, copied, published or given children until restored, and are
hidden from page choosers (and, for everyone but managers, from the explorer).
"""
from django.http import Http404
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.widgets.button import Button
from wagtail.models import Page

import archive.wordimport.hooks  # noqa: F401 - the Word import's admin URLs, menu item and buttons
from archive import admin_urls
from archive.admin_views import recycle_confirm_response, safe_next_url
from archive.permissions import can_review_page, is_manager
from archive.records import EXPIRE_ACTION
from archive.recycle import (
    RECYCLE_ACTION,
    RESTORE_ACTION,
    RecycleBinError,
    get_recycle_bin,
    in_recycle_bin,
    move_to_recycle_bin,
)
from archive.templatetags.archive_tags import dated_text_for
from portal import params
from portal.models import Department, RegulationPage
from portal.walls.access import can_view

IN_BIN_MESSAGE = "“{title}”在回收站中，不能{action}；请先由管理员恢复。"


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("archive/", include(admin_urls, namespace="archive_admin"))]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(RECYCLE_ACTION, "移入回收站", "移入回收站")
    actions.register_action(RESTORE_ACTION, "从回收站恢复", "从回收站恢复")
    actions.register_action(EXPIRE_ACTION, "有效性按日期更新", "有效性按生效、废止日期自动更新")


# --- menus and buttons ------------------------------------------------------------------

class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return is_manager(request.user)


class DepartmentHistoryMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("portal.view_department") or is_manager(request.user)


@hooks.register("register_admin_menu_item")
def register_recycle_bin_menu_item():
    return ManagerMenuItem("回收站", reverse("archive_admin:recycle_bin"), name="recycle-bin", icon_name="bin",
                           order=900)


@hooks.register("register_settings_menu_item")
def register_department_history_menu_item():
    return DepartmentHistoryMenuItem("部门变更记录", reverse("archive_admin:department_history_index"),
                                     name="department-history", icon_name="history", order=250)


class CompareRevisionsButton(PageMenuItem):
    label = "修改前后对照"
    icon_name = "doc-full"
    url_name = "archive_admin:compare_default"

    def is_shown(self, user):
        return can_review_page(user, self.page)


def _compare_button(page, priority):
    if issubclass(page.specific_class or Page, RegulationPage) and not in_recycle_bin(page):
        yield CompareRevisionsButton(page=page, priority=priority)


@hooks.register("register_page_header_buttons")
def page_header_compare_button(page, user, view_name, next_url=None):
    # The header of the edit view is where a reviewer acting on a workflow task stands,
    # and the history view shows the same header.
    yield from _compare_button(page, priority=66)


@hooks.register("register_page_listing_more_buttons")
def page_listing_compare_button(page, user, next_url=None):
    yield from _compare_button(page, priority=55)


@hooks.register("register_snippet_listing_buttons")
def department_history_button(snippet, user, next_url=None):
    if isinstance(snippet, Department):
        yield Button("变更记录", reverse("archive_admin:department_history", args=[snippet.pk]),
                     icon_name="history", priority=90)


# --- the 回收站 ---------------------------------------------------------------------------

def _refuse_in_bin(request, page, action: str):
    messages.error(request, IN_BIN_MESSAGE.format(title=page.get_admin_display_title(), action=action))
    return redirect("archive_admin:recycle_bin" if is_manager(request.user) else "wagtailadmin_home")


@hooks.register("before_delete_page")
def delete_into_recycle_bin(request, page):
    """Take over Wagtail's delete view: confirm, then move the page into the 回收站."""
    if in_recycle_bin(page):
        messages.error(request, f"“{page.get_admin_display_title()}”已在回收站中；彻底删除请在回收站中操作。")
        return redirect("archive_admin:recycle_bin" if is_manager(request.user) else "wagtailadmin_home")
    next_url = safe_next_url(request, request.GET.get("next") or request.POST.get("next", ""))
    if request.method != "POST":
        return recycle_confirm_response(request, page, next_url)
    parent_id = page.get_parent().pk
    try:
        entry = move_to_recycle_bin(page, request.user)
    except RecycleBinError as exc:
        messages.error(request, str(exc))
        return redirect("wagtailadmin_explore", parent_id)
    messages.success(request, f"已将“{entry.title}”移入回收站（共 {entry.page_count} 个页面），管理员可在回收站中恢复。")
    return redirect(next_url or reverse("wagtailadmin_explore", args=[parent_id]))


@hooks.register("before_bulk_action")
def bulk_delete_into_recycle_bin(request, action_type, objects, action_class_instance):
    """Wagtail's bulk delete of pages moves them into the 回收站 as well."""
    pages = [obj for obj in objects if isinstance(obj, Page)]
    if not pages:
        return None
    if action_type == "publish" and any(in_recycle_bin(p) for p in pages):
        messages.error(request, "所选页面中有回收站中的页面，不能发布；请先恢复。")
        return redirect(action_class_instance.next_url)
    if action_type != "delete":
        return None
    moved = 0
    for page in pages:
        try:
            move_to_recycle_bin(page, request.user)
            moved += 1
        except RecycleBinError as exc:
            messages.error(request, str(exc))
    if moved:
        messages.success(request, f"已将 {moved} 个页面（连同其下级页面）移入回收站，管理员可在回收站中恢复。")
    return redirect(action_class_instance.next_url)


@hooks.register("before_edit_page")
def refuse_edit_in_bin(request, page):
    if in_recycle_bin(page):
        return _refuse_in_bin(request, page, "编辑")


@hooks.register("before_create_page")
def refuse_create_in_bin(request, parent_page, page_class):
    if in_recycle_bin(parent_page):
        return _refuse_in_bin(request, parent_page, "添加子页面")


@hooks.register("before_move_page")
def refuse_move_in_bin(request, page, destination):
    if in_recycle_bin(page):
        return _refuse_in_bin(request, page, "移动（恢复请使用回收站中的“恢复”）")
    if in_recycle_bin(destination):
        messages.error(request, "不能把页面移动到回收站中；删除页面即会移入回收站。")
        return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_copy_page")
def refuse_copy_in_bin(request, page):
    if in_recycle_bin(page):
        return _refuse_in_bin(request, page, "复制")


@hooks.register("construct_explorer_page_queryset")
def hide_bin_from_explorer(parent_page, pages, request):
    bin_page = get_recycle_bin(create=False)
    if bin_page is None or is_manager(request.user):
        return pages
    return pages.exclude(path__startswith=bin_page.path)


@hooks.register("construct_page_chooser_queryset")
def hide_bin_from_choosers(pages, request):
    bin_page = get_recycle_bin(create=False)
    if bin_page is None:
        return pages
    return pages.exclude(path__startswith=bin_page.path)


# --- ?date= on regulation pages ----------------------------------------------------------

@hooks.register("on_serve_page")
def serve_text_in_force(next_serve_page):
    """Serve ``?date=YYYY-MM-DD`` on a regulation with the version in force on that date.

    The regulation's own template renders the version (``page`` is that revision's page
    object), so body, table of contents and metadata are those of that version; the banner
    comes from archive/includes/regulation_versions.html. Both the live page and the shown
    version must be visible to the user (portal.walls.access.can_view, via SharedInfoPage.serve).
    """
    def inner(page, request, args, kwargs):
        if isinstance(page, RegulationPage) and request.GET.get("date"):
            if not can_view(request.user, page):
                raise Http404("该文件不存在，或您没有查看权限。")
            params.require_date(request.GET["date"])  # a malformed date: 400, after the 404 that hides the page
            dated = dated_text_for(request, page)
            if dated.version is not None:
                return next_serve_page(dated.version.object, request, args, kwargs)
        return next_serve_page(page, request, args, kwargs)

    return inner
