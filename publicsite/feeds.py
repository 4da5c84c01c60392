"""RSS 2.0 and Atom feeds of the public site: one per section (the nine categories, news, interpretations).

Feeds are anonymous by design: what a feed lists is decided by
``portal.walls.access`` for an anonymous visitor, whoever asks. A feed reader may
be fed a staff member's session cookie, and a feed URL is shared and cached
like any public URL, so a feed must never depend on who requests it.
"""
import copy
import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator

from lib.masking import PARTY_FIELDS, mask_for_public  # noqa: F401 - re-exported: the privacy rule lives in masking
from portal.models import (
    CategoryIndexPage,
    InterpretationPage,
    NewsPage,
    SharedInfoPage,
    Validity,
)
from portal.models.metadata import document_date_expression
from portal.walls.access import visible_q

ITEMS_PER_FEED = 20
SECTIONS = dict(CategoryIndexPage.Section.choices)
PUBLICITY_MODELS = {"news": NewsPage, "interpretation": InterpretationPage}
SITE_NEWS_SECTION = "news"
def section_items(section: str):
    """Return the newest public live pages of a section, at most ITEMS_PER_FEED, as specific pages.

    News and interpretations are always public; items of the nine categories
    are those an anonymous visitor may see, abolished ones left out (they
    have left the current lists for the archive).
    """
    if section in PUBLICITY_MODELS:
        qs = PUBLICITY_MODELS[section].objects.live().public().select_related("department")
        return qs.order_by("-date", "-first_published_at", "-pk")[:ITEMS_PER_FEED]
    qs = (
        SharedInfoPage.objects.live()
        .public()  # no page under a Wagtail view restriction (password, login)
        .filter(visible_q(AnonymousUser()), category=section)
        .exclude(validity=Validity.ABOLISHED)
        .select_related("department")
        .annotate(feed_date=document_date_expression())
        .order_by("-feed_date", "-first_published_at", "-pk")
    )
    # Specific pages: the fields naming a record's party are needed to mask its texts.
    return qs.specific()[:ITEMS_PER_FEED]


def feed_url(section: str, kind: str = "rss") -> str:
    """Return the path of a section's feed; kind is rss or atom."""

    return reverse(f"feed_{kind}", args=[section])


class SectionRssFeed(Feed):
    """The RSS 2.0 feed of one section: newest public items first."""

    feed_type = Rss201rev2Feed
    language = "zh-CN"

    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every request (it is built once in the URLconf),
        # so the request the links are made for lives on a per-request copy.
        feed = copy.copy(self)
        feed.request = request
        response = Feed.__call__(feed, request, *args, **kwargs)
        # The same bytes for everyone, so any cache may keep it for a while.
        response["Cache-Control"] = "public, max-age=300"
        return response

    def get_object(self, request, section):
        if section not in SECTIONS:
            raise Http404("没有这个栏目的订阅源。")
        return section

    def title(self, section):
        return f"{settings.WAGTAIL_SITE_NAME}：{SECTIONS[section]}"

    def description(self, section):
        return f"{settings.WAGTAIL_SITE_NAME}“{SECTIONS[section]}”栏目最新公开信息（最近 {ITEMS_PER_FEED} 条）。"

    subtitle = description

    def link(self, section):
        index = CategoryIndexPage.objects.live().public().filter(section=section).order_by("path").first()
        return index.get_url(request=self.request) if index else "/"

    def items(self, section):
        return section_items(section)

    def item_title(self, item):
        return mask_for_public(item, {"title": item.title})["title"]

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_description(self, item):
        """Return the summary; without one, a line of metadata (publicity: the opening of the text)."""
        if isinstance(item, (NewsPage, InterpretationPage)):
            text = item.summary or Truncator(strip_tags(item.body)).chars(200)
            return mask_for_public(item, {"summary": text})["summary"]
        if item.summary:
            return mask_for_public(item, {"summary": item.summary})["summary"]
        parts = [f"发布机构：{item.department}"]
        if item.doc_number:
            parts.append(f"发文字号：{item.doc_number}")
        if item.index_number:
            parts.append(f"索引号：{item.index_number}")
        return "；".join(parts)

    def item_pubdate(self, item):
        day = item.date if isinstance(item, (NewsPage, InterpretationPage)) else item.display_date
        if day:
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return str(item.department) if item.department_id else None

    def item_categories(self, item):
        if isinstance(item, SharedInfoPage):
            return [item.get_category_display()]
        return [SECTIONS["news" if isinstance(item, NewsPage) else "interpretation"]]


class SectionAtomFeed(SectionRssFeed):
    """The Atom feed of one section: the same items as the RSS feed."""

    feed_type = Atom1Feed
