"""No template or static asset makes the browser contact another host: no CDN, no web fonts, no trackers.

Scanned: every file under any ``templates`` or ``static`` folder of the
repository (the project's static/, portal/, search/, archive/ and any app
added later), build output, virtualenvs and test artifacts left out. Allowed:
XML namespace names (an identifier, never fetched) and anything inside a
comment (licence headers and documentation of vendored files).
"""
import re
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = ["portal", "search", "archive"]  # must each be found by the scan
# Not the repository's own templates or assets: environments, collected or generated files, caches.
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "var", "test-artifacts", "__pycache__", ".ruff_cache",
                ".pytest_cache", "staticfiles", "htmlcov"}
BINARY_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf", ".eot",
                   ".pdf", ".zip", ".gz", ".br", ".mp4", ".webm"}

# Namespace names: identifiers in xmlns attributes and XML documents, not addresses anyone loads.
NAMESPACE_URIS = (
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2005/Atom",
    "http://www.sitemaps.org/schemas/sitemap/",
    "http://www.google.com/schemas/sitemap-image/",
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/rss/1.0/modules/content/",
)

# http://host, https://host, and protocol-relative //host.tld (after a quote, "(", "=" or a space,
# so that "a // comment" or "https:" itself do not count).
ABSOLUTE_URL = re.compile(r"https?://[^\s\"'<>)]+", re.IGNORECASE)
PROTOCOL_RELATIVE = re.compile(r"(?:(?<=[\"'(=\s])|^)//(?:[a-z0-9-]+\.)+[a-z]{2,}\b[^\s\"'<>)]*", re.IGNORECASE | re.M)

BLOCK_COMMENTS = [
    re.compile(r"<!--(?!\[if).*?-->", re.S),  # HTML, but not IE conditional comments (they load things)
    re.compile(r"\{#.*?#\}", re.S),  # Django
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"/\*.*?\*/", re.S),  # CSS and JavaScript
]
# A JavaScript line comment: "//" at the start of a line or after a space, ";", "{" or "}" —
# unless a host name follows at once, which is how a protocol-relative URL looks.
JS_LINE_COMMENT = re.compile(r"(?:^|(?<=[\s;{}]))//(?!(?:[a-z0-9-]+\.)+[a-z]{2,}).*$", re.M | re.I)


def blank(match: re.Match) -> str:
    """Return the match with everything but line breaks blanked, so line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def strip_comments(text: str, suffix: str) -> str:
    """Return the text with its comments blanked out."""
    for pattern in BLOCK_COMMENTS:
        text = pattern.sub(blank, text)
    if suffix in {".js", ".mjs"}:
        text = JS_LINE_COMMENT.sub(blank, text)
    return text


def external_references(text: str, suffix: str = ".html") -> list[tuple[int, str]]:
    """Return (line number, reference) for every reference to another host outside comments."""
    text = strip_comments(text, suffix)
    found = []
    for pattern in (ABSOLUTE_URL, PROTOCOL_RELATIVE):
        for match in pattern.finditer(text):
            url = match.group(0)
            if url.lower().startswith(NAMESPACE_URIS):
                continue
            found.append((text.count("\n", 0, match.start()) + 1, url))
    return sorted(found)


def asset_roots() -> list[Path]:
    """Return every ``templates`` and ``static`` folder of the repository, skipped folders left out."""
    roots = []

    def walk(folder: Path):
        for child in sorted(folder.iterdir()):
            if not child.is_dir() or child.name in SKIPPED_DIRS or child.name.startswith("."):
                continue
            if child.name in {"templates", "static"}:
                roots.append(child)
            else:
                walk(child)

    walk(BASE_DIR)
    return roots


def scanned_files() -> list[Path]:
    """Return every template and static file of the repository, binaries left out."""
    roots = asset_roots()
    files = set()
    for root in roots:
        if root.is_dir():
            files.update(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() not in BINARY_SUFFIXES)
    return sorted(files)


def test_the_scan_covers_the_project_static_folder_and_every_apps_templates_and_assets():
    roots = {str(root.relative_to(BASE_DIR)) for root in asset_roots()}
    assert "static" in roots
    for app in APPS:
        assert f"{app}/templates" in roots, app
    assert {"portal/static", "search/static"} <= roots
    files = {str(p.relative_to(BASE_DIR)) for p in scanned_files()}
    assert {"static/js/citation.js", "static/css/print.css", "portal/templates/404.html"} <= files
    assert not any(part in SKIPPED_DIRS for f in files for part in Path(f).parts)


def test_no_template_or_asset_references_an_external_host():
    files = scanned_files()
    assert any(p.name == "base.html" for p in files), "the scan must see the templates"
    problems = []
    for path in files:
        raw = path.read_bytes()
        if b"\0" in raw:
            continue
        text = raw.decode("utf-8", errors="replace")
        for line, url in external_references(text, path.suffix.lower()):
            problems.append(f"{path.relative_to(BASE_DIR)}:{line}: {url}")
    assert not problems, "external host referenced:\n" + "\n".join(problems)


@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.jsdelivr.net/npm/echarts.min.js"></script>',
    "<link rel=stylesheet href=http://fonts.googleapis.com/css?family=Noto>",
    "body { font-family: x; src: url(//fonts.gstatic.com/s/noto.woff2); }",
    '<img src="//hm.baidu.com/hm.gif">',
    '<!--[if lt IE 9]><script src="https://oss.maxcdn.com/html5shiv.js"></script><![endif]-->',
    "{% if x %}<a href='https://www.gov.cn/'>中国政府网</a>{% endif %}",
])
def test_scanner_finds_external_references(snippet):
    assert external_references(snippet, ".html")


@pytest.mark.parametrize("snippet, suffix", [
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"></svg>', ".html"),
    ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ".xml"),
    ("<!-- 样式参考 https://www.w3.org/WAI/WCAG21/quickref/ -->", ".html"),
    ("{# see https://docs.wagtail.org/ #}", ".html"),
    ("/*! Vendored lib v1.0 | MIT | https://example.org/license */\nvar a = 1;", ".js"),
    ("// docs: https://developer.mozilla.org/\nvar b = 2; // 2 // 3", ".js"),
    ('<a href="/search/?q=a//b">检索</a>', ".html"),
    ("a { background: url(/static/img/x.png); }", ".css"),
])
def test_scanner_allows_namespaces_comments_and_local_paths(snippet, suffix):
    assert external_references(snippet, suffix) == []


def test_scanner_reports_the_line_of_a_reference():
    assert external_references("<p>\n</p>\n<script src=\"https://evil.example/x.js\"></script>") == [
        (3, "https://evil.example/x.js")
    ]
