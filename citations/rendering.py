"""Citations rendered for one viewer: links to what they may see, and 被引用 of a document.

A ``Renderer`` serves one request and the page it shows. Links are worked out here, never stored in
HTML, so that the wall holds per viewer: a citation of a held document becomes a link to the cited
provision (page URL + ``#anchor``) only if the viewer may see that document
(``portal.walls.access.can_view``); citations of documents not held, not live, not visible, or of a
provision the document lacks stay plain text. An anonymous visitor (whose pages the page cache
keeps) is thus only ever given links to public documents. Citations of the page itself (本法第十条)
link to the anchor on the page.

``cited_by`` lists, for an article (its 款 and 项 too), a provision or the whole document, the
other documents that cite it and the viewer may see: title (masked for the public, as lists
show it), link to the citing place and its label.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from citations.index import anchor_for, held_anchors, held_index
from citations.models import Citation
from citations.sources import anchors_of
from lib.citations import find_citations, link_html, link_text
from portal.models import RegulationPage, SharedInfoPage
from portal.walls.access import can_view, is_staff_member, visible_q
from publicsite.listing import list_title


@dataclass(frozen=True)
class CitingEntry:
    """One document citing a place, as 被引用 shows it."""

    title: str
    url: str
    place_label: str


@dataclass
class _Held:
    url: str
    anchors: dict[str, str]


class Renderer:
    """Citations of the texts one request shows, for its viewer; ``page`` is the page being shown."""

    def __init__(self, request=None, page=None):
        self.request = request
        self.user = getattr(request, "user", None)
        self.page = page
        self.own = page.pk if isinstance(page, RegulationPage) and page.pk else None
        self._index = None
        self._held: dict[int, _Held | None] = {}
        self._own_anchors: dict[str, str] | None = None
        self._cited_by: dict[str, list[CitingEntry]] | None = None

    # ------------------------------------------------------------ links
    @property
    def index(self):
        if self._index is None:
            self._index = held_index()
        return self._index

    def _load(self, keys) -> None:
        missing = {k for k in keys if k not in self._held and k != self.own}
        if not missing:
            return
        pages = {p.pk: p for p in RegulationPage.objects.live().filter(pk__in=missing).only(
            "pk", "url_path", "scope", "department_id", "live")}
        visible = {pk for pk, p in pages.items() if can_view(self.user, p)}
        anchors = held_anchors(visible)
        for key in missing:
            page = pages.get(key)
            if page is None or key not in visible:
                self._held[key] = None
            else:
                self._held[key] = _Held(page.get_url(self.request) or page.url or "", anchors.get(key, {}))

    def _own(self) -> dict[str, str]:
        if self._own_anchors is None:
            self._own_anchors = anchors_of(self.page.body.raw_data)
        return self._own_anchors

    def links(self, text: str, own_bare: bool = False, article: str | None = None) -> list[tuple[int, int, str]]:
        """Return (start, end, href) of the citations in ``text`` this viewer gets as links."""
        found = [c for c in find_citations(text, self.index, own=self.own, own_bare=own_bare, article=article)
                 if c.key is not None]
        self._load({c.key for c in found})
        out = []
        for c in found:
            if c.key == self.own:
                anchor = anchor_for(self._own(), c.place)
                if anchor:  # the page itself: only to a provision, on the page as it is shown
                    out.append((c.start, c.end, f"#{anchor}"))
                continue
            held = self._held.get(c.key)
            if held is None:
                continue
            anchor = anchor_for(held.anchors, c.place)
            if anchor is None:
                continue
            out.append((c.start, c.end, held.url + (f"#{anchor}" if anchor else "")))
        return out

    def text(self, text, linebreaks: bool = False, own_bare: bool = False, article: str | None = None) -> SafeString:
        """Return ``text`` as HTML (escaped) with the viewer's citation links."""
        text = str(text or "")
        return mark_safe(link_text(text, self.links(text, own_bare, article), linebreaks))  # noqa: S308 - escaped by link_text

    def html(self, markup) -> SafeString:
        """Return trusted HTML (a rich-text body, masked already) with the viewer's citation links in its text."""
        return mark_safe(link_html(str(markup or ""), self.links))  # noqa: S308 - the HTML was safe; links escaped

    # ------------------------------------------------------------ 被引用
    def _cited_by_all(self) -> dict[str, list[CitingEntry]]:
        if self._cited_by is not None:
            return self._cited_by
        self._cited_by = {}
        if self.page is None or not self.page.pk:
            return self._cited_by
        rows = list(Citation.objects.filter(cited_page_id=self.page.pk).exclude(citing_page_id=self.page.pk)
                    .values_list("citing_page_id", "place", "place_label", "cited_anchor"))
        if not rows:
            return self._cited_by
        citing = {p.pk: p for p in SharedInfoPage.objects.live().filter(visible_q(self.user))
                  .filter(pk__in={r[0] for r in rows}).specific()}
        public = not is_staff_member(self.user)
        titles = {pk: list_title(p, public) for pk, p in citing.items()}
        urls = {pk: p.get_url(self.request) or p.url or "" for pk, p in citing.items()}
        seen = set()
        grouped: dict[str, list[CitingEntry]] = defaultdict(list)
        for pk, place, label, anchor in rows:
            if pk not in citing or (pk, place, anchor) in seen:
                continue
            seen.add((pk, place, anchor))
            grouped[anchor].append(CitingEntry(titles[pk], urls[pk] + (f"#{place}" if place else ""), label))
        self._cited_by = dict(grouped)
        return self._cited_by

    def cited_by(self, anchor: str, article: bool = False) -> list[CitingEntry]:
        """Return who cites ``anchor`` ("" for the whole document); ``article``: its 款 and 项 too."""
        grouped = self._cited_by_all()
        if not article:
            return list(grouped.get(anchor, []))
        out: list[CitingEntry] = []
        for cited, entries in grouped.items():
            if cited == anchor or (anchor and cited.startswith(anchor + "第")):
                out.extend(e for e in entries if e not in out)
        return out


def renderer_for(request, page) -> Renderer:
    """Return the request's Renderer for ``page`` (one per request and page, so each is looked up once)."""
    if request is None:
        return Renderer(None, page)
    cache = request.__dict__.setdefault("_citation_renderers", {})
    key = (getattr(page, "pk", None), id(page))
    if key not in cache:
        cache[key] = Renderer(request, page)
    return cache[key]
