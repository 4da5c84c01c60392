"""Benchmark of the citation finder (lib.citations) on real laws.

Run from the repository root: ``.venv/bin/python benchmarks/bench_citations.py [--runs N]``.

Every article line of the laws of the law corpus (tests/corpus/laws, 150 laws; tests/lawcorpus.py, LAW_CORPUS
overrides it) is searched for citations with a title index of all of
them, as a law page is rendered: own-document citations (本法第十条, bare 第十条) included. Printed:
lines, characters, citations found by kind, median time per run, characters per second, and the time
for the longest law (中华人民共和国刑法 when present), which bounds the cost a law page's citations add
to its rendering (target: ≤ 100 ms for 刑法).
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.citations import TitleIndex, find_citations  # noqa: E402
from lib.lawtext import parse_document  # noqa: E402
from tests.lawcorpus import law_files  # noqa: E402


def run(docs: dict, index: TitleIndex) -> collections.Counter:
    kinds: collections.Counter = collections.Counter()
    for title, doc in docs.items():
        for article in doc.articles():
            for line in article.paragraphs:
                for c in find_citations(line, index, own=title, own_bare=True, article=article.label):
                    kinds["本文件" if c.own else ("所持文件" if c.key is not None else "未持有")] += 1
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    docs = {}
    for path in law_files():
        doc = parse_document(path.read_text(encoding="utf-8"))
        docs.setdefault(doc.title, doc)
    index = TitleIndex([(title, title) for title in docs])
    lines = [line for doc in docs.values() for a in doc.articles() for line in a.paragraphs]
    chars = sum(map(len, lines))
    times, kinds = [], collections.Counter()
    for _ in range(args.runs):
        started = time.perf_counter()
        kinds = run(docs, index)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(f"法规 {len(docs)} 部，条文行 {len(lines)} 行，{chars} 字")
    print("识别引用：" + "，".join(f"{k} {v}" for k, v in sorted(kinds.items())) + f"，共 {sum(kinds.values())}")
    print(f"用时（中位数，{args.runs} 次）：{median * 1000:.0f} ms，{chars / median / 1e6:.2f} M 字/秒")
    longest = max(docs.values(), key=lambda d: sum(len(line) for a in d.articles() for line in a.paragraphs))
    started = time.perf_counter()
    for _ in range(args.runs):
        run({longest.title: longest}, index)
    print(f"最长的一部（{longest.title}）：{(time.perf_counter() - started) / args.runs * 1000:.1f} ms")


if __name__ == "__main__":
    main()
