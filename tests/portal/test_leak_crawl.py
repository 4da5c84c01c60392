"""Leak crawl: crawlers walk the demo portal and must never meet an item they may not see.

The demo content (demo/data/records.json) holds items of every scope, each with a
unique marker in its body: MARK-PUBLIC-n, MARK-SHARED-n, MARK-INTERNAL-n, MARK-SECRET-n.
Documents carrying markers of their own are attached to a public, a shared and an
internal record. A crawler (Django's test client) follows every same-host link from
``/`` (breadth first, bounded), plus the sitemap, every feed, the API (listing and each
detail), the search page and search API queried for every marker, every document, and
the guessable URLs of every item (its page, its API detail, its version list). Every
response is checked for markers and for links to pages the crawler may not open; any
5xx fails the test (the client raises the server's exception).

The Wagtail admin is not crawled: it is governed by Wagtail's page permissions, not by
the front end's access policy (see portal/wagtail_hooks.py for what the admin refuses).
"""
from __future__ import annotations

import datetime
import io
import json
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import docx
import pytest
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import Resolver404, resolve
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from portal.models import CategoryIndexPage, SharedInfoPage, User
from search.models import SavedSearch

DEMO_RECORDS = Path(__file__).resolve().parents[2] / "demo" / "data" / "records.json"
MARKER = re.compile(r"MARK-(PUBLIC|SHARED|INTERNAL|SECRET)-\d+")
SCOPE_OF_LABEL = {"公开": "PUBLIC", "共享": "SHARED", "部门内部": "INTERNAL", "不予共享": "SECRET"}
SAME_HOSTS = {"", "testserver", "localhost", "127.0.0.1"}
NOT_CRAWLED = ("/admin/", "/django-admin/", "/static/", "/media/")
MAX_BFS_URLS = 600
STAFF_DEPARTMENT = "ZHZF"  # its staff may see its own 部门内部 items, and must not see RSJ's or YJJ's

# Documents attached in the fixture: (record slug, marker in the file).
ATTACHMENTS = [("licence-1", "MARK-PUBLIC-901"), ("other-1", "MARK-SHARED-901"), ("licence-4", "MARK-INTERNAL-901")]
# Word files whose marker is only in the file's text (not its title, not the page): found through the
# attachment index alone, which must keep the page's scope.
WORD_ATTACHMENTS = [("licence-1", "MARK-PUBLIC-902"), ("other-1", "MARK-SHARED-902"),
                    ("licence-4", "MARK-INTERNAL-902")]


def docx_with(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(f"附件正文 {text}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Marker:
    text: str
    scope: str  # PUBLIC, SHARED, INTERNAL, SECRET
    department: str  # the owning department's code


def demo_markers() -> dict[str, Marker]:
    """Return every marker of the demo records with the scope and department of its item."""
    markers = {}
    for kind, items in json.loads(DEMO_RECORDS.read_text(encoding="utf-8")).items():
        if kind.startswith("_"):  # "_sources": where the demo's facts about 周村区 come from, not a record
            continue
        for item in items:
            found = {m.group(0) for m in MARKER.finditer(json.dumps(item, ensure_ascii=False))}
            assert found, f"demo item without a marker: {item.get('title')}"
            scope = SCOPE_OF_LABEL[item.get("scope", "公开")]  # news and interpretations carry no scope: public
            for text in found:
                assert text.split("-")[1] == scope, f"{text} sits in an item of scope {scope}"
                markers[text] = Marker(text, scope, item.get("department_code", ""))
    return markers


@dataclass
class CrawlReport:
    fetched: dict[str, int] = field(default_factory=dict)  # url -> status
    found_markers: set[str] = field(default_factory=set)
    leaks: list[str] = field(default_factory=list)


class Crawler:
    """A bounded breadth-first crawler over the test client, checking every response it reads."""

    def __init__(self, client, forbidden_markers: set[str], forbidden_paths: set[str]):
        self.client = client
        self.forbidden_markers = forbidden_markers
        self.forbidden_paths = forbidden_paths
        self.report = CrawlReport()
        self.pending: deque[str] = deque()
        self.cache_hits = 0  # answers the page cache gave (X-Page-Cache: hit)

    def fetch(self, url: str) -> str:
        """GET url, check the body, return it as text.

        A search page repeats its query (in the box, the heading, the sort and facet links), so the
        text of ``q`` itself is not a finding there; what the results show and link to still is.
        """
        if url in self.report.fetched:
            return ""
        echo = parse_qs(urlsplit(url).query).get("q", [""])[0]
        response = self.client.get(url)
        self.report.fetched[url] = response.status_code
        self.cache_hits += response.get("X-Page-Cache") == "hit"
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.status_code in (301, 302, 303, 307, 308):
            self.pending.append(urljoin(url, response["Location"]))
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        text = raw.decode("utf-8", errors="replace")
        checked = text.replace(echo, "") if echo else text
        for m in MARKER.finditer(checked):
            self.report.found_markers.add(m.group(0))
            if m.group(0) in self.forbidden_markers:
                self.report.leaks.append(f"{url}: {m.group(0)}")
        own_path = urlsplit(url).path  # a 404 page's login link repeats the address asked for
        for path in self.forbidden_paths - {own_path}:
            if path in checked or quote(path) in checked:
                self.report.leaks.append(f"{url}: links to {path}")
        return text

    def links(self, base: str, text: str) -> list[str]:
        found = re.findall(r'(?:href|src)="([^"]+)"', text)
        found += re.findall(r"<(?:loc|link|id)>([^<]+)</(?:loc|link|id)>", text)
        found += re.findall(r'"(?:detail_url|html_url|url|download_url)":\s*"([^"]+)"', text)
        result = []
        for link in found:
            link = link.replace("&amp;", "&").strip()
            if link.startswith(("mailto:", "tel:", "javascript:", "data:", "#")):
                continue
            parts = urlsplit(urljoin(base, link))
            if parts.scheme not in ("", "http", "https") or parts.netloc.split(":")[0] not in SAME_HOSTS:
                continue
            if parts.path.startswith(NOT_CRAWLED) or parts.path.startswith("/admin"):
                continue
            result.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return result

    def crawl(self, seeds: list[str]) -> None:
        """Fetch every seed, then follow links breadth first, at most MAX_BFS_URLS of them."""
        self.pending.extend(seeds)
        budget = len(set(seeds)) + MAX_BFS_URLS
        while self.pending and len(self.report.fetched) < budget:
            url = self.pending.popleft()
            parts = urlsplit(url)
            url = parts.path + (f"?{parts.query}" if parts.query else "")
            if url in self.report.fetched or parts.path.startswith(NOT_CRAWLED):
                continue
            text = self.fetch(url)
            for link in self.links(url, text):
                if link not in self.report.fetched:
                    self.pending.append(link)

    def search(self, markers) -> None:
        """Query the search page and the search API for each marker, exactly and in lower case."""
        for text in sorted(markers):
            for endpoint in ("/search/", "/api/search/"):
                for query in (text, text.lower()):
                    url = f"{endpoint}?q={quote(query)}"
                    body = self.fetch(url)
                    # Results lead somewhere: follow them too (their pages are checked like any other).
                    self.pending.extend(self.links(url, body))


def route_exists(path: str) -> bool:
    """Return True when a view of its own (not Wagtail's page catch-all) answers the path."""
    from wagtail import views as wagtail_views

    try:
        return resolve(path).func is not wagtail_views.serve
    except Resolver404:
        return False


@pytest.fixture(scope="module")
def _demo_world(module_transaction, tmp_path_factory):
    """Load the demo portal once for the module (see ``module_transaction``) and attach a document with a
    marker to a public, a shared and an internal record; return the markers."""
    from django.test import TestCase, override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("demo-media"))):
        with override_settings(DEBUG=True):  # load_demo refuses to run otherwise (its accounts have a known password)
            call_command("load_demo", stdout=io.StringIO())
        Document = get_document_model()
        markers = demo_markers()
        for slug, marker in ATTACHMENTS:
            page = SharedInfoPage.objects.get(slug=slug).specific
            document = Document(title=f"附件{marker}")
            document.file.save(f"attachment-{slug}.txt", ContentFile(f"附件内容 {marker}".encode()), save=True)
            page.body += f'<p><a linktype="document" id="{document.pk}">附件：{document.title}</a></p>'
            with TestCase.captureOnCommitCallbacks(execute=True):  # the reference index is updated on commit
                page.save_revision().publish()
            owner = markers[MARKER.search(page.body.replace(marker, "")).group(0)]
            markers[marker] = Marker(marker, marker.split("-")[1], owner.department)
        for slug, marker in WORD_ATTACHMENTS:
            page = SharedInfoPage.objects.get(slug=slug).specific
            document = Document(title="附件（Word）")
            document.file.save(f"word-{slug}.docx", ContentFile(docx_with(marker)), save=True)
            owner = markers[MARKER.search(re.sub(r"MARK-[A-Z]+-90\d", "", page.body)).group(0)]
            page.body += f'<p><a linktype="document" id="{document.pk}">附件（Word）</a></p>'
            with TestCase.captureOnCommitCallbacks(execute=True):
                page.save_revision().publish()
            markers[marker] = Marker(marker, marker.split("-")[1], owner.department)
        yield markers
    # load_demo moved the default site's root; Wagtail caches site root paths process-wide, and the
    # rollback does not clear that cache: the next module would route against the demo's home page.
    Site.clear_site_root_paths_cache()
    cache.clear()


@pytest.fixture
def demo(_demo_world, db, settings):
    """Return the markers of the demo portal (loaded once for the module), every item's marker with its scope."""
    settings.DEBUG = False  # crawl the portal as it runs in production: real 404 pages, no debug output
    return dict(_demo_world)


def seeds_for(pages) -> list[str]:
    seeds = ["/", "/sitemap.xml", "/api/v2/pages/?limit=100", "/archive/"]
    for section in CategoryIndexPage.Section.values:
        seeds += [f"/feeds/{section}/rss/", f"/feeds/{section}/atom/"]
    # Guessable doors: every item's page, API detail and version list, and every document.
    for page in pages:
        seeds += [page.url, f"/api/v2/pages/{page.pk}/", f"/archive/versions/{page.pk}/"]
    seeds += [document.url for document in get_document_model().objects.all()]
    return seeds


SCOPE_OF_VALUE = {"public": "PUBLIC", "shared": "SHARED", "internal": "INTERNAL", "private": "SECRET"}


def run_crawl(client, markers: dict[str, Marker], may_see, extra_seeds=()) -> CrawlReport:
    forbidden = {text for text, marker in markers.items() if not may_see(marker)}
    pages = list(SharedInfoPage.objects.select_related("department"))
    # Pages this crawler may not open, judged from scope and owner here (not by the policy under test).
    forbidden_paths = {page.url for page in pages
                       if not may_see(Marker("", SCOPE_OF_VALUE[page.scope], page.department.code))}
    assert forbidden_paths, "the demo must hold items this crawler may not see"
    crawler = Crawler(client, forbidden, forbidden_paths)
    crawler.search(markers)
    # API details of the listing are reached through its detail_url links; the rest by following links.
    crawler.crawl(list(extra_seeds) + seeds_for(pages) + list(crawler.pending))
    report = crawler.report
    assert not report.leaks, "leaks:\n" + "\n".join(report.leaks[:50])
    search_pages = {url: status for url, status in report.fetched.items() if url.startswith("/search/?")}
    search_api = {url: status for url, status in report.fetched.items() if url.startswith("/api/search/?")}
    assert search_pages and search_api, "the search doors were not tried"
    if route_exists("/search/"):
        assert set(search_pages.values()) == {200}, search_pages
    if route_exists("/api/search/"):
        assert set(search_api.values()) == {200}, search_api
    documents = [url for url in report.fetched if url.startswith("/documents/")]
    assert len(documents) >= len(ATTACHMENTS)
    return report


def test_anonymous_crawler_finds_no_marker_of_a_non_public_item(client, demo, settings, monkeypatch):
    """With the page cache on, as in production: staff open every item's page first (what they
    are shown must not be stored), then the public crawls, then asks for every page again, now
    answered from the cache.  Neither answer holds a non-public marker.  (The test cache is
    Django's in-memory one, 300 entries by default: room is made for the crawl's thousand pages,
    so that the second round reads what the first stored.)"""
    settings.PAGE_CACHE_SECONDS = 600
    monkeypatch.setattr(caches["default"], "_max_entries", 100_000)
    cache.clear()
    client.force_login(User.objects.filter(department__code=STAFF_DEPARTMENT).first())
    for url in ["/", "/sitemap.xml", "/api/v2/pages/?limit=100", *(p.url for p in SharedInfoPage.objects.all())]:
        client.get(url)
    client.logout()
    client.cookies.clear()
    report = run_crawl(client, demo, may_see=lambda marker: marker.scope == "PUBLIC")
    public = {text for text, marker in demo.items() if marker.scope == "PUBLIC"}
    # The crawl reaches things: public records, news and the public attachment.
    assert len(report.found_markers & public) >= 10, sorted(report.found_markers)
    assert "MARK-PUBLIC-901" in report.found_markers
    assert "MARK-PUBLIC-902" in report.found_markers  # a public page's Word attachment, found by its text
    assert len(report.fetched) > 100
    again = Crawler(client, {text for text, marker in demo.items() if marker.scope != "PUBLIC"}, set())
    for url, status in report.fetched.items():
        if status == 200:
            again.fetch(url)
    assert not again.report.leaks, again.report.leaks[:20]
    assert again.cache_hits > 100, again.cache_hits


def test_staff_crawler_finds_no_other_departments_internal_or_any_secret_marker(client, demo):
    internal_elsewhere = {m.text for m in demo.values() if m.scope == "INTERNAL" and m.department != STAFF_DEPARTMENT}
    assert internal_elsewhere, "the demo must hold 部门内部 items of another department"
    liaison = User.objects.filter(department__code=STAFF_DEPARTMENT, liaison_for__code=STAFF_DEPARTMENT).first()
    client.force_login(liaison)
    # A saved search with alerts since long ago: the dashboard, its page and its feed list what it finds.
    saved = SavedSearch.objects.create(user=liaison, name="附件", query="附件",
                                       seen_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))

    def may_see(marker):
        if marker.scope in ("PUBLIC", "SHARED"):
            return True
        return marker.scope == "INTERNAL" and marker.department == STAFF_DEPARTMENT

    # Its pages are seeds: the link-following budget may be spent before the dashboard's links are reached.
    report = run_crawl(client, demo, may_see, extra_seeds=[f"/staff/saved/{saved.pk}/", f"/staff/saved/{saved.pk}/feed.atom"])
    shared = {m.text for m in demo.values() if m.scope == "SHARED"}
    own_internal = {m.text for m in demo.values() if m.scope == "INTERNAL" and m.department == STAFF_DEPARTMENT}
    # Proof that the crawl reaches what staff may see: shared items, their attachment, the department's own.
    assert len(report.found_markers & shared) >= 5, sorted(report.found_markers)
    assert "MARK-SHARED-901" in report.found_markers
    assert "MARK-SHARED-902" in report.found_markers
    assert any(url.startswith("/staff/saved/") and url.endswith("/feed.atom") for url in report.fetched)
    assert report.found_markers & own_internal
    assert report.fetched.get("/staff/") == 200
    assert not report.found_markers & internal_elsewhere
    assert not {m for m in report.found_markers if m.startswith("MARK-SECRET")}


def test_unpublished_pages_are_not_served_to_anyone(client, demo):
    # A page taken offline keeps its URL guessable; it must answer 404 like a page that never was.
    page = Page.objects.get(slug="licence-1").specific
    page.unpublish()
    assert client.get(page.url).status_code == 404

