"""Property-based fuzzing of forms: the staff subscription form, the admin edit form of a regulation and
the public search form.  Whatever is sent: never a server error; what is refused is refused with a
Chinese message and changes nothing."""
import datetime
import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from portal.models import Category, Department, RegulationPage, Scope, User, Validity
from portal.models.sharing import DepartmentSubscription
from search.models import SavedSearch
from tests.fuzzing import examples

CHINESE = re.compile(r"[\u4e00-\u9fff]")
FUZZ = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)
HOSTILE = st.sampled_from(["", " ", "\x00", "0", "-1", "99999999999999999999", "1e9", "null", "None", "[]", "{}",
                           "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "２０２６-０３-０２",
                           "2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "0001-01-01", "文" * 300])
NOISE = st.one_of(TEXT, HOSTILE)


def chinese_errors(errors) -> bool:
    """Return True when every error message of a form's ``errors`` has Chinese in it."""
    messages = [str(message) for field_errors in errors.values() for message in field_errors]
    return bool(messages) and all(CHINESE.search(message) for message in messages)


# --- the staff saved-search form --------------------------------------------------------------------

@settings(max_examples=examples(30), **FUZZ)
@given(name=st.one_of(st.just("我的检索"), NOISE), query=st.one_of(st.just("户外广告"), NOISE),
       category=st.one_of(st.just(""), st.just("法律法规"), NOISE), validity=st.one_of(st.just(""), NOISE))
def test_saved_search_form_never_fails_and_refuses_bad_values_in_chinese(client, departments, name, query,
                                                                         category, validity):
    user = User.objects.get_or_create(username="saver_a", defaults={"department": departments[0]})[0]
    client.force_login(user)
    before = set(SavedSearch.objects.values_list("pk", flat=True))

    response = client.post("/staff/saved/", {"name": name, "query": query, "category": category,
                                             "validity": validity})

    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 302), response.status_code
    created = SavedSearch.objects.exclude(pk__in=before)
    if response.status_code == 302:
        saved = created.get()
        assert saved.name == name.strip() and saved.query == query.strip() and saved.user == user
        saved.delete()  # the next example starts from the same state
    else:
        assert not created.exists()
        assert chinese_errors(response.context["form"].errors)


# --- the staff subscription form --------------------------------------------------------------------

@pytest.fixture
def liaison_b(departments):
    """Return department B's liaison (who may manage B's subscriptions)."""
    user = User.objects.create_user("liaison_b", password="pw-liaison-2026", department=departments[1])
    departments[1].liaisons.add(user)
    return user


@settings(max_examples=examples(60), **FUZZ)
@given(category=st.one_of(st.sampled_from([""] + list(Category.values)), NOISE),
       source=st.one_of(st.just("choose-a"), st.just(""), NOISE),
       department=st.integers(0, 3).flatmap(lambda n: st.just("b") if n else NOISE))  # mostly the right one
def test_subscription_form_never_fails_and_refuses_bad_values_in_chinese(client, departments, liaison_b,
                                                                         category, source, department):
    a, b = departments
    client.force_login(liaison_b)
    data = {"category": category, "source_department": a.pk if source == "choose-a" else source,
            "department": b.pk if department == "b" else department}
    before = set(DepartmentSubscription.objects.values_list("pk", flat=True))

    response = client.post("/staff/subscriptions/", data)

    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 302, 404), response.status_code
    created = DepartmentSubscription.objects.exclude(pk__in=before)
    if response.status_code == 302:
        subscription = created.get()
        assert (subscription.subscriber, subscription.category) == (b, category)
        assert subscription.source_department == (a if source == "choose-a" else None)
        subscription.delete()  # the next example starts from the same state
    else:
        assert not created.exists()
        if response.status_code == 200:
            assert chinese_errors(response.context["form"].errors)
        else:  # a department that is not the user's: the portal's Chinese 404 page
            assert CHINESE.search(response.content.decode())


# --- the admin edit form of a regulation -------------------------------------------------------------

@pytest.fixture
def editor_client(client, departments):
    admin = User.objects.create_superuser("root", "root@example.gov.cn", "pw-root-2026", department=departments[0])
    client.force_login(admin)
    return client


DATE = st.one_of(st.just(""), st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)).map(str), NOISE)
DOC_NUMBER = st.one_of(st.just(""), st.builds("测政发〔{}〕{}号".format, st.integers(1900, 2100), st.integers(0, 9999)),
                       NOISE)
FULL_TEXT = st.one_of(st.just(""), NOISE, st.lists(TEXT, min_size=1, max_size=5).map(
    lambda parts: "\n".join(f"第{'一二三四五'[n]}条 {part}" for n, part in enumerate(parts))))


VALID_EDIT = {
    "title": "测试条例（修订）", "slug": "ceshi", "department": "a", "scope": Scope.PUBLIC, "doc_number": "",
    "index_number": "", "formed_date": "2026-03-02", "written_date": "", "publish_date": "", "effective_date": "",
    "abolished_date": "", "validity": Validity.IN_FORCE, "keywords": "", "summary": "", "regulation_kind": "normative",
    "issuing_authority": "", "revision_basis": "", "full_text": "",
}
# Each example changes a few fields of a valid form: some to other valid values, most to noise.
EDITS = st.fixed_dictionaries({}, optional={
    "title": st.one_of(NOISE, TEXT.filter(str.strip)), "slug": NOISE, "department": NOISE,
    "scope": st.one_of(st.sampled_from(list(Scope.values)), NOISE),
    "validity": st.one_of(st.sampled_from(list(Validity.values)), NOISE),
    "regulation_kind": NOISE, "doc_number": DOC_NUMBER, "index_number": NOISE, "formed_date": DATE,
    "written_date": DATE, "publish_date": DATE, "effective_date": DATE, "abolished_date": DATE, "keywords": NOISE,
    "summary": NOISE, "issuing_authority": NOISE, "revision_basis": NOISE, "full_text": FULL_TEXT,
})


@settings(max_examples=examples(50), **FUZZ)
@given(edits=EDITS)
def test_regulation_edit_form_never_fails_and_refuses_bad_values_in_chinese(editor_client, make_regulation,
                                                                            departments, edits):
    page = RegulationPage.objects.filter(slug="ceshi").first() or make_regulation(title="测试条例", slug="ceshi")
    revisions = page.revisions.count()
    values = {**VALID_EDIT, **edits}
    if values["department"] == "a":
        values["department"] = departments[0].pk
    data = nested_form_data({**values, "body": streamfield([]), "comments": inline_formset([])})

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 302), response.status_code
    page.refresh_from_db()
    if response.status_code == 200:  # refused: the form again, with Chinese messages, and no new draft
        assert chinese_errors(response.context["form"].errors), response.context["form"].errors
        assert page.revisions.count() == revisions
        assert (page.title, page.slug) == ("测试条例", "ceshi")
    else:  # saved as a new draft; the live page is untouched until it is published
        assert page.revisions.count() == revisions + 1
        assert page.title == "测试条例" and page.live


def test_a_department_that_is_not_an_id_is_refused_in_chinese(editor_client, make_regulation, departments):
    """Found by the fuzzer: Wagtail's chooser widget failed (500) redisplaying a department of ":"."""
    page = make_regulation(title="测试条例", slug="ceshi")
    data = nested_form_data({
        "title": "测试条例", "slug": "ceshi", "department": ":", "scope": Scope.PUBLIC, "doc_number": "",
        "index_number": "", "formed_date": "2026-03-02", "written_date": "", "publish_date": "", "effective_date": "",
        "abolished_date": "", "validity": Validity.IN_FORCE, "keywords": "", "summary": "",
        "regulation_kind": "normative", "issuing_authority": "", "revision_basis": "", "full_text": "",
        "body": streamfield([]), "comments": inline_formset([]),
    })

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    assert response.status_code == 200
    assert "选择一个有效的选项" in " ".join(response.context["form"].errors["department"])
    assert page.revisions.count() == 1


# --- the public search form --------------------------------------------------------------------------

@settings(max_examples=examples(100), **FUZZ)
@given(q=st.one_of(TEXT, HOSTILE, st.sampled_from(['"未闭合', "标题:", "年份:abcd", "部门:", "-", "OR", "NEAR("])),
       category=NOISE, department=NOISE, validity=NOISE, year=NOISE, sort=NOISE, page=NOISE,
       include_abolished=NOISE)
def test_search_form_always_answers_a_page_and_changes_nothing(client, make_regulation, q, category, department,
                                                               validity, year, sort, page, include_abolished):
    if not RegulationPage.objects.exists():
        make_regulation(title="测试城市道路管理条例", text="第一条 为了加强城市道路管理，制定本条例。")
    pages, departments = RegulationPage.objects.count(), Department.objects.count()

    response = client.get("/search/", {"q": q, "category": category, "department": department,
                                       "validity": validity, "year": year, "sort": sort, "page": page,
                                       "include_abolished": include_abolished})

    assert response.status_code == 200
    assert "检索" in response.content.decode()
    assert (RegulationPage.objects.count(), Department.objects.count()) == (pages, departments)
