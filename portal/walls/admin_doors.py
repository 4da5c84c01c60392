"""The department wall at the door of every admin URL that names a page or a file, and the view log of admin openings.

``portal.walls.permissions`` decides what a user may do with a page; Wagtail's views ask it, but several of
them (the explorer of a page, history, usage, revisions, workflow history, the admin API detail) show a
page's title before or without asking, and none of them writes 查看记录.  This middleware runs before
every admin view: a URL that names a page the user may not open in the admin answers 404 — the same
answer as a page that does not exist — and is logged as refused; a successful opening of a 部门内部 /
不予共享 item is written to 查看记录 (周政办字〔2018〕18号 二（四）5: 不得泄露 … 国家秘密、商业秘密和个人隐私).

Files (documents and images) get the same door: a URL naming a file of another department answers
404, and one that would edit, replace or delete a case file (portal.walls.files) answers 403
with the reason in Chinese instead of reaching Wagtail's views (a protected delete used to be a 500).
The admin API's documents and images endpoints list every file and serve no admin screen: superusers only.
"""
from __future__ import annotations

import functools

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from cooperation.files import is_case_file
from portal import params
from portal.models.enforcement import LicenceHeld
from portal.walls import audit
from portal.walls.files import CASE_FILE_LOCKED, same_department
from portal.walls.permissions import admin_can_open

# URL keyword arguments that are page ids, wherever they appear under /admin/.
PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
# Views whose ``pk`` is a page id.
PAGE_PK_VIEWS = ("wagtailadmin_api:pages:", "wagtailadmin_pages:revisions_compare")
# Reports that summarise every page of the site (counts and the last edited page of each type).
SUPERUSER_ONLY_VIEWS = {"wagtailadmin_reports:page_types_usage", "wagtailadmin_reports:page_types_usage_results"}
# URL keyword arguments naming a document or an image, by URL namespace.
FILE_ID_KWARGS = {"wagtaildocs": ("document_id", "doc_id"), "wagtailimages": ("image_id",)}
# File URLs that change or delete the file (editing changes it on POST only).
FILE_DELETE_VIEWS = {"wagtaildocs:delete", "wagtaildocs:delete_multiple",
                     "wagtailimages:delete", "wagtailimages:delete_multiple"}
FILE_EDIT_VIEWS = {"wagtaildocs:edit", "wagtaildocs:edit_multiple", "wagtailimages:edit", "wagtailimages:edit_multiple"}
SUPERUSER_ONLY_PREFIXES = ("wagtailadmin_api:documents:", "wagtailadmin_api:images:")


def _page_ids(view_name: str, kwargs: dict) -> list[int] | None:
    """Return the page ids the admin URL names, or None when one is not a valid id (the URL names no page)."""
    values = [kwargs[k] for k in PAGE_ID_KWARGS if k in kwargs]
    if "pk" in kwargs and view_name.startswith(PAGE_PK_VIEWS):
        values.append(kwargs["pk"])
    if view_name.startswith("wagtailadmin_editing_sessions:") and kwargs.get("app_label") == "wagtailcore":
        values.append(kwargs.get("object_id", ""))
    ids = [params.int_param(value, minimum=0) for value in values]
    return None if None in ids else ids


def _bulk_page_ids(request) -> list[int] | None:
    values = request.GET.getlist("id")
    if "all" in values:
        return []
    ids = [params.int_param(text, minimum=0) for text in values]
    return None if None in ids else ids


@functools.cache
def _admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def _file(view_name: str, kwargs: dict):
    """Return (model, id) of the file an admin URL names, (model, None) for an invalid id, or None."""

    namespace = view_name.split(":", 1)[0]
    for key in FILE_ID_KWARGS.get(namespace, ()):
        if key in kwargs:
            model = get_document_model() if namespace == "wagtaildocs" else get_image_model()
            return model, params.int_param(kwargs[key], minimum=1)
    return None


def _file_door(request, view_name: str, kwargs: dict):
    """Return a refusal for an admin URL naming a file the user may not manage, else None."""
    named = _file(view_name, kwargs)
    if named is None:
        return None
    model, pk = named
    instance = model.objects.filter(pk=pk).select_related("uploaded_by_user").first() if pk else None
    if instance is None:
        return render(request, "404.html", status=404)
    if not (request.user.is_superuser or same_department(request.user, instance)):
        return render(request, "404.html", status=404)
    mutating = view_name in FILE_DELETE_VIEWS or (view_name in FILE_EDIT_VIEWS and request.method == "POST")
    if mutating:

        if is_case_file(instance):
            return render(request, "portal/admin/file_locked.html", {"file": instance, "message": CASE_FILE_LOCKED},
                          status=403)
    return None


def _refuse(request, page=None):
    audit.log_refusal(request, page)
    return render(request, "404.html", status=404)


class AdminPageWallMiddleware:
    """Refuse (404, logged) admin URLs naming a page the user may not open; log openings of non-public items."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        opened = getattr(request, "_admin_opened_pages", None)
        if opened:
            if response.status_code == 200 and request.method == "GET":
                for page in opened:
                    audit.log_view(request, page, admin=True)
            elif response.status_code == 403:
                for page in opened:
                    audit.log_refusal(request, page)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.path.startswith(_admin_prefix()):
            return None
        user = request.user
        if not user.is_authenticated:
            return None  # Wagtail sends the visitor to the login page
        view_name = match.view_name
        if (view_name in SUPERUSER_ONLY_VIEWS or view_name.startswith(SUPERUSER_ONLY_PREFIXES)) \
                and not user.is_superuser:
            return _refuse(request)
        refusal = _file_door(request, view_name, view_kwargs)
        if refusal is not None:
            return refusal
        if view_name == "wagtail_bulk_action" and view_kwargs.get("app_label") == "wagtailcore":
            ids = _bulk_page_ids(request)
        else:
            ids = _page_ids(view_name, view_kwargs)
        if ids is None:
            return _refuse(request)
        pages = []
        for page in Page.objects.filter(pk__in=ids).specific(defer=True):
            if not admin_can_open(user, page):
                return _refuse(request, page)
            pages.append(page)
        request._admin_opened_pages = pages
        return None


class LicenceHeldMiddleware:
    """Turn a 行政许可 publish refused by a hold (二（四）3（4）) into its Chinese reason on the page's edit screen.

    The edit form refuses before anything is saved; a workflow approval, a bulk publish or any other admin
    action that publishes reaches ``LicenceDecisionPage.publish``, which raises ``LicenceHeld`` (its
    transaction rolled back: the task stays in review).  Without this the reviewer would see a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, LicenceHeld) or not request.path.startswith(_admin_prefix()):
            return None
        messages.error(request, f"未能发布：{exception.text}")
        return redirect(reverse("wagtailadmin_pages:edit", args=[exception.page.pk]))

