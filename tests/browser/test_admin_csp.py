"""The Wagtail admin works in a real browser under its CSP without 'unsafe-inline' for scripts: Wagtail's inline
scripts run by the response's nonce (portal/settings/base.py: PORTAL_CSP_ADMIN), those written at page load and
those an InlinePanel inserts when a form is added; nothing is refused (a refusal is a console error, which fails
any browser test, and a securitypolicyviolation event, collected here)."""
import re

import pytest
from playwright.sync_api import expect

from portal.models import User
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data (see test_editorial_workflow.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Zhifa-Test-2026"
# Installed before any script of the page runs (Playwright's init scripts are not subject to the page's CSP).
WATCH_VIOLATIONS = ("window.__cspViolations = [];"
                    "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
                    "e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || '')));")


def refused(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_the_admins_main_screens_run_their_scripts_by_nonce_and_nothing_is_refused(page, make_regulation, departments):
    law = make_regulation(title="浏览器脚本测试条例")
    User.objects.create_superuser("csp_admin", password=PASSWORD, department=departments[0])
    page.add_init_script(WATCH_VIOLATIONS)
    log_in(page, "csp_admin", PASSWORD)
    header = page.evaluate("fetch('/admin/').then(r => r.headers.get('content-security-policy'))")
    script_src = re.search(r"script-src ([^;]*)", header).group(1).split()
    assert script_src[0] == "'self'" and "'unsafe-inline'" not in script_src
    assert refused(page) == []

    page.goto(f"/admin/pages/{law.get_parent().pk}/")
    expect(page.get_by_role("link", name=law.title).first).to_be_visible()
    assert refused(page) == []

    # The page editor: the date pickers' inline initialisers ran (the picker opens on focus).
    page.goto(f"/admin/pages/{law.pk}/edit/")
    date_input = page.locator("input[name=formed_date]")
    expect(date_input).to_be_visible()
    date_input.click()
    expect(page.locator(".xdsoft_datetimepicker:visible").first).to_be_visible()
    assert refused(page) == []

    page.goto("/admin/snippets/")
    page.goto("/admin/snippets/portal/department/")
    expect(page.get_by_text(departments[0].name).first).to_be_visible()
    assert refused(page) == []

    # 推荐结果: the formset's inline script ran; adding a promotion inserts a form whose page chooser
    # initialiser (an inline script from the form template) runs too, and its modal opens.
    page.goto("/admin/searchpicks/add/")
    page.locator("#id_query_string-chooser, [id$=query_string-chooser]").first.wait_for(state="attached")
    page.locator("#id_editors_picks-ADD").click()
    chooser = page.locator("#id_editors_picks-0-page-chooser .unchosen [data-chooser-action-choose]")
    expect(chooser).to_be_visible()
    chooser.click()
    expect(page.locator(".modal-dialog").first).to_be_visible()
    assert refused(page) == []
