"""The demo accounts: one helper that creates a demo user once, shared by the portal's and the cooperation demo.

Every demo account has the password ``DEMO_PASSWORD`` (documented in the README); it passes the
project's own AUTH_PASSWORD_VALIDATORS (tests/portal/test_demo_and_import.py checks each account).
"""
from __future__ import annotations

import functools

from django.contrib.auth.hashers import make_password

from portal.models import User

DEMO_PASSWORD = "zhoucun-2026"


def split_name(full: str) -> tuple[str, str]:
    """Return (family name, given name) of a demo name: family name first, one character."""
    return full[:1], full[1:]


@functools.cache
def _demo_password_hash() -> str:
    # One slow PBKDF2 hash shared by all demo accounts instead of forty.
    return make_password(DEMO_PASSWORD)


def ensure_user(report, username: str, name: str, department, groups=(), superuser=False) -> User:
    """Return the demo user ``username``, creating it (counted in the LoadReport ``report``) when missing."""
    user = User.objects.filter(username=username).first()
    if user is None:
        last, first = split_name(name)
        user = User(username=username, last_name=last, first_name=first, department=department,
                    email=f"{username}@example.gov.cn", is_staff=superuser, is_superuser=superuser)
        user.password = _demo_password_hash()
        user.save()
        report.add("用户")
    for group in groups:
        user.groups.add(group)
    return user
