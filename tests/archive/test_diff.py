"""Chinese-aware diff and article alignment on real amended laws (plain pytest, no database)."""

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.align import align_articles, compare_laws, comparison_to_json
from lib.diff import (
    DELETE,
    EQUAL,
    INSERT,
    diff_texts,
    diff_with_info,
    marked_chars,
    new_text,
    old_text,
    render_ops_html,
    render_ops_text,
)
from lib.lawtext import parse_law_text

ROOT = Path(__file__).resolve().parents[2]
AMENDMENTS = ROOT / "tests" / "data" / "amendments"


def law_pair(name: str) -> tuple[str, str]:
    return (
        (AMENDMENTS / f"{name}_old.md").read_text(encoding="utf-8"),
        (AMENDMENTS / f"{name}_new.md").read_text(encoding="utf-8"),
    )


@pytest.fixture(scope="module")
def comparisons():
    return {name: compare_laws(*law_pair(name)) for name in ("行政复议法", "立法法", "反垄断法")}


def pair_of_old(comparison, label):
    return next(p for p in comparison.articles if p.old is not None and p.old.label == label)


def pair_of_new(comparison, label):
    return next(p for p in comparison.articles if p.new is not None and p.new.label == label)


def islands(ops):
    """Return the one-character equalities (other than paragraph breaks) between two changes."""
    return [
        ops[i][1] for i in range(1, len(ops) - 1)
        if ops[i][0] == EQUAL and len(ops[i][1]) == 1 and ops[i][1] != "\n"
        and ops[i - 1][0] != EQUAL and ops[i + 1][0] != EQUAL
    ]


# --- alignment on real laws -------------------------------------------------------------

@pytest.mark.parametrize(
    ("law", "old_label", "new_label", "status", "opening"),
    [
        # 反垄断法 2022 inserts 公平竞争审查 as new 第五条: old 第五条 is new 第六条, verbatim.
        ("反垄断法", "第五条", "第六条", "unchanged", "经营者可以通过公平竞争、自愿联合"),
        # Renumbered and its cross-references rewritten (本法第十三条 -> 本法第十七条).
        ("反垄断法", "第十五条", "第二十条", "modified", "经营者能够证明所达成的协议"),
        ("反垄断法", "第五十七条", "第七十条", "unchanged", "本法自2008年8月1日起施行"),
        # 立法法 2023: old 第八条 (法律保留) is new 第十一条, the colon made full-width.
        ("立法法", "第八条", "第十一条", "modified", "下列事项只能制定法律"),
        ("立法法", "第六十五条", "第七十二条", "modified", "国务院根据宪法和法律，制定行政法规"),
        # 行政复议法 2023 is a full revision (43 -> 90 articles), still the pairs are found.
        ("行政复议法", "第五条", "第十条", "modified", "公民、法人或者其他组织对行政复议决定不服"),
        ("行政复议法", "第四十一条", "第八十九条", "unchanged", "外国人、无国籍人、外国组织"),
        ("行政复议法", "第四十三条", "第九十条", "modified", "本法自"),
    ],
)
def test_renumbered_article_pairs_with_its_true_counterpart(comparisons, law, old_label, new_label, status, opening):
    pair = pair_of_old(comparisons[law], old_label)
    assert pair.new is not None and pair.new.label == new_label
    assert pair.status == status
    assert pair.renumbered
    assert pair.old.text.startswith(opening) and pair.new.text.startswith(opening)


def test_same_number_is_not_paired_when_content_moved_on(comparisons):
    new_fifth = pair_of_new(comparisons["反垄断法"], "第五条")
    assert new_fifth.old is None and new_fifth.status == "inserted"
    assert new_fifth.new.text.startswith("国家建立健全公平竞争审查制度")


def test_inserted_articles_are_reported_as_inserted(comparisons):
    inserted = {p.new.label for p in comparisons["反垄断法"].articles if p.status == "inserted"}
    # 公平竞争审查, 数据和算法, 反垄断规则制度, 垄断协议的定义, 组织帮助达成垄断协议
    assert {"第五条", "第九条", "第十一条", "第十六条", "第十九条"} <= inserted
    assert all(p.old is None and [k for k, _ in p.ops] == [INSERT] * len(p.ops)
               for p in comparisons["反垄断法"].articles if p.status == "inserted")


def test_inserted_chapter_and_sections_are_reported_as_inserted(comparisons):
    divisions = comparisons["行政复议法"].divisions
    inserted = {p.new.heading for p in divisions if p.status == "inserted"}
    assert {"第四章 行政复议审理", "第一节 一般规定", "第二节 行政复议证据", "第五节 行政复议附带审查"} <= inserted
    renamed_place = next(p for p in divisions if p.old is not None and p.old.heading == "第三章 行政复议申请")
    assert renamed_place.new.heading == "第二章 行政复议申请" and renamed_place.renumbered


def test_chapter_that_became_a_section_pairs_as_moved(comparisons):
    pair = next(p for p in comparisons["行政复议法"].divisions if p.old is not None and p.old.heading == "第二章 行政复议范围")
    assert pair.new is not None and pair.new.heading == "第一节 行政复议范围"
    assert pair.status == "moved"


def test_every_article_appears_exactly_once(comparisons):
    for name, comparison in comparisons.items():
        old_law, new_law = (parse_law_text(t) for t in law_pair(name))
        olds = [p.old.label for p in comparison.articles if p.old is not None]
        news = [p.new.label for p in comparison.articles if p.new is not None]
        assert sorted(olds) == sorted(a.label for a in old_law.articles())
        assert news == [a.label for a in new_law.articles()]  # reading order of the new version


def test_article_ops_rebuild_both_versions(comparisons):
    for pair in comparisons["立法法"].articles:
        if pair.old is not None:
            assert old_text(pair.ops) == pair.old.text
        if pair.new is not None:
            assert new_text(pair.ops) == pair.new.text


def test_law_compared_with_itself_is_unchanged():
    text, _ = law_pair("立法法")
    comparison = compare_laws(text, text)
    assert {p.status for p in comparison.articles} == {"unchanged"}
    assert {p.status for p in comparison.divisions} == {"unchanged"}
    assert not any(p.renumbered for p in comparison.articles)


def test_moved_article_is_found_across_the_law():
    articles = parse_law_text(law_pair("反垄断法")[0]).articles()
    moved = articles[:3] + [articles[40]] + articles[3:40] + articles[41:]
    pairs = align_articles(articles, moved)
    pair = next(p for p in pairs if p.old is articles[40])
    assert pair.status == "moved" and pair.new is articles[40]
    assert sum(p.status == "moved" for p in pairs) == 1


def test_comparison_json_has_the_documented_shape(comparisons):
    data = json.loads(json.dumps(comparison_to_json(comparisons["反垄断法"]), ensure_ascii=False))
    assert set(data) == {"articles", "divisions", "parts"}
    first = data["articles"][0]
    assert set(first) == {"old", "new", "status", "ops", "old_anchor", "new_anchor"}
    assert first["old_anchor"] == "第一条"  # an article's anchor is its label
    assert first["old"] == "第一条" and first["new"] == "第一条" and first["status"] == "modified"
    assert ["insert", "鼓励创新，"] in first["ops"]
    inserted = next(a for a in data["articles"] if a["new"] == "第五条")
    assert inserted["old"] is None and inserted["status"] == "inserted"
    assert data["divisions"][0]["old"] == "第一章 总则"


# --- character diff ---------------------------------------------------------------------

def test_one_character_edit_in_long_paragraph_marks_that_character():
    paragraph = parse_law_text(law_pair("行政复议法")[1]).articles()[10].text.replace("\n", "")
    assert len(paragraph) > 150
    middle = len(paragraph) // 2
    replacement = "甲" if paragraph[middle] != "甲" else "乙"
    edited = paragraph[:middle] + replacement + paragraph[middle + 1:]
    ops = diff_texts(paragraph, edited)
    assert marked_chars(ops) <= 2
    assert (DELETE, paragraph[middle]) in ops and (INSERT, replacement) in ops
    assert marked_chars(diff_texts(paragraph, paragraph[:middle] + paragraph[middle + 1:])) == 1


def test_scattered_edits_mark_little_more_than_was_edited():
    text = law_pair("反垄断法")[1]
    edited_text, edited = text, 0
    for at in range(1500, len(text) - 500, 700):  # 12 edits of 2 characters, far apart
        if "\n" not in edited_text[at : at + 2] and "第" not in edited_text[at - 3 : at + 3]:
            edited_text = edited_text[:at] + "某某" + edited_text[at + 2 :]
            edited += 4
    comparison = compare_laws(text, edited_text)
    marked = sum(marked_chars(p.ops) for p in comparison.articles)
    assert edited >= 30 and marked <= 1.2 * edited


def test_word_change_marks_the_word_not_the_clause():
    ops = diff_texts("行政复议机关应当自受理申请之日起六十日内作出行政复议决定", "行政复议机构应当自受理申请之日起九十日内作出行政复议决定")
    assert ops == [
        (EQUAL, "行政复议机"), (DELETE, "关"), (INSERT, "构"), (EQUAL, "应当自受理申请之日起"),
        (DELETE, "六"), (INSERT, "九"), (EQUAL, "十日内作出行政复议决定"),
    ]


def test_paragraph_breaks_are_ops_of_their_own():
    old = "第一款内容。\n第二款内容。\n第三款内容。"
    new = "第一款内容。\n第二款内容有变。\n新增一款。\n第三款内容。"
    ops = diff_texts(old, new)
    assert (EQUAL, "\n") in ops and (INSERT, "\n") in ops
    assert all(text == "\n" or "\n" not in text for _, text in ops)
    assert old_text(ops) == old and new_text(ops) == new
    assert diff_texts("甲乙\n丙丁", "甲乙丙丁") == [(EQUAL, "甲乙"), (DELETE, "\n"), (EQUAL, "丙丁")]


def test_no_one_character_equal_islands_between_changes():
    # Raw character diff: 甲|子, equal 乙, 丙|丑, equal 丁, 戊|寅 - confetti an editor cannot read.
    assert diff_texts("甲乙丙丁戊", "子乙丑丁寅") == [(DELETE, "甲乙丙丁戊"), (INSERT, "子乙丑丁寅")]
    ops = diff_texts("对行政机关作出的具体行政行为不服的", "对复议机构作出的行政行为不服的")
    assert islands(ops) == []
    assert ops[:3] == [(EQUAL, "对"), (DELETE, "行政机关"), (INSERT, "复议机构")]


def test_paragraph_break_is_never_folded_into_a_change():
    ops = diff_texts("甲\n乙", "丙\n丁")
    assert ops == [(DELETE, "甲"), (INSERT, "丙"), (EQUAL, "\n"), (DELETE, "乙"), (INSERT, "丁")]


def test_inserted_list_item_ends_at_the_enumeration_comma():
    ops = diff_texts("遵循合法、公正、公开、及时、便民的原则", "遵循合法、公正、公开、高效、及时、便民的原则")
    assert (INSERT, "高效、") in ops


def test_million_character_input_falls_back_to_paragraphs_quickly():
    paragraphs = parse_law_text(law_pair("立法法")[1]).articles()
    base = "\n".join(a.text for a in paragraphs)
    old = (base + "\n") * (1_000_000 // len(base) + 1)
    new = old[:400_000] + "新增的一段文字。\n" + old[400_000:].replace("国务院", "国务院有关部门", 3)
    assert len(old) >= 1_000_000
    started = time.perf_counter()
    result = diff_with_info(old, new)
    assert time.perf_counter() - started < 3.0
    assert result.coarse and result.notice == "文本过长，已按段落比较"
    assert old_text(result.ops) == old and new_text(result.ops) == new


def test_unrelated_huge_paragraphs_are_compared_coarsely():
    old, new = "甲乙丙丁" * 100_000, "子丑寅卯" * 100_000  # one 400,000-character paragraph each
    started = time.perf_counter()
    result = diff_with_info(old, new)
    assert time.perf_counter() - started < 3.0
    assert result.coarse and result.notice
    assert result.ops == [(DELETE, old), (INSERT, new)]


def test_small_diff_is_not_coarse():
    result = diff_with_info("甲乙丙", "甲丁丙")
    assert not result.coarse and result.notice == ""


chinese_text = st.text(alphabet="行政复议机关法第条款项，。、；\n甲乙", max_size=120)


@settings(max_examples=300, deadline=None)
@given(chinese_text, chinese_text)
def test_ops_rebuild_old_and_new_exactly(old, new):
    ops = diff_texts(old, new)
    assert old_text(ops) == old and new_text(ops) == new
    assert all(text for _, text in ops)
    assert all(text == "\n" or "\n" not in text for _, text in ops)
    assert islands(ops) == []


# --- output -----------------------------------------------------------------------------

def test_render_html_escapes_and_keeps_paragraphs():
    ops = diff_texts("罚款<五千元>\n第二款", "罚款<一万元>\n第二款")
    html = render_ops_html(ops)
    assert html == "<p>罚款&lt;<del>五千</del><ins>一万</ins>元&gt;</p><p>第二款</p>"
    assert render_ops_html(ops, side="new") == "<p>罚款&lt;<ins>一万</ins>元&gt;</p><p>第二款</p>"
    merged = render_ops_html(diff_texts("甲\n乙", "甲乙"))
    assert merged == '<p>甲<del class="diff-break">↵</del>乙</p>'


def test_render_text_marks_changes_inline():
    assert render_ops_text(diff_texts("处五千元罚款", "处一万元罚款")) == "处【删：五千】【增：一万】元罚款"


def test_marked_chars_counts_deleted_and_inserted_characters():
    assert marked_chars([(EQUAL, "甲乙"), (DELETE, "丙"), (INSERT, "丁戊"), (EQUAL, "\n")]) == 3


# --- management command -----------------------------------------------------------------

needs_settings = pytest.mark.skipif(
    not (ROOT / "portal" / "settings" / "test.py").exists(), reason="portal/settings/test.py 尚不存在"
)


@pytest.fixture
def django_ready(monkeypatch):
    """Configure Django from portal.settings.test when pytest-django has not done it."""
    import django
    from django.conf import settings as django_settings

    if not django_settings.configured:
        monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "portal.settings.test")
        django.setup()


@needs_settings
def test_command_prints_aligned_comparison(django_ready, capsys):
    from django.core.management import call_command

    old, new = (str(AMENDMENTS / f"反垄断法_{v}.md") for v in ("old", "new"))
    call_command("diff_texts", old, new)
    out = capsys.readouterr().out
    assert "第五条 → 第六条 [未修改]" in out
    assert "— → 第五条 [新增]" in out
    assert "【增：鼓励创新，】" in out
    call_command("diff_texts", old, new, "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["articles"][0]["new"] == "第一条"


@needs_settings
def test_command_rejects_unreadable_file_in_chinese(django_ready, tmp_path):
    from django.core.management import CommandError, call_command

    existing = str(AMENDMENTS / "反垄断法_new.md")
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("diff_texts", str(tmp_path / "missing.md"), existing)
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("diff_texts", str(binary), existing)


# --- 公文: provision by provision ----------------------------------------------------------

DIRECTIVE = ROOT / "tests" / "fixtures" / "zhouzhengban-2018-18.txt"


def directive_with(old: str, new: str, starts: str) -> tuple[str, str]:
    """Return (the directive, a copy with ``old`` -> ``new`` in the one line that starts with ``starts``)."""
    source = DIRECTIVE.read_text(encoding="utf-8")
    lines = source.split("\n")
    (index,) = [i for i, line in enumerate(lines) if line.startswith(starts)]
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new)
    return source, "\n".join(lines)


def changed(data: dict) -> list[tuple]:
    return [(a["old_anchor"], a["new_anchor"], a["status"]) for a in data["articles"] if a["status"] != "unchanged"]


def test_directive_with_one_deadline_changed_reports_exactly_that_provision():
    old, new = directive_with("2个工作日", "10个工作日", "（1）发现公民、法人和其他组织在依法取得")
    data = comparison_to_json(compare_laws(old, new))
    assert changed(data) == [("二（四）3（1）", "二（四）3（1）", "modified")]
    entry = next(a for a in data["articles"] if a["status"] == "modified")
    assert entry["old"] == entry["new"] == "二（四）3（1）"
    assert [k for k, t in entry["ops"] if k != "equal"] == ["delete", "insert"]
    assert ["delete", "2"] in entry["ops"] and ["insert", "10"] in entry["ops"]
    assert len(data["articles"]) == 43 and sum(a["status"] == "unchanged" for a in data["articles"]) == 42
    assert {p["name"]: p["status"] for p in data["parts"]} == {"前言": "unchanged", "落款及版记": "unchanged"}


def test_a_change_in_a_repeated_series_is_told_apart_by_its_anchor():
    old, new = directive_with("2个工作日", "10个工作日", "（1）发现违法行为涉及相关行政管理部门")
    assert changed(comparison_to_json(compare_laws(old, new))) == [("二（四）3（1）-2", "二（四）3（1）-2", "modified")]


def test_a_paragraph_after_the_items_changes_the_provision_above_them():
    old, new = directive_with("5个工作日", "7个工作日", "综合行政执法部门及相关行政管理部门应在5个工作日")
    assert changed(comparison_to_json(compare_laws(old, new))) == [("二（四）3", "二（四）3", "modified")]


def test_inserted_provision_renumbers_the_next_ones_which_pair_up_unchanged():
    source = DIRECTIVE.read_text(encoding="utf-8")
    new = source.replace("（三）开展宣传教育。", "（三）加强队伍建设。定期开展执法培训。\n（四）开展宣传教育。")
    new = new.replace("（四）完善经费保障。", "（五）完善经费保障。")
    pairs = compare_laws(source, new).articles
    moved = [(p.old.label if p.old else None, p.new.label if p.new else None, p.status, p.renumbered)
             for p in pairs if p.status != "unchanged" or p.renumbered]
    assert moved == [(None, "三（三）", "inserted", False), ("三（三）", "三（四）", "unchanged", True),
                     ("三（四）", "三（五）", "unchanged", True)]


def test_closing_block_changes_are_reported_as_a_part():
    old, new = directive_with("区纪委办，", "", " 抄送：")
    data = comparison_to_json(compare_laws(old, new))
    assert changed(data) == []
    assert {p["name"]: p["status"] for p in data["parts"]}["落款及版记"] == "modified"


@needs_settings
def test_command_compares_the_directive_provision_by_provision(django_ready, capsys, tmp_path):
    from django.core.management import call_command

    old, new = directive_with("2个工作日", "10个工作日", "（1）发现公民、法人和其他组织在依法取得")
    (tmp_path / "old.txt").write_text(old, encoding="utf-8")
    (tmp_path / "new.txt").write_text(new, encoding="utf-8")
    call_command("diff_texts", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), "--json")
    data = json.loads(capsys.readouterr().out)
    assert changed(data) == [("二（四）3（1）", "二（四）3（1）", "modified")]
    call_command("diff_texts", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"))
    out = capsys.readouterr().out
    assert "二（四）3（1） → 二（四）3（1） [修改]" in out and "【删：2】【增：10】" in out
    assert "共 43 项：未修改 42，修改 1；重新编号 0" in out
