"""Hardening that Django does not ship: a Content-Security-Policy header and login throttling glue for django-axes.

- ``ContentSecurityPolicyMiddleware`` sets ``settings.CONTENT_SECURITY_POLICY``
  on every response that has none of its own (Wagtail's document view sets a
  stricter ``default-src 'none'`` on downloads; that one is kept).
- ``LoginThrottleBackend`` is django-axes' backend for logins made through a
  request (the Wagtail admin login form); ``authenticate()`` calls without a
  request (management commands, ``Client.login`` in tests) are not HTTP logins
  and pass through to the next backend instead of raising.
- ``lockout_response`` answers a locked-out login in Chinese.
- ``MinimumLengthValidator``: Django's, with a message that is translated.
"""
from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.password_validation import MinimumLengthValidator as _MinimumLengthValidator
from django.shortcuts import render
from django.utils.translation import ngettext


class ContentSecurityPolicyMiddleware:
    """Add the Content-Security-Policy header of ``settings.CONTENT_SECURITY_POLICY`` (unset or empty: none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """Return the Chinese page shown to a locked-out login (HTTP 429); django-axes calls it from its middleware."""
    hours = getattr(settings, "AXES_COOLOFF_TIME", None)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff": f"{hours:g} 小时" if isinstance(hours, (int, float)) else "一段时间",
    }
    # Rendered now: a response made in a middleware is not rendered by Django afterwards.
    return render(request, "portal/staff/lockout.html", context, status=429)


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
