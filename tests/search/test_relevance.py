"""Relevance on real law texts: titles, copied phrases, national law above local rules."""

from __future__ import annotations

import random
import re

import pytest

from search.query import parse_query
from tests.search.conftest import BACKEND_FACTORIES
from tests.search.lawdocs import corpus_files, data_files, law_docs


def _indexed(engine: str, files):
    backend = BACKEND_FACTORIES[engine]()
    docs = law_docs(files)
    backend.index_documents(docs)
    return backend, docs


# Module-scoped: indexing the whole corpus takes seconds, and these tests only read.
@pytest.fixture(scope="module", params=sorted(BACKEND_FACTORIES))
def small_laws(request):
    """Return (backend, docs) over the six laws kept in tests/data/search: always available."""
    backend, docs = _indexed(request.param, data_files())
    yield backend, docs
    backend.close()


@pytest.fixture(scope="module", params=sorted(BACKEND_FACTORIES))
def all_laws(request):
    """Return (backend, docs) over the whole law corpus, tests/corpus/laws (about 9,600 documents)."""
    backend, docs = _indexed(request.param, corpus_files())
    yield backend, docs
    backend.close()


def _copied_clauses(docs, count: int, seed: int) -> list[tuple[str, str]]:
    """Return (clause, article id) pairs: 10–25 characters between punctuation, unique in the corpus."""
    articles = [d for d in docs if "#" in d.id]
    everything = "\x00".join(d.body for d in articles)
    rng = random.Random(seed)
    picked = []
    for doc in rng.sample(articles, len(articles)):
        clauses = [c for c in re.split(r"[，。；：、（）\s]", doc.body) if 10 <= len(c) <= 25]
        clauses = [c for c in clauses if everything.count(c) == 1]
        if clauses:
            picked.append((rng.choice(clauses), doc.id))
        if len(picked) == count:
            break
    return picked


def _first_id(backend, raw: str) -> str | None:
    hits = backend.search(parse_query(raw), limit=3).hits
    return hits[0].id if hits else None


@pytest.mark.parametrize("raw", ["食品安全法", "《食品安全法》", "中华人民共和国食品安全法", "食品安全法 "])
def test_short_title_query_puts_the_national_law_first(small_laws, raw):
    backend, _docs = small_laws
    hits = backend.search(parse_query(raw), limit=10).hits
    assert hits[0].fields["title"] == "中华人民共和国食品安全法"
    titles = [h.fields["title"] for h in hits]
    assert "上海市实施《中华人民共和国食品安全法》办法" not in titles[:1]


def test_phrase_copied_from_an_article_finds_that_article_first(small_laws):
    backend, docs = small_laws
    pairs = _copied_clauses(docs, 60, seed=7)
    assert len(pairs) == 60
    misses = [(clause, doc_id) for clause, doc_id in pairs if _first_id(backend, f'"{clause}"') != doc_id]
    assert misses == []


def test_copied_clause_typed_without_quotes_finds_the_article_near_the_top(small_laws):
    backend, docs = small_laws
    pairs = _copied_clauses(docs, 60, seed=11)
    found = sum(doc_id in [h.id for h in backend.search(parse_query(c), limit=3).hits] for c, doc_id in pairs)
    assert found >= 0.9 * len(pairs)


def test_phrase_does_not_match_words_far_apart(small_laws):
    backend, _docs = small_laws
    phrase = backend.search(parse_query('"生产经营者应当依照法律"'))
    words = backend.search(parse_query("生产经营者 应当 依照 法律"))
    assert 0 < phrase.count < words.count


@pytest.mark.parametrize(("raw", "title"), [
    ("食品安全法", "中华人民共和国食品安全法"),
    ("行政处罚法", "中华人民共和国行政处罚法"),
    ("行政强制法", "中华人民共和国行政强制法"),
    ("消防法", "中华人民共和国消防法"),
    ("城乡规划法", "中华人民共和国城乡规划法"),
])
def test_title_query_puts_the_national_law_first_in_the_whole_corpus(all_laws, raw, title):
    backend, _docs = all_laws
    assert backend.search(parse_query(raw), limit=1).hits[0].fields["title"] == title


def test_copied_phrases_find_their_articles_first_in_the_whole_corpus(all_laws):
    backend, docs = all_laws
    pairs = _copied_clauses(docs, 150, seed=3)
    misses = [(clause, doc_id) for clause, doc_id in pairs if _first_id(backend, f'"{clause}"') != doc_id]
    assert len(misses) <= len(pairs) // 50, misses
