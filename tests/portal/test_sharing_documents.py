"""Document downloads go through the access policy: a file is as confidential as the pages that use it."""
import datetime

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from portal.models import CategoryIndexPage, OtherSharedInfoPage, Scope, ViewLog
from portal.walls.documents import can_download, referencing_pages

Document = get_document_model()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def record(site_tree, departments, django_capture_on_commit_callbacks):
    """Return a factory publishing a record whose rich-text body links the given documents."""
    home, _ = site_tree
    section = CategoryIndexPage(title="其他共享信息", slug="other", section="other")
    home.add_child(instance=section)
    section.save_revision().publish()

    def make(title, scope, documents, department=None):
        links = "".join(f'<p>附件：<a linktype="document" id="{d.pk}">{d.title}</a></p>' for d in documents)
        page = OtherSharedInfoPage(title=title, scope=scope, department=department or departments[0],
                                   formed_date=datetime.date(2026, 11, 2), body=links)
        section.add_child(instance=page)
        # The reference index is updated by a task enqueued on commit.
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return page

    return make


@pytest.fixture
def attach(record):
    """Return a factory: a document linked from the body of a new record of the given scope."""

    def make(name, scope, department=None, content=b"attachment"):
        document = Document(title=name)
        document.file.save(name, ContentFile(content), save=True)
        return document, record(f"附{name}的信息", scope, [document], department)

    return make


def download(client, document):
    response = client.get(document.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def test_document_of_a_shared_page_is_refused_to_anonymous_and_the_attempt_logged(client, attach, staff):
    document, page = attach("共享附件.txt", Scope.SHARED, content=b"MARK-SHARED-DOC")
    assert [p.pk for p in referencing_pages(document)[0]] == [page.pk]
    status, body = download(client, document)
    assert status == 404
    assert b"MARK-SHARED-DOC" not in body
    assert ViewLog.objects.get().kind == ViewLog.Kind.REFUSED
    client.force_login(staff[1])
    assert download(client, document) == (200, b"MARK-SHARED-DOC")


def test_document_of_a_public_page_is_downloadable_by_anyone(client, attach):
    document, page = attach("公开附件.txt", Scope.PUBLIC, content=b"public file")
    assert f"/documents/{document.pk}/" in client.get(page.url).content.decode()
    assert download(client, document) == (200, b"public file")


def test_document_of_an_internal_page_is_for_its_department_only(client, attach, staff, departments):
    document, _ = attach("内部附件.txt", Scope.INTERNAL, department=departments[0], content=b"internal")
    client.force_login(staff[1])
    assert download(client, document)[0] == 404
    client.force_login(staff[0])
    assert download(client, document) == (200, b"internal")


def test_document_used_by_a_public_and_an_internal_page_follows_the_stricter(attach, record, staff):
    from django.contrib.auth.models import AnonymousUser

    document, _ = attach("两用附件.txt", Scope.PUBLIC)
    assert can_download(AnonymousUser(), document)
    record("内部引用", Scope.INTERNAL, [document])
    assert not can_download(AnonymousUser(), document)
    assert can_download(staff[0], document)
    assert not can_download(staff[1], document)


def test_unreferenced_document_is_for_staff_only(client, staff):
    document = Document(title="未引用")
    document.file.save("orphan.txt", ContentFile(b"orphan"), save=True)
    assert download(client, document)[0] == 404
    client.force_login(staff[0])
    assert download(client, document) == (200, b"orphan")


def test_documents_are_not_served_from_the_media_url(client, settings, staff):
    document = Document(title="直链")
    document.file.save("direct.txt", ContentFile(b"direct"), save=True)
    client.force_login(staff[0])
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
