"""Fixtures for real-browser tests: Playwright (sync API) driving Debian's chromium against ``live_server``.

- ``browser``: one chromium for the whole session, launched from /usr/bin/chromium
  (never a Playwright-downloaded browser). Missing chromium FAILS the test with a
  hint to run ``make browser`` / ``make test``; it is never skipped.
- ``page``: a fresh context (1280x900, zh-CN) on the live server for each test.
- ``pages``: further actors in the same test (``pages.open(label)``, each its own
  context, so its own cookies and session), e.g. the reviewer after the editor;
  ``pages.retire(page)`` screenshots and closes an actor's page when it is done.

Every page opened through these fixtures is watched: a console error, an
uncaught page exception, a failed request or any response with a status of 400
or more fails the test at teardown, and every page is screenshotted to
``test-artifacts/`` (pass or fail; on failure the HTML of the pages still open
is saved beside it). Excused, each for a reason given where it is decided:
Chromium's own /favicon.ico probe, a sub-resource or background fetch cancelled
by leaving the page, and a status the test itself announced
with ``pages.expect_status(page, 404, "/no-such-page/")`` (a test of the 404 page).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEFAULT_TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so fixtures can tell, at teardown, whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    """Return a chromium browser shared by the session's browser tests."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} 不存在：浏览器测试需要 Debian 的 chromium（apt-get install chromium fonts-noto-cjk，"
            "或运行 `make browser` / `make test`）。不要运行 `playwright install`。",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio event loop in the main thread; from then on Django
    # refuses ORM calls from that thread (SynchronousOnlyOperation) although they are plain
    # synchronous calls made between browser steps. Allow them while the browser is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class WatchedPage:
    """A page and what it reported: console errors, page exceptions, failed requests, responses."""

    label: str
    page: object
    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    problems: list[str] = field(default_factory=list)
    expected_statuses: set[tuple[int, str]] = field(default_factory=set)  # (status, path) the test asked for
    expected_responses: list[tuple[int, str]] = field(default_factory=list)  # (status, url) that came as asked

    def is_expected(self, response) -> bool:
        return (response.status, urlsplit(response.url).path) in self.expected_statuses

    def findings(self) -> list[str]:
        """Return what went wrong, leaving out what the test announced with ``expect_status``."""
        excused = {}  # (status, url) -> how many console errors of it to excuse
        found = list(self.problems)
        for key in self.expected_responses:
            excused[key] = excused.get(key, 0) + 1
        for text, url in self.console_errors:
            status = re.search(r"status of (\d{3})", text)
            key = (int(status.group(1)), url) if status else None
            if key and excused.get(key, 0) > 0:
                excused[key] -= 1
                continue
            found.append(f"console error: {text} ({url})")
        return found


def _is_ignorable(url: str) -> bool:
    # Chromium asks every origin for /favicon.ico on its own; the portal has none and Django
    # answers 404. That is not something the page did, so it must not fail a test.
    return url.split("?")[0].endswith("/favicon.ico")


def _watch(browser, base_url: str, label: str) -> WatchedPage:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 1280, "height": 900},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    watched = WatchedPage(label, page)

    def on_console(msg):
        if msg.type == "error":
            where = (msg.location or {}).get("url", "") or page.url
            if not _is_ignorable(where):
                watched.console_errors.append((msg.text, where))

    def on_request_failed(request):
        if _is_ignorable(request.url):
            return
        if request.failure == "net::ERR_ABORTED" and request.resource_type != "document":
            # ERR_ABORTED is the browser cancelling, not a failure: an image still loading or a
            # background fetch (the admin's editing-session ping, say) in flight when the user
            # moves on to the next page. Network and server faults have other codes; a 4xx/5xx
            # answer shows up as a console error or in on_response.
            return
        watched.problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def on_response(response):
        if response.status < 400 or _is_ignorable(response.url):
            return
        if watched.is_expected(response):
            watched.expected_responses.append((response.status, response.url))
        else:
            # A 4xx/5xx on a sub-resource, an XHR or a page: not every one shows as a console error.
            watched.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: watched.problems.append(f"uncaught exception: {exc}"))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    return watched


def _artifact_name(nodename: str) -> str:
    return re.sub(r"[^\w.\-\[\]]+", "_", nodename)


class BrowserPages:
    """The watched pages of one test; ``open(label)`` one per actor, ``retire(page)`` when the actor is done."""

    def __init__(self, browser, base_url: str, test_name: str):
        self.browser, self.base_url, self.test_name = browser, base_url, test_name
        self.opened: list[WatchedPage] = []
        self.problems: list[str] = []

    def open(self, label: str):
        watched = _watch(self.browser, self.base_url, label)
        self.opened.append(watched)
        return watched.page

    def expect_status(self, page, status: int, path: str) -> None:
        """Let ``page`` receive ``status`` (≥ 400) for ``path`` without failing the test, e.g. a visit to the 404 page."""
        next(w for w in self.opened if w.page is page).expected_statuses.add((status, path))

    def retire(self, page, stem: str | None = None, html: bool = False) -> None:
        """Screenshot the page, close its context and keep what went wrong in it.

        Closing an actor's context before the next actor starts also stops the
        admin's background requests (editing-session pings), which would
        otherwise race the next actor's requests on the test database.
        """
        watched = next(w for w in self.opened if w.page is page)
        if page.is_closed():
            return
        ARTIFACTS.mkdir(exist_ok=True)
        stem = stem or f"{self.test_name}--{watched.label}"
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
            if html:
                (ARTIFACTS / f"{stem}.html").write_text(page.content(), encoding="utf-8")
        except Exception as exc:  # a crashed page must not hide the test's own failure
            self.problems.append(f"[{watched.label}] screenshot failed: {exc}")
        self.problems.extend(f"[{watched.label}] {p}" for p in watched.findings())
        page.context.close()

    def close_all(self, failed: bool) -> list[str]:
        live = [w for w in self.opened if not w.page.is_closed()]
        for i, watched in enumerate(live):
            # The last page still open is where the test was when it ended (or failed): it
            # gets the plain <test name>.png; other actors' pages get their label as suffix.
            stem = self.test_name if i == len(live) - 1 else None
            self.retire(watched.page, stem=stem, html=failed)
        return self.problems


@pytest.fixture
def _browser_pages(request, browser, live_server):
    pages = BrowserPages(browser, live_server.url, _artifact_name(request.node.name))
    yield pages
    rep_call = getattr(request.node, "rep_call", None)
    problems = pages.close_all(failed=rep_call is not None and rep_call.failed)
    if problems:
        pytest.fail("浏览器报告了错误：\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(_browser_pages):
    """Return a watched Playwright page in a fresh context, with ``live_server`` as base URL."""
    return _browser_pages.open("page")


@pytest.fixture
def pages(_browser_pages):
    """Return ``BrowserPages``: ``pages.open(label)`` gives another actor its own context;
    ``pages.retire(page)`` screenshots it (as ``<test name>--<label>.png``) and closes it."""
    return _browser_pages


@pytest.fixture(autouse=True)
def _empty_search_index(request, django_db_blocker):
    """Start and leave every live-server test with an empty search index.

    A live-server test commits, and pytest-django empties the database by flushing the models' tables;
    the index tables are not models, so rows of an earlier test's pages (whose ids the next test's
    pages reuse) would otherwise still be found.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    from search import service

    # Outside the test's own database fixture (which may be set up later or torn down already).
    with django_db_blocker.unblock():
        service.get_backend().clear()
    yield
    with django_db_blocker.unblock():
        service.get_backend().clear()


def log_in(page, username: str, password: str) -> None:
    """Sign in through the admin's login form, as a person does, and land on the admin home."""
    page.goto("/admin/login/")
    expect(page).to_have_title(re.compile("登录"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("登录")
    page.get_by_role("textbox", name="用户名").fill(username)
    # By name, not label: Wagtail's LoginForm gives the password field no label (test_login_form_is_labelled_in_chinese).
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
