"""GET /archive/export/<id>.txt: a regulation as plain UTF-8 text — title, metadata lines, then the body in reading
order — behind the same access rules and personal-data masking as the other downloads, ``?date=`` included."""
import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from lib.lawtext import source_characters
from portal.models import RegulationPage, Scope

from .conftest import NEW_TEXT, OLD_TEXT, publish_new_version

pytestmark = pytest.mark.django_db

DIRECTIVE = Path(__file__).resolve().parents[1] / "fixtures" / "zhouzhengban-2018-18.txt"
PHONE, ID_NUMBER = "13812345678", "411602198705123414"


def _parts(response) -> tuple[str, list[str], str]:
    """Return (title, metadata lines, body) of a .txt download: they are separated by blank lines."""
    title, metadata, body = response.content.decode("utf-8").split("\n\n", 2)
    return title, metadata.split("\n"), body


def test_the_imported_directive_exports_its_source_text(tmp_path, client, site_tree, departments):
    shutil.copy(DIRECTIVE, tmp_path)
    call_command("import_texts", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    page = RegulationPage.objects.get()

    response = client.get(f"/archive/export/{page.pk}.txt")  # anonymous: the directive is 公开

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "filename*=UTF-8''" in response["Content-Disposition"] and ".txt" in response["Content-Disposition"]
    title, metadata, body = _parts(response)
    assert title == "关于加强综合行政执法协作配合的实施意见"
    assert "发文字号：周政办字〔2018〕18号" in metadata and "制定机关：周村区人民政府办公室" in metadata
    assert "效力位阶：规范性文件" in metadata
    assert all("：" in line for line in metadata)
    source = DIRECTIVE.read_text(encoding="utf-8")
    assert source_characters(body) == source_characters(source)
    # Reading order: 版头, 主送机关, 一、…三、, 抄送.
    assert body.index("周政办字〔2018〕18号") < body.index("一、工作目标") < body.index("三、有关要求") < body.index("抄送")


def test_a_page_the_visitor_may_not_see_is_404_and_staff_get_it(client, make_regulation, staff):
    page = make_regulation(title="测试内部办法", slug="txt-shared", scope=Scope.SHARED, text="第一条 内部适用。")
    refused = client.get(f"/archive/export/{page.pk}.txt")
    assert refused.status_code == 404 and "内部适用" not in refused.content.decode()

    client.force_login(staff[0])
    served = client.get(f"/archive/export/{page.pk}.txt")
    assert served.status_code == 200 and "第一条 内部适用。" in served.content.decode("utf-8")
    assert served["Cache-Control"] == "private, max-age=0"


def test_a_draft_an_unknown_id_and_a_page_of_another_kind_are_404(client, make_regulation, site_tree, departments):
    page = make_regulation(title="测试公开办法", slug="txt-public")
    page.get_parent().add_child(instance=RegulationPage(
        title="草稿办法", slug="txt-draft", department=departments[0], scope=Scope.PUBLIC,
        formed_date=datetime.date(2026, 3, 2), live=False))
    draft = RegulationPage.objects.get(slug="txt-draft")
    home, _ = site_tree
    assert client.get(f"/archive/export/{page.pk}.txt").status_code == 200
    for pk in (draft.pk, 999999, home.pk):
        assert client.get(f"/archive/export/{pk}.txt").status_code == 404, pk


def test_personal_data_is_masked_for_the_public_and_not_for_staff(client, make_regulation, staff):
    page = make_regulation(
        title="测试联络办法", slug="txt-masked", keywords=f"联络 {PHONE}",
        text=f"第一条 联系电话：{PHONE}。\n\n第二条 联络员身份证号码：{ID_NUMBER}。")

    response = client.get(f"/archive/export/{page.pk}.txt")
    public, (_, metadata, _) = response.content.decode("utf-8"), _parts(response)
    assert PHONE not in public and ID_NUMBER not in public
    assert "138****5678" in public and any(line.startswith("关键词：") and PHONE not in line for line in metadata)

    client.force_login(staff[0])
    internal = client.get(f"/archive/export/{page.pk}.txt").content.decode("utf-8")
    assert PHONE in internal and ID_NUMBER in internal and f"关键词：联络 {PHONE}" in internal


def test_a_dated_download_is_the_version_in_force_that_day(client, two_versions):
    page, _, _ = two_versions
    old = client.get(f"/archive/export/{page.pk}.txt?date=2020-01-01").content.decode("utf-8")
    current = client.get(f"/archive/export/{page.pk}.txt").content.decode("utf-8")

    assert "第二条 行政复议机关应当依法履行职责。" in old and "行政复议机构" not in old
    assert "生效日期：2017-09-01" in old
    assert "第二条 行政复议机构应当依法履行职责。" in current and "生效日期：2024-01-01" in current
    assert source_characters(old.split("\n\n", 2)[2]) == source_characters(f"# {page.title}\n\n{OLD_TEXT}")
    assert source_characters(current.split("\n\n", 2)[2]) == source_characters(f"# {page.title}\n\n{NEW_TEXT}")
    refused = client.get(f"/archive/export/{page.pk}.txt", {"date": "不是日期"})
    assert refused.status_code == 400 and "日期“不是日期”无效" in refused.content.decode()


def test_a_dated_text_of_a_version_the_visitor_may_not_see_is_404(client, make_regulation):
    page = make_regulation(title="测试先内部后公开", slug="txt-later-public", scope=Scope.SHARED, text="第一条 内部适用。",
                           effective_date=datetime.date(2020, 1, 1))
    publish_new_version(page, "第一条 对外公开适用。", scope=Scope.PUBLIC, effective_date=datetime.date(2024, 1, 1))
    assert client.get(f"/archive/export/{page.pk}.txt").status_code == 200
    response = client.get(f"/archive/export/{page.pk}.txt?date=2021-01-01")
    assert response.status_code == 404 and "内部适用" not in response.content.decode()


def test_the_download_links_of_a_regulation_offer_the_text(make_regulation, two_versions, client):
    regulation = make_regulation(slug="txt-links")
    html = render_to_string("archive/includes/export_links.html", {"page": regulation})
    assert f"/archive/export/{regulation.pk}.txt" in html
    page, _, _ = two_versions
    dated = client.get(f"{page.url}?date=2020-01-01").content.decode()
    assert f'href="/archive/export/{page.pk}.txt?date=2020-01-01"' in dated
