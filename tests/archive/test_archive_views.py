"""Public version pages, ?date=, the archive of abolished documents, and the admin review screens."""
import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone

from archive import admin_compare
from portal.models import RegulationPage, Scope, Validity
from publicsite.listing import latest_items

from .conftest import NEW_TEXT, OLD_TEXT, publish_new_version

pytestmark = pytest.mark.django_db


def marked(html: str, tag: str) -> list[str]:
    """Return the texts inside <del> or <ins> elements of the HTML."""
    return re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S)


def spans(html: str, css: str) -> list[str]:
    """Return the texts inside Wagtail's <span class="deletion|addition"> elements."""
    return re.findall(rf'<span class="{css}">(.*?)</span>', html, flags=re.S)


def fresh(page):
    return RegulationPage.objects.get(pk=page.pk)


# --- ?date= on the regulation page ------------------------------------------------------------

def test_date_before_the_change_shows_the_old_text_with_a_banner(client, two_versions):
    page, _, _ = two_versions
    html = client.get(page.url, {"date": "2020-01-01"}).content.decode()
    assert "行政复议机关应当依法履行职责" in html
    assert "行政复议机构应当依法履行职责" not in html
    assert "高效、便民" not in html
    assert "以下为2020年1月1日施行的文本（生效日期：2017年9月1日）" in html


def test_date_after_the_change_shows_the_new_text(client, two_versions):
    page, _, _ = two_versions
    html = client.get(page.url, {"date": "2024-01-01"}).content.decode()
    assert "行政复议机构应当依法履行职责" in html and "高效、便民" in html
    assert "以下为2024年1月1日施行的文本（生效日期：2024年1月1日）" in html


def test_without_date_the_current_text_has_no_banner(client, two_versions):
    page, _, _ = two_versions
    html = client.get(page.url).content.decode()
    assert "行政复议机构应当依法履行职责" in html
    assert "施行的文本" not in html
    assert "历史版本（2）" in html


@pytest.mark.parametrize("date", ["2020-02-30", "9999-12-31", "２０２０-０１-０１"])
def test_a_malformed_date_is_refused_400_in_chinese(client, two_versions, date):
    page, _, _ = two_versions
    response = client.get(page.url, {"date": date})
    assert response.status_code == 400
    assert f"日期“{date}”无效" in response.content.decode()


def test_date_on_a_shared_regulation_is_404_for_anonymous(client, make_regulation):
    page = make_regulation(slug="shared-reg", scope=Scope.SHARED)
    response = client.get(page.url, {"date": "2026-06-01"})
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


# --- 历史版本 and 修订对照 -----------------------------------------------------------------------

def test_version_list_shows_each_published_version_with_its_dates(client, two_versions):
    page, _, _ = two_versions
    html = client.get(f"/archive/versions/{page.pk}/").content.decode()
    assert "2017年9月1日" in html and "2024年1月1日" in html and "2023年9月1日第一次修订" in html
    assert html.index("2024年1月1日") < html.index("2017年9月1日")  # newest first


def test_compare_page_marks_exactly_the_changed_characters(client, two_versions):
    page, old_id, new_id = two_versions
    response = client.get(f"/archive/versions/{page.pk}/compare/", {"from": old_id, "to": new_id})
    html = response.content.decode()
    assert response.status_code == 200
    assert marked(html, "del") == ["关"]
    assert marked(html, "ins")[0] == "构"
    assert "".join(marked(html, "ins")) == "构行政复议应当坚持公正、高效、便民。"
    for label in ("修改", "新增", "条号变更", "未修改"):
        assert f'status-label status-{label}"' in html


def test_compare_without_parameters_shows_the_latest_revision(client, two_versions):
    page, _, _ = two_versions
    html = client.get(f"/archive/versions/{page.pk}/compare/").content.decode()
    assert marked(html, "del") == ["关"]


@pytest.mark.parametrize("params", [{"from": "999999", "to": "latest"}, {"from": "abc", "to": "1"}])
def test_compare_with_an_unknown_revision_is_404_in_chinese(client, two_versions, params):
    page, old_id, new_id = two_versions
    params = {k: (new_id if v == "latest" else v) for k, v in params.items()}
    response = client.get(f"/archive/versions/{page.pk}/compare/", params)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_compare_with_an_unpublished_draft_is_404(client, two_versions):
    page, old_id, _ = two_versions
    page.title = "未发布的草稿"
    draft = page.save_revision()
    response = client.get(f"/archive/versions/{page.pk}/compare/", {"from": old_id, "to": draft.pk})
    assert response.status_code == 404


def test_compare_with_a_revision_of_another_page_is_404(client, two_versions, make_regulation):
    page, old_id, _ = two_versions
    other = fresh(make_regulation(slug="other"))
    response = client.get(f"/archive/versions/{page.pk}/compare/", {"from": old_id, "to": other.live_revision_id})
    assert response.status_code == 404


def test_version_pages_of_a_shared_regulation_need_a_signed_in_member(client, make_regulation, staff):
    page = make_regulation(slug="shared-reg", scope=Scope.SHARED)
    for url in (f"/archive/versions/{page.pk}/", f"/archive/versions/{page.pk}/compare/"):
        assert client.get(url).status_code == 404
    client.force_login(staff[1])
    assert client.get(f"/archive/versions/{page.pk}/").status_code == 200


def test_internal_regulation_versions_are_hidden_from_other_departments(client, make_regulation, staff):
    page = make_regulation(slug="internal-reg", scope=Scope.INTERNAL)
    client.force_login(staff[1])
    assert client.get(f"/archive/versions/{page.pk}/").status_code == 404
    client.force_login(staff[0])
    assert client.get(f"/archive/versions/{page.pk}/").status_code == 200


SECRET_CLAUSE = "第二条 内部掌握：对举报人张建国另行登记。"


@pytest.fixture
def narrowed_then_widened(make_regulation):
    """A regulation first published 部门内部 with a sensitive clause, then 公开 without it."""
    page = make_regulation(
        title="内部转公开的条例", slug="internal-then-public", scope=Scope.INTERNAL,
        text=f"第一条 总则。\n\n{SECRET_CLAUSE}\n\n第三条 本办法自发布之日起施行。",
        publish_date=datetime.date(2017, 9, 1), effective_date=datetime.date(2017, 9, 1),
    )
    page.refresh_from_db()
    internal_revision = page.live_revision_id
    page, public_revision = publish_new_version(
        page, "第一条 总则。\n\n第二条 本办法自发布之日起施行。", scope=Scope.PUBLIC,
        publish_date=datetime.date(2024, 1, 1), effective_date=datetime.date(2024, 1, 1),
    )
    return page, internal_revision, public_revision.pk


def test_an_earlier_internal_version_stays_hidden_after_the_page_becomes_public(client, narrowed_then_widened):
    page, internal_revision, public_revision = narrowed_then_widened
    listing = client.get(f"/archive/versions/{page.pk}/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert f"from={internal_revision}" not in html and "张建国" not in html and "内部掌握" not in html
    # With one visible version there is nothing to compare; naming the internal one is refused.
    default = client.get(f"/archive/versions/{page.pk}/compare/")
    assert default.status_code == 200 and "内部掌握" not in default.content.decode()
    forced = client.get(f"/archive/versions/{page.pk}/compare/?from={internal_revision}&to={public_revision}")
    assert forced.status_code == 404
    assert "内部掌握" not in forced.content.decode()


def test_the_owning_department_still_compares_the_internal_version(client, narrowed_then_widened, staff):
    page, internal_revision, public_revision = narrowed_then_widened
    client.force_login(staff[0])
    response = client.get(f"/archive/versions/{page.pk}/compare/?from={internal_revision}&to={public_revision}")
    assert response.status_code == 200
    assert "内部掌握" in response.content.decode()
    client.force_login(staff[1])
    other = client.get(f"/archive/versions/{page.pk}/compare/?from={internal_revision}&to={public_revision}")
    assert other.status_code == 404


def test_a_date_inside_the_internal_version_does_not_serve_it_to_the_public(client, narrowed_then_widened):
    page, _, _ = narrowed_then_widened
    # On 2018-01-01 the internal version was in force: the public gets a refusal, never its text.
    for url in (page.url + "?date=2018-01-01", f"/archive/export/{page.pk}.txt?date=2018-01-01"):
        response = client.get(url)
        assert response.status_code in (200, 404)
        assert "内部掌握" not in response.content.decode(errors="replace")


def test_unknown_page_is_404(client, db):
    assert client.get("/archive/versions/987654/").status_code == 404


# --- the archive of abolished documents ---------------------------------------------------------

def test_expire_documents_moves_a_page_with_past_abolished_date_into_the_archive(client, make_regulation):
    today = timezone.localdate()
    page = make_regulation(title="到期的办法", slug="expiring", abolished_date=today + datetime.timedelta(days=30))
    # Time passes: the 废止日期 arrives without anyone editing the page.
    RegulationPage.objects.filter(pk=page.pk).update(abolished_date=today - datetime.timedelta(days=1))
    assert fresh(page).validity == Validity.IN_FORCE
    # The current lists drop it at once, before the daily job re-derives 有效性.
    assert page.pk not in [p.pk for p in latest_items(None, 10)]

    call_command("expire_documents", stdout=open("/dev/null", "w"))

    assert fresh(page).validity == Validity.ABOLISHED
    assert page.pk not in [p.pk for p in latest_items(None, 10)]
    html = client.get("/archive/").content.decode()
    assert "到期的办法" in html


def test_expire_documents_reports_what_changed(make_regulation, capsys):
    page = make_regulation(slug="expiring", abolished_date=timezone.localdate() + datetime.timedelta(days=3))
    RegulationPage.objects.filter(pk=page.pk).update(abolished_date=timezone.localdate())
    from io import StringIO

    out = StringIO()
    call_command("expire_documents", stdout=out)
    assert "测试条例：现行有效 → 已废止" in out.getvalue()
    assert "转为已废止 1 件" in out.getvalue()
    call_command("expire_documents", stdout=(out := StringIO()))
    assert "有效性已更新 0 件" in out.getvalue()


def test_archive_lists_abolished_documents_and_not_current_ones(client, make_regulation):
    make_regulation(title="现行的办法", slug="current")
    make_regulation(title="废止的办法", slug="gone", abolished_date=datetime.date(2020, 6, 1),
                    effective_date=datetime.date(2010, 1, 1))
    html = client.get("/archive/").content.decode()
    assert "废止的办法" in html and "现行的办法" not in html
    assert "2020年（1）" in html


def test_archive_filters_by_year_category_and_department(client, make_regulation, departments):
    make_regulation(title="甲办法", slug="a", abolished_date=datetime.date(2020, 6, 1))
    make_regulation(title="乙办法", slug="b", abolished_date=datetime.date(2021, 6, 1), department=departments[1])
    assert "乙办法" not in client.get("/archive/", {"year": "2020"}).content.decode()
    html = client.get("/archive/", {"department": departments[1].pk}).content.decode()
    assert "乙办法" in html and "甲办法" not in html
    html = client.get("/archive/", {"category": "penalties"}).content.decode()
    assert "没有符合条件的已废止文件" in html
    html = client.get("/archive/", {"q": "甲"}).content.decode()
    assert "甲办法" in html and "乙办法" not in html


def test_archive_ignores_unknown_filter_values_with_notices(client, make_regulation):
    make_regulation(title="甲办法", slug="a", abolished_date=datetime.date(2020, 6, 1))
    response = client.get("/archive/", {"category": "nope", "department": "999999", "page": "zz"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "主题分类“nope”不存在，已忽略" in html
    assert "发布机构“999999”不存在，已忽略" in html
    assert "甲办法" in html


@pytest.mark.parametrize("params, message", [
    ({"year": "二〇二〇"}, "年份“二〇二〇”无效"),
    ({"year": "²²²²"}, "年份“²²²²”无效"),
    ({"department": "x1"}, "发布机构编号“x1”无效"),
    ({"department": "²"}, "发布机构编号“²”无效"),
])
def test_archive_refuses_malformed_year_and_department_400_in_chinese(client, make_regulation, params, message):
    response = client.get("/archive/", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_archive_shows_shared_documents_only_to_staff(client, make_regulation, staff):
    make_regulation(title="共享的废止办法", slug="s", scope=Scope.SHARED, abolished_date=datetime.date(2020, 6, 1))
    assert "共享的废止办法" not in client.get("/archive/").content.decode()
    client.force_login(staff[1])
    assert "共享的废止办法" in client.get("/archive/").content.decode()


# --- the abolished banner -------------------------------------------------------------------

def test_abolished_banner_links_to_the_replacement(client, make_regulation):
    new = make_regulation(title="新办法", slug="new")
    old = make_regulation(title="旧办法", slug="old", abolished_date=datetime.date(2020, 6, 1),
                          effective_date=datetime.date(2010, 1, 1), replaced_by=new)
    html = client.get(old.url).content.decode()
    assert "本文件已于2020年6月1日废止" in html
    assert f'现行文件为<a href="{new.url}">新办法</a>' in html


def test_abolished_banner_does_not_link_to_a_replacement_the_visitor_may_not_see(client, make_regulation):
    new = make_regulation(title="内部新办法", slug="new", scope=Scope.SHARED)
    old = make_regulation(title="旧办法", slug="old", abolished_date=datetime.date(2020, 6, 1), replaced_by=new)
    html = client.get(old.url).content.decode()
    assert "本文件已于2020年6月1日废止" in html
    assert "内部新办法" not in html


def test_current_page_has_no_abolished_banner(client, make_regulation):
    page = make_regulation(slug="current")
    assert "废止" not in client.get(page.url).content.decode()


# --- admin: Wagtail's compare view and 修改前后对照 ------------------------------------------------

def test_wagtail_compare_view_marks_only_the_changed_character(admin_client, make_regulation):
    page = fresh(make_regulation(text=OLD_TEXT))
    old_id = page.live_revision_id
    # Edited the way the admin form does it: the block keeps its id, one character changes.
    article = page.body[1]
    article.value["text"] = article.value["text"].replace("机关", "机构")
    page.save_revision().publish()
    new_id = fresh(page).live_revision_id
    html = admin_client.get(f"/admin/pages/{page.pk}/revisions/compare/{old_id}...{new_id}/").content.decode()
    assert spans(html, "deletion") == ["关"]
    assert spans(html, "addition") == ["构"]
    assert "行政复议机" in html  # the unchanged part of the clause is plain text


def test_wagtail_own_diff_would_mark_the_whole_clause():
    # Why admin_compare exists: Wagtail's tokeniser treats the clause as one word.
    admin_compare.uninstall()
    try:
        from wagtail.admin.compare import diff_text

        html = diff_text("行政复议机关应当依法履行职责。", "行政复议机构应当依法履行职责。").to_html()
    finally:
        admin_compare.install()
    assert spans(html, "deletion")[0].startswith("行政复议机关应当依法履行职责")
    from wagtail.admin.compare import diff_text

    assert spans(diff_text("行政复议机关应当依法履行职责。", "行政复议机构应当依法履行职责。").to_html(),
                 "deletion") == ["关"]


def test_chinese_diff_keeps_paragraph_breaks():
    html = admin_compare.chinese_diff_text("第一款。\n第二款。", "第一款。\n第二款有改动。").to_html()
    assert html == '第一款。<br>第二款<span class="addition">有改动</span>。'


def test_admin_compare_view_shows_articles_side_by_side(admin_client, two_versions):
    page, old_id, new_id = two_versions
    response = admin_client.get(f"/admin/archive/compare/{page.pk}/{old_id}/{new_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert marked(html, "del") == ["关"]
    assert "".join(marked(html, "ins")) == "构行政复议应当坚持公正、高效、便民。"
    assert 'status-label status-新增"' in html and 'status-label status-条号变更"' in html


def test_admin_compare_default_compares_a_draft_with_the_live_version(admin_client, two_versions):
    page, _, new_id = two_versions
    page, draft = fresh(page), None
    page.set_text(f"# {page.title}\n\n{NEW_TEXT.replace('便民', '为民')}")
    draft = page.save_revision()
    response = admin_client.get(f"/admin/archive/compare/{page.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/archive/compare/{page.pk}/{new_id}/{draft.pk}/"


def test_admin_compare_with_a_foreign_revision_is_404_in_chinese(admin_client, two_versions, make_regulation):
    page, old_id, _ = two_versions
    other = fresh(make_regulation(slug="other"))
    response = admin_client.get(f"/admin/archive/compare/{page.pk}/{old_id}/{other.live_revision_id}/")
    assert response.status_code == 404
    assert "所请求的修订版本不存在，或不属于该页面" in response.content.decode()


def test_admin_compare_is_404_without_page_permissions(client, two_versions, staff):
    page, old_id, new_id = two_versions
    user = staff[0]
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(f"/admin/archive/compare/{page.pk}/{old_id}/{new_id}/").status_code == 404


def test_page_header_links_reviewers_to_the_comparison(admin_client, two_versions):
    page, _, _ = two_versions
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert f"/admin/archive/compare/{page.pk}/" in html
    assert "修改前后对照" in html


def test_page_history_view_links_to_the_comparison(admin_client, two_versions):
    page, _, _ = two_versions
    html = admin_client.get(f"/admin/pages/{page.pk}/history/").content.decode()
    assert f"/admin/archive/compare/{page.pk}/" in html


def test_unpublished_second_version_keeps_the_old_text_public(client, two_versions):
    # A draft is not a version: ?date= far in the future still shows the published text.
    page, _, _ = two_versions
    page = fresh(page)
    page.set_text(f"# {page.title}\n\n第一条 草稿内容。")
    page.save_revision()
    html = client.get(page.url, {"date": "2099-01-01"}).content.decode()
    assert "草稿内容" not in html and "行政复议机构应当依法履行职责" in html


def test_publishing_a_new_version_via_helper_is_visible_in_the_list(client, two_versions):
    page, _, _ = two_versions
    publish_new_version(page, NEW_TEXT.replace("便民", "为民"), effective_date=datetime.date(2025, 1, 1))
    assert "历史版本（3）" in client.get(fresh(page).url).content.decode()
