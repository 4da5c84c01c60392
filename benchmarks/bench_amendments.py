"""Benchmark of amendment impact (lib.impact): the work a new version of a law costs, without the database.

Run from the repository root: ``.venv/bin/python benchmarks/bench_amendments.py [--runs N] [--citations N]``.

For each pair of real versions in tests/data/amendments (反垄断法, 立法法, 行政复议法): the median time to align
the two versions and classify every provision (``compare_laws`` + ``provision_changes``), and the time to give a
status to N citations of the old version's articles and paragraphs (``citation_status``). Target: the whole
impact of one new version (alignment + 10,000 citations) under 1 s. The same work done by the scheduler's job in
a portal of the 150 laws, with the database and notifications: benchmarks/bench_amendment_job.py.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lib.align import compare_laws  # noqa: E402
from lib.impact import citation_status, provision_changes  # noqa: E402

DATA = ROOT / "tests" / "data" / "amendments"
LAWS = ["反垄断法", "立法法", "行政复议法"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--citations", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(21)
    worst = 0.0
    for law in LAWS:
        old = (DATA / f"{law}_old.md").read_text(encoding="utf-8")
        new = (DATA / f"{law}_new.md").read_text(encoding="utf-8")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            changes = provision_changes(compare_laws(old, new))
            times.append(time.perf_counter() - start)
        labels = sorted(changes.by_old)
        places = [rng.choice(labels) + rng.choice(["", "第一款", "第二款", "第一项"]) for _ in range(args.citations)]
        start = time.perf_counter()
        flagged = sum(1 for place in places if citation_status(changes, place) is not None)
        lookup = time.perf_counter() - start
        align = statistics.median(times)
        worst = max(worst, align + lookup)
        counts = changes.counts()
        print(f"{law}: 对齐与分类 {align * 1000:.1f} ms（修改 {counts['changed']}、条号变更 {counts['renumbered']}、"
              f"废止 {counts['repealed']}、新增 {counts['inserted']}）；{args.citations} 处引用判定 "
              f"{lookup * 1000:.1f} ms，其中受影响 {flagged} 处")
    print(f"最慢的一次新版本影响计算：{worst * 1000:.1f} ms（目标 < 1000 ms）")
    return 0 if worst < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
