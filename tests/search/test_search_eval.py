"""The evaluation set of issue 18 (benchmarks/data/search_eval.json) holds up against the law texts it labels,
and the nDCG of benchmarks/bench_search_eval.py scores rankings as its docstring says."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from benchmarks.bench_search_eval import article_ndcg, doc_ndcg, ndcg
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


# --- the scores of benchmarks/bench_search_eval.py -------------------------------------------------

LAW_A, LAW_B = "demo/data/laws/行政处罚法(2021-01-22).md", "demo/data/laws/行政强制法(2011-06-30).md"
QUERY = EvalQuery("t-1", "legal", "罚款", (Label(LAW_A, "第七十二条", 3, "加处罚款"), Label(LAW_B, "第四十五条", 2, "滞纳金")))


def test_ndcg_is_one_for_the_ideal_ranking_and_lower_when_the_best_comes_second():
    assert ndcg([3, 2], [2, 3]) == 1.0
    assert 0 < ndcg([2, 3], [3, 2]) < 1
    assert ndcg([0, 0], [3]) == 0.0


def test_doc_level_collapses_the_articles_of_a_law_to_its_first_place():
    ranked = [(LAW_A, "第一条"), (LAW_A, "第七十二条"), (LAW_B, None)]
    assert doc_ndcg(QUERY, ranked) == 1.0
    assert article_ndcg(QUERY, ranked) < 0.5  # the answering article is second, the law's article never found


def test_article_level_gives_a_whole_law_hit_only_the_grade_of_a_label_without_article():
    known = EvalQuery("t-2", "known", "行政处罚法", (Label(LAW_A, None, 3, "行政处罚法"),))
    assert article_ndcg(known, [(LAW_A, None)]) == 1.0
    assert article_ndcg(QUERY, [(LAW_A, None), (LAW_B, None)]) == 0.0


def test_the_heldout_part_has_forty_new_queries_of_the_four_natural_kinds():
    dev, heldout = load_eval(("dev",)), load_eval(("heldout",))
    assert len(heldout) >= 40
    assert {q.kind for q in heldout} == {"colloquial", "question", "typo", "legal"}
    assert {q.query for q in heldout}.isdisjoint(q.query for q in dev)
    assert {q.part for q in heldout} == {"heldout"} and {q.part for q in dev} == {"dev"}
