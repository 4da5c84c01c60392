"""Measure segmentation throughput and query time on real law texts.

    .venv/bin/python -m search.benchmark [--corpus DIR] [--processes N] [--skip-pure]

Prints MB/s (UTF-8 input bytes per second, wall clock) for: pure-Python jieba, rjieba alone, the
indexing pipeline in one process (``segment_for_fts``) and across all cores (``segment_many``);
then indexes every law and article into an in-memory FTS5 index and times typical queries.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import statistics
import time
from pathlib import Path

from search import segment

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "laws"
QUERIES = ["食品安全法", "行政处罚", "联席会议", "执法联席", '"责令改正"', "住建局 罚款", "城管 OR 环保局 -警告",
           "标题:条例 年份:2019-2021", "没收违法所得 并处罚款", '"未取得食品生产经营许可从事食品生产经营活动"']


def _rate(nbytes: int, func) -> str:
    """Return "W MB/s (CPU: C MB/s)" for ``func()`` over ``nbytes`` of input, best of two runs.

    W is wall-clock throughput; C divides by the CPU seconds spent (this process and finished
    children), which stays meaningful when other jobs share the machine.
    """
    best_wall = best_cpu = float("inf")
    for _ in range(2):
        before, start = os.times(), time.perf_counter()
        func()
        wall, after = time.perf_counter() - start, os.times()
        cpu = sum(after[i] - before[i] for i in range(4))  # user + system, self + children
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
    return f"{nbytes / 1e6 / best_wall:.2f} MB/s（CPU 时间折算 {nbytes / 1e6 / max(best_cpu, 1e-9):.2f} MB/s）"


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print one line per measurement."""
    parser = argparse.ArgumentParser(description="分词与检索性能测试")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--skip-pure", action="store_true", help="不测纯 Python jieba（较慢）")
    args = parser.parse_args(argv)
    files = sorted(args.corpus.glob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    nbytes = sum(len(t.encode()) for t in texts)
    paragraphs = [p for t in texts for p in t.splitlines() if p.strip()]
    print(f"语料：{len(files)} 个文件，{nbytes / 1e6:.2f} MB，{len(paragraphs)} 段")

    if not args.skip_pure:
        import jieba

        jieba.setLogLevel(60)
        pure = jieba.Tokenizer()
        pure.initialize()
        pure.load_userdict(str(segment.USERDICT_PATH))
        print(f"纯 Python jieba cut_for_search：{_rate(nbytes, lambda: [pure.lcut_for_search(p) for p in paragraphs])}")
    try:
        import rjieba  # noqa: F401
    except ImportError:
        print("rjieba 未安装")
    else:
        fast = segment.get_segmenter()
        print(f"rjieba cut_for_search：{_rate(nbytes, lambda: [fast.cut_for_search(p) for p in paragraphs])}")
    info = segment.segmenter_info()
    print(f"索引流水线（单进程，{info['engine']}）：{_rate(nbytes, lambda: [segment.segment_for_fts(t) for t in texts])}")
    workers = args.processes or os.cpu_count() or 1
    rate = _rate(nbytes, lambda: segment.segment_many(texts, processes=workers, min_parallel_bytes=0))
    print(f"索引流水线（segment_many，{workers} 进程）：{rate}")

    from search.backends.base import IndexDoc
    from search.backends.fts5 import FTS5Backend
    from search.query import parse_query

    backend = FTS5Backend(connection=sqlite3.connect(":memory:", isolation_level=None))
    docs = []
    for n, text in enumerate(texts, start=1):
        title = text.splitlines()[0].lstrip("# ").strip()
        body = text.split("<!-- INFO END -->", 1)[-1]
        docs.append(IndexDoc(id=f"law:{n}", page_id=n, title=title, body=body, validity="现行有效"))
        for number, article in re.findall(r"^(第[一二三四五六七八九十百千零〇]+条)(.*)$", body, re.M):
            docs.append(IndexDoc(id=f"law:{n}#{number}", page_id=n, title=f"{title} {number}", body=number + article,
                                 validity="现行有效"))
    start = time.perf_counter()
    backend.index_documents(docs)
    print(f"建立索引：{len(docs)} 篇文档 {time.perf_counter() - start:.1f} s")
    timings = []
    for raw in QUERIES:
        for _ in range(3):
            start = time.perf_counter()
            results = backend.search(parse_query(raw), limit=20, facets=["category", "department", "validity", "year"])
            timings.append((time.perf_counter() - start) * 1000)
        print(f"  {raw}：{results.count} 条，{timings[-1]:.1f} ms")
    print(f"检索（20 条 + 4 个分面 + 摘要）：中位数 {statistics.median(timings):.1f} ms，最大 {max(timings):.1f} ms")


if __name__ == "__main__":
    main()
