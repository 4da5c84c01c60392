"""{% script_nonce %}: the nonce="…" attribute of an inline <script> in the admin (portal.security.script_nonce).

It works where the template has no request in its context, as the form renderer's widget templates do.
"""
from django import template

from portal.security import nonce_attribute

register = template.Library()


@register.simple_tag
def script_nonce():
    """`` nonce="…"`` with the nonce of the response being made (django-csp names it in the header), or ""."""
    return nonce_attribute()
