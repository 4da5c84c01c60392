"""Data of the Django search tests' worlds and their builders (the fixtures calling them are in conftest.py)."""

from __future__ import annotations

from tests.search.lawdocs import DATA_DIR

# Each scope's page holds the shared word 联席会议 and a word of its own, to look for leaks.
SCOPE_PAGES = [
    # (title, scope code, owner: "a" or "b", secret word only this page contains)
    ("公开的联席会议纪要", "public", "a", "公开甲字词"),
    ("共享的联席会议纪要", "shared", "a", "共享乙字词"),
    ("执法局内部联席会议纪要", "internal", "a", "执法局内部丙字词"),
    ("住建局内部联席会议纪要", "internal", "b", "住建局内部丁字词"),
    ("执法局不予共享联席会议纪要", "private", "a", "不予共享戊字词"),
    ("住建局不予共享联席会议纪要", "private", "b", "不予共享己字词"),
]


def law_text(filename: str) -> tuple[str, str]:
    """Return (title, text without the title line) of a law kept in tests/data/search."""
    text = (DATA_DIR / filename).read_text(encoding="utf-8")
    title = text.splitlines()[0].lstrip("# ").strip()
    body = text.split("<!-- INFO END -->", 1)[-1]
    body = "\n".join(line for line in body.splitlines() if not line.startswith("# "))
    return title, body.strip()


def build_scope_world(make_regulation, departments) -> dict:
    """Publish one regulation of every scope (SCOPE_PAGES), owned by department A or B; return {title: page}."""
    import datetime

    a, b = departments
    pages = {}
    for n, (title, scope, owner, secret) in enumerate(SCOPE_PAGES, start=1):
        pages[title] = make_regulation(
            title=title, slug=f"scope-{n}", scope=scope, department=a if owner == "a" else b,
            text=f"第一条 召开联席会议，通报{secret}有关情况。\n\n第二条 本纪要自印发之日起执行。",
            publish_date=datetime.date(2020 + n, 1, 1))
    return pages


def everything_shown(page, suggestions: list[str]) -> str:
    """Return every text a viewer sees of one search (a service.SearchPage): titles, snippets, facets, suggestions."""
    parts = [r.title + r.title_html + r.snippet + r.url for r in page.flat_results]  # articles beneath their law too
    parts += [str(f.value) for values in page.facets.values() for f in values]
    return "\n".join(parts + suggestions)
