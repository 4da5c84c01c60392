"""Hardening that Django does not ship: the Content-Security-Policy by path, and login throttling glue for django-axes.

- ``PortalCSPMiddleware`` is django-csp's middleware choosing the policy by path: the admin's
  (``settings.PORTAL_CSP_ADMIN``) under ``settings.PORTAL_CSP_ADMIN_PATHS``, the public one
  (``CONTENT_SECURITY_POLICY`` / ``CONTENT_SECURITY_POLICY_REPORT_ONLY``) elsewhere.  As django-csp
  does, a response that has a policy of its own keeps it (Wagtail's document view sends a stricter
  ``default-src 'none'`` with downloads), and a view's @csp_update/@csp_replace/@csp_exempt apply.
  While it handles a request, ``script_nonce()`` gives that response's nonce to code that has no request
  at hand: the admin's widget templates (date and time pickers, rendered by the form renderer) and
  Wagtail's chooser widgets, whose inline scripts must carry it (``nonce_chooser_scripts``, the
  templates under portal/templates/wagtailadmin/ and wagtailsearchpromotions/).
- ``LoginThrottleBackend`` is django-axes' backend for logins made through a
  request (the Wagtail admin login form); ``authenticate()`` calls without a
  request (management commands, ``Client.login`` in tests) are not HTTP logins
  and pass through to the next backend instead of raising.
- ``LoginThrottleHandler`` locks on two counters: an account after
  ``AXES_FAILURE_LIMIT`` failures from any addresses (guessing one password
  from many machines), and an address after ``AXES_IP_FAILURE_LIMIT`` failures
  across any accounts (one machine trying many accounts). The address limit is
  higher because a whole bureau often sits behind one NAT address.
- ``lockout_response`` answers a locked-out login in Chinese, naming which counter tripped.
- ``client_ip`` is the client's address, for django-axes (``AXES_CLIENT_IP_CALLABLE``) and the view
  log alike: read with django-ipware from X-Forwarded-For behind ``settings.PROXY_COUNT`` proxies.
- ``MinimumLengthValidator``: Django's, with a message that is translated.
"""
from __future__ import annotations

from contextvars import ContextVar

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth.password_validation import MinimumLengthValidator as _MinimumLengthValidator
from django.db.models import Sum
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from ipware import get_client_ip
from wagtail.admin.widgets.chooser import BaseChooser

# The request PortalCSPMiddleware is handling in this thread (or task), for script_nonce().
_csp_request: ContextVar = ContextVar("portal_csp_request", default=None)


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's CSPMiddleware, with the admin's policy under the admin's paths."""

    def process_request(self, request):
        super().process_request(request)
        _csp_request.set(request)

    def process_response(self, request, response):
        _csp_request.set(None)
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.config is None and request.path_info.startswith(tuple(settings.PORTAL_CSP_ADMIN_PATHS)):
            enabled = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY if report_only else settings.CONTENT_SECURITY_POLICY
            if enabled:
                parts.config = settings.PORTAL_CSP_ADMIN
        return parts


def script_nonce() -> str:
    """The CSP nonce of the response being made (django-csp then names it in the header), or "" outside a request."""
    request = _csp_request.get()
    return str(request.csp_nonce) if request is not None and hasattr(request, "csp_nonce") else ""


def nonce_attribute() -> str:
    """`` nonce="…"`` for an inline <script> of the response being made, or "" outside a request."""
    nonce = script_nonce()
    return format_html(' nonce="{}"', nonce) if nonce else ""


_chooser_render = BaseChooser.render


def _render_chooser_with_nonce(self, name, value, attrs=None, renderer=None):
    """Wagtail's BaseChooser.render, whose closing ``<script>{js}</script>`` gets the response's nonce.

    Wagtail writes the widget's HTML (escaped) and then its initialiser, built from the widget's own
    options by json.dumps, as the last <script> of the output: that one tag is given the nonce.
    """
    html = _chooser_render(self, name, value, attrs=attrs, renderer=renderer)
    head, tag, script = html.rpartition("<script>")
    nonce = nonce_attribute()
    if not tag or not nonce or not script.endswith("</script>"):
        return html
    return mark_safe(f"{head}<script{nonce}>{script}")  # noqa: S308 - Wagtail's own output, one attribute added


def nonce_chooser_scripts() -> None:
    """Make every Wagtail chooser widget (pages, snippets, images, documents, tasks) nonce its inline script."""
    BaseChooser.render = _render_chooser_with_nonce


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """Return the client's IP address, or None when the request names no valid one.

    ``settings.PROXY_COUNT`` reverse proxies stand in front of the portal, each appending the address
    it was connected from to X-Forwarded-For (nginx's ``$proxy_add_x_forwarded_for``): the client is
    the PROXY_COUNT-th address from the end, and whatever comes before it is the client's own writing.
    django-ipware counts only the proxies listed in the header (the last proxy is REMOTE_ADDR), hence
    ``PROXY_COUNT - 1``.  With 0 proxies (development), or a request that did not come through them
    (a health probe on the container's port), X-Forwarded-For is ignored and REMOTE_ADDR is the client.
    """
    if settings.PROXY_COUNT > 0:
        address, _routable = get_client_ip(request, proxy_count=settings.PROXY_COUNT - 1,
                                           request_header_order=["HTTP_X_FORWARDED_FOR"], strict=False)
        if address is not None:
            return address
    address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"], strict=True)
    return address


ACCOUNT, ADDRESS = "account", "address"


def recent_failures(request, **lookup) -> int:
    """Return the failed logins matching ``lookup`` (username= or ip_address=) inside the cool-off window."""
    attempts = AccessAttempt.objects.filter(**lookup)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_reason(request, credentials=None) -> str:
    """Return ACCOUNT or ADDRESS when this login must be refused, else ""."""
    username = get_client_username(request, credentials)
    if username and recent_failures(request, username=username) >= settings.AXES_FAILURE_LIMIT:
        return ACCOUNT
    address = getattr(request, "axes_ip_address", None)
    if address and recent_failures(request, ip_address=address) >= settings.AXES_IP_FAILURE_LIMIT:
        return ADDRESS
    return ""


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler, locking per account and per address (see the module docstring)."""

    def get_failures(self, request, credentials=None) -> int:
        """Return the failure count axes compares with AXES_FAILURE_LIMIT: the limit itself when either counter tripped."""
        reason = lockout_reason(request, credentials)
        request.portal_lockout_reason = reason
        if reason:
            return settings.AXES_FAILURE_LIMIT
        username = get_client_username(request, credentials)
        return recent_failures(request, username=username) if username else 0

    def reset_user_attempts(self, request, credentials=None) -> int:
        """Forget the failures of the account that signed in, never those of its address (others' guesses)."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """Return the Chinese page shown to a locked-out login (HTTP 429); django-axes calls it from its middleware."""
    hours = getattr(settings, "AXES_COOLOFF_TIME", None)
    reason = getattr(request, "portal_lockout_reason", "") or lockout_reason(request, credentials) or ACCOUNT
    context = {
        "by_address": reason == ADDRESS,
        "failure_limit": settings.AXES_IP_FAILURE_LIMIT if reason == ADDRESS else settings.AXES_FAILURE_LIMIT,
        "cooloff": f"{hours:g} 小时" if isinstance(hours, (int, float)) else "一段时间",
    }
    # Rendered now: a response made in a middleware is not rendered by Django afterwards.
    return render(request, "staff/lockout.html", context, status=429)


class MinimumLengthValidator(_MinimumLengthValidator):
    """Django's minimum length rule, with the message its translation catalogues know.

    Django 5.2.19 reworded the message (``%d`` instead of ``%(min_length)d``) without updating the
    catalogues, so zh-hans users would read it in English; the previous wording is translated.
    """

    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
