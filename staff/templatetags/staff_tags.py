"""Template helpers of the staff portal: an item's title and link as the signed-in user may have them."""
from django import template
from django.urls import reverse

from portal.walls.access import can_view, is_staff_member
from sharing.deadlines import title_for

register = template.Library()


@register.simple_tag(takes_context=True)
def item_title(context, page) -> str:
    """Return the item's title, or a placeholder when the user may not see the item."""
    return title_for(context["request"].user, page)


@register.simple_tag(takes_context=True)
def item_url(context, page) -> str:
    """Return where the user opens the item: the public page once it is live, the admin editor before; "" if neither."""
    user = context["request"].user
    if not can_view(user, page):
        return ""
    if page.live and page.url:
        return page.url
    if page.permissions_for_user(user).can_edit():
        return reverse("wagtailadmin_pages:edit", args=[page.pk])
    return ""


@register.simple_tag(takes_context=True)
def is_staff(context) -> bool:
    """Return True when the visitor is a signed-in member of staff (who may open the staff portal's tools)."""
    request = context.get("request")
    return bool(request is not None and is_staff_member(request.user))
