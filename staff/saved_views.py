"""The staff portal's saved searches (保存的检索): the list with its form, one search's new items, delete, Atom feed.

Views are thin: ``staff.saved_searches`` finds what is new. Each saved search is its owner's alone:
anyone else (other staff, anonymous visitors, a feed reader without the owner's session) gets 404.
"""
from __future__ import annotations

import copy
import datetime
import unicodedata
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from portal.walls.access import is_staff_member
from search import service
from search.models import SavedSearch
from staff import saved_searches
from staff.views import staff_required

_REQUIRED = "请填写{}。"
_TOO_LONG = "{}不能超过 {} 个字。"
_CONTROL = {"Cc", "Cs", "Co", "Cn"}  # control, surrogate, private-use and unassigned characters


class SavedSearchForm(forms.Form):
    """保存检索: a name, the query and its filters, every message in Chinese."""

    name = forms.CharField(label="名称", max_length=60, error_messages={
        "required": _REQUIRED.format("名称"), "max_length": _TOO_LONG.format("名称", 60)})
    query = forms.CharField(label="检索词", max_length=200, error_messages={
        "required": _REQUIRED.format("检索词"), "max_length": _TOO_LONG.format("检索词", 200)})
    category = forms.ChoiceField(label="类别", required=False,
                                 error_messages={"invalid_choice": "没有这个类别，请从列表中选择。"})
    department = forms.ChoiceField(label="发布部门", required=False,
                                   error_messages={"invalid_choice": "没有这个部门，请从列表中选择。"})
    validity = forms.ChoiceField(label="有效性", required=False,
                                 error_messages={"invalid_choice": "没有这种有效性，请从列表中选择。"})
    digest = forms.BooleanField(label="每日邮件提醒", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["category"].choices = [("", "全部类别")] + [(v, v) for v in service.ALL_CATEGORIES.values()]
        self.fields["department"].choices = [("", "任何部门")] + [(n, n) for n in service.department_names()]
        self.fields["validity"].choices = [("", "不限（不含已废止）")] + [
            (v, v) for v in service.VALIDITY_LABELS.values()]

    def _clean_text(self, name: str, label: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if any(unicodedata.category(ch) in _CONTROL for ch in value):
            raise forms.ValidationError(f"{label}不能含控制字符或无效字符，请删除后再保存。")
        if not value:
            raise forms.ValidationError(_REQUIRED.format(label))
        return value

    def clean_name(self):
        name = self._clean_text("name", "名称")
        if SavedSearch.objects.filter(user=self.user, name=name).exists():
            raise forms.ValidationError("已有同名的保存检索，请换一个名称。")
        return name

    def clean_query(self):
        query = self._clean_text("query", "检索词")
        refusal = service.personal_data_refusal(query)
        if refusal:
            raise forms.ValidationError(refusal)
        return query

    def clean(self):
        cleaned = super().clean()
        if SavedSearch.objects.filter(user=self.user).count() >= saved_searches.MAX_SAVED_PER_USER:
            raise forms.ValidationError(
                f"每人最多保存 {saved_searches.MAX_SAVED_PER_USER} 个检索，请先删除不再需要的。")
        return cleaned

    def save(self) -> SavedSearch:
        data = self.cleaned_data
        return SavedSearch.objects.create(user=self.user, name=data["name"], query=data["query"],
                                          category=data["category"], department=data["department"],
                                          validity=data["validity"], digest=bool(data["digest"]))


def _own(request, pk) -> SavedSearch:
    return get_object_or_404(SavedSearch, pk=pk, user=request.user)


@staff_required
def saved_list(request):
    """保存的检索: the user's saved searches and the form saving another (``?q=`` fills in the query)."""
    if request.method == "POST":
        form = SavedSearchForm(request.POST, user=request.user)
        if form.is_valid():
            saved = form.save()
            messages.success(request, f"已保存检索“{saved.name}”。")
            return redirect("staff_saved_searches")
    else:
        form = SavedSearchForm(user=request.user, initial={"query": (request.GET.get("q") or "")[:200]})
    return render(request, "staff/saved_searches.html",
                  {"form": form, "saved_searches": saved_searches.saved_searches_of(request.user)})


@staff_required
def saved_detail(request, pk):
    """One saved search: what it found since the last look (then marked seen), and the search itself."""
    saved = _own(request, pk)
    since = saved.seen_at
    unavailable = False
    try:
        matches, total = saved_searches.new_matches(saved, since)
    except service.SearchUnavailable:
        matches, total, unavailable = [], 0, True
    if not unavailable:
        saved_searches.mark_seen(saved)
    context = {"saved": saved, "since": since, "matches": matches, "total": total, "unavailable": unavailable,
               "search_query": urlencode({"q": saved.query, **saved.filters()})}
    return render(request, "staff/saved_search.html", context, status=503 if unavailable else 200)


@staff_required
@require_POST
def saved_delete(request, pk):
    saved = _own(request, pk)
    saved.delete()
    messages.success(request, f"已删除保存的检索“{saved.name}”。")
    return redirect("staff_saved_searches")


class SavedSearchFeed(Feed):
    """The Atom feed of one saved search: read with its owner's session only (404 for anyone else)."""

    feed_type = Atom1Feed
    language = "zh-CN"

    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)  # one instance serves every request: the request lives on a copy
        feed.request = request
        response = Feed.__call__(feed, request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"  # one person's view: never kept by a shared cache
        return response

    def get_object(self, request, pk):
        if not is_staff_member(request.user):
            raise Http404("没有这个订阅源。")
        return _own(request, pk)

    def title(self, saved):
        return f"保存的检索：{saved.name}"

    def subtitle(self, saved):
        return f"检索词“{saved.query}”最近 {saved_searches.FEED_WINDOW.days} 天新发布或更新、您有权查看的信息。"

    def link(self, saved):
        return reverse("staff_saved_search", args=[saved.pk])

    def items(self, saved):
        try:
            return saved_searches.feed_matches(saved)
        except service.SearchUnavailable as exc:
            raise Http404("检索服务暂时不可用，请稍后再试。") from exc

    def item_title(self, match):
        return ("[更新] " if match.is_update else "") + match.page.title

    def item_link(self, match):
        return match.page.get_url(request=self.request) or "/"

    def item_description(self, match):
        return f"匹配：{'、'.join(match.found_in)}" if match.found_in else match.page.title

    def item_pubdate(self, match):
        return match.page.first_published_at

    def item_updateddate(self, match):
        return match.when

    def item_guid(self, match):
        return f"{match.page.pk}@{match.when.isoformat() if isinstance(match.when, datetime.datetime) else ''}"

    item_guid_is_permalink = False


saved_feed = SavedSearchFeed()
