"""Nothing in the repository cites 周政办字〔2018〕18号 by article (it has no 条), or sets the portal elsewhere.

The directive (``demo/data/zhouzhengban-2018-18.txt``) is a 公文 numbered 一、/（一）/1．/（1）/①;
a provision is cited by its path, 二（四）3（1）. An earlier demo carried an invented text under
the same 文号 with 36 条, and the code cited those articles; these tests keep them out.

The check reads every tracked text file:

1. Anywhere, the 文号 or the title of the directive followed by 第N条 ("18号第二十五条",
   "周政办字〔2018〕18号 第九条", "《关于加强综合行政执法协作配合的实施意见》第五条", "本意见第三条").
2. A law text — a file whose lines start with its own articles (第一条 …) — may not carry the
   directive's 文号: that would present a 条-structured text as the directive.
3. The code and data of the directive's working systems (paths with cooperation, sharing, demo,
   workdays, deadline), unless a law text: each 第N条 in it must say which law it belongs to, the
   way a real citation does (《城市道路管理条例》第二十七条第（一）项、第三十条; 行政处罚法第三十二条;
   依据该条例第三十六条), or be the label of an article being quoted or linked ("第一条 为了…",
   ``#第二条``). A bare 第九条 there can only mean the directive.
4. Any other file that cites the directive (its 文号 or a provision path such as 二（四）) may still
   speak of law articles in general (the law-text parser does: "old 第十二条 is new 第十三条"),
   but not cite one in brackets without naming its law first: "（第九条）", "(第八条至第十二条)".

Law texts are recognised by their shape, not by where they are kept, so the corpora of real
laws (tests/data, demo/data/laws, demo/data/amendments) pass without an exception list — a
test below proves that every one of them is recognised as a law text.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
THIS_FILE = Path(__file__).resolve().relative_to(ROOT).as_posix()
NUM = "[〇零一二三四五六七八九十百千0-9０-９]+"
ARTICLE = re.compile(f"第{NUM}条")
DOC_NUMBER = "周政办字〔2018〕18号"
DIRECTIVE_TITLE = "关于加强综合行政执法协作配合的实施意见"

# Rule 1: the directive named, then an article.
CITED_BY_ARTICLE = re.compile(
    rf"(?:18号|{DIRECTIVE_TITLE}》?|本意见|该意见)[\s）)》」”\"]*第{NUM}条"
)
# Rule 2: a line that starts an article ("第一条 …", "## 第一条", "第十条之一　…").
ARTICLE_HEADING = re.compile(rf"^\s*(?:#+\s*)?第{NUM}条(?:之{NUM})?(?:[\s\u3000（【]|$)", re.MULTILINE)
# Rule 3: what makes a file one about the directive.
CITES_DIRECTIVE = re.compile(rf"{re.escape(DOC_NUMBER)}|二（[一二三四]）")
DIRECTIVE_CODE = re.compile(r"cooperation|sharing|demo/|workdays|deadline")
# Rule 4: an article cited in brackets with nothing before it: （第九条）, (第八条至第十二条).
BRACKETED_ARTICLE = re.compile(f"[（(]第{NUM}条")
# A chain of articles, paragraphs and items after the law they belong to: 第十四条、第三十六条第（二）项.
CHAIN = re.compile(f"(?:第{NUM}条(?:之{NUM})?|第{NUM}款|第[（(]?{NUM}[)）]?项|[、，,和及与至或]|\\s)*$")
# A parenthesised remark inside a chain is skipped, but not the （二） of 第（二）项.
REMARK = re.compile(r"(?<!第)（[^（）]*）|(?<!第)\([^()]*\)")
LAW_NAME = re.compile(r"(?:《[^《》]{2,80}》|法|条例|规定|办法|细则|规则|决定)$")
# An article label: quoted ("第一条 …"), an anchor (#第一条), after an escaped newline, or an example (例如：第十二条).
LABEL = re.compile(r"(?:[\"'“‘]\s*|#|\\n|例如[：:]\s*)$")
ELSEWHERE = ("周口", "川汇", "河南")
REAL_LAW_CORPORA = ("tests/data/laws/", "tests/data/search/", "tests/data/amendments/", "demo/data/laws/",
                    "demo/data/amendments/", "tests/corpus/laws/")
# The verbatim LawRefBook copy (tests/corpus/SOURCE.txt): real laws of other provinces name them, and the domain
# dictionary is mined from all of them.  The one folder the check of other places leaves alone.
VERBATIM_LAWS = "tests/corpus/laws/"


def tracked_texts() -> dict[str, str]:
    """Return {path: text} of every tracked file that reads as UTF-8 text."""
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    texts = {}
    for name in filter(None, listing.stdout.split("\0")):
        path = ROOT / name
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
    return texts


def is_law_text(text: str) -> bool:
    """Return True for a text structured in its own 条 (at least two lines start an article)."""
    return len(ARTICLE_HEADING.findall(text)) >= 2


def names_its_law(before: str) -> bool:
    """Return True if the text before a 第N条 says which law it is in, or makes it a quoted label."""
    if LABEL.search(before):
        return True
    without_remarks = REMARK.sub("", REMARK.sub("", before))
    head = CHAIN.sub("", without_remarks)
    chained = ARTICLE.search(without_remarks[len(head):]) is not None
    return bool(LAW_NAME.search(head) or (chained and LABEL.search(head)))


def directive_article_citations(path: str, text: str) -> list[str]:
    """Return "path:line: excerpt" for every way ``text`` cites the directive by article (rules 1-3)."""
    found = []
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        for m in CITED_BY_ARTICLE.finditer(line):
            found.append(f"{path}:{n}: {m.group()}")
    law = is_law_text(text)
    if law and DOC_NUMBER in text:
        found.append(f"{path}: 按条编排的文本标注了{DOC_NUMBER}")
    if law:
        return found
    if DIRECTIVE_CODE.search(path):
        for n, line in enumerate(lines, 1):
            for m in ARTICLE.finditer(line):
                if not names_its_law(line[:m.start()]):
                    found.append(f"{path}:{n}: {line.strip()[:80]}")
    elif CITES_DIRECTIVE.search(text):
        for n, line in enumerate(lines, 1):
            for m in BRACKETED_ARTICLE.finditer(line):
                if not LAW_NAME.search(line[:m.start()].rstrip()):
                    found.append(f"{path}:{n}: {m.group()}")
    return found


def test_no_tracked_file_cites_the_directive_by_article():
    # This file quotes invented citations as examples of what the check catches: it is the one file not read.
    texts = {p: t for p, t in tracked_texts().items() if p != THIS_FILE}
    found = [hit for path, text in texts.items() for hit in directive_article_citations(path, text)]
    assert not found, "引用了周政办字〔2018〕18号并不存在的“条”：\n" + "\n".join(found)


def _lists_every_province(line: str) -> bool:
    """A table of the provinces (lib.textmeta reads 地方性法规 by them) names 河南 without setting anything there."""
    return all(f'"{name}"' in line for name in ("山东", "河南", "湖北", "湖南", "广东"))


def test_no_tracked_file_names_the_city_the_invented_text_was_set_in():
    # The portal serves 淄博市周村区 (山东省); an earlier demo was set in another city and province.
    texts = {p: t for p, t in tracked_texts().items() if p != THIS_FILE and not p.startswith(VERBATIM_LAWS)}
    found = [f"{path}:{n}: {word}" for path, text in texts.items()
             for n, line in enumerate(text.splitlines(), 1) for word in ELSEWHERE
             if word in line and not _lists_every_province(line)]
    assert not found, "\n".join(found)


def test_every_corpus_of_real_laws_reads_as_a_law_text_without_the_directive_number():
    corpora = {p: t for p, t in tracked_texts().items() if p.startswith(REAL_LAW_CORPORA) and p.endswith(".md")}
    assert len(corpora) >= 10
    not_laws = [p for p, t in corpora.items() if not is_law_text(t)]
    assert not not_laws
    assert not [p for p, t in corpora.items() if DOC_NUMBER in t]


@pytest.mark.parametrize("line", [
    "根据周政办字〔2018〕18号第三十一条，联席会议办公室对第三季度情况进行了统计。",
    "SHARING_DAYS = 5  # 周政办字〔2018〕18号 第十五条：最迟不得超过5个工作日",
    "《关于加强综合行政执法协作配合的实施意见》第五条规定",
    "依照本意见第三条",
])
def test_the_directive_named_then_an_article_is_caught_anywhere(line):
    assert directive_article_citations("lib/anything.py", line)


@pytest.mark.parametrize("line", [
    'NO_REPLY = "未答复当事人，不能办结（第二十九条），请填写答复内容。"',
    "    help_text=\"应在会议召开前至少5个工作日开始征集议题（第九条）\")",
    "- Penalty data is due within 3 working days of receipt (第十九条).",
    "TOPIC_LEAD_DAYS = 5  # 第九条：会议召开前至少5个工作日征集议题",
    "  第二十六条 gives other requests for help between departments.",
    "行政处罚 (第二十四条、第三十三条). A judicial organ",
    "<p>尚缺必需材料（第二十二条）。</p>",
])
def test_a_bare_article_in_the_code_of_the_working_systems_is_caught(line):
    assert directive_article_citations("cooperation/anything.py", line)


@pytest.mark.parametrize("line", [
    '"basis": "《城市市容和环境卫生管理条例》第十四条、第三十六条第（二）项"',
    '"legal_basis": "《城市道路管理条例》第二十七条第（一）项、第三十条、第三十三条"',
    "当事人的行为违反了《中华人民共和国大气污染防治法》第七十条第一款的规定。依据该法第一百一十六条，",
    '"basis": "《中华人民共和国行政处罚法》第六十三条、第六十四条（当事人应当在告知后五日内提出听证要求）、第六十五条"',
    "依照行政处罚法第三十二条从轻处罚",
    'text="第一条 依照周政办字〔2018〕18号通知执行。"',
    'visitor.goto(f"{url}#第二条")',
    'help_text="例如：第十二条、第十条之一"',
    '"refuse": {"ground": "《信访工作条例》第四十六条第二款：不得透露信访人的检举材料。"}',
])
def test_a_real_law_citation_or_an_article_label_passes(line):
    assert directive_article_citations("cooperation/anything.py", line) == []


def test_a_file_citing_the_directive_may_discuss_law_articles_but_not_cite_one_bare_in_brackets():
    generic = "二（四）3（1） is a path; when one article is inserted, old 第十二条 is new 第十三条."
    assert directive_article_citations("lib/anything.py", generic) == []
    assert directive_article_citations("lib/anything.py", generic + "\n例会每半年一次（第八条）。")
    assert directive_article_citations("lib/anything.py", generic + "\n依据《行政处罚法》（第三十二条）") == []


def test_a_text_in_articles_under_the_directive_number_is_caught():
    invented = f"# 某通知\n\n发文字号: {DOC_NUMBER}\n\n第一条 为规范协作配合，制定本通知。\n\n第二条 本通知自发布之日起施行。"
    assert directive_article_citations("demo/data/anything.md", invented)
    real_law = "# 某条例\n\n第一条 为了规范管理，制定本条例。\n\n第二条 违反本条例第一条规定的，责令改正。"
    assert directive_article_citations("demo/data/laws/anything.md", real_law) == []
