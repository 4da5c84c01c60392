"""``benchmarks/bench_search.py --json`` prints one JSON object whose documented keys are all numbers
(issue 19): a tiny FTS5-only run on the small law corpus of tests/data/search."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEYS = ["docs", "load_start", "segment.mb_s", "segment.rjieba_mb_s", "segment.parallel_ratio", "fts5.p50_ms",
        "fts5.p95_ms", "fts5.max_ms", "fts5.index_mb_s", "fts5.index_docs_s", "fts5.like_speedup",
        "fts5.index_size_ratio", "fts5.rss_mb", "seconds"]


def test_bench_json_prints_one_object_with_numeric_stable_keys():
    env = {k: v for k, v in os.environ.items() if k not in ("OPENSEARCH_URL", "ELASTICSEARCH_URL")}
    run = subprocess.run([sys.executable, "benchmarks/bench_search.py", "--docs", "200", "--json", "--skip-pure",
                          "--processes", "2", "--corpus", "tests/data/search", "--like-queries", "3"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    figures = json.loads(run.stdout)  # the whole of stdout is the one object
    missing = [k for k in KEYS if k not in figures]
    assert not missing, missing
    assert all(isinstance(figures[k], int | float) and math.isfinite(figures[k]) for k in KEYS)
    assert figures["docs"] == 200 and figures["fts5.p50_ms"] <= figures["fts5.p95_ms"] <= figures["fts5.max_ms"]
    assert not any(k.startswith("opensearch.") for k in figures)  # FTS5 only without OPENSEARCH_URL
