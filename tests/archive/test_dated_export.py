"""Downloads of a regulation read with ?date=: the PDF and Word file are the text the visitor is reading.

The page for ``?date=2020-01-01`` shows the version in force that day; its 下载 links used to
export the current version instead, so a visitor saved a text that differs from the one on
screen (and from the one in force on that date) without any sign of it.
"""
import datetime
import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from portal.models import RegulationPage, Scope

from .conftest import publish_new_version

pytestmark = pytest.mark.django_db

OLD_WORDING, NEW_WORDING = "行政复议机关应当依法履行职责", "行政复议机构应当依法履行职责"


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def _pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_word_download_of_a_dated_view_is_the_version_in_force_that_day(client, two_versions):
    page, _, _ = two_versions

    old = _docx_text(client.get(f"/archive/export/{page.pk}.docx?date=2020-01-01").content)
    current = _docx_text(client.get(f"/archive/export/{page.pk}.docx").content)

    assert OLD_WORDING in old and NEW_WORDING not in old
    assert "自2017年9月1日起施行" in old and "行政复议应当坚持公正、高效、便民" not in old
    assert NEW_WORDING in current and "自2024年1月1日起施行" in current


def test_pdf_download_of_a_dated_view_is_the_version_in_force_that_day(client, two_versions):
    page, _, _ = two_versions

    # The current PDF first: it is cached, and the dated one must not be answered from that cache.
    current = _pdf_text(client.get(f"/archive/export/{page.pk}.pdf").content)
    old = _pdf_text(client.get(f"/archive/export/{page.pk}.pdf?date=2023-12-31").content)

    assert NEW_WORDING in current
    assert OLD_WORDING in old and NEW_WORDING not in old and "生效日期2017-09-01" in old


def test_download_without_a_version_in_force_on_the_date_is_the_current_text(client, two_versions):
    # As the page itself: a date before the first version gives the current text; a malformed one a 400.
    page, _, _ = two_versions
    text = _docx_text(client.get(f"/archive/export/{page.pk}.docx", {"date": "2016-01-01"}).content)
    assert NEW_WORDING in text
    refused = client.get(f"/archive/export/{page.pk}.docx", {"date": "不是日期"})
    assert refused.status_code == 400 and "日期“不是日期”无效" in refused.content.decode()


def test_download_links_of_a_dated_page_carry_its_date(client, two_versions):
    page, _, _ = two_versions

    dated = client.get(f"{page.url}?date=2020-01-01").content.decode()
    plain = client.get(page.url).content.decode()
    undated = client.get(f"{page.url}?date=2016-01-01").content.decode()  # before any version: current text

    assert f'href="/archive/export/{page.pk}.pdf?date=2020-01-01"' in dated
    assert f'href="/archive/export/{page.pk}.docx?date=2020-01-01"' in dated
    for html in (plain, undated):
        assert f'href="/archive/export/{page.pk}.pdf"' in html and f'href="/archive/export/{page.pk}.docx"' in html


def test_dated_download_of_a_version_the_visitor_may_not_see_is_404(client, make_regulation, staff):
    # The first version was shared with staff only; the public one came later.
    page = make_regulation(title="测试内部规定", slug="neibu", scope=Scope.SHARED, text="第一条 内部适用。",
                           effective_date=datetime.date(2020, 1, 1))
    publish_new_version(page, "第一条 对外公开适用。", scope=Scope.PUBLIC,
                        effective_date=datetime.date(2024, 1, 1))
    page = RegulationPage.objects.get(pk=page.pk)

    assert client.get(f"/archive/export/{page.pk}.docx").status_code == 200
    assert client.get(f"{page.url}?date=2021-01-01").status_code == 404
    for suffix in ("pdf", "docx"):
        response = client.get(f"/archive/export/{page.pk}.{suffix}?date=2021-01-01")
        assert response.status_code == 404, suffix
        assert "内部适用" not in response.content.decode(errors="ignore")

    client.force_login(staff[0])
    assert "内部适用" in _docx_text(client.get(f"/archive/export/{page.pk}.docx?date=2021-01-01").content)
