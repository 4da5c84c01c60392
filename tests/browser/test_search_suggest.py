"""The header search box in a real browser (Debian chromium): typing shows suggestions beneath it, the
keyboard moves through them (↓/↑, Escape closes), Enter on a title opens the document, and Enter with
nothing chosen submits the plain form to the search page."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from portal.models import RegulationPage, Scope

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data (see test_editorial_workflow.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "测试区渣土运输管理办法"
HIDDEN = "测试区渣土运输内部工作规程"


def publish(laws, department, title, slug, scope):
    regulation = RegulationPage(title=title, slug=slug, department=department, scope=scope,
                                formed_date=datetime.date(2026, 3, 2), publish_date=datetime.date(2026, 3, 2))
    regulation.set_text(f"# {title}\n\n第一条 为了加强渣土运输管理，制定本办法。\n\n第二条 本办法自发布之日起施行。")
    laws.add_child(instance=regulation)
    regulation.save_revision().publish()
    return regulation


def test_typing_in_the_header_box_shows_suggestions_and_the_keyboard_opens_the_document(page, site_tree, departments):
    _home, laws = site_tree
    regulation = publish(laws, departments[0], TITLE, "zhatu", Scope.PUBLIC)
    publish(laws, departments[0], HIDDEN, "zhatu-inner", Scope.SHARED)

    page.goto("/")
    box = page.get_by_role("banner").get_by_role("combobox", name="全站检索")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("测试区渣土", delay=30)
    listbox = page.get_by_role("listbox", name="检索建议")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text(TITLE)
    expect(listbox).not_to_contain_text(HIDDEN)  # the visitor may not see the shared document's title

    # ↓ chooses the first suggestion, ↑ from there wraps to the last; Escape closes the list.
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    box.press("ArrowUp")
    expect(options.last).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    # ↓ opens the list again; Enter on the title opens the document itself.
    box.press("ArrowDown")
    expect(listbox).to_be_visible()
    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(regulation.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Enter with no suggestion chosen submits the form: the search page for what was typed.
    box = page.get_by_role("banner").get_by_role("combobox", name="全站检索")
    box.fill("渣土运输")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%E6%B8%A3%E5%9C%9F"))
    expect(page.locator("ol.results > li").first).to_contain_text(TITLE)
