"""Text rewrites of a query: 繁体 → 简体, filler dropped, citation numerals in the law's own numbering.

Quoted phrases are left exactly as typed: only the text outside quotes is rewritten.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import zhconv

from lib.citations import TitleIndex, find_citations

# Question words and filler that no law contains, longest first so 怎么处罚 goes before 怎么.
FILLERS = tuple(sorted({
    "怎么处罚", "怎么处理", "怎么罚款", "怎么罚", "罚多少钱", "罚多少", "罚款多少", "怎么管", "谁来管", "归谁管", "谁管",
    "怎么办", "怎么样", "如何处罚", "如何处理", "如何", "怎么", "怎样", "是否", "是不是", "可不可以", "能不能",
    "有没有", "什么", "哪些", "哪个", "多少钱", "多少", "请问", "咨询一下", "一下",
    "最多能", "最多", "最少", "几天", "几年", "几个月", "多久", "多长时间", "需要", "可以", "应该",
}, key=lambda word: (-len(word), word)))
# Words that say nothing about the matter, dropped when a query is cut into its words to be found
# apart (``split_words``): single characters (要, 能, 是, 办 …) and these.
SPLIT_STOPWORDS = frozenset({"需要", "可以", "不能", "能否", "能够", "应该", "已经", "还是", "就是", "如果", "一般",
                             "这个", "那个", "这种", "我们", "他们", "自己", "的话", "之后", "以后"})
# Sentence-final particles: dropped only at the end of a word.
PARTICLES = "吗呢吧啊呀"
# Place words of colloquial complaints (小区私搭乱建): dropped only when a lexicon term is in the query.
PLACE_WORDS = tuple(sorted({"小区", "店门口", "家门口", "门口", "路边", "马路边", "街上", "楼下", "楼上", "隔壁",
                            "附近", "我家", "楼道里"}, key=len, reverse=True))
PENALTY_HINTS = ("罚", "处罚", "处理")

CN_DIGITS = "零一二三四五六七八九"
_CN = "一二三四五六七八九十百千零〇"
_QUOTED = re.compile(r"\"[^\"]*\"?|“[^”\"]*[”\"]?|「[^」]*」?|『[^』]*』?|‘[^’]*’?")
_NUMBERED = re.compile(r"(?:(第)\s*)?(?<!\d)(\d{1,4})\s*(条|款|项)(?:\s*之\s*(\d{1,2}))?")
# A title, then a space, then 第…条: joined so that the citation is read as one (食品安全法 136条).
_TITLE_SPACE_ARTICLE = re.compile(rf"(法|条例|办法|规定|细则|规则|决定|》)\s+(第[{_CN}]+条)")
_ARTICLE = re.compile(rf"第[{_CN}]+条(?:之[{_CN}]+)?")


def chinese_number(n: int) -> str:
    """Return ``n`` (0–9999) as a law numbers it: 10 → 十, 32 → 三十二, 105 → 一百零五, 136 → 一百三十六."""
    if n == 0:
        return "零"
    if not 0 < n < 10000:
        raise ValueError(n)
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    out, zero = [], False
    for value, unit in units:
        digit = n // value % 10
        if digit:
            if zero and out:
                out.append("零")
            out.append(CN_DIGITS[digit] + unit)
            zero = False
        elif out:
            zero = True
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def fold(text: str) -> str:
    """Return ``text`` in NFKC form (full-width digits and letters as ASCII) with 繁体 as 简体."""
    text = unicodedata.normalize("NFKC", text)
    return zhconv.convert(text, "zh-hans") if any(ord(ch) > 0x2000 for ch in text) else text


def outside_quotes(text: str, rewrite: Callable[[str], str]) -> str:
    """Return ``text`` with ``rewrite`` applied to every stretch outside a quoted phrase."""
    out, pos = [], 0
    for m in _QUOTED.finditer(text):
        out += [rewrite(text[pos:m.start()]), m.group(0)]
        pos = m.end()
    out.append(rewrite(text[pos:]))
    return "".join(out)


def rewrite_numerals(text: str, changes: list[tuple[str, str]]) -> str:
    """Return ``text`` with 第32条 / 32条 / 第3款 / 第2项 as 第三十二条 / 第三款 / 第二项; each change
    (as typed, as rewritten) is added to ``changes``."""
    def one(m: re.Match) -> str:
        new = f"第{chinese_number(int(m.group(2)))}{m.group(3)}"
        if m.group(4):
            new += f"之{chinese_number(int(m.group(4)))}"
        if int(m.group(2)) == 0:
            return m.group(0)
        changes.append((m.group(0).strip(), new))
        return new

    text = _NUMBERED.sub(one, text)
    return _TITLE_SPACE_ARTICLE.sub(r"\1\2", text)


def _searchable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def drop_fillers(text: str, dropped: list[str], words: tuple[str, ...] = FILLERS) -> str:
    """Return ``text`` without the filler ``words`` (and, for the question words, final particles);
    what went is added to ``dropped``.  When nothing searchable would be left, ``text`` is returned
    as it is: a query is never emptied."""
    out, gone = [], []
    for word in re.split(r"(\s+)", text):
        if not word or word.isspace():
            out.append(word)
            continue
        rest = word
        for filler in words:
            if filler in rest:
                gone.append(filler)
                rest = rest.replace(filler, " ")
        rest = " ".join(rest.split())
        while words is FILLERS and len(rest) > 1 and rest[-1] in PARTICLES:
            gone.append(rest[-1])
            rest = rest[:-1].rstrip()
        out.append(rest)
    result = "".join(out)
    if not gone or not _searchable(result):
        return text
    dropped += gone
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return lead + " ".join(result.split()) + trail


@dataclass(frozen=True)
class Provision:
    """A held law's article named in the query: the law's key in the title index, and the article."""

    key: object
    law: str  # as typed: 行政处罚法
    article: str  # the article's anchor: 第三十二条
    place: str  # as cited: 第三十二条第二款


def find_provision(text: str, index: TitleIndex | None) -> Provision | None:
    """Return the first article of a held law that ``text`` cites (行政处罚法第三十二条), or None.

    The citation is read by ``lib.citations.find_citations``, the resolver of the citation index.
    """
    if index is None or not len(index):
        return None
    for citation in find_citations(text, index):
        if citation.key is None or citation.own or not citation.place:
            continue
        m = _ARTICLE.match(citation.place)
        if m:
            return Provision(citation.key, citation.cited, m.group(0), citation.place)
    return None


def is_penalty_question(dropped: list[str]) -> bool:
    """Return True when the dropped question words asked how a violation is punished (罚多少, 怎么处罚)."""
    return any(hint in word for word in dropped for hint in PENALTY_HINTS)
