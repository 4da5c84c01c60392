"""The evaluation set of issue 18 (benchmarks/data/search_eval.json) holds up against the law texts it labels."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from benchmarks.search_eval import KINDS, ROOT, EvalQuery, Label, held_law_files, label_problems, load_eval


def test_every_label_names_a_held_law_an_article_of_it_and_a_quote_the_article_holds():
    assert label_problems(load_eval()) == []


def test_the_set_has_sixty_queries_over_every_kind_with_an_answering_label_each():
    queries = load_eval()
    assert len(queries) >= 60
    assert set(Counter(q.kind for q in queries)) == set(KINDS)
    assert [q.id for q in queries if max(lab.grade for lab in q.labels) != 3] == []
    assert len({q.id for q in queries}) == len(queries)


def test_every_labelled_law_is_one_the_benchmark_indexes():
    held = set(held_law_files())
    assert {lab.law for q in load_eval() for lab in q.labels} <= held


def test_the_check_finds_a_missing_article_a_wrong_quote_and_a_missing_file():
    good = load_eval()[0]
    label = next(lab for lab in good.labels if lab.article)
    bad = [EvalQuery("x-1", good.kind, good.query, (replace(label, article="第九百九十九条"),)),
           EvalQuery("x-2", good.kind, good.query, (replace(label, quote="本条不存在的话"),)),
           EvalQuery("x-3", good.kind, good.query, (Label("demo/data/laws/无此法.md", None, 3, "无此法"),))]
    problems = label_problems(bad)
    assert [p.split(":")[0].split()[0] for p in problems] == ["x-1", "x-2", "x-3"], problems
    assert (ROOT / label.law).is_file()
