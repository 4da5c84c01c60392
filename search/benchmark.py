"""Measure the search engine: segmentation, reindex rate, query latency against a LIKE scan, sizes, memory.

    .venv/bin/python -m search.benchmark [--docs N] [--queries N] [--like-queries N] [--skip-pure]
    make bench

One run reports:

1. segmentation throughput (MB/s of UTF-8 input) on the law corpus: pure-Python jieba search mode,
   rjieba alone, the indexing pipeline (``segment_for_fts``: normalisation + rjieba) in one process
   and across all cores (``segment_many`` with a forked pool), with the ratio of the two;
2. reindex rate: N synthetic documents of ~1,500 characters cut from real law text (the law
   corpus tests/corpus/laws, else the laws in tests/data/search), indexed into an
   FTS5 index file in batches (segmentation + SQLite writes), in docs/s and MB/s;
3. index size against raw text size (the FTS5 inverted index, the stored segmented text, the file);
4. query latency, p50 / p95 over ≥ 200 mixed queries (words, phrases copied from the texts, OR,
   exclusions, field filters, 发文字号, titles), with a staff scope filter, 4 facets, 20 hits and
   snippets — measured in a fresh process that only opens the index, like a web worker, whose peak
   RSS is reported; then a ranked ``LIKE '%…%'`` scan over the same rows on a sample of the same
   queries (a full scan per query: a sample keeps the run short);
5. peak RSS of the benchmark process and of its pool workers.

The default size is the issue's: 100,000 documents (several minutes on a 2-core machine);
``--docs 20000`` gives a quicker run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import jieba

from search import segment
from search.backends.base import FACET_FIELDS, Filters, IndexDoc
from search.backends.fts5 import FTS5Backend
from search.query import parse_query

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "tests" / "corpus" / "laws"  # the repository's copy of the 150-law corpus
FALLBACK_CORPUS = ROOT / "tests" / "data" / "search"
DOC_CHARS = 1500
BATCH = 5000
# Member units of 周政办字〔2018〕18号 二（四）1, in its words.
DEPARTMENTS = [("区综合行政执法局", "ZFA"), ("区住建局", "ZJB"), ("区工商局", "SCJ"),
               ("区环保分局", "HBJ"), ("区公安分局", "GAJ"), ("区政府法制办", "FZB")]
CATEGORIES = ["laws", "decisions", "penalties", "statistics", "discretion", "workflows", "inspections", "complaints",
              "other"]
SCOPES = ["public"] * 5 + ["shared"] * 3 + ["internal", "private"]
VALIDITIES = ["in_force"] * 7 + ["revised", "abolished", "pending"]
STAFF = {"allowed_scopes": ("公开", "共享", "部门内部"), "viewer_department": "ZFA"}


def _cpu_seconds() -> float:
    """CPU seconds of this process (every thread: ``time.process_time``, nanosecond clock) plus those of
    its finished children (``RUSAGE_CHILDREN``, microseconds): the pool workers of ``segment_many``.

    ``os.times()`` counts in clock ticks (10 ms), so a run of a few ms of native code read as 0 s —
    the old "CPU 时间折算 166450000 MB/s" line for rjieba on the small fallback corpus."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _rate(nbytes: int, func, min_seconds: float = 0.5) -> tuple[float, float | None]:
    """Return (wall MB/s, CPU MB/s) for ``func()`` over ``nbytes`` of input, best of ≥ 2 runs.

    Runs are repeated until ``min_seconds`` of wall time have passed, so a short input still gives a
    measurable CPU time.  CPU MB/s divides by the CPU seconds spent (this process's threads and its
    finished children), which stays meaningful when other jobs share the machine; it is None when the
    CPU time is under 5 ms (too short for the clocks to say anything).
    """
    best_wall = best_cpu = float("inf")
    runs, began = 0, time.perf_counter()
    while runs < 2 or (time.perf_counter() - began < min_seconds and runs < 20):
        cpu_before, start = _cpu_seconds(), time.perf_counter()
        func()
        wall, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_before
        best_wall, best_cpu = min(best_wall, wall), min(best_cpu, cpu)
        runs += 1
    return nbytes / 1e6 / best_wall, (nbytes / 1e6 / best_cpu if best_cpu >= 0.005 else None)


def _rate_text(rate: tuple[float, float | None]) -> str:
    wall, cpu = rate
    return f"{wall:.2f} MB/s（CPU 时间折算 {cpu:.2f} MB/s）" if cpu else f"{wall:.2f} MB/s（CPU 时间太短，不折算）"


def load_corpus(folder: Path) -> list[tuple[str, str]]:
    """Return (title, body) of every law file in ``folder``."""
    laws = []
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        title = text.splitlines()[0].lstrip("# ").strip()
        body = "\n".join(line for line in text.split("<!-- INFO END -->", 1)[-1].splitlines()
                         if line.strip() and not line.startswith("#"))
        laws.append((title, body))
    return laws


def synthetic_docs(laws: list[tuple[str, str]], count: int, seed: int = 7):
    """Yield ``count`` IndexDocs of ~1,500 characters: consecutive paragraphs of a random law, so each
    reads like real law text; titles, 文号 and metadata drawn at random."""

    rng = random.Random(seed)
    paragraphs = [(title, [p for p in body.splitlines() if len(p) > 10]) for title, body in laws]
    paragraphs = [(t, ps) for t, ps in paragraphs if ps]
    for n in range(1, count + 1):
        title, paras = rng.choice(paragraphs)
        start = rng.randrange(len(paras))
        parts, size = [], 0
        while size < DOC_CHARS:
            piece = paras[(start + len(parts)) % len(paras)]
            parts.append(piece)
            size += len(piece)
        body = "\n".join(parts)[: DOC_CHARS + 200]
        department, code = rng.choice(DEPARTMENTS)
        year = rng.randrange(2000, 2027)
        yield IndexDoc(
            id=f"page:{n}", page_id=n, url=f"/docs/{n}/", title=f"{title}（{n}）" if n % 3 else title,
            doc_number=f"周综执〔{year}〕{n % 400 + 1}号", body=body, category=rng.choice(CATEGORIES),
            department=department, owner_department=code, validity=rng.choice(VALIDITIES), scope=rng.choice(SCOPES),
            date=__import__("datetime").date(year, rng.randrange(1, 13), rng.randrange(1, 29)))


def mixed_queries(laws: list[tuple[str, str]], count: int, seed: int = 11) -> list[str]:
    """Return ``count`` queries of the kinds people type: dictionary words, two words, phrases copied
    from the texts (quoted or not), titles, OR, exclusions, field filters and 发文字号."""
    rng = random.Random(seed)
    words = [line.split()[0] for line in segment.USERDICT_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    words = [w for w in words if 2 <= len(w) <= 8]
    clauses = [c for _t, body in laws for c in re.split(r"[，。；：、（）\s]", body) if 8 <= len(c) <= 20]
    titles = [t for t, _b in laws]
    kinds = [
        lambda: rng.choice(words),
        lambda: f"{rng.choice(words)} {rng.choice(words)}",
        lambda: rng.choice(clauses),
        lambda: f'"{rng.choice(clauses)}"',
        lambda: re.sub(r"^中华人民共和国", "", rng.choice(titles)),
        lambda: f"{rng.choice(words)} OR {rng.choice(words)}",
        lambda: f"{rng.choice(words)} -{rng.choice(words)}",
        lambda: f"标题:{rng.choice(words)} 年份:{rng.randrange(2005, 2026)}",
        lambda: f"周综执〔{rng.randrange(2000, 2027)}〕{rng.randrange(1, 400)}号",
        lambda: f"{rng.choice(words)} 部门:住建局",
    ]
    return [kinds[n % len(kinds)]() for n in range(count)]


def like_search(conn: sqlite3.Connection, raw: str, limit: int = 20) -> tuple[int, list]:
    """Return (count, top rows) of a ranked LIKE scan in one pass over the rows: every word must
    occur in title or body; score = 10 × title matches + body matches; newest first on ties; the
    same scope filter as the FTS5 queries."""
    words = [w for w in re.split(r"\s+", re.sub(r"[\"“”]|标题:|年份:\S+|部门:\S+|-\S+|\bOR\b", " ", raw)) if w]
    if not words:
        return 0, []
    conditions, score, params = [], [], []
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
        score.append("(title LIKE ? ESCAPE '\\') * 10 + (body LIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    scope = "(scope IN ('公开', '共享') OR (scope = '部门内部' AND owner_department = 'ZFA'))"
    rows = conn.execute(f"SELECT rowid, {' + '.join(score)} AS s, date FROM searchidx_doc "
                        f"WHERE {' AND '.join(conditions + [scope])}", params + params).fetchall()
    rows.sort(key=lambda r: r[2] or "", reverse=True)
    rows.sort(key=lambda r: -r[1])
    return len(rows), rows[:limit]


def _percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"p50 {statistics.median(ms):.1f} ms，p95 {p95:.1f} ms，最大 {ms[-1]:.1f} ms（{len(ms)} 个查询）"


def peak_rss_kb() -> int:
    """Return this process's peak resident set size in kB (VmHWM: since its own exec, unlike
    ru_maxrss, which a child started by fork + exec inherits from its parent)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _size(conn: sqlite3.Connection, table_prefix: str) -> int:
    return conn.execute("SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE ?", (table_prefix + "%",)).fetchone()[0]


def _ms_stats(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return {"p50_ms": round(statistics.median(ms), 2), "p95_ms": round(p95, 2), "max_ms": round(ms[-1], 2)}


def segmentation(texts: list[str], paragraphs: list[str], workers: int, pure: bool, say) -> dict[str, float]:
    """Measure the segmenters on the corpus; return the ``segment.*`` figures."""
    out: dict[str, float] = {}
    nbytes = sum(len(t.encode()) for t in texts)
    if pure:
        jieba.setLogLevel(60)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        tokenizer.load_userdict(str(segment.USERDICT_PATH))
        sample = paragraphs[: len(paragraphs) // 4]  # a quarter of the corpus: pure jieba is slow
        rate = _rate(sum(len(p.encode()) for p in sample), lambda: [tokenizer.lcut_for_search(p) for p in sample], 0)
        out["segment.jieba_mb_s"] = round(rate[0], 3)
        say(f"分词·纯 Python jieba cut_for_search（语料的 1/4）：{_rate_text(rate)}")
        del tokenizer
    fast = segment.get_segmenter()
    if fast.engine == "rjieba":
        rate = _rate(nbytes, lambda: [fast.cut_for_search(p) for p in paragraphs])
        out["segment.rjieba_mb_s"] = round(rate[0], 3)
        say(f"分词·rjieba cut_for_search：{_rate_text(rate)}")
    else:
        say("分词·rjieba 未安装")
    info = segment.segmenter_info()
    rate = _rate(nbytes, lambda: [segment.segment_for_fts(t) for t in texts])
    out["segment.mb_s"] = round(rate[0], 3)
    out["segment.cpu_mb_s"] = round(rate[1] or 0.0, 3)
    say(f"分词·索引流水线（单进程，{info['engine']}，含词典 {info['userdict_entries']} 条）：{_rate_text(rate)}")
    if workers > 1:
        rate = _rate(nbytes, lambda: segment.segment_many(texts, processes=workers, min_parallel_bytes=0))
        out["segment.parallel_mb_s"] = round(rate[0], 3)
        out["segment.parallel_ratio"] = round(rate[0] / out["segment.mb_s"], 3)
        say(f"分词·索引流水线（segment_many，{workers} 进程，强制开进程）：{_rate_text(rate)}；"
            f"是单进程的 {out['segment.parallel_ratio']:.2f} 倍（不足 2 MB 的批次 segment_many 在本进程内分词）")
    out["segment.processes"] = workers
    out["fts5.index_processes"] = segment.DEFAULT_PROCESSES
    return out


def time_queries(backend, queries: list[str]) -> tuple[list[float], list[int]]:
    """Warm up on 10 queries, then time each one (staff scope, 4 facets, 20 hits with snippets)."""
    staff = Filters(**STAFF)
    for raw in queries[:10]:  # warm-up: segmenter loaded, pages cached
        backend.search(parse_query(raw), staff, facets=FACET_FIELDS)
    timings, counts = [], []
    for raw in queries:
        start = time.perf_counter()
        results = backend.search(parse_query(raw), staff, limit=20, facets=FACET_FIELDS)
        timings.append((time.perf_counter() - start) * 1000)
        counts.append(results.count)
    return timings, counts


def query_worker(index_path: str, queries_path: str) -> None:
    """Run in a fresh process: open the index, warm up, time every query; print JSON on stdout."""
    queries = json.loads(Path(queries_path).read_text(encoding="utf-8"))
    timings, counts = time_queries(FTS5Backend(path=index_path), queries)
    print(json.dumps({"timings": timings, "counts": counts, "rss_kb": peak_rss_kb()}))


def bench_fts5(laws, docs: int, queries: list[str], like_queries: int, workdir: Path, say) -> dict[str, float]:
    """Reindex ``docs`` synthetic documents into a fresh FTS5 file, measure sizes, queries, LIKE."""
    out: dict[str, float] = {}
    index_path = workdir / "search.sqlite3"
    backend = FTS5Backend(path=index_path)
    backend.conn.execute("PRAGMA synchronous=OFF")
    raw_chars = raw_bytes = written = 0
    start = time.perf_counter()
    batch = []
    for doc in synthetic_docs(laws, docs):
        raw_chars += len(doc.body) + len(doc.title)
        raw_bytes += len(doc.body.encode()) + len(doc.title.encode())
        batch.append(doc)
        if len(batch) >= BATCH:
            written += backend.index_documents(batch)
            batch = []
    written += backend.index_documents(batch)
    backend.optimize()  # as ``reindex`` does at the end of a rebuild
    seconds = time.perf_counter() - start
    out.update({"fts5.index_seconds": round(seconds, 2), "fts5.index_docs_s": round(written / seconds, 1),
                "fts5.index_mb_s": round(raw_bytes / 1e6 / seconds, 3), "raw_mb": round(raw_bytes / 1e6, 2)})
    say(f"重建索引·FTS5：{written} 篇合成文档（每篇约 {DOC_CHARS} 字，共 {raw_chars / 1e6:.1f} 百万字，"
        f"{raw_bytes / 1e6:.1f} MB），{seconds:.1f} s，{written / seconds:.0f} 篇/秒，{raw_bytes / 1e6 / seconds:.2f} MB/s"
        f"（segment_many {segment.DEFAULT_PROCESSES} 进程分词 + SQLite 写入）")

    backend.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    fts = _size(backend.conn, "searchidx_fts")
    seg = backend.conn.execute("SELECT SUM(length(CAST(title_seg AS BLOB)) + length(CAST(body_seg AS BLOB)) + "
                               "length(CAST(keywords_seg AS BLOB)) + length(CAST(doc_number_seg AS BLOB))) "
                               "FROM searchidx_doc").fetchone()[0] or 0
    total = index_path.stat().st_size
    out.update({"fts5.index_size_ratio": round(fts / raw_bytes, 3), "fts5.file_size_ratio": round(total / raw_bytes, 3)})
    say(f"索引大小·FTS5：原文 {raw_bytes / 1e6:.1f} MB；倒排索引 {fts / 1e6:.1f} MB（{fts / raw_bytes:.2f}× 原文）；"
        f"分词文本只存一份 {seg / 1e6:.1f} MB（外部内容表，不在 FTS5 中重复）；"
        f"整个索引文件（含原文与元数据）{total / 1e6:.1f} MB（{total / raw_bytes:.2f}×）")
    backend.close()

    queries_path = workdir / "queries.json"
    queries_path.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    stdout = subprocess.run([sys.executable, "-m", "search.benchmark", "--worker", str(index_path), str(queries_path)],
                            capture_output=True, text=True, check=True, cwd=ROOT).stdout
    result = json.loads(stdout.strip().splitlines()[-1])
    out.update({f"fts5.{k}": v for k, v in _ms_stats(result["timings"]).items()})
    out["fts5.matched"] = sum(1 for c in result["counts"] if c)
    out["fts5.rss_mb"] = round(result["rss_kb"] / 1024, 1)
    say(f"检索·FTS5（共享范围过滤 + 4 个分面 + 20 条摘要）：{_percentiles(result['timings'])}；"
        f"{out['fts5.matched']}/{len(queries)} 个查询有结果")
    say(f"检索进程峰值内存（RSS，相当于一个 Web 进程）：{out['fts5.rss_mb']:.0f} MB")

    conn = sqlite3.connect(str(index_path))
    sample = random.Random(3).sample(range(len(queries)), min(like_queries, len(queries)))
    like_ms, fts_ms = [], []
    for n in sample:
        start = time.perf_counter()
        like_search(conn, queries[n])
        like_ms.append((time.perf_counter() - start) * 1000)
        fts_ms.append(result["timings"][n])
    conn.close()
    out["fts5.like_p50_ms"] = round(statistics.median(like_ms), 2)
    out["fts5.like_speedup"] = round(statistics.median(like_ms) / max(statistics.median(fts_ms), 1e-6), 1)
    say(f"检索·带排序的 LIKE '%…%' 全表扫描（同一批行，抽样 {len(sample)} 个查询）：{_percentiles(like_ms)}")
    say(f"  同样 {len(sample)} 个查询 FTS5：{_percentiles(fts_ms)}；中位数快 {out['fts5.like_speedup']:.0f} 倍")
    return out


def bench_opensearch(url: str, laws, docs: int, queries: list[str], say) -> dict[str, float]:
    """Rebuild the same documents into a fresh index on the cluster at ``url``, time the same queries,
    then delete the index."""
    from search.backends.elastic import ElasticsearchBackend  # reason: only this part needs elasticsearch.dsl

    backend = ElasticsearchBackend(url, index=f"bench-{os.getpid()}", product="opensearch", refresh=False,
                                   timeout=120)
    out: dict[str, float] = {}
    try:
        backend.drop_indices()
        raw_bytes = sum(len(d.body.encode()) + len(d.title.encode()) for d in synthetic_docs(laws, docs))
        start = time.perf_counter()
        written = backend.rebuild(synthetic_docs(laws, docs), batch=BATCH)
        seconds = time.perf_counter() - start
        stats = backend.client.raw.indices.stats(index=backend.alias, metric="store")
        store = stats["_all"]["primaries"]["store"]["size_in_bytes"]
        out.update({"opensearch.index_seconds": round(seconds, 2), "opensearch.index_docs_s": round(written / seconds, 1),
                    "opensearch.index_mb_s": round(raw_bytes / 1e6 / seconds, 3),
                    "opensearch.store_size_ratio": round(store / raw_bytes, 3)})
        say(f"重建索引·OpenSearch（3 节点）：{written} 篇，{seconds:.1f} s，{written / seconds:.0f} 篇/秒，"
            f"{raw_bytes / 1e6 / seconds:.2f} MB/s；主分片存储 {store / 1e6:.1f} MB（{store / raw_bytes:.2f}× 原文，含 _source）")
        timings, counts = time_queries(backend, queries)
        out.update({f"opensearch.{k}": v for k, v in _ms_stats(timings).items()})
        out["opensearch.matched"] = sum(1 for c in counts if c)
        say(f"检索·OpenSearch（同样的查询、范围过滤、分面与摘要）：{_percentiles(timings)}；"
            f"{out['opensearch.matched']}/{len(queries)} 个查询有结果")
    finally:
        backend.drop_indices()
        backend.close()
    return out


def start_cluster(state: Path) -> str:
    """Start a 3-node cluster of our own with scripts/search_cluster.sh; return its OPENSEARCH_URL."""
    env = {**os.environ, "SEARCH_CLUSTER_STATE": str(state)}
    env.setdefault("SEARCH_CLUSTER_JAVA_OPTS", "-XX:TieredStopAtLevel=1")
    stdout = subprocess.run(["bash", str(ROOT / "scripts" / "search_cluster.sh"), "start"], env=env, check=True,
                            capture_output=True, text=True).stdout
    return next(line.split("=", 1)[1] for line in stdout.splitlines() if line.startswith("OPENSEARCH_URL="))


def stop_cluster(state: Path) -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "search_cluster.sh"), "stop"],
                   env={**os.environ, "SEARCH_CLUSTER_STATE": str(state)}, check=False, capture_output=True)


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (汉字 and full-width signs take two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


SIDE_BY_SIDE = [("重建索引（篇/秒）", "index_docs_s", "{:.0f}"), ("重建索引（MB/s）", "index_mb_s", "{:.2f}"),
                ("检索 p50（ms）", "p50_ms", "{:.1f}"), ("检索 p95（ms）", "p95_ms", "{:.1f}"),
                ("检索最大（ms）", "max_ms", "{:.1f}"), ("有结果的查询", "matched", "{:.0f}")]


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark; print one line per measurement, or with --json one JSON object."""
    parser = argparse.ArgumentParser(description="全文检索性能测试")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--docs", type=int, default=100_000, help="合成文档数（默认 100000，即议题规模；快速试跑可用 20000）")
    parser.add_argument("--queries", type=int, default=240, help="计时的混合查询数（≥200）")
    parser.add_argument("--like-queries", type=int, default=20, help="LIKE 全表扫描对照的查询数（抽样）")
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--skip-pure", action="store_true", help="不测纯 Python jieba（较慢）")
    parser.add_argument("--opensearch", action="store_true",
                        help="用 scripts/search_cluster.sh 启动自己的 3 节点 OpenSearch 集群，测完停止"
                             "（设置了 OPENSEARCH_URL 时直接用它）")
    parser.add_argument("--no-opensearch", action="store_true", help="只测 FTS5，忽略 OPENSEARCH_URL")
    parser.add_argument("--json", action="store_true", help="只输出一个 JSON 对象（键名固定）")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        query_worker(*args.worker)
        return
    say = (lambda line: None) if args.json else print
    started, load_start = time.perf_counter(), os.getloadavg()[0]
    corpus = args.corpus if args.corpus.is_dir() and any(args.corpus.glob("*.md")) else FALLBACK_CORPUS
    laws = load_corpus(corpus)
    texts = [body for _t, body in laws]
    paragraphs = [p for t in texts for p in t.splitlines() if p.strip()]
    say(f"语料：{corpus}，{len(laws)} 部法律法规，{sum(len(t.encode()) for t in texts) / 1e6:.2f} MB；"
        f"开始时负载 {load_start:.2f}（{os.cpu_count()} 核）")
    workers = args.processes or os.cpu_count() or 1
    if args.processes:  # the reindex below uses them too (segment_many's default otherwise)
        segment.DEFAULT_PROCESSES = args.processes
    out: dict[str, float] = {"docs": args.docs, "queries": max(200, args.queries), "cpus": os.cpu_count() or 1,
                             "load_start": round(load_start, 2)}
    out.update(segmentation(texts, paragraphs, workers, not args.skip_pure, say))

    queries = mixed_queries(laws, max(200, args.queries))
    tmp = tempfile.TemporaryDirectory(prefix="searchbench-")
    cluster_state = None
    try:
        out.update(bench_fts5(laws, args.docs, queries, args.like_queries, Path(tmp.name), say))
        url = "" if args.no_opensearch else os.environ.get("OPENSEARCH_URL", "")
        if args.opensearch and not url:
            cluster_state = Path(tmp.name) / "cluster"
            say("启动 3 节点 OpenSearch 集群（scripts/search_cluster.sh）…")
            url = start_cluster(cluster_state)
        if url:
            out.update(bench_opensearch(url, laws, args.docs, queries, say))
    finally:
        if cluster_state:
            stop_cluster(cluster_state)
        tmp.cleanup()

    own = peak_rss_kb() / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out.update({"rss_mb": round(own, 1), "seconds": round(time.perf_counter() - started, 1),
                "load_end": round(os.getloadavg()[0], 2)})
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return
    say(f"峰值内存：基准进程 {own:.0f} MB（流式生成文档，每批 {BATCH} 篇）；子进程中最大的 {children:.0f} MB")
    if "opensearch.p95_ms" in out:
        say("\n" + _pad("", 18) + "FTS5".rjust(12) + "OpenSearch".rjust(14))
        for label, key, fmt in SIDE_BY_SIDE:
            say(_pad(label, 18) + fmt.format(out["fts5." + key]).rjust(12) + fmt.format(out["opensearch." + key]).rjust(14))
    say(f"规模：{args.docs} 篇文档（议题规模 100000 篇）；总用时 {out['seconds']:.0f} s；"
        f"负载 {load_start:.2f} → {out['load_end']:.2f}（{os.cpu_count()} 核）")


if __name__ == "__main__":
    main()
