"""Property-based fuzzing of the Word import upload: random bytes, truncated and tampered .docx files,
wrong extensions and huge names never cause a server error, never create a page, never leave a
temporary file; what is refused is refused with a Chinese message."""
import io
import re
import tempfile
import zipfile

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from portal.models import RegulationPage
from tests.archive.docx_samples import gongwen_docx, law_source
from tests.fuzzing import examples

CHINESE = re.compile(r"[\u4e00-\u9fff]")
VALID_DOCX = gongwen_docx(law_source("上海市实施《食品安全法》办法.md"))
FUZZ = settings(max_examples=examples(60), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])


def _zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _flipped(positions: list[int]) -> bytes:
    data = bytearray(VALID_DOCX)
    for position in positions:
        data[position % len(data)] ^= 0xFF
    return bytes(data)


CONTENT = st.one_of(
    st.binary(max_size=4096),
    st.integers(0, len(VALID_DOCX) - 1).map(lambda n: VALID_DOCX[:n]),  # truncated
    st.lists(st.integers(0, len(VALID_DOCX) - 1), min_size=1, max_size=20).map(_flipped),  # tampered
    st.dictionaries(st.sampled_from(["[Content_Types].xml", "word/document.xml", "word/_rels/document.xml.rels",
                                     "_rels/.rels", "xl/workbook.xml", "../../evil.txt", "文档.xml"]),
                    st.binary(max_size=512), max_size=5).map(_zip_of),
    st.binary(max_size=512).map(lambda tail: b"PK\x03\x04" + tail),
    st.just(VALID_DOCX),
)
STEM = st.one_of(st.text(max_size=40), st.text(min_size=300, max_size=3000), st.sampled_from(
    ["通知", "../../etc/passwd", "..", "con", "a\x00b", "  ", "文件<script>", "%00", "名字" * 200]))
EXTENSION = st.sampled_from([".docx", ".DOCX", ".doc", ".pdf", ".txt", ".docx.exe", "", ".zip", ".docx ", "."])


@pytest.fixture
def private_tempdir(tmp_path, monkeypatch):
    """Point tempfile (and so Django's upload handlers) at an empty directory of the test's own."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


@FUZZ
@given(content=CONTENT, stem=STEM, extension=EXTENSION)
def test_any_upload_is_answered_creates_nothing_and_leaves_no_temp_file(admin_client, site_tree, private_tempdir,
                                                                        content, stem, extension):
    before = RegulationPage.objects.count()
    upload = io.BytesIO(content)
    upload.name = (stem + extension) or "x"

    response = admin_client.post(reverse("archive_import_docx"), {"file": upload})

    event(f"HTTP {response.status_code}")
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 400:
        errors = " ".join(response.context["form"].errors.get("file", []))
        assert CHINESE.search(errors), errors
    else:  # only a readable Word file reaches the preview, which creates nothing either
        assert "导入" in response.content.decode()
    assert RegulationPage.objects.count() == before
    assert list(private_tempdir.iterdir()) == []


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["file", "parent", "token", "csrfmiddlewaretoken", "x"]),
                              st.text(max_size=200), max_size=4))
def test_posts_without_a_file_are_refused_in_chinese(admin_client, site_tree, private_tempdir, fields):
    before = RegulationPage.objects.count()

    response = admin_client.post(reverse("archive_import_docx"), fields)

    assert response.status_code == 400
    assert CHINESE.search(" ".join(response.context["form"].errors.get("file", [])))
    assert RegulationPage.objects.count() == before
    assert list(private_tempdir.iterdir()) == []


def test_a_file_name_too_long_to_parse_is_refused_in_chinese(client, superuser, site_tree, private_tempdir):
    """Found by the fuzzer: Django cannot parse a part header past 10 kB and answered in English."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)  # as in production: the token is in the unreadable body
    strict.force_login(superuser)
    upload = io.BytesIO(VALID_DOCX)
    upload.name = "名字" * 2000 + ".docx"

    response = strict.post(reverse("archive_import_docx"), {"file": upload})

    assert response.status_code == 400
    assert "文件名过长" in " ".join(response.context["form"].errors["file"])
    assert RegulationPage.objects.count() == 0
    assert list(private_tempdir.iterdir()) == []


def test_a_tampered_compressed_part_is_refused_in_chinese():
    """Found by the fuzzer: a broken deflate stream raised zlib.error (a server error) in the CRC check."""
    from archive.wordimport.docx import DocxImportError, parse_docx

    data = bytearray(VALID_DOCX)
    with zipfile.ZipFile(io.BytesIO(VALID_DOCX)) as archive:
        info = archive.getinfo("word/document.xml")
    name_length, extra_length = (int.from_bytes(data[info.header_offset + n:info.header_offset + n + 2], "little")
                                 for n in (26, 28))
    start = info.header_offset + 30 + name_length + extra_length
    data[start:start + 8] = b"\xff" * 8  # an invalid deflate block header

    with pytest.raises(DocxImportError, match="损坏"):
        parse_docx(bytes(data))
