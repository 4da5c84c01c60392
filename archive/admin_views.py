"""Admin screens: 修改前后对照 of revisions, the 回收站, and department history.

Views only read the request, call archive's plain functions and render. Admin refusals
answer 404 with a Chinese message, like the public ones, so a URL does not reveal whether
a page or revision exists.
"""
import functools

from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.models import Page, Revision

from archive.history import HISTORY_TYPES, record_changes, revert_to
from archive.models import RecycleBinEntry
from archive.permissions import can_review_page, is_manager
from archive.recycle import (
    NewParentRequired,
    RecycleBinError,
    allowed_new_parents,
    original_parent_available,
    purge,
    restore,
)
from archive.review import review_versions
from portal import params
from portal.models import Department, RegulationPage

PAGE_NOT_FOUND = "页面不存在，或您没有查看其修订记录的权限。"
REVISION_NOT_FOUND = "所请求的修订版本不存在，或不属于该页面。"
MANAGERS_ONLY = "只有管理员可以进行此操作。"


def _admin_context(title: str, **context) -> dict:
    return {"page_title": title, "header_title": title, **context}


def chinese_404(view):
    """Answer Http404 raised by an admin view with its Chinese reason, in the admin's frame."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as exc:
            message = str(exc) if exc.args else "页面不存在。"
            return render(request, "archive/admin/not_found.html",
                          _admin_context("页面不存在", message=message), status=404)

    return wrapper


# --- 修改前后对照 --------------------------------------------------------------------------

def _reviewable_regulation(request, page_id: int) -> RegulationPage:
    page = RegulationPage.objects.filter(pk=page_id).first()
    if page is None or not can_review_page(request.user, page):
        raise Http404(PAGE_NOT_FOUND)
    return page


def default_revision_pair(page) -> tuple[int, int] | None:
    """Return (old, new) revision ids a reviewer wants first, or None with fewer than two.

    A draft awaiting review is compared with what is live; otherwise the latest revision
    with the one before it.
    """
    latest = page.latest_revision_id
    if latest and page.live_revision_id and page.live_revision_id != latest:
        return page.live_revision_id, latest
    ids = list(Revision.page_revisions.filter(object_id=str(page.pk)).order_by("-created_at", "-pk")
               .values_list("pk", flat=True)[:2])
    return (ids[1], ids[0]) if len(ids) == 2 else None


@chinese_404
def compare_default(request, page_id: int):
    """The 修改前后对照 a reviewer lands on from the page header: see default_revision_pair."""
    page = _reviewable_regulation(request, page_id)
    pair = default_revision_pair(page)
    if pair is None:
        return render(request, "archive/admin/compare.html", _admin_context(
            f"修改前后对照：{page.get_admin_display_title()}", page=page, revisions=_revision_choices(page)))
    return redirect("archive_admin:compare", page.pk, *pair)


def _revision_choices(page) -> list[dict]:
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).select_related("user").order_by("-created_at", "-pk")
    choices = []
    for revision in revisions:
        marks = []
        if revision.pk == page.live_revision_id:
            marks.append("已发布")
        if revision.pk == page.latest_revision_id:
            marks.append("最新")
        user = revision.user.get_full_name() if revision.user else "系统"
        created = timezone.localtime(revision.created_at)
        choices.append({"id": revision.pk, "label": f"{created:%Y-%m-%d %H:%M} · {user}"
                        + (f"（{'、'.join(marks)}）" if marks else "")})
    return choices


@chinese_404
def compare(request, page_id: int, rev_a: int, rev_b: int):
    """修改前后对照 of two revisions of a regulation (any revisions, drafts included)."""
    page = _reviewable_regulation(request, page_id)
    revisions = Revision.page_revisions.filter(object_id=str(page.pk), pk__in=[rev_a, rev_b]).in_bulk()
    if rev_a not in revisions or rev_b not in revisions:
        raise Http404(REVISION_NOT_FOUND)
    old, new = revisions[rev_a], revisions[rev_b]
    return render(request, "archive/admin/compare.html", _admin_context(
        f"修改前后对照：{page.get_admin_display_title()}",
        page=page,
        old=old,
        new=new,
        review=review_versions(old.as_object(), new.as_object()),
        revisions=_revision_choices(page),
        only_changed=request.GET.get("changed") == "1",
        wagtail_compare_url=reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, rev_a, rev_b)),
    ))


@chinese_404
def compare_choose(request, page_id: int):
    """Redirect the revision chooser form (?from=&to=) to the comparison."""
    page = _reviewable_regulation(request, page_id)
    old = params.id_or_404(request.GET.get("from"), REVISION_NOT_FOUND)
    new = params.id_or_404(request.GET.get("to"), REVISION_NOT_FOUND)
    return redirect("archive_admin:compare", page.pk, old, new)


# --- 回收站 -----------------------------------------------------------------------------

def _require_manager(request):
    if not is_manager(request.user):
        raise Http404(MANAGERS_ONLY)


@chinese_404
def recycle_bin_index(request):
    """The pages in the 回收站, newest deletion first, with 恢复 and 彻底删除."""
    _require_manager(request)
    entries = RecycleBinEntry.objects.select_related("deleted_by", "original_parent", "page")
    return render(request, "archive/admin/recycle_bin.html", _admin_context("回收站", entries=entries))


@chinese_404
def recycle_restore(request, entry_id: int):
    """GET: confirm (and pick a new parent if the old one is gone); POST: restore."""
    _require_manager(request)
    entry = get_object_or_404(RecycleBinEntry, pk=entry_id)
    needs_parent = not original_parent_available(entry)
    parents = allowed_new_parents(entry) if needs_parent or request.GET.get("choose") else []
    error, status = "", 200
    if request.method == "POST":
        new_parent = None
        raw_parent = request.POST.get("parent", "").strip()
        if raw_parent:
            parent_id = params.int_param(raw_parent)
            new_parent = Page.objects.filter(pk=parent_id).first() if parent_id else None
            if new_parent is None:
                error, status = "所选位置不存在，请重新选择。", 400
        if not error:
            try:
                page = restore(entry, request.user, new_parent=new_parent)
            except NewParentRequired as exc:
                error = str(exc)
                parents = allowed_new_parents(entry)
                needs_parent = True
            except RecycleBinError as exc:
                error = str(exc)
                parents = parents or allowed_new_parents(entry)
            else:
                messages.success(request, f"已将“{entry.title}”恢复到“{page.get_parent().get_admin_display_title()}”下。")
                return redirect("wagtailadmin_explore", page.get_parent().pk)
    return render(request, "archive/admin/recycle_restore.html", _admin_context(
        f"恢复：{entry.title}", entry=entry, needs_parent=needs_parent, parents=parents, error=error), status=status)


@chinese_404
def recycle_purge(request, entry_id: int):
    """GET: confirm; POST: delete the page and its descendants for good."""
    _require_manager(request)
    entry = get_object_or_404(RecycleBinEntry, pk=entry_id)
    if request.method == "POST":
        if request.POST.get("confirm_title", "").strip() != entry.title:
            messages.error(request, "请输入页面标题以确认彻底删除。")
        else:
            try:
                count = purge(entry, request.user)
            except RecycleBinError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已彻底删除“{entry.title}”（共 {count} 个页面），无法再恢复。")
                return redirect("archive_admin:recycle_bin")
    return render(request, "archive/admin/recycle_purge.html", _admin_context(f"彻底删除：{entry.title}", entry=entry))


def recycle_confirm_response(request, page, next_url: str = ""):
    """Return the admin page that replaces Wagtail's delete confirmation: 移入回收站."""
    return render(request, "archive/admin/confirm_recycle.html", _admin_context(
        f"删除：{page.get_admin_display_title()}",
        page=page,
        descendant_count=page.get_descendant_count(),
        next=next_url,
    ))


# --- 部门变更记录 (django-simple-history) ------------------------------------------------------

def _require_department_viewer(request):
    if not (request.user.has_perm("portal.view_department") or is_manager(request.user)):
        raise Http404("您没有查看部门变更记录的权限。")


@chinese_404
def department_history_index(request):
    """Every department with recorded history, including deleted ones."""
    _require_department_viewer(request)
    rows = Department.history.values("id").annotate(changes=Count("history_id"), last=Max("history_date")).order_by("-last")
    existing = set(Department.objects.values_list("pk", flat=True))
    departments = [
        {"id": row["id"], "name": Department.history.filter(id=row["id"]).latest("history_date").name,
         "changes": row["changes"], "last": row["last"], "deleted": row["id"] not in existing}
        for row in rows
    ]
    return render(request, "archive/admin/department_history_index.html", _admin_context(
        "部门变更记录", departments=departments))


@chinese_404
def department_history(request, department_id: int):
    """The historical records of one department, newest first, each with its changes."""
    _require_department_viewer(request)
    records = list(Department.history.filter(id=department_id).select_related("history_user").order_by(
        "-history_date", "-history_id"))
    if not records:
        raise Http404("该部门没有变更记录。")
    entries = [{"record": r, "type": HISTORY_TYPES.get(r.history_type, r.history_type), "changes": record_changes(r)}
               for r in records]
    return render(request, "archive/admin/department_history.html", _admin_context(
        f"部门变更记录：{records[0].name}", entries=entries, department_id=department_id,
        can_revert=is_manager(request.user), current=Department.objects.filter(pk=department_id).first()))


@chinese_404
@require_POST
def department_revert(request, department_id: int, history_id: int):
    """Save the department with the values of one historical record (managers only)."""
    _require_manager(request)
    record = Department.history.filter(id=department_id, history_id=history_id).first()
    if record is None:
        raise Http404("该变更记录不存在。")
    try:
        revert_to(record, request.user)
    except ValidationError as exc:
        messages.error(request, "无法恢复到此版本：" + "；".join(exc.messages))
    else:
        when = timezone.localtime(record.history_date)
        messages.success(request, f"已将部门“{record.name}”恢复到 {when:%Y-%m-%d %H:%M} 的版本。")
    return redirect("archive_admin:department_history", department_id)


def safe_next_url(request, url: str) -> str:
    """Return ``url`` when it points to this site, else ""."""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return ""
