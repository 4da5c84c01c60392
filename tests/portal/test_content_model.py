"""The content model: validation in the admin, 索引号, 有效性, article anchors, access by scope."""
import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from portal.models import RegulationPage, Scope, SharedInfoPage, User, Validity
from portal.models.metadata import derive_validity


@pytest.fixture
def admin_client_zh(client, departments):
    admin = User.objects.create_superuser("root", "root@example.gov.cn", "pw-root", department=departments[0])
    client.force_login(admin)
    return client


def regulation_form(departments, **overrides):
    data = {
        "title": "测试管理办法",
        "slug": "test-rules",
        "department": departments[0].pk,
        "scope": Scope.SHARED,
        "doc_number": "测政发〔2026〕3号",
        "index_number": "",
        "formed_date": "2026-03-02",
        "written_date": "",
        "publish_date": "",
        "effective_date": "",
        "abolished_date": "",
        "validity": Validity.IN_FORCE,
        "keywords": "",
        "summary": "",
        "regulation_kind": "normative",
        "issuing_authority": "",
        "revision_basis": "",
        "full_text": "第一条 为了规范管理，制定本办法。\n第二条 本办法自发布之日起施行。",
        "body": streamfield([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def post_new_regulation(client, parent, data):
    url = reverse("wagtailadmin_pages:add", args=("portal", "regulationpage", parent.pk))
    return client.post(url, data)


def test_pasted_full_text_becomes_articles_with_anchors(admin_client_zh, site_tree, departments):
    _, laws = site_tree
    response = post_new_regulation(admin_client_zh, laws, regulation_form(departments))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = RegulationPage.objects.get(slug="test-rules")
    assert [a["label"] for a in page.get_latest_revision_as_object().articles()] == ["第一条", "第二条"]


def test_pasted_text_without_articles_is_kept_as_paragraphs_not_refused(admin_client_zh, site_tree, departments):
    _, laws = site_tree
    response = post_new_regulation(admin_client_zh, laws, regulation_form(departments, full_text="这里没有任何条文。"))
    assert response.status_code == 302
    page = RegulationPage.objects.get(slug="test-rules").get_latest_revision_as_object()
    assert page.articles() == [] and "这里没有任何条文。" in page.plain_text()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"doc_number": "测政发2026年3号"}, "doc_number", "发文字号格式不正确"),
        ({"effective_date": "2026-05-01", "abolished_date": "2026-04-01"}, "abolished_date", "废止日期不能早于生效日期"),
        ({"formed_date": ""}, "formed_date", "请填写信息形成日期"),
        ({"index_number": "ZFA/2026-0001x"}, "index_number", "索引号"),
    ],
)
def test_admin_form_rejects_bad_metadata_in_chinese_and_saves_nothing(
    admin_client_zh, site_tree, departments, overrides, field, message
):
    _, laws = site_tree
    before = SharedInfoPage.objects.count()
    response = post_new_regulation(admin_client_zh, laws, regulation_form(departments, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert SharedInfoPage.objects.count() == before


def test_admin_form_rejects_a_duplicate_index_number(admin_client_zh, make_regulation, site_tree, departments):
    existing = make_regulation()
    _, laws = site_tree
    before = SharedInfoPage.objects.count()
    response = post_new_regulation(
        admin_client_zh, laws, regulation_form(departments, index_number=existing.index_number)
    )
    assert response.status_code == 200
    assert "已被其他信息使用" in " ".join(response.context["form"].errors["index_number"])
    assert SharedInfoPage.objects.count() == before


def test_index_numbers_count_up_per_department_and_year(make_regulation, departments):
    a, b = departments
    first = make_regulation(title="一号文件")
    second = make_regulation(title="二号文件")
    other_dept = make_regulation(title="三号文件", department=b)
    next_year = make_regulation(title="四号文件", formed_date=datetime.date(2027, 1, 4))
    assert first.index_number == "ZFA/2026-00001"
    assert second.index_number == "ZFA/2026-00002"
    assert other_dept.index_number == "ZJB/2026-00001"
    assert next_year.index_number == "ZFA/2027-00001"


def test_doc_number_is_stored_in_canonical_form(make_regulation):
    page = make_regulation(doc_number="测政办字[2018]18号")
    page.refresh_from_db()
    assert page.doc_number == "测政办字〔2018〕18号"


@pytest.mark.parametrize(
    "effective, abolished, current, expected",
    [
        (None, None, Validity.IN_FORCE, Validity.IN_FORCE),
        (datetime.date(2030, 1, 1), None, Validity.IN_FORCE, Validity.PENDING),
        (datetime.date(2020, 1, 1), datetime.date(2025, 1, 1), Validity.IN_FORCE, Validity.ABOLISHED),
        (datetime.date(2020, 1, 1), datetime.date(2030, 1, 1), Validity.IN_FORCE, Validity.IN_FORCE),
        (datetime.date(2020, 1, 1), None, Validity.REVISED, Validity.REVISED),
        (datetime.date(2020, 1, 1), None, Validity.PENDING, Validity.IN_FORCE),
    ],
)
def test_validity_follows_the_dates_where_they_decide(effective, abolished, current, expected):
    assert derive_validity(effective, abolished, current, datetime.date(2026, 11, 25)) == expected


def test_regulation_page_renders_article_anchors_and_toc(client, make_regulation):
    text = "## 第一章 总则\n\n第一条 总则条文。\n\n## 第二章 附则\n\n第二条 附则条文。\n\n第二条之一 新增条文。"
    page = make_regulation(text=text)
    html = client.get(page.url).content.decode()
    assert 'id="第一条"' in html and 'id="第二条之一"' in html
    assert 'href="#第二条"' in html  # 第二章 in the table of contents links to its first article


@pytest.mark.parametrize(
    "scope, anonymous, same_dept, other_dept",
    [
        (Scope.PUBLIC, 200, 200, 200),
        (Scope.SHARED, 404, 200, 200),
        (Scope.INTERNAL, 404, 200, 404),
        (Scope.PRIVATE, 404, 404, 404),
    ],
)
def test_page_is_served_only_to_those_its_scope_allows(client, make_regulation, staff, scope, anonymous, same_dept, other_dept):
    page = make_regulation(scope=scope)
    assert client.get(page.url).status_code == anonymous
    client.force_login(staff[0])
    assert client.get(page.url).status_code == same_dept
    client.force_login(staff[1])
    assert client.get(page.url).status_code == other_dept


def test_category_listing_hides_what_the_visitor_may_not_see(client, make_regulation, site_tree):
    make_regulation(title="公开的办法", scope=Scope.PUBLIC)
    make_regulation(title="共享的办法", scope=Scope.SHARED)
    html = client.get(site_tree[1].url).content.decode()
    assert "公开的办法" in html and "共享的办法" not in html


def test_listing_past_the_last_page_shows_the_last_page(client, make_regulation, site_tree):
    for n in range(21):
        make_regulation(title=f"第{n}号办法")
    response = client.get(site_tree[1].url + "?page=99")
    assert response.status_code == 200
    assert response.context["items"].number == 2


def test_unknown_page_gets_a_chinese_404_with_search(client, site_tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and 'name="q"' in html


def test_abolished_and_expired_documents_leave_the_current_listing(client, make_regulation, site_tree):
    make_regulation(title="现行的办法")
    make_regulation(title="已废止的办法", effective_date=datetime.date(2020, 1, 1), abolished_date=datetime.date(2025, 1, 1))
    expired = make_regulation(title="到期未处理的办法", effective_date=datetime.date(2020, 1, 1))
    # A 废止日期 reached after the last save: no daily job has re-derived 有效性 yet.
    SharedInfoPage.objects.filter(pk=expired.pk).update(abolished_date=datetime.date(2025, 6, 1))
    html = client.get(site_tree[1].url).content.decode()
    assert "现行的办法" in html
    assert "已废止的办法" not in html and "到期未处理的办法" not in html


def test_saving_again_with_an_empty_index_number_keeps_the_number_given(make_regulation):
    page = make_regulation()
    number = page.index_number
    page.index_number = ""
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.index_number == number
