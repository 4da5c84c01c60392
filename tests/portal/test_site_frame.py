"""The public site's frame (issue 20): the site identification in every footer, edited as a Wagtail site setting;
the 网站地图 (public sections and pages only, whoever asks); 政策文件 ↔ 解读 both ways, with the walls of
Wagtail's view restrictions; 制定机关 / 效力位阶 / 文件类别 in a regulation's metadata block."""
import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction, Site

from lib.textmeta import document_form
from portal import roles
from portal.models import CategoryIndexPage, InterpretationPage, PenaltyDecisionPage, RegulationPage, Scope, User
from publicsite.models import SiteIdentification, police_record_code
from tests.conftest import refreshed, regulation_factory

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
    make = regulation_factory(laws, (a, b))
    make(title="公开的户外广告办法", slug="public-ads")
    make(title="仅供共享的内部规定", slug="shared-rule", scope=Scope.SHARED)
    make(title="住建局部门内部规定", slug="internal-rule", scope=Scope.INTERNAL, department=b)
    make(title="已废止的旧办法", slug="old-rule", abolished_date=datetime.date(2020, 1, 1))
    penalties = section(home, "penalties", "行政处罚")
    publish(penalties, PenaltyDecisionPage(title="行政处罚决定书（张三占道经营案）", slug="penalty-1", department=a,
                                           scope=Scope.PUBLIC, formed_date=datetime.date(2026, 3, 5), party_name="张三"))
    private = section(home, "other", "登录可见的栏目")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    home.add_child(instance=CategoryIndexPage(title="尚未发布的栏目", slug="draft-section", section="news", live=False))
    opinion = make(title="关于加强户外广告管理的实施意见", slug="opinion", issuing_authority="测试区人民政府办公室",
                   regulation_kind="normative", doc_number="测政办字〔2026〕1号")
    shared = RegulationPage.objects.get(slug="shared-rule")
    explained = section(home, "interpretation", "政策解读")

    def interpretation(title, slug, target, day, live=True):
        page = InterpretationPage(title=title, slug=slug, date=datetime.date(2026, 3, day), department=a,
                                  body="<p>解读正文</p>", interprets=target, live=live)
        return publish(explained, page) if live else explained.add_child(instance=page)

    interpretation("《实施意见》政策解读", "opinion-explained", opinion, 3)
    interpretation("《实施意见》图解（未发布）", "opinion-draft", opinion, 4, live=False)
    login_only = interpretation("《实施意见》答记者问（登录可见）", "opinion-login", opinion, 5)
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)
    own_group = Group.objects.create(name="执法局解读组")
    editor.groups.add(own_group)
    group_only = interpretation("《实施意见》内部解读（执法局组可见）", "opinion-group", opinion, 6)
    restriction = PageViewRestriction.objects.create(page=group_only, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(own_group)
    interpretation("《内部规定》解读", "shared-explained", shared, 7)
    return {"home": home, "laws": laws, "a": a, "b": b, "manager": manager, "editor": editor, "other": other,
            "site": site, "opinion": opinion, "shared": shared}


def section(home, code, title):
    page = CategoryIndexPage(title=title, slug=code, section=code)
    return publish(home, page)


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


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
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000"' in footer
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


# --- 2. 网站地图 ---------------------------------------------------------------------------------------

NOT_PUBLIC = ("仅供共享的内部规定", "住建局部门内部规定", "登录可见的栏目", "尚未发布的栏目", "张三", "未发布", "登录可见）",
              "执法局组可见")


@pytest.mark.parametrize("who", [None, "other"])
def test_site_map_lists_public_sections_and_pages_only_whoever_asks(world, who):
    response = client_for(world[who] if who else None).get(reverse("site_map"))
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index('<main id="main"'):html.index("</main>")]
    for listed in ("法律法规", "公开的户外广告办法", "行政处罚", "行政处罚决定书（张某占道经营案）", "检索"):
        assert listed in main, listed
    for hidden in NOT_PUBLIC + ("已废止的旧办法",):  # the abolished one is left to the archive
        assert hidden not in main, hidden


def test_every_footer_links_the_site_map(world):
    footer = footer_of(client_for().get("/laws/").content.decode())
    assert f'<a href="{reverse("site_map")}">网站地图</a>' in footer


# --- 3. 政策文件 ↔ 解读 ---------------------------------------------------------------------------------

def related_of(html: str) -> str:
    start = html.find('<section class="related-interpretations"')
    return html[start:html.index("</section>", start)] if start >= 0 else ""


def test_a_document_knows_its_interpretations_by_the_reverse_relation(world):
    titles = set(world["opinion"].interpretations.values_list("title", flat=True))
    assert "《实施意见》政策解读" in titles and len(titles) == 4


@pytest.mark.parametrize("who, shown, hidden", [
    (None, ["《实施意见》政策解读"], ["未发布", "登录可见", "执法局组可见"]),
    ("other", ["《实施意见》政策解读", "登录可见"], ["未发布", "执法局组可见"]),  # another department's staff
    ("editor", ["《实施意见》政策解读", "登录可见", "执法局组可见"], ["未发布"]),  # in the restriction's group
])
def test_the_document_page_lists_only_the_interpretations_the_viewer_may_open(world, who, shown, hidden):
    html = client_for(world[who] if who else None).get(world["opinion"].url).content.decode()
    related = related_of(html)
    assert ">相关解读</h2>" in related
    for title in shown:
        assert title in related, (who, title)
    for title in hidden:
        assert title not in related, (who, title)


def test_an_interpretation_of_a_shared_document_is_listed_for_staff_and_the_document_stays_hidden(world):
    assert client_for().get(world["shared"].url).status_code == 404
    assert "《内部规定》解读" in related_of(client_for(world["other"]).get(world["shared"].url).content.decode())
    assert related_of(client_for().get("/laws/public-ads/").content.decode()) == ""  # no interpretation, no heading


def test_regulation_metadata_shows_issuing_authority_rank_and_document_form_when_known(world):
    html = client_for().get(world["opinion"].url).content.decode()
    for label, value in (("制定机关", "测试区人民政府办公室"), ("效力位阶", "规范性文件"), ("文件类别", "意见")):
        assert f'<th scope="row">{label}</th><td>{value}</td>' in html
    assert "文件类别" not in client_for().get("/laws/public-ads/").content.decode()  # a 办法 names no 公文种类


def test_document_form_is_read_from_the_titles_ending_or_left_empty():
    assert document_form("国务院办公厅关于印发《X办法》的通知") == "通知"
    assert document_form("关于X问题的复函") == "函"
    assert document_form("关于X的指导意见（试行）") == "意见"
    assert document_form("中华人民共和国主席令") == "命令（令）"
    assert document_form("中华人民共和国行政处罚法") == document_form("X市市容管理条例") == ""
