"""Public record pages mask personal data; staff read them as recorded; a penalty decision's URL names nobody."""
import datetime

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from portal.models import CategoryIndexPage, ComplaintHandlingPage, PenaltyDecisionPage, Scope, User

ID_NUMBER = "110101199001011234"
PHONE = "13800138000"
BANK = "6228481198765432170"


@pytest.fixture
def sections(site_tree):
    home, _ = site_tree
    result = {}
    for slug, title in [("penalties", "行政处罚、行政强制"), ("complaints", "举报投诉信访受理处理情况")]:
        section = CategoryIndexPage(title=title, slug=slug, section=slug)
        home.add_child(instance=section)
        section.save_revision().publish()
        result[slug] = section
    return result


@pytest.fixture
def decision(sections, departments):
    page = PenaltyDecisionPage(
        title="行政处罚决定书（张三擅自占道经营案）", slug="penalty-1", department=departments[0], scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 4, 27), party_kind="person", party_name="张三",
        party_id_number=ID_NUMBER, party_phone=PHONE, party_address="淄博市周村区青年路街道某路18号3号楼2单元301室",
        facts="张三于2026年4月在某路18号门前占道经营。", decision="罚款500元。",
        summary=f"当事人张三（电话{PHONE}）占道经营。",
        body=f"<p>当事人张三，身份证号{ID_NUMBER}，罚款请缴入账户{BANK}。</p>"
             f'<p><a href="tel:{PHONE}">联系当事人</a></p>',
    )
    sections["penalties"].add_child(instance=page)
    page.save_revision().publish()
    return page


SECRETS = ["张三", ID_NUMBER, PHONE, BANK, "某路18号", "301室"]


def test_public_penalty_decision_is_masked_for_anonymous_visitors(client, decision):
    html = client.get(decision.url).content.decode()
    for secret in SECRETS:
        assert secret not in html, secret
    assert "行政处罚决定书（张某擅自占道经营案）" in html  # title, <title> and breadcrumbs
    assert "<title>行政处罚决定书（张某" in html
    assert "110101********1234" in html
    assert "138****8000" in html
    assert "***************2170" in html
    assert "已作隐去处理" in html


def test_public_penalty_decision_is_unmasked_for_staff(client, decision, staff):
    client.force_login(staff[1])
    html = client.get(decision.url).content.decode()
    for secret in SECRETS:
        assert secret in html, secret
    assert "张某" not in html
    assert "已作隐去处理" not in html


def test_complaint_record_masks_phone_numbers_in_its_body_for_the_public(client, sections, departments):
    page = ComplaintHandlingPage(
        title="关于夜间施工噪声投诉的处理情况", slug="complaint-1", department=departments[0], scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 5, 19), received_date=datetime.date(2026, 5, 18),
        result=f"已电话回复投诉人（{PHONE}）。", body=f"<p>投诉人联系电话{PHONE}，住某路18号。</p>",
    )
    sections["complaints"].add_child(instance=page)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert PHONE not in html and "某路18号" not in html
    assert "138****8000" in html


def test_other_record_types_still_render(client, sections, departments):
    # Every record type has a template (record_page.html is the fallback of those without one of their own).
    from portal.models import OtherSharedInfoPage

    page = OtherSharedInfoPage(title="会议纪要", slug="minutes", department=departments[0], scope=Scope.PUBLIC,
                               formed_date=datetime.date(2026, 5, 19), body="<p>纪要正文</p>")
    sections["complaints"].add_child(instance=page)
    page.save_revision().publish()
    response = client.get(page.url)
    assert response.status_code == 200
    assert "纪要正文" in response.content.decode()


def penalty_form(departments, **overrides):
    data = {
        "title": "行政处罚决定书（李小明违法搭建案）", "slug": "行政处罚决定书李小明违法搭建案",
        "department": departments[0].pk, "scope": Scope.PUBLIC, "doc_number": "", "index_number": "",
        "formed_date": "2026-11-02", "written_date": "", "publish_date": "", "effective_date": "",
        "abolished_date": "", "validity": "in_force", "keywords": "", "summary": "",
        "decision_kind": "penalty", "party_kind": "person", "party_name": "李小明", "party_id_number": "",
        "party_address": "", "party_phone": "", "legal_representative": "", "facts": "", "basis": "",
        "decision": "", "fine_amount": "", "execution_status": "", "body": rich_text("<p>正文</p>"),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def admin_client_zh(client, departments):
    client.force_login(User.objects.create_superuser("root", "root@example.gov.cn", "pw-root-2026",
                                                     department=departments[0]))
    return client


def test_admin_gives_a_penalty_decision_a_slug_from_its_index_number_not_the_party(admin_client_zh, sections,
                                                                                  departments):
    url = reverse("wagtailadmin_pages:add", args=("portal", "penaltydecisionpage", sections["penalties"].pk))
    response = admin_client_zh.post(url, penalty_form(departments))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = PenaltyDecisionPage.objects.get(party_name="李小明")
    assert page.slug == "penalty-zfa-2026-00001"
    assert "李" not in page.url_path


def test_publishing_without_formed_date_is_refused_in_chinese(admin_client_zh, sections, departments):
    url = reverse("wagtailadmin_pages:add", args=("portal", "penaltydecisionpage", sections["penalties"].pk))
    response = admin_client_zh.post(url, penalty_form(departments, formed_date="", **{"action-publish": "publish"}))
    assert response.status_code == 200
    assert "请填写信息形成日期" in " ".join(response.context["form"].errors["formed_date"])
    assert not PenaltyDecisionPage.objects.exists()


def test_publishing_a_draft_after_clearing_its_formed_date_is_refused(admin_client_zh, sections, departments):
    url = reverse("wagtailadmin_pages:add", args=("portal", "penaltydecisionpage", sections["penalties"].pk))
    assert admin_client_zh.post(url, penalty_form(departments)).status_code == 302  # saved as a draft
    draft = PenaltyDecisionPage.objects.get()
    assert not draft.live
    edit = reverse("wagtailadmin_pages:edit", args=(draft.pk,))
    response = admin_client_zh.post(edit, penalty_form(departments, slug=draft.slug, formed_date="",
                                                       **{"action-publish": "publish"}))
    assert response.status_code == 200
    assert "请填写信息形成日期" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live and draft.first_published_at is None
