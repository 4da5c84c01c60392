"""Listings of pages as a visitor may see them."""
from django.db.models import Q
from wagtail.models import Page

from portal.access import visible_q
from portal.models.metadata import SharedInfoPage, archived_q
from portal.models.publicity import InterpretationPage, NewsPage

PUBLICITY_MODELS = {"news": NewsPage, "interpretation": InterpretationPage}


def visible_children(index_page, user):
    """Return the live children of an index page that the user may see, newest first, as specific pages."""
    children = Page.objects.live().child_of(index_page)
    # Pages that are not shareable records (news, interpretations) are public.
    shared_ids = SharedInfoPage.objects.child_of(index_page).values("pk")
    # Abolished and expired documents leave the current lists for /archive/.
    current_visible = SharedInfoPage.objects.filter(visible_q(user)).exclude(archived_q()).values("pk")
    children = children.filter(~Q(pk__in=shared_ids) | Q(pk__in=current_visible))
    return children.order_by("-first_published_at", "-pk").specific()


def latest_items(user, limit: int):
    """Return the newest live shareable items the user may see."""
    qs = SharedInfoPage.objects.live().filter(visible_q(user)).exclude(archived_q())
    return qs.select_related("department").order_by("-publish_date", "-formed_date", "-pk")[:limit].specific()


def latest_publicity(user, kind: str, limit: int):
    """Return the newest live news or interpretation pages (always public)."""
    return PUBLICITY_MODELS[kind].objects.live().order_by("-date", "-pk")[:limit]
