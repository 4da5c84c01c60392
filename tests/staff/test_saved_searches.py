"""Saved searches (保存的检索): dashboard alerts since the last look, the daily digest, the owner-only Atom feed."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from jobs import table
from jobs.models import OutgoingMail
from portal.models import Scope
from search.models import SavedSearch
from staff import saved_searches

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def saved_alerts_html(response) -> str:
    html = response.content.decode()
    start = html.find('id="h-saved-alerts"')
    assert start >= 0, "the dashboard has no saved-search section"
    return html[start:html.find("</section>", start)]


def test_a_saved_search_shows_a_newly_published_matching_item_on_the_dashboard(make_regulation, staff):
    user = staff[0]
    older = make_regulation(title="户外广告设置管理办法（旧）", slug="ads-old")
    saved = SavedSearch.objects.create(user=user, name="户外广告", query="户外广告")
    newer = make_regulation(title="户外广告设施安全管理规定", slug="ads-new", department=staff[1].department)
    unrelated = make_regulation(title="餐厨垃圾处理办法", slug="kitchen")

    section = saved_alerts_html(signed_in(user).get("/staff/"))
    assert newer.title in section and "1 条新信息" in section
    assert older.title not in section and unrelated.title not in section

    # Looking at the saved search marks it seen: the dashboard then has nothing new for it.
    detail = signed_in(user).get(f"/staff/saved/{saved.pk}/")
    assert detail.status_code == 200 and newer.title in detail.content.decode()
    assert newer.title not in saved_alerts_html(signed_in(user).get("/staff/"))


def test_a_saved_search_finds_a_republished_page_as_an_update(make_regulation, staff):
    page = make_regulation(title="户外广告设置管理办法", slug="ads")
    saved = SavedSearch.objects.create(user=staff[0], name="广告", query="户外广告")
    type(page).objects.get(pk=page.pk).save_revision().publish()
    matches, total = saved_searches.new_matches(saved, saved.seen_at)
    assert total == 1 and matches[0].page.pk == page.pk and matches[0].is_update


def test_another_users_saved_search_feed_is_404_and_the_owners_lists_the_match(make_regulation, staff):
    owner, other = staff
    saved = SavedSearch.objects.create(user=owner, name="广告", query="户外广告",
                                       seen_at=timezone.now() - datetime.timedelta(days=1))
    page = make_regulation(title="户外广告设置管理办法", slug="ads")
    url = f"/staff/saved/{saved.pk}/feed.atom"

    assert signed_in(other).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    response = signed_in(owner).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert page.title in response.content.decode() and "no-store" in response["Cache-Control"]


def test_another_users_saved_search_cannot_be_opened_or_deleted(staff):
    saved = SavedSearch.objects.create(user=staff[0], name="广告", query="户外广告")
    client = signed_in(staff[1])
    assert client.get(f"/staff/saved/{saved.pk}/").status_code == 404
    assert client.post(f"/staff/saved/{saved.pk}/delete/").status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_the_digest_lists_only_what_the_user_may_see(make_regulation, staff):
    a_user, b_user = staff
    b_user.email = "b@example.gov.cn"
    b_user.save()
    SavedSearch.objects.create(user=b_user, name="广告", query="户外广告")
    shared = make_regulation(title="户外广告共享管理办法", slug="ads-shared", scope=Scope.SHARED)
    internal = make_regulation(title="户外广告内部审核规程", slug="ads-internal", scope=Scope.INTERNAL)

    assert table.job_named("saved_search_digests").func().startswith("已排队 1 封")
    mail = OutgoingMail.objects.get(kind=saved_searches.DIGEST_KIND)
    assert mail.to == ["b@example.gov.cn"]
    assert shared.title in mail.body and internal.title not in mail.body  # A's 部门内部 item is not B's to see
    # The next digest starts where this one ended: nothing new, no mail.
    assert table.send_saved_search_digests().startswith("已排队 0 封")


def test_saving_a_search_refuses_a_blank_name_and_a_duplicate_in_chinese(staff):
    client = signed_in(staff[0])
    response = client.post("/staff/saved/", {"name": "  ", "query": "户外广告"})
    assert response.status_code == 200 and "名称" in response.content.decode() and not SavedSearch.objects.exists()

    assert client.post("/staff/saved/", {"name": "广告", "query": "户外广告", "digest": "on"}).status_code == 302
    response = client.post("/staff/saved/", {"name": "广告", "query": "占道经营"})
    assert "已有同名的保存检索" in response.content.decode()
    response = client.post("/staff/saved/", {"name": "分类", "query": "占道经营", "category": "没有的类别"})
    assert "没有这个类别" in response.content.decode()
    assert list(SavedSearch.objects.values_list("name", "query", "digest")) == [("广告", "户外广告", True)]


def test_the_owner_deletes_a_saved_search(staff):
    saved = SavedSearch.objects.create(user=staff[0], name="广告", query="户外广告")
    assert signed_in(staff[0]).post(f"/staff/saved/{saved.pk}/delete/").status_code == 302
    assert not SavedSearch.objects.exists()
