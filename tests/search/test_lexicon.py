"""The colloquial-to-legal lexicon against the held law texts, and the issue's example queries on FTS5.

The held texts: the laws of demo/data/laws and tests/data, and the 31 laws of the law corpus (tests/corpus/laws)
that tests/corpus/lexicon_laws.txt names (tests/corpus/SOURCE.txt says which and why).  The example
queries run on an in-memory FTS5 index of the few laws they need, articles included.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from lib.citations import TitleIndex
from search.backends.base import Filters
from search.backends.fts5 import FTS5Backend
from search.query import parse_query
from search.understanding.lexicon import LEXICON_PATH, parse_lexicon
from search.understanding.pinyin import PinyinTitles
from search.understanding.prepare import prepare, provision_hit
from tests.lawcorpus import REPO_CORPUS, lexicon_law_files
from tests.search.lawdocs import law_docs, parse_law

ROOT = Path(__file__).resolve().parents[2]
DEMO_LAWS = ROOT / "demo" / "data" / "laws"
CORPUS_LAWS = REPO_CORPUS / "laws"
FIELDS = {"市容环卫", "城乡规划", "环保", "食品", "交通", "市场监管", "消防", "渣土", "户外广告", "噪声", "养犬",
          "占道经营", "园林绿化", "药品医疗", "治安", "执法程序", "物业", "安全生产"}


def held_files() -> list[Path]:
    return (sorted(DEMO_LAWS.glob("*.md")) + sorted((ROOT / "tests" / "data").rglob("*.md"))
            + sorted(lexicon_law_files()))


@pytest.fixture(scope="module")
def held_text() -> str:
    return "\n".join(re.sub(r"\s+", "", p.read_text(encoding="utf-8")) for p in held_files())


def test_the_lexicon_has_two_hundred_entries_over_the_enforcement_fields():
    entries = parse_lexicon(LEXICON_PATH.read_text(encoding="utf-8"))
    assert len({e.colloquial for e in entries}) >= 200
    assert {e.field for e in entries} <= FIELDS
    assert {"市容环卫", "城乡规划", "环保", "食品", "交通", "市场监管", "消防", "渣土", "户外广告", "噪声", "养犬",
            "占道经营"} <= {e.field for e in entries}


def test_every_lexicon_target_is_a_wording_of_a_held_law_text(held_text):
    missing = [(e.colloquial, t) for e in parse_lexicon(LEXICON_PATH.read_text(encoding="utf-8"))
               for t in e.targets if t not in held_text]
    assert missing == []


def test_no_colloquial_word_is_its_own_only_target():
    assert [e.colloquial for e in parse_lexicon(LEXICON_PATH.read_text(encoding="utf-8"))
            if e.targets == (e.colloquial,)] == []


# --- the example queries on the real laws --------------------------------------------------

LAWS = ["城乡规划法(2019-04-23).md", "道路交通安全法(2021-04-29).md", "日照市城市管理条例(2017-08-02).md",
        "药品管理法(2019-08-26).md", "城市市容和环境卫生管理条例(2017-03-01).md", "行政处罚法(2021-01-22).md"]


def _path(name: str) -> Path:
    return DEMO_LAWS / name if (DEMO_LAWS / name).exists() else CORPUS_LAWS / name


@pytest.fixture(scope="module")
def engine():
    paths = [_path(n) for n in LAWS]
    backend = FTS5Backend(connection=sqlite3.connect(":memory:", isolation_level=None))
    backend.index_documents(law_docs(paths))
    titles = [parse_law(p)[0] for p in sorted(paths)]  # law_docs numbers the pages in this order
    yield backend, TitleIndex([(t, n) for n, t in enumerate(titles, start=1)]), PinyinTitles(titles)
    backend.close()


def run(engine, raw: str, limit: int = 20):
    backend, titles, pinyin = engine
    prepared = prepare(raw, titles=titles, pinyin=pinyin)
    return prepared, backend.search(prepared.query, Filters(), limit=limit)


def test_before_understanding_the_colloquial_queries_find_nothing(engine):
    for raw in ["小区私搭乱建", "酒驾", "遛狗不拴绳 罚款", "无证行医 怎么处罚", "垃圾乱倒 罚多少"]:
        assert engine[0].search(parse_query(raw), Filters()).count == 0, raw


@pytest.mark.parametrize("raw, law, article", [
    ("小区私搭乱建", "城乡规划法", "第六十四条"),
    ("酒驾", "道路交通安全法", "第九十一条"),
    ("遛狗不拴绳 罚款", "日照市城市管理条例", None),
    ("无证行医 怎么处罚", "药品管理法", None),
    ("垃圾乱倒 罚多少", "城市市容和环境卫生管理条例", None),
])
def test_colloquial_queries_find_the_law_that_rules_on_them(engine, raw, law, article):
    prepared, results = run(engine, raw)
    assert results.count > 0
    titles = [h.fields["title"] for h in results.hits]
    assert any(law in t for t in titles[:10]), titles[:10]
    if article:
        assert any(law in t and t.endswith(article) for t in titles), titles
    assert prepared.understood.expansions


def test_an_article_cited_with_arabic_numerals_is_the_first_result(engine):
    backend, titles, _ = engine
    for raw, article in [("行政处罚法第32条", "第三十二条"), ("行政处罚法 32条", "第三十二条"), ("城乡规划法第64条", "第六十四条")]:
        prepared, results = run(engine, raw)
        hit = provision_hit(backend, prepared.understood.provision, Filters())
        assert hit is not None and hit.fields["title"].endswith(" " + article), raw
        assert results.count > 0


def test_a_provision_outside_the_viewers_scope_is_not_found(engine):
    backend, titles, _ = engine
    prepared, _ = run(engine, "行政处罚法第32条")
    assert provision_hit(backend, prepared.understood.provision, Filters(allowed_scopes=("不予共享",))) is None


def test_initials_of_a_held_title_find_the_law_first(engine):
    prepared, results = run(engine, "xzcff")
    assert results.hits[0].fields["title"] == "中华人民共和国行政处罚法"
