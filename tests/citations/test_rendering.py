"""Citations as the viewer sees them (citations.rendering through the page templates): links only to
documents the viewer may see, 被引用 only from documents the viewer may see, and the page cache never
giving the public a link to a page that is not public.
"""
from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from citations.rendering import Renderer
from portal.models import Scope
from publicsite import pagecache
from tests.citations.worlds import DIRECTIVE, INTERNAL_LAW, ROW, SHIRONG, publish_decision, publish_law
from tests.portal.staff_worlds import publish_discretion, section


@pytest.fixture
def world(site_tree, departments):
    """A public law, an internal rule of department A, and a public discretion standard citing both and a law not held."""
    home, laws = site_tree
    a, _b = departments
    shirong = publish_law(laws, a, SHIRONG)
    internal = publish_law(laws, a, INTERNAL_LAW, scope=Scope.INTERNAL)
    standard = publish_discretion(section(home, "discretion"), a, title="市容管理裁量基准", scope=Scope.PUBLIC, rows=[ROW | {
        "legal_basis": "《城市市容和环境卫生管理条例》第十四条；《测试区市容执法内部规定》第二条第二款",
        "penalty_basis": "《中华人民共和国行政强制法》第三十五条；《城市市容和环境卫生管理条例》第十七条第二款"}])
    return {"home": home, "shirong": shirong, "internal": internal, "standard": standard}


def citation_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="citation" href="([^"]*)">([^<]*)</a>', html)


def test_the_public_gets_links_to_public_documents_only(client, world):
    html = client.get(world["standard"].url).content.decode()
    shirong = world["shirong"].url
    assert citation_links(html) == [(f"{shirong}#第十四条", "《城市市容和环境卫生管理条例》第十四条"),
                                    (f"{shirong}#第十七条第二款", "《城市市容和环境卫生管理条例》第十七条第二款")]
    assert world["internal"].url not in html
    assert "《测试区市容执法内部规定》第二条第二款" in html and "《中华人民共和国行政强制法》第三十五条" in html


def test_staff_of_the_owning_department_get_the_internal_link_and_others_do_not(client, world, staff):
    internal = f'{world["internal"].url}#第二条第二款'
    client.force_login(staff[0])
    assert (internal, "《测试区市容执法内部规定》第二条第二款") in citation_links(client.get(world["standard"].url).content.decode())
    client.force_login(staff[1])
    html = client.get(world["standard"].url).content.decode()
    assert world["internal"].url not in html and len(citation_links(html)) == 2


def test_a_cited_paragraph_has_its_anchor_on_the_law_page(client, world):
    html = client.get(world["shirong"].url).content.decode()
    assert '<p id="第十七条第二款">单位和个人在城市建筑物' in html
    assert '<p id="第三十六条第二项">' in html


def test_the_cached_public_page_never_links_to_a_page_no_longer_public(client, world, settings,
                                                                        django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    url, law = world["standard"].url, world["shirong"]
    first, second = client.get(url), client.get(url)
    assert (first[pagecache.HEADER], second[pagecache.HEADER]) == ("miss", "hit")
    assert law.url in second.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        law.scope = Scope.SHARED
        law.save_revision().publish()
    again = client.get(url)
    assert again[pagecache.HEADER] == "miss" and citation_links(again.content.decode()) == []


def test_the_cited_article_lists_the_citing_row_for_whoever_may_see_it(client, world, staff, departments):
    shared = publish_discretion(section(world["home"], "discretion"), departments[1], title="住建共享裁量基准",
                                scope=Scope.SHARED, rows=[ROW | {"legal_basis": "《城市市容和环境卫生管理条例》第十四条",
                                                                 "penalty_basis": ""}])
    public_row = f'{world["standard"].url}#row-{world["standard"].rows[0].id}'
    shared_row = f'{shared.url}#row-{shared.rows[0].id}'

    def cited_by_14(html):
        article = html[html.index('<section class="article" id="第十四条">'):]
        article = article[:article.index("</section>")]
        return re.findall(r'<li><a href="([^"]*)">([^<]*)</a><span class="cited-by-place">([^<]*)</span>', article)

    html = client.get(world["shirong"].url).content.decode()
    assert cited_by_14(html) == [(public_row, "市容管理裁量基准", "第1项 法律依据")]
    client.force_login(staff[1])
    assert cited_by_14(client.get(world["shirong"].url).content.decode()) == [
        (public_row, "市容管理裁量基准", "第1项 法律依据"), (shared_row, "住建共享裁量基准", "第1项 法律依据")]


def test_a_paragraph_citation_is_listed_under_its_article(client, world):
    html = client.get(world["shirong"].url).content.decode()
    article = html[html.index('<section class="article" id="第十七条">'):]
    article = article[:article.index("</section>")]
    assert "被引用" in article and "第1项 处罚依据" in article


def test_the_public_reads_a_citing_decision_by_its_masked_title(client, world, staff, departments):
    publish_decision(section(world["home"], "penalties"), departments[0], "行政处罚决定书（张三占道堆放物料案）",
                     party_kind="person", party_name="张三", basis="《城市市容和环境卫生管理条例》第三十六条第（二）项")
    html = client.get(world["shirong"].url).content.decode()
    assert "行政处罚决定书（张某占道堆放物料案）" in html and "张三" not in html
    client.force_login(staff[0])
    assert "行政处罚决定书（张三占道堆放物料案）" in client.get(world["shirong"].url).content.decode()


def test_a_decision_links_its_basis_and_its_body(client, world, departments):
    decision = publish_decision(
        section(world["home"], "penalties"), departments[0], "行政处罚决定书（测试商贸有限公司案）",
        basis="《城市市容和环境卫生管理条例》第十四条",
        body='<p>依照《城市市容和环境卫生管理条例》第三十六条第（二）项，见<a href="/x/">《城市市容和环境卫生管理条例》第十四条</a>。</p>')
    links = citation_links(client.get(decision.url).content.decode())
    shirong = world["shirong"].url
    assert links == [(f"{shirong}#第十四条", "《城市市容和环境卫生管理条例》第十四条"),
                     (f"{shirong}#第三十六条第二项", "《城市市容和环境卫生管理条例》第三十六条第（二）项")]


def test_a_law_citing_itself_links_on_the_page(client, site_tree, departments):
    text = ("# 测试区市容管理办法\n\n第一条 为了管理市容，制定本办法。\n\n第二条 违反本办法第一条规定的，责令改正。\n"
            "依照第一条和本条第一款处理。")
    local = publish_law(site_tree[1], departments[0], text)
    html = client.get(local.url).content.decode()
    assert citation_links(html) == [("#第一条", "本办法第一条"), ("#第一条", "第一条"), ("#第二条第一款", "本条第一款")]


def test_a_gongwen_provision_shows_the_decision_citing_it(client, site_tree, departments):
    home, laws = site_tree
    directive = publish_law(laws, departments[0], DIRECTIVE, doc_number="周政办字〔2018〕18号")
    decision = publish_decision(section(home, "penalties"), departments[0], "行政处罚决定书（移送案）",
                                basis="周政办字〔2018〕18号 二（四）3（4）")
    assert (f"{directive.url}#二（四）3（4）", "周政办字〔2018〕18号 二（四）3（4）") in citation_links(
        client.get(decision.url).content.decode())
    html = client.get(directive.url).content.decode()
    provision = html[html.index('<section class="provision provision-level-4" id="二（四）3（4）">'):]
    provision = provision[:provision.index("</section>")]
    assert "行政处罚决定书（移送案）" in provision and "处罚依据" in provision


def test_a_renderer_without_a_request_links_as_for_the_public(world):
    renderer = Renderer(None, world["standard"])
    html = renderer.text("《测试区市容执法内部规定》第二条；《城市市容和环境卫生管理条例》第十四条")
    assert world["internal"].url not in html and f'{world["shirong"].url}#第十四条' in html
