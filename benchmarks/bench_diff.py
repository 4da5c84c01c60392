"""Benchmark of the Chinese-aware diff: speed and how much it marks beyond the real edits.

Run from the repository root: ``.venv/bin/python benchmarks/bench_diff.py [--runs N] [--seed S]``.

A regulation of ~20,000 characters is built from the articles of two real laws
(tests/data/amendments), then edited like an amendment: ~30 scattered edits of a few
characters (replace, insert, delete) and 2 inserted articles, which renumber every later
article. Printed: median time per method over several runs, characters marked as deleted or
inserted, and marked / actually edited (1.0 is perfect; the target for compare_laws is
<= 1.2, its time <= 50 ms).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.align import compare_laws  # noqa: E402
from lib.diff import diff_texts, marked_chars  # noqa: E402
from lib.lawtext import int_to_cn, parse_law_text  # noqa: E402

SOURCES = ["立法法_new.md", "行政复议法_new.md"]
TARGET_CHARS = 20_000
EDITS = 30
FILLER = "应当依法及时公开有关信息并接受社会监督"
NEW_ARTICLES = [
    "县级以上地方人民政府应当建立健全行政执法信息共享机制，明确共享范围、方式和责任。",
    "行政执法机关共享的信息涉及国家秘密、商业秘密、个人隐私的，应当依法予以保护，不得泄露。",
]


def build_regulation() -> list[list[str]]:
    """Return the paragraphs of each article of a ~20,000-character regulation made of real articles."""
    articles: list[list[str]] = []
    size = 0
    for name in SOURCES:
        law = parse_law_text((ROOT / "tests" / "data" / "amendments" / name).read_text(encoding="utf-8"))
        for article in law.articles():
            if size >= TARGET_CHARS:
                return articles
            articles.append(list(article.paragraphs))
            size += len(article.text) + 8
    return articles


def render(articles: list[list[str]]) -> str:
    """Return the regulation as corpus-style Markdown, articles numbered in order, 4 chapters."""
    lines = ["# 某市行政执法信息共享条例", ""]
    per_chapter = len(articles) // 4 + 1
    for index, paragraphs in enumerate(articles):
        if index % per_chapter == 0:
            lines += [f"## 第{int_to_cn(index // per_chapter + 1)}章 第{index // per_chapter + 1}部分", ""]
        lines += [f"第{int_to_cn(index + 1)}条 {paragraphs[0]}", ""] + [p for q in paragraphs[1:] for p in (q, "")]
    return "\n".join(lines)


def amend(articles: list[list[str]], rng: random.Random) -> tuple[list[list[str]], int]:
    """Return the amended articles and the number of characters actually deleted or inserted."""
    amended = [list(paragraphs) for paragraphs in articles]
    edited = 0
    chosen = rng.sample(range(len(amended)), EDITS)  # one edit per article: scattered
    for index in chosen:
        paragraphs = amended[index]
        p = rng.randrange(len(paragraphs))
        text = paragraphs[p]
        at = rng.randrange(1, max(2, len(text) - 5))
        kind = rng.choice(["replace", "insert", "delete"])
        size = rng.randint(1, 4)
        new_chars = "".join(rng.sample(FILLER, size))
        if kind == "replace":
            old_chars = text[at : at + size]
            new_chars = "".join(c if c != o else "某" for c, o in zip(new_chars, old_chars, strict=False))
            paragraphs[p] = text[:at] + new_chars[: len(old_chars)] + text[at + size :]
            edited += 2 * len(old_chars)
        elif kind == "insert":
            paragraphs[p] = text[:at] + new_chars + text[at:]
            edited += size
        else:
            paragraphs[p] = text[:at] + text[at + size :]
            edited += len(text[at : at + size])
    for offset, text in zip((len(amended) // 3, 2 * len(amended) // 3), NEW_ARTICLES, strict=True):
        amended.insert(offset, [text])
        edited += len(text)
    return amended, edited


def timed(function, runs: int) -> tuple[float, object]:
    """Return the median wall time in seconds over ``runs`` calls and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def opcode_marks(old: str, new: str, autojunk: bool) -> int:
    matcher = SequenceMatcher(None, old, new, autojunk=autojunk)
    return sum((i2 - i1) + (j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per fast method (slow ones: a third)")
    parser.add_argument("--seed", type=int, default=20240101)
    args = parser.parse_args()

    articles = build_regulation()
    amended, edited = amend(articles, random.Random(args.seed))
    old, new = render(articles), render(amended)
    slow_runs = max(3, args.runs // 3)

    compare_time, comparison = timed(lambda: compare_laws(old, new), args.runs)
    article_marks = sum(marked_chars(p.ops) for p in comparison.articles)
    statuses = {s: sum(p.status == s for p in comparison.articles) for s in ("modified", "inserted", "deleted", "moved")}
    renumbered = sum(p.renumbered for p in comparison.articles)
    whole_time, whole_ops = timed(lambda: diff_texts(old, new), args.runs)
    difflib_time, _ = timed(lambda: SequenceMatcher(None, old, new, autojunk=False).get_opcodes(), slow_runs)
    junk_time, _ = timed(lambda: SequenceMatcher(None, old, new).get_opcodes(), slow_runs)

    rows = [
        ("compare_laws (parse + align + per-article diff)", compare_time, article_marks),
        ("diff_texts whole text (paragraph -> char + cleanup)", whole_time, marked_chars(whole_ops)),
        ("difflib char-level, autojunk=False", difflib_time, opcode_marks(old, new, False)),
        ("difflib char-level, default autojunk", junk_time, opcode_marks(old, new, True)),
    ]
    print(f"regulation: {len(old):,} -> {len(new):,} characters, {len(articles)} -> {len(amended)} articles")
    print(f"edits: {EDITS} scattered + {len(NEW_ARTICLES)} inserted articles = {edited} characters actually edited")
    print(f"compare_laws found: {statuses}, renumbered {renumbered}")
    print()
    print(f"{'method':<52} {'median ms':>10} {'marked':>8} {'marked/edited':>14}")
    for name, seconds, marks in rows:
        print(f"{name:<52} {seconds * 1000:>10.1f} {marks:>8} {marks / edited:>13.2f}x")
    print()
    print("Whole-text methods also mark the renumbered 第X条 labels; compare_laws aligns them away.")
    print(f"targets: compare_laws <= 50 ms ({'met' if compare_time <= 0.05 else 'MISSED'}), "
          f"marked/edited <= 1.2 ({'met' if article_marks / edited <= 1.2 else 'MISSED'})")


if __name__ == "__main__":
    main()
