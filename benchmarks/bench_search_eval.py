"""Relevance of search on the issue 18 evaluation set: nDCG@10 per kind, before and after query understanding.

    .venv/bin/python benchmarks/bench_search_eval.py [--json] [--queries] [--kind KIND]
    make bench

Indexes every held law text (benchmarks/search_eval.held_law_files: demo/data/laws, tests/data, the
lexicon's 31 laws of tests/corpus/laws), one document per law and one per article (tests/search/lawdocs.py), in an
in-memory FTS5 backend, as tests/search/test_lexicon.py does.  Each query of
benchmarks/data/search_eval.json is run twice:

- before: the raw query as the engine parses it (``search.query.parse_query``), no understanding;
- after: the query the service runs (``search.understanding.prepare`` with the held titles, their
  pinyin and the file's lexicon), the cited article put first as ``search.service`` pins it.

Scores (gain 2^grade − 1, discount log2(rank + 1), over the first 10):

- article-level nDCG@10: the hits as ranked; an article hit gains its label's grade, a whole-law hit
  the grade of the law's label with no article (known-item queries);
- doc-level nDCG@10: the hits collapsed to their law (first place kept), a law gaining the best grade
  of its labels; the ideal ranking is built from the labels the same way.

The figures are measured, not asserted: the benchmark fails only when it cannot run.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.search_eval import KINDS, ROOT, EvalQuery, held_law_files, load_eval  # noqa: E402
from lib.citations import TitleIndex  # noqa: E402
from search.backends.base import Filters  # noqa: E402
from search.backends.fts5 import FTS5Backend  # noqa: E402
from search.query import parse_query  # noqa: E402
from search.understanding.lexicon import Lexicon  # noqa: E402
from search.understanding.pinyin import PinyinTitles  # noqa: E402
from search.understanding.prepare import prepare, provision_hit  # noqa: E402
from tests.search.lawdocs import law_docs, parse_law  # noqa: E402

K = 10
FETCH = 100  # hits read per query: enough for 10 distinct laws after collapsing
Key = tuple[str, str | None]  # (law file, article or None for the whole law)


class Engine:
    """The held laws in an in-memory FTS5 index, with the titles and pinyin the service would pass."""

    def __init__(self, laws: list[str]):
        paths = sorted(ROOT / law for law in laws)  # law_docs numbers the pages in this order
        self.law_of_page = {n: str(p.relative_to(ROOT)) for n, p in enumerate(paths, start=1)}
        self.backend = FTS5Backend(connection=sqlite3.connect(":memory:", isolation_level=None))
        started = time.perf_counter()
        self.documents = self.backend.index_documents(law_docs(paths))
        self.index_seconds = time.perf_counter() - started
        titles = [parse_law(p)[0] for p in paths]
        self.titles = TitleIndex([(t, n) for n, t in enumerate(titles, start=1)])
        self.pinyin = PinyinTitles(titles)
        self.lexicon = Lexicon()

    def key(self, hit) -> Key:
        law = self.law_of_page[int(hit.fields.get("page_id") or hit.id.split(":")[1].split("#")[0])]
        return law, (hit.id.split("#", 1)[1] if "#" in hit.id else None)

    def before(self, raw: str) -> list[Key]:
        return [self.key(h) for h in self.backend.search(parse_query(raw), Filters(), limit=FETCH).hits]

    def after(self, raw: str) -> list[Key]:
        prepared = prepare(raw, titles=self.titles, pinyin=self.pinyin, lexicon=self.lexicon)
        hits = self.backend.search(prepared.query, Filters(), limit=FETCH).hits
        provision = prepared.understood.provision
        if provision is not None:  # as search.service._pin_provision: the cited article first
            pinned = provision_hit(self.backend, provision, Filters())
            if pinned is not None:
                hits = [pinned, *(h for h in hits if h.id != pinned.id)]
        return [self.key(h) for h in hits]

    def close(self) -> None:
        self.backend.close()


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
    """Return one row per query: its id, kind, text and the four scores."""
    rows = []
    for q in queries:
        before, after = engine.before(q.query), engine.after(q.query)
        rows.append({"id": q.id, "kind": q.kind, "query": q.query,
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

    return {"kinds": {kind: mean(by_kind[kind]) for kind in KINDS if by_kind[kind]}, "all": mean(rows)}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (stable keys)")
    parser.add_argument("--queries", action="store_true", help="also print every query's scores")
    parser.add_argument("--kind", choices=KINDS, help="run the queries of one kind only")
    args = parser.parse_args(argv)

    queries = [q for q in load_eval() if args.kind in (None, q.kind)]
    started = time.perf_counter()
    engine = Engine(held_law_files())
    try:
        rows = evaluate(engine, queries)
    finally:
        engine.close()
    result = {"k": K, "laws": len(engine.law_of_page), "documents": engine.documents,
              "index_seconds": round(engine.index_seconds, 2), "seconds": round(time.perf_counter() - started, 2),
              **summary(rows)}
    if args.queries:
        result["per_query"] = [{**r, **{s: round(r[s], 4) for s in SCORES}} for r in rows]
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    print(f"检索评测集：{len(queries)} 个查询，{result['laws']} 部法规（{result['documents']} 个索引文档，"
          f"建索引 {result['index_seconds']} 秒，共 {result['seconds']} 秒）")
    print(f"nDCG@{K}，前 = 原样查询，后 = 经查询理解（search.understanding.prepare）")
    print(f"{'类型':<12}{'查询数':>6}{'文档级 前':>12}{'文档级 后':>12}{'条文级 前':>12}{'条文级 后':>12}")
    for kind, s in [*result["kinds"].items(), ("all", result["all"])]:
        print(f"{kind:<12}{s['queries']:>6}" + "".join(f"{s[name]:>14.3f}" for name in SCORES))
    if args.queries:
        for r in result["per_query"]:
            print(f"  {r['id']:<14}" + "".join(f"{r[s]:>7.2f}" for s in SCORES) + f"  {r['query']}")


if __name__ == "__main__":
    main(sys.argv[1:])
