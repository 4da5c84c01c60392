"""Citations that link, in a real browser (Debian chromium), failing on any console error, failed request or
response ≥ 400 (tests/browser/conftest.py), with screenshots in test-artifacts/:

A public visitor opens a discretion standard whose row's 法律依据 cites an article of a law the portal holds
(the demo's 城市市容和环境卫生管理条例) and an article of department A's internal rule: the first is a link,
the second plain text, and nothing on the page links to the internal rule. Following the link lands on the
cited article, which lists the row under 被引用; its link leads back to the row. Signed in, a member of
department A gets the internal rule's citation as a link too, and it lands on that article.
"""
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from portal import roles
from portal.models import Scope, User
from tests.browser.conftest import ARTIFACTS
from tests.citations.worlds import INTERNAL_LAW, ROW, SHIRONG, publish_law
from tests.portal.staff_worlds import publish_discretion, section

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data (see test_editorial_workflow.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Zhifa-Test-2026"
LEGAL_BASIS = "《城市市容和环境卫生管理条例》第十四条；《测试区市容执法内部规定》第二条第二款"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"test_citations--{name}.png"), full_page=True)


@pytest.fixture
def citation_world(site_tree, departments):
    home, laws = site_tree
    a, _b = departments
    shirong = publish_law(laws, a, SHIRONG)
    internal = publish_law(laws, a, INTERNAL_LAW, scope=Scope.INTERNAL)
    standard = publish_discretion(section(home, "discretion"), a, title="市容管理裁量基准", scope=Scope.PUBLIC,
                                  slug="shirong-standard", rows=[ROW | {
                                      "legal_basis": LEGAL_BASIS,
                                      "penalty_basis": "《城市市容和环境卫生管理条例》第三十六条第（二）项"}])
    member = User.objects.create_user("zhifa_a", password=PASSWORD, department=a)
    member.groups.add(roles.ensure_roles()[roles.LIAISONS])
    return {"shirong": shirong, "internal": internal, "standard": standard, "member": member}


def anchored(url: str, anchor: str) -> re.Pattern:
    """The address of ``url`` at ``anchor``, as the browser spells it (the anchor percent-encoded)."""
    return re.compile(re.escape(url) + "#" + re.escape(quote(anchor)) + "$")


def test_a_discretion_rows_legal_basis_links_to_the_cited_article_and_back(pages, live_server, citation_world):
    shirong, internal, standard = citation_world["shirong"], citation_world["internal"], citation_world["standard"]
    visitor = pages.open("visitor")
    visitor.goto(standard.url)
    row = visitor.locator(f"#row-{standard.rows[0].id}")
    basis = row.locator("td").nth(2)
    expect(basis).to_have_text(LEGAL_BASIS)
    link = basis.get_by_role("link", name="《城市市容和环境卫生管理条例》第十四条")
    expect(link).to_have_attribute("href", f"{shirong.url}#第十四条")
    # The internal rule's citation is plain text, and no link anywhere on the page leads to it.
    expect(basis.get_by_role("link")).to_have_count(1)
    hrefs = visitor.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and not [h for h in hrefs if internal.url in h or quote(internal.url) in h]
    shot(visitor, "standard-public")

    link.click()
    expect(visitor).to_have_url(anchored(live_server.url + shirong.url, "第十四条"))
    article = visitor.locator("section.article#第十四条")
    expect(article).to_be_in_viewport()
    assert visitor.evaluate("document.querySelector(':target').id") == "第十四条"
    cited_by = article.locator("aside.cited-by")
    expect(cited_by).to_contain_text("被引用")
    back = cited_by.get_by_role("link", name="市容管理裁量基准")
    expect(back).to_be_visible()
    expect(cited_by).to_contain_text("第1项 法律依据")
    shot(visitor, "article-cited-by")

    back.click()
    expect(visitor).to_have_url(anchored(live_server.url + standard.url, f"row-{standard.rows[0].id}"))
    expect(visitor.locator(f"#row-{standard.rows[0].id}")).to_be_in_viewport()
    pages.retire(visitor)

    # A member of the department owning the internal rule gets its citation as a link, landing on its 款.
    member = pages.open("member")
    member.goto("/admin/login/?next=" + quote(standard.url))
    member.get_by_role("textbox", name="用户名").fill(citation_world["member"].username)
    member.locator('input[name="password"]').fill(PASSWORD)
    member.get_by_role("button", name="登录").click()
    internal_link = member.locator(f"#row-{standard.rows[0].id}").get_by_role("link", name="《测试区市容执法内部规定》第二条第二款")
    expect(internal_link).to_have_attribute("href", f"{internal.url}#第二条第二款")
    internal_link.click()
    expect(member).to_have_url(anchored(live_server.url + internal.url, "第二条第二款"))
    expect(member.locator("p#第二条第二款")).to_have_text("对拒不改正的，依法查处。")
    expect(member.locator("p#第二条第二款")).to_be_in_viewport()
    shot(member, "internal-paragraph")
