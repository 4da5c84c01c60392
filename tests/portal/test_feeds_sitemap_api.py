"""Feeds, sitemap and API v2: well-formed, public items only, whoever asks."""
import datetime
import json
import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

import pytest

from portal.models import CategoryIndexPage, NewsPage, PenaltyDecisionPage, Scope, User
from tests.conftest import refreshed, regulation_factory

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SECRETS = ["共享条例", "内部条例", "不予共享条例", "共享处罚决定", "机密摘要",
           # the party of the public penalty decision: masked on every public output
           "张三", "110101199001011234", "13800138000"]
PUBLIC_DECISION = "公开处罚决定（张某擅自占道经营案）"


@pytest.fixture(scope="module")
def _world(module_site_tree, module_departments):
    """Build ``world`` once for the module (``module_transaction`` in tests/conftest.py)."""
    home, laws = module_site_tree
    a, _ = module_departments
    make_regulation = regulation_factory(laws, module_departments)
    public = make_regulation(title="公开条例", scope=Scope.PUBLIC, summary="公开条例的摘要",
                             publish_date=datetime.date(2026, 3, 2))
    for title, scope in [("共享条例", Scope.SHARED), ("内部条例", Scope.INTERNAL), ("不予共享条例", Scope.PRIVATE)]:
        make_regulation(title=title, scope=scope, summary="机密摘要", department=a)

    penalties = CategoryIndexPage(title="行政处罚", slug="penalties", section="penalties")
    home.add_child(instance=penalties)
    penalties.save_revision().publish()
    decisions = {}
    for title, scope in [("公开处罚决定（张三擅自占道经营案）", Scope.PUBLIC), ("共享处罚决定", Scope.SHARED)]:
        page = PenaltyDecisionPage(title=title, slug=f"decision-{scope}", department=a, scope=scope,
                                   formed_date=datetime.date(2026, 3, 3),
                                   summary="当事人张三（身份证号110101199001011234，电话13800138000）占道经营。",
                                   party_name="张三", party_id_number="110101199001011234", party_phone="13800138000")
        penalties.add_child(instance=page)
        page.save_revision().publish()
        decisions[scope] = page

    news_index = CategoryIndexPage(title="新闻动态", slug="news", section="news")
    home.add_child(instance=news_index)
    news_index.save_revision().publish()
    news = NewsPage(title="联席会议召开", date=datetime.date(2026, 3, 5), summary="会议部署信息共享工作。",
                    body="<p>正文</p>", department=a)
    news_index.add_child(instance=news)
    news.save_revision().publish()
    return {"home": home, "laws": laws, "regulation": public, "penalties": penalties,
            "public_decision": decisions[Scope.PUBLIC], "shared_decision": decisions[Scope.SHARED], "news": news}


@pytest.fixture
def world(_world, db):
    """Return the public pages of a small portal that also holds one item of every other scope.

    Built once for the module; each test gets its own copies of the objects.
    """
    return refreshed(_world)


@pytest.fixture
def departments(module_departments, db):
    """Return the module's departments A and B (those of ``world``)."""
    return refreshed(module_departments)


@pytest.fixture
def site_tree(module_site_tree, db):
    """Return the module's (home, laws section) (those of ``world``)."""
    return refreshed(module_site_tree)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="pw-root")


def as_each_visitor(client, staff, superuser):
    """Yield the client signed out, as department staff and as a superuser (who may see everything)."""
    yield "anonymous"
    client.force_login(staff[0])
    yield "staff"
    client.force_login(superuser)
    yield "superuser"


def assert_no_secrets(body: str):
    leaked = [secret for secret in SECRETS if secret in body]
    assert not leaked, f"non-public content leaked: {leaked}"


# --- feeds ------------------------------------------------------------------

def test_section_rss_lists_public_items_only_whoever_asks(client, world, staff, superuser):
    bodies = []
    for _visitor in as_each_visitor(client, staff, superuser):
        response = client.get("/feeds/laws/rss/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/rss+xml")
        body = response.content.decode()
        channel = ET.fromstring(body).find("channel")
        assert "法律法规规章和规范性文件" in channel.findtext("title")
        items = channel.findall("item")
        assert [item.findtext("title") for item in items] == ["公开条例"]
        assert items[0].findtext("description") == "公开条例的摘要"
        assert items[0].findtext("link").endswith(world["regulation"].url)
        assert_no_secrets(body)
        bodies.append(body)
    # Never personalised: the same document for everyone.
    assert bodies[0] == bodies[1] == bodies[2]


def test_section_atom_lists_public_items_only_whoever_asks(client, world, staff, superuser):
    for _visitor in as_each_visitor(client, staff, superuser):
        response = client.get("/feeds/penalties/atom/")
        assert response.status_code == 200
        body = response.content.decode()
        feed = ET.fromstring(body)
        assert feed.tag == f"{ATOM}feed"
        entries = feed.findall(f"{ATOM}entry")
        assert [e.findtext(f"{ATOM}title") for e in entries] == [PUBLIC_DECISION]
        summary = entries[0].findtext(f"{ATOM}summary")
        assert summary.startswith("当事人张某（身份证号110101********1234，电话138****8000）")
        assert_no_secrets(body)


def test_news_feed_lists_news_newest_first(client, world):
    older = NewsPage(title="旧新闻", date=datetime.date(2026, 1, 1), body="<p>旧</p>")
    world["news"].get_parent().add_child(instance=older)
    older.save_revision().publish()
    channel = ET.fromstring(client.get("/feeds/news/rss/").content).find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == ["联席会议召开", "旧新闻"]
    assert channel.find("item").findtext("description") == "会议部署信息共享工作。"


def test_feed_leaves_out_unpublished_pages(client, world):
    world["regulation"].unpublish()
    assert "公开条例" not in client.get("/feeds/laws/rss/").content.decode()


def test_every_section_has_both_feeds(client, world):
    for section, _label in CategoryIndexPage.Section.choices:
        for kind in ("rss", "atom"):
            response = client.get(f"/feeds/{section}/{kind}/")
            assert response.status_code == 200, (section, kind)
            ET.fromstring(response.content)


def test_unknown_feed_section_is_404(client, world):
    assert client.get("/feeds/secrets/rss/").status_code == 404
    assert client.get("/feeds/secrets/atom/").status_code == 404


def test_pages_announce_the_news_feed_and_their_section_feed(client, world):
    home = client.get(world["home"].url).content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in home
    assert 'href="/feeds/news/rss/"' in home

    laws = client.get(world["laws"].url).content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in laws
    assert 'href="/feeds/news/rss/"' in laws
    assert 'href="/feeds/laws/rss/"' in laws and 'href="/feeds/laws/atom/"' in laws

    regulation = client.get(world["regulation"].url).content.decode()
    assert 'href="/feeds/laws/rss/"' in regulation


# --- sitemap ----------------------------------------------------------------

def test_sitemap_lists_public_pages_only_whoever_asks(client, world, staff, superuser):
    for _visitor in as_each_visitor(client, staff, superuser):
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        body = response.content.decode()
        urlset = ET.fromstring(body)
        assert urlset.tag == f"{SITEMAP}urlset"
        # Locations are full URLs on the Wagtail site's hostname, percent-encoded.
        paths = {unquote(urlsplit(url.findtext(f"{SITEMAP}loc")).path) for url in urlset.findall(f"{SITEMAP}url")}
        expected = ["home", "laws", "regulation", "penalties", "public_decision", "news"]
        for key in expected:
            assert unquote(world[key].url) in paths, key
        assert len(paths) == len(expected) + 1  # and the news index
        assert unquote(world["shared_decision"].url) not in paths
        assert all(url.findtext(f"{SITEMAP}lastmod") for url in urlset.findall(f"{SITEMAP}url"))


# --- API v2 -----------------------------------------------------------------

def api(client, path):
    response = client.get(path)
    return response.status_code, json.loads(response.content)


def test_api_lists_public_pages_only_whoever_asks(client, world, staff, superuser):
    for _visitor in as_each_visitor(client, staff, superuser):
        status, data = api(client, "/api/v2/pages/?limit=20")
        assert status == 200
        titles = {item["title"] for item in data["items"]}
        assert {"公开条例", PUBLIC_DECISION, "联席会议召开"} <= titles
        assert data["meta"]["total_count"] == len(titles)
        assert_no_secrets(json.dumps(data, ensure_ascii=False))


@pytest.mark.parametrize("query", [
    "?type=portal.PenaltyDecisionPage&fields=*",
    "?type=portal.RegulationPage&fields=*",
    "?type=portal.SharedInfoPage&fields=*",
    "?type=portal.RegulationPage,portal.PenaltyDecisionPage&fields=*",
    "?search=条例",
    "?search=共享条例",
    "?search=公开条例&fields=*",
    "?child_of={penalties}&fields=*",
    "?descendant_of={home}&limit=20",
])
def test_api_queries_never_leak_non_public_pages(client, world, staff, query):
    client.force_login(staff[0])
    response = client.get("/api/v2/pages/" + query.format(penalties=world["penalties"].pk, home=world["home"].pk))
    assert response.status_code == 200
    assert_no_secrets(response.content.decode())


def test_api_detail_of_a_public_page_works_and_of_a_shared_page_is_404(client, world, staff):
    status, data = api(client, f"/api/v2/pages/{world['public_decision'].pk}/?fields=*")
    assert status == 200 and data["title"] == PUBLIC_DECISION  # the party's name masked
    assert_no_secrets(json.dumps(data, ensure_ascii=False))  # the party's ID number is not an API field

    client.force_login(staff[0])  # allowed to see it on the site, but the API is public
    for page in [world["shared_decision"], *world["laws"].get_children().exclude(title="公开条例")]:
        status, data = api(client, f"/api/v2/pages/{page.pk}/")
        assert status == 404
        assert_no_secrets(json.dumps(data, ensure_ascii=False))


def test_api_cannot_reach_a_shared_page_by_path_or_as_parent(client, world, staff):
    client.force_login(staff[0])
    shared = world["shared_decision"]
    response = client.get(f"/api/v2/pages/find/?html_path={shared.url}")
    assert response.status_code == 404
    response = client.get(f"/api/v2/pages/?child_of={shared.pk}")
    assert response.status_code in (400, 404)
    assert_no_secrets(response.content.decode())


def test_api_has_no_documents_or_images_endpoint(client, world):
    assert client.get("/api/v2/documents/").status_code == 404
    assert client.get("/api/v2/images/").status_code == 404
