"""The 法规更新 admin page: recent new versions of held laws and 公文, and their impact on the documents that
cite them, visible per scope (``services.visible_impacts``: only citing documents the viewer may see).

Views read the request, call ``amendments.services`` and render; a refusal says why in Chinese and
changes nothing. An amendment none of whose impacts the viewer may see answers 404 (like the archive's).
"""
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from amendments import services
from amendments.models import Amendment, CitationImpact
from lib.diff import diff_texts, render_ops_html

NOT_FOUND = "该法规更新不存在，或您没有查看其影响的权限。"
PER_PAGE = 50


def _context(title: str, **context) -> dict:
    return {"page_title": title, "header_title": title, **context}


def index(request):
    visible = services.visible_impacts(request.user)
    amendments = list(services.visible_amendments(request.user).order_by("-created_at", "-pk")[:PER_PAGE])
    counts: dict[int, dict[str, int]] = {}
    for amendment_id, state in visible.filter(amendment__in=amendments).values_list("amendment_id", "state"):
        entry = counts.setdefault(amendment_id, {"total": 0, "open": 0})
        entry["total"] += 1
        entry["open"] += state == CitationImpact.State.OPEN
    rows = [(a, counts.get(a.pk, {"total": 0, "open": 0})) for a in amendments]
    return render(request, "amendments/index.html", _context("法规更新", rows=rows))


def _visible_amendment(request, amendment_id: int) -> tuple[Amendment, list[CitationImpact]]:
    amendment = services.visible_amendments(request.user).filter(pk=amendment_id).first()
    if amendment is None:
        raise Http404(NOT_FOUND)
    impacts = list(services.visible_impacts(request.user).filter(amendment=amendment)
                   .select_related("citing_page", "department").order_by("citing_page_id", "pk"))
    return amendment, impacts


def detail(request, amendment_id: int):
    amendment, impacts = _visible_amendment(request, amendment_id)
    items = [{
        "impact": impact,
        # render_ops_html escapes the texts and adds only <p>, <del> and <ins> (archive.review does the same).
        "diff": mark_safe(render_ops_html(diff_texts(impact.old_text, impact.new_text))),  # noqa: S308
        "can_handle": services.can_handle(request.user, impact),
        "can_review": services.can_review(request.user, impact),
    } for impact in impacts]
    return render(request, "amendments/detail.html", _context(
        f"法规更新：{amendment.title}", amendment=amendment, items=items,
        comparison_url=services.comparison_url(amendment)))


def _impact(request, impact_id: int) -> CitationImpact:
    impact = services.visible_impacts(request.user).filter(pk=impact_id).select_related("citing_page").first()
    if impact is None:
        raise Http404(NOT_FOUND)
    return impact


@require_POST
def update_citation(request, impact_id: int):
    impact = _impact(request, impact_id)
    try:
        services.apply_renumbering(impact, request.user)
    except services.AmendmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已在该文件的新修订版本中更新引用的条号，请按其审核流程提交发布。")
    return redirect(reverse("amendments_admin:detail", args=[impact.amendment_id]))


@require_POST
def review(request, impact_id: int):
    impact = _impact(request, impact_id)
    try:
        services.mark_reviewed(impact, request.user, request.POST.get("note", ""))
    except services.AmendmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已标记为已审核。")
    return redirect(reverse("amendments_admin:detail", args=[impact.amendment_id]))


def not_found(view):
    """Answer Http404 with its Chinese reason, in the admin's frame."""
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as exc:
            return render(request, "archive/admin/not_found.html",
                          _context("页面不存在", message=str(exc) if exc.args else NOT_FOUND), status=404)

    wrapper.__name__ = view.__name__
    wrapper.__module__ = view.__module__
    return wrapper


detail = not_found(detail)
update_citation = not_found(update_citation)
review = not_found(review)
