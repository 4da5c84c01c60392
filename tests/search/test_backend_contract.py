"""The contract every search backend keeps, written once and run on each available engine."""

from __future__ import annotations

import datetime as dt

import pytest

from search.backends.base import Filters, IndexDoc
from search.query import parse_query

STAFF_A = Filters(allowed_scopes=("公开", "共享", "部门内部"), viewer_department="区综合行政执法局")
EVERYTHING_A = Filters(allowed_scopes=("公开", "共享", "部门内部", "不予共享"), viewer_department="区综合行政执法局")


def doc(id, body, title="", **fields):
    fields.setdefault("scope", "公开")
    return IndexDoc(id=id, page_id=fields.pop("page_id", int(id.split(":")[1].split("#")[0])), url=f"/{id}/",
                    title=title or f"文件{id}", body=body, **fields)


@pytest.fixture
def world(backend):
    """Return a backend holding a small district: documents of two departments in every scope."""
    backend.index_documents([
        doc("page:1", "建立综合行政执法联席会议制度，责令改正违法行为。", title="联席会议制度", category="工作制度",
            department="区综合行政执法局", validity="现行有效", date=dt.date(2020, 5, 1), doc_number="周执法〔2020〕3号"),
        doc("page:2", "联席会议成员单位应当责令当事人限期改正。", title="成员单位职责", category="工作制度",
            department="区住房和城乡建设局", validity="现行有效", date=dt.date(2021, 6, 1), scope="共享"),
        doc("page:3", "执法局内部联席会议纪要：责令改正情况。", title="执法局内部纪要", category="会议纪要",
            department="区综合行政执法局", validity="现行有效", date=dt.date(2022, 1, 1), scope="部门内部",
            owner_department="区综合行政执法局"),
        doc("page:4", "住建局内部联席会议纪要：机密线索甲乙丙。", title="住建局内部纪要", category="机密类别",
            department="区住房和城乡建设局", validity="现行有效", date=dt.date(2023, 1, 1), scope="部门内部",
            owner_department="区住房和城乡建设局"),
        doc("page:5", "住建局不予共享的联席会议材料。", title="住建局不予共享材料", category="机密类别",
            department="区住房和城乡建设局", validity="现行有效", date=dt.date(2023, 2, 1), scope="不予共享",
            owner_department="区住房和城乡建设局"),
        doc("page:6", "旧的联席会议制度，已经废止。", title="旧联席会议制度", category="工作制度",
            department="区综合行政执法局", validity="已废止", date=dt.date(2015, 1, 1)),
        doc("page:6#第二条", "第二条 联席会议每季度召开一次。", title="旧联席会议制度 第二条", category="工作制度",
            department="区综合行政执法局", validity="已废止", date=dt.date(2015, 1, 1)),
    ])
    return backend


def ids(results):
    return [h.id for h in results.hits]


def test_indexed_documents_are_found_and_counted(world):
    results = world.search(parse_query("联席会议"), STAFF_A)
    assert results.count == 5 and set(ids(results)) == {"page:1", "page:2", "page:3", "page:6", "page:6#第二条"}


def test_anonymous_search_sees_public_documents_only(world):
    results = world.search(parse_query("联席会议"), Filters(), facets=["department", "category"])
    assert {h.fields["scope"] for h in results.hits} == {"公开"}
    assert results.count == len(results.hits) == 3


def test_other_departments_internal_documents_never_show(world):
    results = world.search(parse_query("联席会议"), STAFF_A, facets=["department", "category", "validity", "year"])
    assert set(ids(results)) == {"page:1", "page:2", "page:3", "page:6", "page:6#第二条"}
    assert results.count == 5
    assert ("机密类别", 1) not in results.facets["category"] and all(v != "机密类别" for v, _ in results.facets["category"])
    assert dict(results.facets["year"]).get(2023) is None
    assert dict(results.facets["department"]) == {"区综合行政执法局": 4, "区住房和城乡建设局": 1}
    assert not any("机密" in h.snippet or "不予共享" in h.snippet for h in results.hits)


def test_private_scope_stays_with_its_owner_even_when_allowed(world):
    assert "page:5" not in ids(world.search(parse_query("联席会议"), EVERYTHING_A))
    owner = Filters(allowed_scopes=EVERYTHING_A.allowed_scopes, viewer_department="区住房和城乡建设局")
    assert {"page:4", "page:5"} <= set(ids(world.search(parse_query("联席会议"), owner)))


def test_hidden_documents_do_not_leak_through_suggestions_or_browsing(world):
    assert world.suggest("住建局", STAFF_A) == []
    assert world.suggest("住建局", Filters(allowed_scopes=("部门内部",), viewer_department="区住房和城乡建设局")) == ["住建局内部纪要"]
    browse = world.search(parse_query(""), STAFF_A, facets=["category"])
    assert browse.count == 5 and "机密类别" not in dict(browse.facets["category"])


def test_reindexing_replaces_a_document_and_skips_unchanged_ones(world):
    assert world.index_documents([doc("page:1", "建立综合行政执法联席会议制度，责令改正违法行为。", title="联席会议制度",
                                      category="工作制度", department="区综合行政执法局", validity="现行有效",
                                      date=dt.date(2020, 5, 1), doc_number="周执法〔2020〕3号")]) == 0
    assert world.index_documents([doc("page:1", "改写后的正文：信息联络员名单。", title="联席会议制度")]) == 1
    assert world.search(parse_query("信息联络员"), STAFF_A).count == 1
    assert "page:1" not in ids(world.search(parse_query("责令改正"), STAFF_A))
    assert world.stats()["documents"] == 7


def test_optimizing_after_a_rebuild_keeps_every_result_and_later_deletes_still_work(world):
    before = ids(world.search(parse_query("联席会议"), STAFF_A))
    world.optimize()
    assert ids(world.search(parse_query("联席会议"), STAFF_A)) == before and before
    assert world.delete_documents(["page:1"]) == 1
    assert "page:1" not in ids(world.search(parse_query("联席会议"), STAFF_A))


def test_deleted_documents_disappear_from_results_and_counts(world):
    assert world.delete_documents(["page:1", "page:404"]) == 1
    assert "page:1" not in ids(world.search(parse_query("联席会议"), STAFF_A))
    assert world.delete_page(6) == 2
    assert world.search(parse_query("联席会议"), STAFF_A).count == 2


def test_clear_empties_the_index(world):
    world.clear()
    assert world.search(parse_query("联席会议"), EVERYTHING_A).count == 0 and world.stats()["documents"] == 0


def test_ui_filters_restrict_hits_and_counts_while_each_facet_counts_past_its_own_choice(world):
    f = Filters(categories=["工作制度"], validities=["现行有效"], allowed_scopes=STAFF_A.allowed_scopes,
                viewer_department=STAFF_A.viewer_department)
    results = world.search(parse_query("联席会议"), f, facets=["category", "validity", "department"])
    assert set(ids(results)) == {"page:1", "page:2"} and results.count == 2
    # Multi-select: a facet counts under every other choice, so the values not chosen keep their counts.
    assert results.facets["category"] == [("工作制度", 2), ("会议纪要", 1)]  # 现行有效 only
    assert results.facets["validity"] == [("已废止", 2), ("现行有效", 2)]  # 工作制度 only
    assert dict(results.facets["department"]) == {"区综合行政执法局": 1, "区住房和城乡建设局": 1}  # both
    by_year = world.search(parse_query("联席会议"), Filters(years=[2015]), facets=["year"])
    assert by_year.count == 2 and by_year.facets["year"] == [(2015, 2), (2020, 1)]
    dated = Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2021, 12, 31), allowed_scopes=("公开", "共享"))
    assert set(ids(world.search(parse_query("联席会议"), dated))) == {"page:1", "page:2"}


def test_typed_field_filters(world):
    assert ids(world.search(parse_query("联席 部门:住建局"), STAFF_A)) == ["page:2"]
    assert ids(world.search(parse_query("文号:周执法[2020]3号"), STAFF_A)) == ["page:1"]
    assert set(ids(world.search(parse_query("联席会议 年份:2020-2021"), STAFF_A))) == {"page:1", "page:2"}
    assert set(ids(world.search(parse_query("有效性:废止"), STAFF_A))) == {"page:6", "page:6#第二条"}
    assert ids(world.search(parse_query("标题:职责"), STAFF_A)) == ["page:2"]


def test_phrase_needs_adjacent_words_while_words_match_anywhere(world):
    words = world.search(parse_query("责令 改正"), STAFF_A)
    phrase = world.search(parse_query('"责令改正"'), STAFF_A)
    assert {"page:1", "page:2", "page:3"} <= set(ids(words))
    assert set(ids(phrase)) == {"page:1", "page:3"}


def test_exclusion_and_or(world):
    assert "page:6" not in ids(world.search(parse_query("联席会议 -废止"), STAFF_A))
    assert set(ids(world.search(parse_query("纪要 OR 职责"), STAFF_A))) == {"page:2", "page:3"}


def test_synonyms_find_the_other_name(world):
    assert "page:1" in ids(world.search(parse_query("城管"), STAFF_A))


def test_sort_by_date_both_ways_and_pagination(world):
    newest = ids(world.search(parse_query("联席会议"), STAFF_A, sort="date"))
    assert newest[:3] == ["page:3", "page:2", "page:1"]
    assert ids(world.search(parse_query("联席会议"), STAFF_A, sort="date_asc"))[-1] == "page:3"
    page2 = world.search(parse_query("联席会议"), STAFF_A, sort="date", offset=2, limit=2)
    assert ids(page2) == newest[2:4] and page2.count == 5


def test_current_documents_rank_above_abolished_ones(backend):
    backend.index_documents([doc("page:1", "联席会议制度全文。", title="联席会议制度", validity="已废止", date=dt.date(2022, 1, 1)),
                             doc("page:2", "联席会议制度全文。", title="联席会议制度", validity="现行有效", date=dt.date(2010, 1, 1))])
    assert ids(backend.search(parse_query("联席会议"))) == ["page:2", "page:1"]
    assert ids(backend.search(parse_query("联席会议 有效性:已废止"))) == ["page:1"]


def test_exact_document_number_comes_first(backend):
    backend.index_documents([
        doc("page:1", "依据测政办字〔2018〕18号和测政办字〔2018〕18号文件执行。测政办字〔2018〕18号。", title="测政办字18号的执行情况"),
        doc("page:2", "正文。", title="关于印发实施办法的通知", doc_number="测政办字〔2018〕18号"),
    ])
    assert ids(backend.search(parse_query("测政办字[2018]第18号")))[0] == "page:2"


def test_hits_carry_fields_snippet_and_highlighted_title(world):
    hit = world.search(parse_query("执法联席")).hits[0]
    assert hit.id == "page:1" and hit.fields["url"] == "/page:1/" and hit.fields["date"] == dt.date(2020, 5, 1)
    assert "<mark>执法联席</mark>" in hit.snippet and hit.score > 0
    assert world.search(parse_query("联席"), STAFF_A).hits[0].title_html.count("<mark>") == 1


def test_query_without_terms_lists_visible_documents_newest_first(world):
    assert ids(world.search(parse_query("类别:工作制度"), STAFF_A))[:2] == ["page:2", "page:1"]


def test_suggest_puts_title_prefixes_first(world):
    assert world.suggest("联席", STAFF_A) == ["联席会议制度", "旧联席会议制度", "旧联席会议制度 第二条"]
    assert world.suggest("纪要", STAFF_A) == ["执法局内部纪要"]
    assert world.suggest("", STAFF_A) == [] and world.suggest("%_", STAFF_A) == []


def test_unknown_facet_is_refused(world):
    with pytest.raises(ValueError):
        world.search(parse_query("联席"), facets=["scope"])


def test_stats_report_engine_and_dictionary(world):
    stats = world.stats()
    assert stats["documents"] == 7 and stats["needs_rebuild"] is False and stats["dictionary"].startswith("userdict-")


def test_stored_codes_of_the_portal_choices_are_accepted(backend):
    backend.index_documents([
        doc("page:1", "联席会议", category="penalties", validity="in_force", scope="internal", owner_department="ZFA"),
        doc("page:2", "联席会议", category="laws", validity="abolished", scope="public"),
    ])
    staff = Filters(allowed_scopes=("public", "shared", "internal"), viewer_department="ZFA")
    results = backend.search(parse_query("联席会议"), staff, facets=["validity", "category"])
    assert ids(results) == ["page:1", "page:2"]
    assert dict(results.facets["validity"]) == {"现行有效": 1, "已废止": 1}
    assert ids(backend.search(parse_query("联席会议 类别:行政处罚"), staff)) == ["page:1"]
    assert ids(backend.search(parse_query("联席会议 validity:abolished"), staff)) == ["page:2"]
    assert ids(backend.search(parse_query("联席会议"), Filters(categories=["laws"]))) == ["page:2"]
    assert backend.search(parse_query("联席会议"), Filters(allowed_scopes=("internal",), viewer_department="ZJB")).count == 0


def test_all_departments_widens_internal_to_every_owner_but_never_adds_a_scope(world):
    superuser = Filters(allowed_scopes=("公开", "共享", "部门内部"), all_departments=True)
    results = world.search(parse_query("联席会议"), superuser, facets=["category"])
    assert {"page:3", "page:4"} <= set(ids(results))
    assert "page:5" not in ids(results)  # 不予共享 is not among the allowed scopes
    assert "住建局不予共享材料" not in world.suggest("住建局", superuser)


def test_hits_carry_the_original_text_their_snippet_was_cut_from(world):
    hit = world.search(parse_query("联席会议"), STAFF_A).hits[0]
    assert "联席会议" in hit.text and "<mark>" not in hit.text
