"""The privacy wall: no channel shows an anonymous visitor the personal data of a public page, of any type.

The world (tests/portal/privacy_world.py) holds a public page of every page type naming a natural
person — in its title and body, with an ID number, a mobile number and, for some, a bank account.
An anonymous visitor reads every channel: the page, its print view, its PDF and the other exports
(and their download names), the lists, search results and snippets, suggestions, /api/search/,
the Wagtail API (``fields=*``, ``search=``, details), the feeds and the sitemap; none of them may
carry a raw value.  The API refuses searches by personal data; the search notice does not depend
on who is in a non-public record; the 保密审查 of the admin form holds back a 公开 item with
personal data until its editor confirms the masking.
"""
from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import quote, unquote

import docx
import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from lib.masking import mask_person_name
from portal.models import CategoryIndexPage, ComplaintHandlingPage, Scope, User
from portal.privacy_review import CONFIRM_FIELD, CONFIRM_LABEL
from search.service import personal_data_refusal
from tests.conftest import create_departments, create_site_tree, refreshed
from tests.portal.privacy_world import PERSONS, PRIVATE_PERSON, SHARED_WORD, build_privacy_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(module_transaction):
    departments = create_departments()
    home, _laws = create_site_tree()
    world = build_privacy_world(home, departments)
    return {"world": world, "departments": departments}


@pytest.fixture
def world(_world, db):
    return refreshed(_world["world"].__dict__) | {"departments": refreshed(_world["departments"])}


def _text(response) -> str:
    """Return what a response carries as text: HTML/XML/JSON decoded, PDF/Word/XLSX/CSV extracted."""
    content_type = response.get("Content-Type", "")
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in content_type:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
        return re.sub(r"\s+", "", text)  # line breaks fall anywhere in Chinese
    if "wordprocessingml" in content_type:
        document = docx.Document(io.BytesIO(raw))
        properties = document.core_properties
        parts = [p.text for p in document.paragraphs] + [properties.title or "", properties.comments or ""]
        return "\n".join(parts + [p.text for p in document.sections[0].header.paragraphs])
    if "spreadsheetml" in content_type:
        book = openpyxl.load_workbook(io.BytesIO(raw))
        cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
        return "\n".join(cells + [book.properties.title or ""])
    if "csv" in content_type:
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    text = raw.decode("utf-8")
    if "json" in content_type:
        text += json.dumps(json.loads(text), ensure_ascii=False)  # \u escapes read back as characters
    return text


def _disposition_name(response) -> str:
    header = response.get("Content-Disposition", "")
    match = re.search(r"filename\*=UTF-8''([^;]+)", header)
    return header + (unquote(match.group(1)) if match else "")


def _public_urls(world) -> list[str]:
    """Return every URL of every public channel for the world's pages."""
    pages = world["pages"]
    urls = ["/", "/sitemap.xml", "/archive/"]
    for section in CategoryIndexPage.objects.all():
        urls.append(section.url)
        urls += [f"/feeds/{section.section}/rss/", f"/feeds/{section.section}/atom/"]
    for page in pages.values():
        urls += [page.url, page.url + "?print=1", f"/archive/export/{page.pk}.pdf",
                 f"/api/v2/pages/{page.pk}/?fields=*"]
    urls += [f"/archive/export/{pages['regulation'].pk}.docx",
             f"/archive/export/{pages['discretion'].pk}/discretion.xlsx",
             f"/archive/export/{pages['discretion'].pk}/discretion.csv",
             f"/archive/export/{pages['statistics'].pk}/statistics.xlsx",
             f"/archive/export/{pages['statistics'].pk}/statistics.csv"]
    word = quote(SHARED_WORD)
    urls += [f"/search/?q={word}&per_page=50", f"/api/search/?q={word}&per_page=50",
             f"/api/search/suggest/?q={quote('关于')}", f"/api/search/suggest/?q={quote('行政处罚')}",
             "/api/v2/pages/?fields=*&limit=20", "/api/v2/pages/?fields=*&limit=20&offset=20",
             f"/api/v2/pages/?search={word}&fields=*&limit=20", f"/api/v2/pages/?search={word}&fields=*&offset=10",
             "/api/v2/pages/?type=portal.PenaltyDecisionPage&fields=*",
             "/api/v2/pages/?type=portal.ComplaintHandlingPage&fields=*"]
    return urls


def test_every_public_page_names_its_person_with_an_id_and_a_mobile_number(world):
    # The world is what the crawl needs: without personal data in every page the crawl proves nothing.
    from lib.masking import page_texts

    for key, page in world["pages"].items():
        person = PERSONS[key]
        assert page.live and getattr(page, "scope", Scope.PUBLIC) == Scope.PUBLIC, key
        assert person.name in page.title, key
        everything = "\n".join(page_texts(page).values())
        assert person.id_number in everything and person.mobile in everything, key


def test_anonymous_crawl_of_every_public_channel_finds_no_raw_personal_data(client, world):
    raw_values = [v for person in PERSONS.values() for v in person.raw_values]
    leaks, fetched = [], {}
    for url in _public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        shown = _text(response) + _disposition_name(response)
        fetched[url] = shown
        leaks += [f"{url}: {value}" for value in raw_values if value in shown]
    assert not leaks, "\n".join(leaks)
    # And the channels did show the pages, masked: the crawl read what it was meant to read.
    for key, page in world["pages"].items():
        masked_name = mask_person_name(PERSONS[key].name)
        assert masked_name in fetched[page.url], key
        assert masked_name in fetched[f"/archive/export/{page.pk}.pdf"], key
    search = json.loads(client.get(f"/api/search/?q={quote(SHARED_WORD)}&per_page=50").content)
    assert search["count"] >= len(world["pages"]) - 1  # every page is found (regulations by page or article)


def test_export_download_names_carry_the_masked_title(client, world):
    page = world["pages"]["penalty"]
    name = _disposition_name(client.get(f"/archive/export/{page.pk}.pdf"))
    assert mask_person_name(PERSONS["penalty"].name) in name and PERSONS["penalty"].name not in name


def test_page_urls_name_nobody(world):
    for key, page in world["pages"].items():
        assert PERSONS[key].name not in unquote(page.url), (key, page.url)


def test_staff_read_the_full_text(client, world):
    staff = User.objects.create_user("privacy_staff", password="pw-privacy-2026", department=world["departments"][0])
    client.force_login(staff)
    for key, page in world["pages"].items():
        assert PERSONS[key].name in client.get(page.url).content.decode(), key
    pdf = _text(client.get(f"/archive/export/{world['pages']['complaint'].pk}.pdf"))
    assert PERSONS["complaint"].id_number in pdf


# --- searching by personal data --------------------------------------------------------------------

def _search_terms() -> dict[str, str]:
    return {"name": PERSONS["complaint"].name, "id": PERSONS["complaint"].id_number,
            "mobile": PERSONS["complaint"].mobile, "bank": PERSONS["complaint"].bank_account,
            "name in a phrase": f"噪声 {PERSONS['penalty'].name}", "name of a private party": PRIVATE_PERSON.name}


@pytest.mark.parametrize("kind", list(_search_terms()))
def test_api_search_by_personal_data_is_refused_in_chinese(client, world, kind):
    term = _search_terms()[kind]
    response = client.get(f"/api/v2/pages/?search={quote(term)}&fields=*")
    assert response.status_code == 400
    message = response.json()["message"]
    assert "个人信息" in message and "不能按" in message


def test_api_title_filter_by_personal_data_is_refused_too(client, world):
    for term in (PERSONS["complaint"].name, PERSONS["complaint"].mobile):
        assert client.get(f"/api/v2/pages/?title={quote(term)}").status_code == 400, term


def test_signed_in_account_of_no_department_searches_as_the_public(client, world):
    client.force_login(User.objects.create_user("no_department", password="pw-nodept-2026"))
    found = client.get(f"/api/search/?q={quote(SHARED_WORD)}&per_page=50").content.decode()
    assert mask_person_name(PERSONS["complaint"].name) in found
    assert not [value for person in PERSONS.values() for value in person.raw_values if value in found]


def test_api_search_by_ordinary_words_still_finds_pages(client, world):
    for term in (SHARED_WORD, "噪声扰民", "行政许可", "安全法"):
        assert client.get(f"/api/v2/pages/?search={quote(term)}").status_code == 200, term
    data = client.get(f"/api/v2/pages/?search={quote(SHARED_WORD)}").json()
    assert data["meta"]["total_count"] >= len(world["pages"])


def test_the_api_and_the_search_page_refuse_the_same_terms(client, world):
    for term in _search_terms().values():
        notices = client.get(f"/api/search/?q={quote(term)}").json()["notices"]
        assert any("个人信息" in n for n in notices), term
        assert personal_data_refusal(term), term


def test_personal_data_notice_does_not_depend_on_who_is_in_a_non_public_record(client, world):
    """An existence oracle: 廉守拙 is the party of a 不予共享 decision, 廉守朴 of nothing at all."""
    def answer(name, also=""):
        response = client.get(f"/api/search/?q={quote(name + also)}")
        return response.status_code, response.content.decode().replace(name, "□")

    in_private_record, nowhere = answer(PRIVATE_PERSON.name), answer("廉守朴")
    assert in_private_record == nowhere
    assert "个人信息" in nowhere[1]
    # The same typed alongside an ordinary word, which still finds what it finds.
    assert answer(PRIVATE_PERSON.name, " 噪声") == answer("廉守朴", " 噪声")
    assert json.loads(answer("廉守朴", " 噪声")[1])["count"] >= 1


def test_personal_terms_are_recognised_from_the_text_alone():
    for typed in ("程秀兰", "王芳", "欧阳小明", "370306199203174527", "13526291874", "6217211708001234567"):
        assert personal_data_refusal(typed), typed
    for typed in ("行政许可", "食品安全法", "占道经营", "周村区", "王府井", "高温", "张某", "周综执罚决字〔2026〕第0312号"):
        assert not personal_data_refusal(typed), typed


# --- 保密审查: the admin form of a 公开 item with personal data ---------------------------------------

def _complaint_form(page, **overrides) -> dict:
    data = {
        "title": page.title, "slug": page.slug, "department": page.department_id, "scope": page.scope,
        "doc_number": "", "index_number": page.index_number, "formed_date": "2026-03-02", "written_date": "",
        "publish_date": "", "effective_date": "", "abolished_date": "", "validity": "in_force", "keywords": "",
        "summary": "", "channel": page.channel, "received_date": "2026-03-02", "handling_status": "accepted",
        "first_department": "", "handling_department": "", "complainant": page.complainant, "result": page.result,
        "body": rich_text(page.body), "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def editor_client(client, world):
    client.force_login(User.objects.create_superuser("privacy_root", "root@example.gov.cn", "pw-root-2026",
                                                     department=world["departments"][0]))
    return client


def test_publishing_a_public_item_with_personal_data_needs_the_confirmation(editor_client, world):
    page = world["pages"]["complaint"]
    revisions = page.revisions.count()
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])

    refused = editor_client.post(edit, _complaint_form(page, title=page.title + "（更新）",
                                                        **{"action-publish": "publish"}))

    assert refused.status_code == 200
    errors = " ".join(refused.context["form"].errors[CONFIRM_FIELD])
    assert "保密审查" in errors and CONFIRM_LABEL in errors
    # What was found is shown as the public will read it: masked, never the raw value.
    assert mask_person_name(PERSONS["complaint"].name) in errors and PERSONS["complaint"].mobile not in errors
    page.refresh_from_db()
    assert page.revisions.count() == revisions and not page.title.endswith("（更新）")

    confirmed = editor_client.post(edit, _complaint_form(page, title=page.title + "（更新）",
                                                          **{"action-publish": "publish", CONFIRM_FIELD: "on"}))
    assert confirmed.status_code == 302
    page.refresh_from_db()
    assert page.title.endswith("（更新）") and page.live


def test_submitting_for_review_is_held_back_the_same_way(editor_client, world):
    page = world["pages"]["complaint"]
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]),
                                  _complaint_form(page, **{"action-submit": "submit"}))
    assert response.status_code == 200 and CONFIRM_FIELD in response.context["form"].errors


def test_narrowing_the_scope_or_saving_a_draft_needs_no_confirmation(editor_client, world):
    page = world["pages"]["complaint"]
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert editor_client.post(edit, _complaint_form(page)).status_code == 302  # a draft
    shared = editor_client.post(edit, _complaint_form(page, scope=Scope.SHARED, **{"action-publish": "publish"}))
    assert shared.status_code == 302
    assert ComplaintHandlingPage.objects.get(pk=page.pk).scope == Scope.SHARED


def test_a_public_item_without_personal_data_is_published_without_confirmation(editor_client, world):
    page = world["pages"]["complaint"]
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), _complaint_form(
        page, title="关于夜间噪声扰民的处理情况", complainant="", result="已办结。", body=rich_text("<p>已办结。</p>"),
        **{"action-publish": "publish"}))
    assert response.status_code == 302, response.context["form"].errors
