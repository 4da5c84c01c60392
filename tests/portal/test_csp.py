"""The Content-Security-Policy (django-csp, portal.security.PortalCSPMiddleware) and the Permissions-Policy."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import wagtail
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from portal.models import User
from portal.security import PortalCSPMiddleware
from tests.conftest import regulation_factory

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    """Split a policy header into {directive: sources}."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def test_public_pages_allow_no_inline_script_and_no_framing(db, client, admin_world):
    response = client.get("/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no nonce was used on this page, and never 'unsafe-inline'
    assert policy["frame-ancestors"] == ["'none'"] and response["X-Frame-Options"] == "DENY"
    assert policy["object-src"] == ["'none'"]


def test_public_templates_have_no_inline_script_and_admin_overrides_nonce_theirs():
    """What makes 'unsafe-inline' unnecessary on public pages: every <script> loads a file.  The admin's
    templates that override Wagtail's (wagtailadmin/, wagtailsearchpromotions/) give each inline script the nonce."""
    inline = []
    for template in ROOT.glob("*/templates/**/*.html"):
        admin = template.relative_to(ROOT).parts[2] in ("wagtailadmin", "wagtailsearchpromotions")
        for tag in re.findall(r"<script\b[^>]*>", template.read_text(encoding="utf-8")):
            if "src=" not in tag and 'type="application/json"' not in tag and not (admin and "{% script_nonce %}" in tag):
                inline.append(f"{template.relative_to(ROOT)}: {tag}")
    assert inline == []


# <script> elements that a browser runs (a data block such as json_script's is not run, so needs no nonce).
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
DATA_TYPES = ("application/json", "text/template", "application/ld+json")


def inline_scripts_without_the_nonce(html: str, nonce: str | None) -> list[str]:
    """The opening tags of inline scripts (no src) in a page that do not carry the header's nonce."""
    missing = []
    for match in SCRIPT_TAG.finditer(html):
        attributes = match.group(1)
        if re.search(r"\bsrc=", attributes) or any(f'type="{kind}"' in attributes for kind in DATA_TYPES):
            continue
        if nonce is None or f'nonce="{nonce}"' not in attributes:
            missing.append(html[match.start():match.start() + 120])
    return missing


@pytest.fixture(scope="module")
def admin_world(module_transaction, module_departments, module_site_tree):
    """A superuser, a regulation to edit and a 推荐结果 to open: the admin's main screens have something to show."""
    home, laws = module_site_tree
    page = regulation_factory(laws, module_departments)(title="管理后台脚本测试条例")
    admin = User.objects.create_superuser("csp_admin", password="pw-csp-admin", department=module_departments[0])
    return admin, laws, page, module_departments[0]


@pytest.mark.parametrize("screen", ["dashboard", "explorer", "page edit", "page add", "statistics add", "snippets",
                                    "snippet edit", "search promotion add", "login"])
def test_the_admin_runs_no_inline_script_without_the_nonce_of_its_header(db, client, admin_world, screen):
    admin, laws, page, department = admin_world
    url = {
        "dashboard": "/admin/", "explorer": f"/admin/pages/{laws.id}/", "page edit": f"/admin/pages/{page.id}/edit/",
        "page add": f"/admin/pages/add/portal/regulationpage/{laws.id}/", "snippets": "/admin/snippets/",
        "statistics add": f"/admin/pages/add/portal/statisticspage/{laws.id}/",  # a StreamField with a TableBlock
        "snippet edit": f"/admin/snippets/portal/department/edit/{department.pk}/",
        "search promotion add": "/admin/searchpicks/add/", "login": "/admin/login/",
    }[screen]
    if screen != "login":
        client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200, url
    policy = directives(response["Content-Security-Policy"])
    script_src = policy["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    nonces = [source[len("'nonce-"):-1] for source in script_src if source.startswith("'nonce-")]
    assert script_src[0] == "'self'" and len(nonces) <= 1
    html = response.content.decode()
    assert inline_scripts_without_the_nonce(html, nonces[0] if nonces else None) == []
    if screen in ("page edit", "page add", "search promotion add"):
        assert nonces and html.count(f'nonce="{nonces[0]}"') >= 1  # the date pickers, choosers and formsets use it
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]  # Wagtail and Draftail write style attributes
    assert policy["frame-ancestors"] == ["'self'"]  # the page editor's preview panel
    assert "blob:" in policy["img-src"]


def test_an_injected_script_in_an_admin_page_gets_no_nonce():
    """The nonce goes only to the scripts Wagtail's templates and choosers write, never to text of a page."""
    request = RequestFactory().get("/admin/pages/1/edit/")

    def view(request):
        html = engines["django"].from_string(
            '{% load csp_tags %}<script{% script_nonce %}>ok()</script><p>{{ title }}</p>{{ raw|safe }}'
        ).render({"title": "<script>evil()</script>", "raw": "<script>also()</script>"})
        return HttpResponse(html)

    response = PortalCSPMiddleware(view)(request)
    [nonce] = [s[len("'nonce-"):-1] for s in directives(response["Content-Security-Policy"])["script-src"]
               if s.startswith("'nonce-")]
    html = response.content.decode()
    assert html.count(f'nonce="{nonce}"') == 1 and "&lt;script&gt;evil()" in html
    assert inline_scripts_without_the_nonce(html, nonce) == ["<script>also()</script>"]


def render_with_nonce(request):
    html = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">go()</script>').render(
        {"request": request})
    return HttpResponse(html)


def test_a_nonce_used_by_a_template_is_the_one_in_the_header():
    request = RequestFactory().get("/staff/")
    response = PortalCSPMiddleware(render_with_nonce)(request)
    [nonce] = re.findall(r'nonce="([^"]+)"', response.content.decode())
    assert len(nonce) >= 22
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    again = PortalCSPMiddleware(render_with_nonce)(RequestFactory().get("/staff/"))
    assert f"'nonce-{nonce}'" not in again["Content-Security-Policy"]  # a fresh one each response


def test_report_only_sends_the_policy_without_enforcing_it(settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    public = PortalCSPMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/"))
    assert "Content-Security-Policy" not in public
    assert directives(public["Content-Security-Policy-Report-Only"])["script-src"] == ["'self'"]
    admin = PortalCSPMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/admin/pages/"))
    assert directives(admin["Content-Security-Policy-Report-Only"])["frame-ancestors"] == ["'self'"]  # the admin's


def test_report_only_is_chosen_by_the_environment():
    code = ("import portal.settings.test as s; print(s.CONTENT_SECURITY_POLICY is None, "
            "s.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['report-uri'] == ['/csp-report/'])")
    env = {**os.environ, "CSP_REPORT_ONLY": "1", "CSP_REPORT_URI": "/csp-report/"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_every_page_forbids_camera_microphone_and_location(db, client, admin_world):
    header = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in header


def _block(text: str, name: str) -> str:
    """The body of {% block name %}…{% endblock %} in a template, whitespace collapsed."""
    body = re.search(r"{%\s*block " + name + r"\s*%}(.*?){%\s*endblock\s*%}", text, re.DOTALL).group(1)
    return " ".join(body.split())


def _without_nonce(text: str) -> str:
    return text.replace("{% script_nonce %}", "").replace("{% load csp_tags %}", "")


def test_the_overridden_wagtail_templates_are_wagtails_own_with_only_the_nonce_added():
    """After a Wagtail upgrade that changes one of them, this fails: the override is then redone from the new one."""
    theirs = Path(wagtail.__file__).parent
    ours = ROOT / "portal" / "templates"
    for name in ("date_input", "time_input", "datetime_input"):
        path = f"wagtailadmin/widgets/{name}.html"
        assert _without_nonce((ours / path).read_text(encoding="utf-8")) == (theirs / "admin/templates" / path).read_text(encoding="utf-8")
    for path in ("wagtailadmin/panels/inline_panel.html", "wagtailadmin/panels/multiple_chooser_panel.html"):
        assert _block(_without_nonce((ours / path).read_text(encoding="utf-8")), "js_init") == _block(
            (theirs / "admin/templates" / path).read_text(encoding="utf-8"), "js_init")
    form_js = _block((theirs / "admin/templates/wagtailadmin/generic/form.html").read_text(encoding="utf-8"), "extra_js")
    # The add and edit pages of 推荐结果 share one script block (their Wagtail originals add the same script).
    shared = "wagtailsearchpromotions/includes/extra_js_with_nonce.html"
    lines = (ours / shared).read_text(encoding="utf-8").splitlines()
    ours_js = " ".join(" ".join(line for line in lines if not line.startswith(("{% load", "{#"))).split())
    for path in ("wagtailsearchpromotions/add.html", "wagtailsearchpromotions/edit.html"):
        promotions_js = _block((theirs / "contrib/search_promotions/templates" / path).read_text(encoding="utf-8"), "extra_js")
        expected = form_js.replace("{{ block.super }} ", "") + " " + promotions_js.replace("{{ block.super }} ", "")
        assert _block((ours / path).read_text(encoding="utf-8"), "extra_js") == f'{{% include "{shared}" %}}'
        assert _without_nonce(ours_js) == expected.replace("  ", " ")
