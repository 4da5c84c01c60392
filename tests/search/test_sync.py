"""The index follows the pages at once: publish, unpublish, delete, move, scope and metadata changes."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page

from portal.models import CategoryIndexPage, RegulationPage, Scope
from search import service, sync
from search.models import PendingIndexUpdate
from tests.search.conftest import CLUSTER

pytestmark = pytest.mark.django_db
ANONYMOUS = AnonymousUser()
# An unreachable engine of the kind the suite runs on (OpenSearch on the test cluster, else Elasticsearch).
UNREACHABLE = {"OPENSEARCH_URL" if CLUSTER and CLUSTER[0] == "opensearch" else "ELASTICSEARCH_URL": "http://127.0.0.1:9",
               "SEARCH_ES_TIMEOUT": 0.5}


def found(text: str, user=ANONYMOUS, **filters) -> list[str]:
    """Return the urls of the pages (not articles) the user finds for ``text``."""
    return [r.url for r in service.search(user, text, per_page=100, **filters).results if r.kind == "page"]


def republish(page, text=None, **fields):
    page = type(page).objects.get(pk=page.pk)
    if text is not None:
        page.set_text(text)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def test_a_published_page_is_found_at_once(make_regulation):
    page = make_regulation(title="户外广告设置管理办法", slug="ads")
    assert found("户外广告") == [page.url]


def test_an_unpublished_page_drops_out_at_once(make_regulation):
    page = make_regulation(title="户外广告设置管理办法", slug="ads")
    page.unpublish()
    assert found("户外广告") == []
    assert service.search(ANONYMOUS, "户外广告").count == 0


def test_a_deleted_page_and_its_articles_drop_out(make_regulation):
    page = make_regulation(title="户外广告设置管理办法", slug="ads", text="第一条 规范户外广告。\n\n第二条 自发布之日起施行。")
    assert service.search(ANONYMOUS, "户外广告", collapse=False).count == 3  # the page and its two articles
    Page.objects.get(pk=page.pk).delete()
    assert service.search(ANONYMOUS, "户外广告", collapse=False).count == 0


def test_a_page_moved_to_the_recycle_bin_drops_out(make_regulation):
    from archive.recycle import move_to_recycle_bin, restore

    page = make_regulation(title="户外广告设置管理办法", slug="ads")
    entry = move_to_recycle_bin(page)
    assert found("户外广告") == []
    restore(entry)
    assert found("户外广告") == [RegulationPage.objects.get(pk=page.pk).url]


def test_a_scope_change_is_applied_at_once(make_regulation, staff):
    staff_a, staff_b = staff
    page = make_regulation(title="户外广告设置管理办法", slug="ads", scope=Scope.PUBLIC)
    page = republish(page, scope=Scope.INTERNAL)
    assert found("户外广告") == [] and found("户外广告", staff_b) == []
    assert found("户外广告", staff_a) == [page.url]
    republish(page, scope=Scope.PUBLIC)
    assert found("户外广告") == [page.url]


def test_new_text_and_title_replace_the_old_ones(make_regulation):
    page = make_regulation(title="户外广告设置管理办法", slug="ads",
                           text="第一条 规范户外广告。\n\n第二条 设置招牌应当备案。\n\n第三条 自发布之日起施行。")
    page = republish(page, text="# 户外招牌设置规定\n\n第一条 规范户外招牌。\n\n第二条 自发布之日起施行。",
                     title="户外招牌设置规定")
    assert found("户外广告") == [] and found("户外招牌") == [page.url]
    assert service.search(ANONYMOUS, "备案").count == 0  # 第二条's old text left with it
    assert not [r for r in service.search(ANONYMOUS, "规定", per_page=50).results if r.url.endswith("#第三条")]


def test_moving_a_page_updates_its_url(make_regulation, site_tree):
    home, _ = site_tree
    page = make_regulation(title="户外广告设置管理办法", slug="ads")
    other = CategoryIndexPage(title="规范性文件", slug="normative", section="laws")
    home.add_child(instance=other)
    other.save_revision().publish()
    Page.objects.get(pk=page.pk).move(other, pos="last-child")
    assert found("户外广告") == ["/normative/ads/"]


def test_a_section_slug_change_updates_the_urls_below_it(make_regulation, site_tree, django_capture_on_commit_callbacks):
    _, laws = site_tree
    make_regulation(title="户外广告设置管理办法", slug="ads")
    with django_capture_on_commit_callbacks(execute=True):
        republish(laws, slug="rules")
    assert found("户外广告") == ["/rules/ads/"]


def test_expired_documents_leave_the_default_results_the_same_day(make_regulation):
    from archive.records import expire_documents

    page = make_regulation(title="户外广告设置管理办法", slug="ads")
    RegulationPage.objects.filter(pk=page.pk).update(abolished_date=datetime.date(2020, 1, 1))
    expire_documents()
    assert found("户外广告") == []
    assert found("户外广告", include_abolished=True) == [page.url]
    assert service.search(ANONYMOUS, "户外广告", include_abolished=True).results[0].validity == "已废止"


def test_renaming_a_department_reindexes_its_pages(make_regulation, departments):
    a, _ = departments
    make_regulation(title="户外广告设置管理办法", slug="ads", department=a)
    a.name = "测试区城市管理局"
    a.save()
    page = service.search(ANONYMOUS, "户外广告")
    assert {f.value for f in page.facets["department"]} == {"测试区城市管理局"}
    assert service.search(ANONYMOUS, "", department="测试区城市管理局").count == page.count


def test_department_aliases_become_synonyms_when_saved(make_regulation, departments):
    _, b = departments
    make_regulation(title="物业管理办法", slug="property", department=b, text="第一条 规范物业服务。")
    assert found("房管局") == []
    b.aliases = "房管局"
    b.save()
    assert found("房管局") == [RegulationPage.objects.get(slug="property").url]


def test_updates_made_while_elasticsearch_is_down_are_queued_and_replayed(make_regulation):
    with override_settings(**UNREACHABLE):
        page = make_regulation(title="户外广告设置管理办法", slug="ads")  # publishing still works
        assert RegulationPage.objects.get(pk=page.pk).live
    assert list(PendingIndexUpdate.objects.values_list("page_id", flat=True)) == [page.pk]
    assert found("户外广告") == []  # written to neither engine yet
    make_regulation(title="其他办法", slug="other")  # the next successful update works off the queue
    assert found("户外广告") == [page.url]
    assert not PendingIndexUpdate.objects.exists()


def test_a_queued_removal_is_not_undone_by_the_retry(make_regulation):
    page = make_regulation(title="户外广告设置管理办法", slug="ads")
    with override_settings(**UNREACHABLE):
        RegulationPage.objects.get(pk=page.pk).unpublish()
    assert PendingIndexUpdate.objects.filter(page_id=page.pk).exists()
    assert sync.retry_pending() == (1, 0)
    assert found("户外广告") == []


def test_reindex_rebuilds_everything_and_works_off_the_queue(make_regulation):
    page = make_regulation(title="户外广告设置管理办法", slug="ads", text="第一条 规范户外广告。")
    with override_settings(**UNREACHABLE):
        make_regulation(title="户外招牌设置规定", slug="signs")
    service.get_backend().clear()
    out, err = io.StringIO(), io.StringIO()
    call_command("reindex", stdout=out, stderr=err)
    assert found("户外广告") == [page.url] and len(found("户外招牌")) == 1
    assert not PendingIndexUpdate.objects.exists()
    summary = out.getvalue()
    assert "索引重建完成" in summary and "篇文档" in summary and "篇/秒" in summary
    assert "[" in err.getvalue()  # the progress bar
