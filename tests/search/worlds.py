"""Data of the Django search tests' worlds (the fixtures building them are in conftest.py)."""

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
