"""Relevance of search on the issue 18 evaluation set: nDCG@10 per kind, for the dev and the held-out queries.

    .venv/bin/python benchmarks/bench_search_eval.py [--json] [--queries] [--kind KIND] [--part PART]
    make bench

Publishes every held law text (benchmarks/search_eval.held_law_files: demo/data/laws, tests/data, the
lexicon's 31 laws of tests/corpus/laws) as a public RegulationPage of a scratch portal database
(benchmarks/search_world.py), which the search signals index as the product does (FTS5 in the
database: the law and each of its articles).  Each query of the evaluation set is run twice:

- engine: the raw query as the engine parses it (``search.query.parse_query``), no understanding,
  no grouping — what search did before issue 18;
- service: ``search.service.search`` as an anonymous visitor, the function the search page and
  ``/api/search/`` call: query understanding, the cited article pinned, the fallback by concept
  coverage, the penalty boost, grouping by document and the automatic correction of typos.

The queries come in two parts (benchmarks/search_eval.py): ``dev``, looked at while tuning, and
``heldout``, written with their labels before any tuning and never tuned on.

Scores (gain 2^grade − 1, discount log2(rank + 1), over the first 10):

- article-level nDCG@10: the hits as listed (a grouped law followed by its articles beneath it); an
  article hit gains its label's grade, a whole-law hit the grade of the law's label with no article;
- doc-level nDCG@10: the hits collapsed to their law (first place kept), a law gaining the best grade
  of its labels; the ideal ranking is built from the labels the same way.

The figures are measured, not asserted: the benchmark fails only when it cannot run.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.search_eval import KINDS, PARTS, EvalQuery, held_law_files, load_eval  # noqa: E402

K = 10
FETCH = 100  # engine hits read per query: enough for 10 distinct laws after collapsing
PER_PAGE = 20  # the service's first page, as the search page shows it
Key = tuple[str, str | None]  # (law file, article or None for the whole law)


def _page_id(hit_id: str) -> int:
    return int(hit_id.split(":", 1)[1].split("#", 1)[0].split("@", 1)[0])


class Engine:
    """The held laws published in a scratch portal; queries asked of the engine and of the service."""

    def __init__(self, laws: list[str]):
        from benchmarks.search_world import build_world  # reason: sets Django up on the scratch database

        started = time.perf_counter()
        self.world = build_world(laws)
        self.build_seconds = time.perf_counter() - started
        self.law_of_page = self.world.law_of_page
        self.index_seconds = self.world.index_seconds
        self.documents = self.stats().get("documents", 0)

    def stats(self) -> dict:
        from search import service  # reason: importable once Django is set up (build_world)

        return service.stats()

    def key(self, hit_id: str, article: str | None) -> Key:
        return self.law_of_page[_page_id(hit_id)], article or None

    def before(self, raw: str) -> list[Key]:
        from search import service  # reason: importable once Django is set up (build_world)
        from search.query import parse_query  # reason: as above

        hits = service.get_backend().search(parse_query(raw), service.filters_for(self.world.viewer), limit=FETCH).hits
        return [self.key(h.id, (h.fields.get("extra") or {}).get("article")) for h in hits]

    def after(self, raw: str) -> list[Key]:
        from search import service  # reason: importable once Django is set up (build_world)

        page = service.search(self.world.viewer, raw, per_page=PER_PAGE)
        return [self.key(r.id, r.anchor if r.kind == "article" else None) for r in page.flat_results]

    def close(self) -> None:
        from benchmarks.search_world import remove_world  # reason: as in __init__

        remove_world()


def dcg(gains: list[int]) -> float:
    return sum((2 ** g - 1) / math.log2(rank + 2) for rank, g in enumerate(gains[:K]))


def ndcg(gains: list[int], ideal: list[int]) -> float:
    best = dcg(sorted(ideal, reverse=True))
    return dcg(gains) / best if best else 0.0


def article_ndcg(q: EvalQuery, ranked: list[Key]) -> float:
    grades: dict[Key, int] = {}
    for lab in q.labels:
        grades[(lab.law, lab.article)] = max(grades.get((lab.law, lab.article), 0), lab.grade)
    return ndcg([grades.get(key, 0) for key in ranked[:K]], list(grades.values()))


def doc_ndcg(q: EvalQuery, ranked: list[Key]) -> float:
    grades: dict[str, int] = {}
    for lab in q.labels:
        grades[lab.law] = max(grades.get(lab.law, 0), lab.grade)
    laws = list(dict.fromkeys(law for law, _article in ranked))
    return ndcg([grades.get(law, 0) for law in laws[:K]], list(grades.values()))


def evaluate(engine: Engine, queries: list[EvalQuery]) -> list[dict]:
    """Return one row per query: its id, part, kind, text and the four scores."""
    rows = []
    for q in queries:
        before, after = engine.before(q.query), engine.after(q.query)
        rows.append({"id": q.id, "part": q.part, "kind": q.kind, "query": q.query,
                     "doc_before": doc_ndcg(q, before), "doc_after": doc_ndcg(q, after),
                     "article_before": article_ndcg(q, before), "article_after": article_ndcg(q, after)})
    return rows


SCORES = ("doc_before", "doc_after", "article_before", "article_after")


def summary(rows: list[dict]) -> dict:
    """Return {"kinds": {kind: {queries, doc_before, …}}, "all": {…}}: means of the rows' scores."""
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)

    def mean(group: list[dict]) -> dict:
        return {"queries": len(group), **{s: round(sum(r[s] for r in group) / len(group), 4) for s in SCORES}}

    return {"kinds": {kind: mean(by_kind[kind]) for kind in KINDS if by_kind[kind]}, "all": mean(rows) if rows else {}}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (stable keys)")
    parser.add_argument("--queries", action="store_true", help="also print every query's scores")
    parser.add_argument("--kind", choices=KINDS, help="run the queries of one kind only")
    parser.add_argument("--part", choices=PARTS, help="run the queries of one part only")
    args = parser.parse_args(argv)

    queries = [q for q in load_eval((args.part,) if args.part else PARTS) if args.kind in (None, q.kind)]
    started = time.perf_counter()
    engine = Engine(held_law_files())
    try:
        rows = evaluate(engine, queries)
    finally:
        engine.close()
    parts = {part: summary([r for r in rows if r["part"] == part]) for part in PARTS if any(r["part"] == part for r in rows)}
    result = {"k": K, "laws": len(engine.law_of_page), "documents": engine.documents,
              "index_seconds": round(engine.index_seconds, 2), "seconds": round(time.perf_counter() - started, 2),
              "parts": parts}
    if args.queries:
        result["per_query"] = [{**r, **{s: round(r[s], 4) for s in SCORES}} for r in rows]
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"检索评测集：{len(queries)} 个查询，{result['laws']} 部法规发布为页面（{result['documents']} 个索引文档，"
          f"发布并建索引 {result['index_seconds']} 秒，共 {result['seconds']} 秒）")
    print(f"nDCG@{K}，前 = 引擎原样查询（无查询理解、不分组），后 = search.service.search（检索页与 /api/search/ 所用，匿名访客）")
    for part, figures in parts.items():
        print(f"[{part}]{'（调优时可见）' if part == 'dev' else '（调优前写定，从未用于调优）'}")
        print(f"{'类型':<12}{'查询数':>6}{'文档级 前':>12}{'文档级 后':>12}{'条文级 前':>12}{'条文级 后':>12}")
        for kind, s in [*figures["kinds"].items(), ("all", figures["all"])]:
            print(f"{kind:<12}{s['queries']:>6}" + "".join(f"{s[name]:>14.3f}" for name in SCORES))
    if args.queries:
        for r in result["per_query"]:
            print(f"  {r['id']:<16}" + "".join(f"{r[s]:>7.2f}" for s in SCORES) + f"  {r['query']}")


if __name__ == "__main__":
    main(sys.argv[1:])
