"""Documents and images in the admin: each department manages its own files; case files are frozen.

portal.walls.files (the policy) and portal.walls.admin_doors (the door) tried as an attacker would:
listing, search, chooser, edit, replace, delete, multiple-upload edit, bulk delete, image preview and
the admin API, by each department's staff against the other's files and against case-transfer evidence.
"""
from datetime import date as D

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from cooperation import transfers
from portal.models import User
from portal.walls.files import CASE_FILE_LOCKED

Document = get_document_model()
Image = get_image_model()


@pytest.fixture
def files(world, document):
    def doc(title, user):
        item = Document(title=title, file=ContentFile(f"{title}原文".encode(), name="plain.txt"), uploaded_by_user=user)
        item.save()
        return item

    def image(title, user):
        item = Image(title=title, file=get_test_image_file(filename=f"{title}.png"), uploaded_by_user=user)
        item.save()
        return item

    transfer = transfers.create_transfer(world.a_clerk, from_department=world.a, to_department=world.b,
                                         title="违法搭建", facts="发现违法搭建。", discovered_date=D(2026, 3, 10),
                                         today=D(2026, 3, 10))
    evidence = document("现场检查笔录甲", user=world.a_clerk)
    transfers.add_material(transfer, world.a_clerk, kind="evidence", document=evidence)
    return {
        "doc_a": doc("甲部门文档ALPHA", world.a_clerk),
        "doc_b": doc("乙部门文档BRAVO", world.b_clerk),
        "evidence": evidence,
        "image_a": image("甲部门图片ALPHA", world.a_clerk),
        "image_b": image("乙部门图片BRAVO", world.b_clerk),
    }


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.gov.cn", "Zhifa-Test-2026")


def text(response) -> str:
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("url", ["/admin/documents/", "/admin/documents/?q=部门文档", "/admin/documents/chooser/",
                                 "/admin/documents/chooser/results/?q=部门文档", "/admin/images/",
                                 "/admin/images/?q=部门图片", "/admin/images/chooser/"])
def test_listings_searches_and_choosers_show_only_the_departments_own_files(client, world, files, url):
    client.force_login(world.a_clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert "BRAVO" not in text(response)
    client.force_login(world.b_clerk)
    assert "ALPHA" not in text(client.get(url))
    assert "现场检查笔录甲" not in text(client.get(url))


@pytest.mark.parametrize("path", ["/admin/documents/edit/{doc_b}/", "/admin/documents/delete/{doc_b}/",
                                  "/admin/documents/usage/{doc_b}/", "/admin/documents/multiple/{doc_b}/",
                                  "/admin/documents/multiple/{doc_b}/delete/", "/admin/images/{image_b}/",
                                  "/admin/images/{image_b}/delete/", "/admin/images/usage/{image_b}/",
                                  "/admin/images/{image_b}/generate_url/",
                                  "/admin/images/{image_b}/preview/original/",
                                  "/admin/api/main/documents/", "/admin/api/main/documents/{doc_b}/",
                                  "/admin/api/main/images/", "/admin/api/main/images/{image_b}/"])
def test_another_departments_file_screens_answer_404(client, world, files, path):
    url = path.format(doc_b=files["doc_b"].pk, image_b=files["image_b"].pk)
    client.force_login(world.a_clerk)
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "篡改", "file": SimpleUploadedFile("x.txt", b"tampered")}).status_code == 404
    files["doc_b"].refresh_from_db()
    assert files["doc_b"].title == "乙部门文档BRAVO"
    assert files["doc_b"].file.read() == "乙部门文档BRAVO原文".encode()
    assert Image.objects.filter(pk=files["image_b"].pk).exists()


def test_the_owning_department_edits_its_own_file(client, world, files):
    client.force_login(world.a_clerk)
    doc = files["doc_a"]
    assert client.get(f"/admin/documents/edit/{doc.pk}/").status_code == 200
    response = client.post(f"/admin/documents/edit/{doc.pk}/", {"title": "甲部门文档ALPHA（修订）",
                                                                  "collection": doc.collection_id})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.title == "甲部门文档ALPHA（修订）"


@pytest.mark.parametrize("actor", ["a_clerk", "root"])
def test_a_case_file_cannot_be_replaced_or_deleted_by_anyone_with_a_chinese_reason(client, world, files, root, actor):
    evidence = files["evidence"]
    client.force_login(root if actor == "root" else getattr(world, actor))
    for url in (f"/admin/documents/delete/{evidence.pk}/", f"/admin/documents/multiple/{evidence.pk}/delete/"):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 403
            assert CASE_FILE_LOCKED in text(response)
    replaced = client.post(f"/admin/documents/edit/{evidence.pk}/", {
        "title": "被替换", "collection": evidence.collection_id,
        "file": SimpleUploadedFile("forged.txt", b"forged evidence")})
    assert replaced.status_code == 403 and CASE_FILE_LOCKED in text(replaced)
    bulk = client.post(f"/admin/bulk/wagtaildocs/document/delete/?next=/admin/documents/&id={evidence.pk}")
    assert bulk.status_code in (200, 302, 403)
    evidence.refresh_from_db()
    assert evidence.title == "现场检查笔录甲"
    assert evidence.file.read() == "现场检查笔录甲（测试）".encode()


def test_bulk_delete_never_reaches_another_departments_file(client, world, files):
    client.force_login(world.a_clerk)
    ids = f"id={files['doc_a'].pk}&id={files['doc_b'].pk}"
    client.post(f"/admin/bulk/wagtaildocs/document/delete/?next=/admin/documents/&{ids}")
    assert Document.objects.filter(pk=files["doc_b"].pk).exists()
    assert not Document.objects.filter(pk=files["doc_a"].pk).exists()


def test_a_superuser_manages_every_ordinary_file(client, world, files, root):
    client.force_login(root)
    listing = text(client.get("/admin/documents/"))
    assert "ALPHA" in listing and "BRAVO" in listing
    assert client.post(f"/admin/documents/delete/{files['doc_b'].pk}/").status_code == 302
    assert not Document.objects.filter(pk=files["doc_b"].pk).exists()
