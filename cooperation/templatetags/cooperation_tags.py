"""Template tags of the working systems: the pending items for a dashboard panel."""
from django import template

from cooperation.pending import dashboard_items

register = template.Library()


@register.simple_tag
def cooperation_pending_items(user):
    """Return ``dashboard_items(user)``: what the user's departments have to do next, overdue first."""
    return dashboard_items(user)
