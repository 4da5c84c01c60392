"""The Content-Security-Policy (django-csp, portal.security.PortalCSPMiddleware) and the Permissions-Policy."""
import os
import re
import subprocess
import sys
from pathlib import Path

from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory

from portal.security import PortalCSPMiddleware

ROOT = Path(__file__).resolve().parents[2]


def directives(header: str) -> dict[str, list[str]]:
    """Split a policy header into {directive: sources}."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def test_public_pages_allow_no_inline_script_and_no_framing(client, site_tree):
    response = client.get("/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no nonce was used on this page, and never 'unsafe-inline'
    assert policy["frame-ancestors"] == ["'none'"] and response["X-Frame-Options"] == "DENY"
    assert policy["object-src"] == ["'none'"]


def test_public_templates_have_no_inline_script():
    """What makes 'unsafe-inline' unnecessary on public pages: every <script> loads a file."""
    inline = []
    for template in ROOT.glob("*/templates/**/*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text(encoding="utf-8")):
            if "src=" not in tag and 'type="application/json"' not in tag:
                inline.append(f"{template.relative_to(ROOT)}: {tag}")
    assert inline == []


def test_the_admin_keeps_inline_scripts_and_may_frame_itself(client, staff):
    client.force_login(staff[0])
    response = client.get("/admin/login/")
    policy = directives(response["Content-Security-Policy"])
    # Wagtail's InlinePanel and date pickers run inline scripts that carry no nonce.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]  # the page editor's preview panel
    assert "blob:" in policy["img-src"]


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
    assert "'unsafe-inline'" in directives(admin["Content-Security-Policy-Report-Only"])["script-src"]


def test_report_only_is_chosen_by_the_environment():
    code = ("import portal.settings.test as s; print(s.CONTENT_SECURITY_POLICY is None, "
            "s.CONTENT_SECURITY_POLICY_REPORT_ONLY['DIRECTIVES']['report-uri'] == ['/csp-report/'])")
    env = {**os.environ, "CSP_REPORT_ONLY": "1", "CSP_REPORT_URI": "/csp-report/"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "True"], result.stderr


def test_every_page_forbids_camera_microphone_and_location(client, site_tree):
    header = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in header
