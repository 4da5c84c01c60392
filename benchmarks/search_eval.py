"""The search evaluation set of issue 18 (benchmarks/data/search_eval.json) and the law texts it points at.

A query has a kind (colloquial, question, legal, article, pinyin, typo, known) and graded labels: 3 = the
provision that answers it, 2 = the law that rules on it, 1 = related.  A label names a law file of the
repository (demo/data/laws, tests/data, the laws of tests/corpus/laws that tests/corpus/lexicon_laws.txt names:
real texts) and an article of it, or
none for the law as a whole, with a quote of at most 20 characters that the article (or the title) holds.
The set has two parts: ``dev`` (search_eval.json), the queries looked at while tuning, and ``heldout``
(search_eval_heldout.json), written with their labels before any tuning and never tuned on: its
figures stand for the staff queries nobody has seen.
Used by benchmarks/bench_search_eval.py and checked by tests/search/test_search_eval.py.  No Django.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tests.lawcorpus import lexicon_law_files
from tests.search.lawdocs import parse_law

ROOT = Path(__file__).resolve().parents[1]
EVAL_PATH = ROOT / "benchmarks" / "data" / "search_eval.json"
HELDOUT_PATH = ROOT / "benchmarks" / "data" / "search_eval_heldout.json"
PARTS = ("dev", "heldout")
LAW_FOLDERS = ("demo/data/laws", "tests/data/laws", "tests/data/search")  # and the lexicon's laws of tests/corpus
KINDS = ("colloquial", "question", "legal", "article", "pinyin", "typo", "known")
MAX_QUOTE = 20
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Label:
    law: str  # repository path of the law file
    article: str | None  # 第六十四条, or None: the law as a whole
    grade: int
    quote: str


@dataclass(frozen=True)
class EvalQuery:
    id: str
    kind: str
    query: str
    labels: tuple[Label, ...]
    part: str = "dev"


def load_part(path: Path, part: str) -> list[EvalQuery]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [EvalQuery(q["id"], q["kind"], q["query"], tuple(Label(**lab) for lab in q["labels"]), part)
            for q in data["queries"]]


def load_eval(parts: tuple[str, ...] = PARTS) -> list[EvalQuery]:
    """Return the queries of the given parts, dev first."""
    paths = {"dev": EVAL_PATH, "heldout": HELDOUT_PATH}
    return [q for part in parts if paths[part].is_file() for q in load_part(paths[part], part)]


def held_law_files() -> list[str]:
    """Return the repository paths of the held law files, one per file name (the first folder wins:
    tests/data repeats two laws of demo/data/laws)."""
    seen: dict[str, str] = {}
    for folder in LAW_FOLDERS:
        for path in sorted((ROOT / folder).glob("*.md")):
            seen.setdefault(path.name, f"{folder}/{path.name}")
    for path in sorted(lexicon_law_files()):
        seen.setdefault(path.name, path.relative_to(ROOT).as_posix())
    return sorted(seen.values())


def flat(text: str) -> str:
    return _SPACE.sub("", text)


def law_articles(law: str) -> tuple[str, dict[str, str]]:
    """Return (title, {article: text without whitespace}) of a law file; a number met twice (an
    article quoted in an amendment note) keeps its first text, as tests/search/lawdocs.py indexes it."""
    title, _body, articles = parse_law(ROOT / law)
    found: dict[str, str] = {}
    for number, text in articles:
        found.setdefault(number, flat(text))
    return title, found


def label_problems(queries: list[EvalQuery]) -> list[str]:
    """Return what is wrong with the labels (missing law file, article or quote), one sentence each."""
    problems, cache = [], {}
    for q in queries:
        if q.kind not in KINDS:
            problems.append(f"{q.id}: unknown kind {q.kind}")
        if not q.labels:
            problems.append(f"{q.id}: no labels")
        for lab in q.labels:
            where = f"{q.id} {lab.law} {lab.article}"
            if lab.grade not in (1, 2, 3):
                problems.append(f"{where}: grade {lab.grade}")
            if not lab.quote or len(lab.quote) > MAX_QUOTE:
                problems.append(f"{where}: quote of {len(lab.quote)} characters")
            if not (ROOT / lab.law).is_file():
                problems.append(f"{where}: no such law file")
                continue
            if lab.law not in cache:
                cache[lab.law] = law_articles(lab.law)
            title, articles = cache[lab.law]
            if lab.article is None:
                if lab.quote not in flat(title):
                    problems.append(f"{where}: title {title} lacks {lab.quote}")
            elif lab.article not in articles:
                problems.append(f"{where}: no such article")
            elif lab.quote not in articles[lab.article]:
                problems.append(f"{where}: article lacks {lab.quote}")
    return problems
