"""lib.textmeta: the metadata a law or 公文 gives about itself — 制定机关, dates, 修正/修订, 效力位阶, 发文字号.

Run over every text of the corpora (the repo's own and the law corpus, tests/corpus/laws), spot-checked
against the known facts of real documents, and on the layouts the corpora lack (the official
parenthesised history, 公文 headers and 落款) with synthetic texts that say so.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from lib.lawtext import parse_document
from lib.textmeta import EVENT_KINDS, RANKS, file_date, parse_cn_date, read_metadata
from tests.lawcorpus import law_categories, law_files
from tests.portal.test_gongwen import DECISION, NOTICE

ROOT = Path(__file__).resolve().parents[2]
REPO_TEXTS = sorted(
    [*ROOT.glob("tests/data/**/*.md"), *ROOT.glob("demo/data/**/*.md"), *ROOT.glob("tests/fixtures/*.txt")])
ALL_TEXTS = REPO_TEXTS + law_files()
DIRECTIVE = ROOT / "tests" / "fixtures" / "zhouzhengban-2018-18.txt"
DATE_AT_START = re.compile(r"^[（(]?\s*[0-9０-９]{4}\s*年")
D = datetime.date
# The 效力位阶 each LawRefBook category of the corpus's source.tsv allows.
CATEGORY_RANK = {"law": {"law", "constitution"}, "admin_reg": {"admin_regulation"}, "dept_rule": {"rule"},
                 "judicial": {"judicial"}, "local": {"local_regulation"}}


def meta_of(path: Path):
    return read_metadata(parse_document(path.read_text(encoding="utf-8-sig")), path.name)


def repo(name: str) -> Path:
    return next(p for p in REPO_TEXTS if p.name == name)


# ---------------------------------------------------------------- every text of the corpora
def test_the_corpora_hold_the_directive_and_more_than_twenty_texts():
    assert DIRECTIVE in ALL_TEXTS and len(ALL_TEXTS) >= 20


@pytest.mark.parametrize("path", ALL_TEXTS, ids=lambda p: p.parent.name + "/" + p.stem)
def test_every_corpus_text_reads_with_one_event_per_dated_history_line(path):
    doc = parse_document(path.read_text(encoding="utf-8-sig"))
    meta = read_metadata(doc, path.name)

    dated_lines = [line for line in doc.history if DATE_AT_START.match(line)]
    assert len(meta.history) >= len(dated_lines)  # one line may hold two events (产品质量法)
    # Each dated line's date opens an event, in order (a line may hold more than one: 产品质量法).
    dates = iter(e.date for e in meta.history)
    for line in dated_lines:
        day = parse_cn_date(re.match(r"[（(]?\s*(.+?日)", line).group(1))
        assert day in dates, line
    for event in meta.history:
        assert event.date is not None and event.kind in EVENT_KINDS, event
        assert event.text.replace(" ", "") in re.sub(r"\s", "", "".join(doc.history)).replace("根据", "") \
            or "根据" in event.text
    assert meta.rank in RANKS or meta.rank == ""
    for day in (meta.written_date, meta.publish_date, meta.effective_date, meta.version_date):
        assert day is None or D(1900, 1, 1) <= day <= D(2100, 12, 31)
    if file_date(path.name):
        assert meta.version_date == file_date(path.name)
    if meta.issuer:  # an organ its history names, or one written out in the text (版头, 落款, title)
        written = re.sub(r"\s", "", path.read_text(encoding="utf-8-sig"))
        assert meta.issuer in {e.organ for e in meta.history} or all(
            part in written for part in meta.issuer.split("、")), meta.issuer


def test_the_rank_of_each_corpus_text_is_its_real_one_or_left_empty_when_nothing_tells():
    categories = law_categories()  # LawRefBook's folder of each law (source.tsv)
    assert len(categories) >= 10
    empty = []
    for path, category in categories.items():
        meta = meta_of(path)
        if meta.rank:
            assert meta.rank in CATEGORY_RANK[category], (path.name, meta.rank, category)
        else:
            # Only a text that names no issuer anywhere (no history, no 版头, no 落款) may leave it open.
            assert meta.issuer == "" and meta.history == [], path.name
            empty.append(path.name)
    assert len(empty) <= len(categories) // 10, empty


# ---------------------------------------------------------------- known facts of real documents
def test_administrative_penalty_law_history_issuer_and_dates():
    meta = meta_of(repo("行政处罚法(2021-01-22).md"))
    assert meta.issuer == "全国人民代表大会常务委员会" and meta.rank == "law"
    assert [(e.date, e.label, e.organ) for e in meta.history] == [
        (D(1996, 3, 17), "通过", "全国人民代表大会"),
        (D(2009, 8, 27), "第一次修正", "全国人民代表大会常务委员会"),
        (D(2017, 9, 1), "第二次修正", "全国人民代表大会常务委员会"),
        (D(2021, 1, 22), "修订", "全国人民代表大会常务委员会"),
    ]
    assert meta.version_date == D(2021, 1, 22) and meta.effective_date == D(2021, 7, 15)
    assert [e.label for e in meta.amendments] == ["第一次修正", "第二次修正", "修订"]
    assert meta.doc_number == ""  # the text cites no 主席令: left empty


def test_criminal_law_is_made_by_the_npc_and_amended_by_its_standing_committee():
    meta = meta_of(repo("刑法.md"))
    assert meta.issuer == "全国人民代表大会" and meta.rank == "law"
    assert meta.history[1].kind == "修订" and meta.history[1].date == D(1997, 3, 14)
    # 修正案 and decisions "通过的《…》" are amendments, even though the line says 通过.
    assert {e.kind for e in meta.history[2:]} == {"修正"} and len(meta.history[2:]) == 14
    assert meta.history[-1].date == D(2023, 12, 29)
    assert meta.effective_date == D(1997, 10, 1)  # "本法自1997年10月1日起施行"


def test_food_safety_regulation_decree_publication_and_entry_into_force():
    meta = meta_of(repo("食品安全法实施条例(2019-10-11).md"))
    assert (meta.issuer, meta.rank) == ("国务院", "admin_regulation")
    assert meta.doc_number == "中华人民共和国国务院令第721号"
    assert (meta.publish_date, meta.effective_date) == (D(2019, 10, 11), D(2019, 12, 1))
    assert [e.kind for e in meta.history] == ["公布", "修订", "修订", "公布", "施行"]


def test_unlicensed_business_measures_decree_and_dates():
    meta = meta_of(repo("无证无照经营查处办法(2017-08-06).md"))
    assert (meta.issuer, meta.rank, meta.doc_number) == ("国务院", "admin_regulation", "中华人民共和国国务院令第684号")
    assert (meta.publish_date, meta.effective_date) == (D(2017, 8, 6), D(2017, 10, 1))


def test_fine_collection_measures_decree_and_dates():
    meta = meta_of(repo("罚款决定与罚款收缴分离实施办法(1997-11-17).md"))
    assert meta.doc_number == "中华人民共和国国务院令第235号"
    assert (meta.publish_date, meta.effective_date) == (D(1997, 11, 17), D(1998, 1, 1))


def test_crime_transfer_provisions_revised_by_a_state_council_decision():
    meta = meta_of(repo("行政执法机关移送涉嫌犯罪案件的规定(2020-08-07).md"))
    assert (meta.issuer, meta.rank) == ("国务院", "admin_regulation")
    assert [(e.date, e.kind) for e in meta.history] == [(D(2001, 7, 9), "公布"), (D(2020, 8, 7), "修订")]
    # The 令第310号 and the 公布 date are the 2001 version's: the 2020 text states neither for itself.
    assert meta.doc_number == "" and meta.publish_date is None and meta.version_date == D(2020, 8, 7)
    # "本规定自公布之日起施行", and this version's 公布 date is not in the text.
    assert meta.effective_date is None


def test_city_roads_regulation_revised_twice():
    meta = meta_of(repo("城市道路管理条例(2019-03-24).md"))
    assert [(e.date, e.label) for e in meta.history] == [
        (D(1996, 6, 4), "公布"), (D(2011, 1, 8), "第一次修订"), (D(2017, 3, 1), "第二次修订")]
    assert (meta.issuer, meta.rank, meta.version_date) == ("国务院", "admin_regulation", D(2019, 3, 24))


def test_administrative_coercion_law():
    meta = meta_of(repo("行政强制法(2011-06-30).md"))
    assert (meta.issuer, meta.rank, meta.effective_date) == ("全国人民代表大会常务委员会", "law", D(2012, 1, 1))
    assert [e.kind for e in meta.history] == ["通过"]


def test_legislation_law_amended_by_the_npc_itself():
    meta = meta_of(repo("立法法_new.md"))
    assert meta.issuer == "全国人民代表大会"
    assert [(e.date, e.label) for e in meta.history] == [
        (D(2000, 3, 15), "通过"), (D(2015, 3, 15), "第一次修正"), (D(2023, 3, 13), "第二次修正")]
    assert meta.version_date == D(2023, 3, 13)  # no (YYYY-MM-DD) in the name: the last amendment


def test_administrative_review_law_revised_2023_in_force_2024():
    meta = meta_of(repo("行政复议法_new.md"))
    assert meta.history[-1].kind == "修订" and meta.history[-1].date == D(2023, 9, 1)
    assert meta.effective_date == D(2024, 1, 1)


def test_shanghai_food_safety_measures_give_only_their_entry_into_force():
    meta = meta_of(repo("上海市实施《食品安全法》办法.md"))
    # No history block, no date in the file name: only "本办法自2011年9月1日起施行" is stated.
    assert meta.effective_date == D(2011, 9, 1)
    assert (meta.issuer, meta.rank, meta.publish_date, meta.version_date, meta.history) == ("", "", None, None, [])


def test_the_directive_header_gives_its_issuer_and_number_and_no_date():
    meta = meta_of(DIRECTIVE)
    assert (meta.issuer, meta.doc_number, meta.rank) == ("周村区人民政府办公室", "周政办字〔2018〕18号", "normative")
    # The directive carries no 成文/发布/施行 date (its README): all stay empty.
    assert (meta.written_date, meta.publish_date, meta.effective_date, meta.version_date) == (None,) * 4


# ---------------------------------------------------------------- layouts the corpora lack
def test_dates_are_read_in_arabic_chinese_and_full_width_numerals():
    assert parse_cn_date("2018年3月1日") == parse_cn_date("二〇一八年三月一日") == D(2018, 3, 1)
    assert parse_cn_date("２０１８年３月１日") == parse_cn_date("2018-03-01") == D(2018, 3, 1)
    assert parse_cn_date("一九九七年十月三十一日") == D(1997, 10, 31)
    assert parse_cn_date("2018年2月30日") is None and parse_cn_date("1800年1月1日") is None
    assert parse_cn_date("去年三月") is None


def test_the_official_parenthesised_history_is_one_event_per_date():
    # The official layout of the 行政处罚法's history (one bracketed line, events after full-width spaces).
    text = ("中华人民共和国行政处罚法\n（1996年3月17日第八届全国人民代表大会第四次会议通过　根据2009年8月27日第十一届全国人民"
            "代表大会常务委员会第十次会议《关于修改部分法律的决定》第一次修正　根据2017年9月1日第十二届全国人民代表大会常务"
            "委员会第二十九次会议《关于修改〈中华人民共和国法官法〉等八部法律的决定》第二次修正　2021年1月22日第十三届全国"
            "人民代表大会常务委员会第二十五次会议修订）\n第一章 总则\n第一条 为了规范行政处罚的设定和实施，制定本法。\n"
            "第八十六条 本法自2021年7月15日起施行。\n")
    meta = read_metadata(text)
    assert [(e.date, e.label, e.organ) for e in meta.history] == [
        (D(1996, 3, 17), "通过", "全国人民代表大会"),
        (D(2009, 8, 27), "第一次修正", "全国人民代表大会常务委员会"),
        (D(2017, 9, 1), "第二次修正", "全国人民代表大会常务委员会"),
        (D(2021, 1, 22), "修订", "全国人民代表大会常务委员会"),
    ]
    assert meta.history[0].text == "1996年3月17日第八届全国人民代表大会第四次会议通过"
    assert (meta.issuer, meta.rank, meta.effective_date) == ("全国人民代表大会常务委员会", "law", D(2021, 7, 15))


def test_a_gongwen_header_and_closing_give_issuer_number_and_dates():
    meta = read_metadata(NOTICE)  # synthetic, GB/T 9704 layout (tests/portal/test_gongwen.py)
    assert (meta.issuer, meta.doc_number, meta.rank) == ("某区人民政府办公室", "某政办发〔2020〕3号", "normative")
    assert (meta.written_date, meta.publish_date) == (D(2020, 3, 1), D(2020, 3, 2))
    assert meta.effective_date is None and meta.history == []


def test_a_closing_date_in_chinese_numerals_and_an_effective_clause():
    text = ("某市人民政府关于加强某项工作的意见\n各县（市、区）人民政府：\n一、总体要求\n（一）本意见自2019年5月1日起施行。\n"
            "某市人民政府\n二〇一九年四月二日\n")  # synthetic
    meta = read_metadata(text)
    assert (meta.issuer, meta.written_date, meta.effective_date) == ("某市人民政府", D(2019, 4, 2), D(2019, 5, 1))
    assert meta.publish_date is None  # no 印发 line: not guessed from the 成文日期


def test_an_article_quoted_by_an_amendment_decision_is_not_its_own_entry_into_force():
    meta = read_metadata(DECISION)  # synthetic: quotes "本解释自公布之日起施行" as a new article
    assert meta.effective_date is None
    assert [(e.date, e.kind, e.organ) for e in meta.history] == [(D(2020, 1, 2), "通过", "某法院")]


def test_a_later_file_date_makes_the_history_s_decree_an_older_versions():
    path = repo("无证无照经营查处办法(2017-08-06).md")
    text = path.read_text(encoding="utf-8")
    later = read_metadata(text, "无证无照经营查处办法(2024-01-01).md")
    assert later.version_date == D(2024, 1, 1)
    assert later.doc_number == "" and later.publish_date is None
    assert later.effective_date == D(2017, 10, 1)  # the history's 施行 is still what the text states


def test_key_value_lines_of_a_markdown_header_are_read_as_written():
    # A test fixture in the importer's key-value header format (not a real document).
    text = ("# 测试市人民政府办公室关于某事项的通知\n\n发文字号: 测政办字〔2018〕18号\n发布机构: 测试市人民政府办公室\n"
            "成文日期: 2018-03-12\n发布日期: 2018-03-16\n生效日期: 2018-04-01\n\n<!-- INFO END -->\n\n一、总体要求\n\n按本通知执行。\n")
    meta = read_metadata(parse_document(text), "通知.md")
    assert (meta.issuer, meta.doc_number, meta.rank) == ("测试市人民政府办公室", "测政办字〔2018〕18号", "normative")
    assert (meta.written_date, meta.publish_date, meta.effective_date) == (D(2018, 3, 12), D(2018, 3, 16), D(2018, 4, 1))
    assert meta.history == []


def test_a_malformed_document_number_is_reported_and_left_empty():
    meta = read_metadata("某局文件\n某发〔1800〕3号\n关于某事项的通知\n各科室：\n一、按时报送。\n")  # synthetic
    assert meta.doc_number == "" and any("1800" in n for n in meta.notices)
