"""The public site's frame (issue 20): the site identification in every footer, edited as a Wagtail site setting."""
import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from portal import roles
from portal.models import User
from publicsite.models import SiteIdentification, police_record_code
from tests.conftest import refreshed

POLICE = "鲁公网安备 00000000000000号"  # a shape, not a real number
ICP = "鲁ICP备00000000号-1"


@pytest.fixture(scope="module")
def _world(module_site_tree, module_departments):
    home, laws = module_site_tree
    a, b = module_departments
    groups = roles.ensure_roles()
    manager = User.objects.create_user("frame_manager", password="Frame-Manager-2026", department=a)
    manager.groups.add(groups[roles.MANAGERS])
    editor = User.objects.create_user("frame_editor", password="Frame-Editor-2026", department=a)
    editor.groups.add(groups[roles.EDITORS])
    other = User.objects.create_user("frame_other", password="Frame-Other-2026", department=b)
    other.groups.add(groups[roles.EDITORS])
    site = Site.objects.get(is_default_site=True)
    return {"home": home, "laws": laws, "a": a, "b": b, "manager": manager, "editor": editor, "other": other,
            "site": site}


@pytest.fixture
def world(_world, db):
    return refreshed(_world)


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def footer_of(html: str) -> str:
    return html[html.index('<footer class="site-footer">'):html.index("</footer>")]


# --- 1. site identification ---------------------------------------------------------------------------

def test_footer_shows_only_the_identification_fields_that_are_filled_with_the_registries_links(world):
    SiteIdentification.objects.create(site=world["site"], sponsor="测试区综合行政执法局", phone="0533-0000000",
                                      icp_number=ICP, police_record_number=POLICE)
    footer = footer_of(client_for().get("/").content.decode())
    assert "主办单位</dt><dd>测试区综合行政执法局" in footer
    assert "电话</dt><dd>0533-0000000" in footer
    assert f'<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">{ICP}</a>' in footer
    assert f'href="https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000"' in footer
    for empty in ("承办单位", "地址", "邮箱", "网站标识码"):
        assert empty not in footer


def test_footer_without_any_identification_shows_no_empty_labels(world):
    footer = footer_of(client_for().get("/").content.decode())
    assert "主办单位" not in footer and "ICP" not in footer


def test_police_record_code_is_read_from_the_number_or_left_empty():
    assert police_record_code("鲁公网安备37030000000000号") == "37030000000000"
    assert police_record_code("鲁公网安备 ３７030000000000号") == ""  # full-width digits are no record code
    assert police_record_code("") == ""


def test_a_manager_edits_the_identification_in_the_admin_and_a_malformed_number_changes_nothing(world):
    url = reverse("wagtailsettings:edit", args=["publicsite", "siteidentification", world["site"].pk])
    client = client_for(world["manager"])
    form = {"sponsor": "测试区综合行政执法局", "organizer": "", "address": "测试区某路1号", "phone": "",
            "email": "", "website_code": "", "icp_number": "ICP备123号", "police_record_number": ""}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "ICP备案号的格式为" in response.content.decode()
    assert not SiteIdentification.objects.filter(site=world["site"], address="测试区某路1号").exists()

    response = client.post(url, {**form, "icp_number": ICP, "website_code": "0000000000"})
    assert response.status_code == 302
    saved = SiteIdentification.objects.get(site=world["site"])
    assert (saved.address, saved.icp_number, saved.website_code) == ("测试区某路1号", ICP, "0000000000")
    page = client.get(url).content.decode()
    assert "主办单位" in page and "公安机关备案号" in page


def test_an_editor_cannot_open_the_identification_settings(world):
    url = reverse("wagtailsettings:edit", args=["publicsite", "siteidentification", world["site"].pk])
    response = client_for(world["editor"]).get(url)
    assert response.status_code in (302, 403)
    assert not SiteIdentification.objects.exists()
