"""Citations in Chinese normative texts: find them, resolve short titles, write them as links.

Plain functions, no Django. ``find_citations(text, index)`` returns every citation of a text in
order, each with its span, the cited document as written, the place cited in that document's own
numbering and, when the ``TitleIndex`` holds the document, its key:

- ``《行政处罚法》第三十二条``, ``《中华人民共和国食品安全法》第一百三十六条第二款``,
  ``《…》第二十三条第一款第（三）项`` and lists that go on citing the same document:
  ``《城市市容和环境卫生管理条例》第十四条、第三十六条第（二）项`` (two citations), ``第十条至第十五条``,
  ``第一款、第二款`` (the same article);
- the citing document itself: ``依照本法第三十二条``, ``本条例第十条``; ``本条第二款`` when the
  article being read is known; and, for the body of a law (``own_bare``), a bare ``依照第三十条``;
- 公文 by their 发文字号: ``周政办字〔2018〕18号 二（四）3`` (a provision in the document's numbering),
  ``周政办字〔2018〕18号`` alone, ``《关于…的通知》（周政办字〔2018〕18号）`` (the whole document);
- a title without 《》 the index knows: ``行政处罚法第三十二条``, ``依照中华人民共和国刑法第二十条``;
- a title in 《》 without a place: the whole document (``根据《中华人民共和国行政处罚法》``), when the
  index holds it or it ends like a document's title (法, 条例, 办法, 通知 …): 《营业执照》 cites nothing.

Short titles resolve through the index: ``TitleIndex`` knows each document by its title, by the
title without ``中华人民共和国`` (行政处罚法 → 中华人民共和国行政处罚法) and without a closing （试行）,
and 公文 by their 发文字号 (normalised as ``lib.docnumber`` does). ``〈〉`` and ``<>`` inside a title
read as ``《》``, so ``《上海市实施〈食品安全法〉办法》`` finds 上海市实施《中华人民共和国食品安全法》办法.

Places are the anchors of ``lib.lawtext`` documents: an article's label such as 第十条 or 第十条之一, a 款
``第十条第二款``, a 项 ``第十条第二款第三项`` (``第十条第三项`` in an article of one 款;
``line_anchors`` gives the anchor of each line of an article), a 公文 provision's label (二（四）3（1））.
``place_anchors`` lists the anchors to try, most precise first, so a citation of a 项 the cited page
does not mark still lands on its article. ``link_text`` and ``link_html`` write a text (or HTML) with
chosen citations as ``<a>`` links, escaping everything else.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from lib.docnumber import DocNumberError, normalize_doc_number
from lib.lawtext import cn_to_int, int_to_cn

__all__ = ["Citation", "TitleIndex", "find_citations", "line_anchors", "link_html", "link_text",
           "normalize_title", "place_anchors", "title_aliases"]

_NUM = r"[零〇○一二两三四五六七八九十百千万0-9０-９]+"
_SUFFIX = r"[一二三四五六七八九十0-9０-９]+"
# One reference: 第X条(之Y)(第Y款)(第Z项), or what continues a list: 第Y款(第Z项), 第Z项.
_ARTICLE_REF = re.compile(rf"第({_NUM})条(?:之({_SUFFIX}))?(?:第({_NUM})款)?(?:第[（(]?({_NUM})[）)]?项)?")
_PARA_REF = re.compile(rf"第({_NUM})款(?:第[（(]?({_NUM})[）)]?项)?")
_ITEM_REF = re.compile(rf"第[（(]?({_NUM})[）)]?项")
# What joins the references of one list: 第十条、第十一条 / 第十条和第十一条 / 第十条至第十五条.
_SEPARATOR = re.compile(r"\s*(?:、|以及|及|和|与|或者|或|至|到)\s*")
_TITLE_RE = re.compile(r"《([^《》\n]{1,100})》")
_OWN_RE = re.compile(r"本(?:法|条例|实施条例|办法|实施办法|规定|细则|实施细则|规则|决定|解释|意见|实施意见|通知|准则|标准|规程|章程)"
                     r"(?=第)")
_THIS_ARTICLE_RE = re.compile(rf"本条(?=第{_NUM}款)")
_BRACKETS_OPEN, _BRACKETS_CLOSE = "〔[［(（【﹝〖", "〕]］)）】﹞〗"
_DOC_NUMBER_RE = re.compile(
    rf"([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]{{0,19}})[{re.escape(_BRACKETS_OPEN)}]([0-9０-９]{{4}})"
    rf"[{re.escape(_BRACKETS_CLOSE)}](第?[0-9０-９]+号)")
_NUMBER_TAIL_RE = re.compile(rf"[{re.escape(_BRACKETS_OPEN)}][0-9０-９]{{4}}[{re.escape(_BRACKETS_CLOSE)}]第?[0-9０-９]+号")
_AGENCY_CHAR_RE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# Words that stand before a 机关代字 but are no part of it: 根据周政办字〔2018〕18号.
_NUMBER_LEAD_RE = re.compile(r"^.*(?:根据|依据|依照|按照|参照|对照|执行|落实|贯彻|关于|印发|转发|作出|出具|送达|下达|发布|制发|文号为|编号为|见|及|和|与|的|是|据|照|按|由|将|对|年|月|日)")
# A 公文 provision cited after its document: 二（四）3（1）①.
_PROVISION_RE = re.compile(r"[ 　]?([一二三四五六七八九十]{1,3})((?:[（(][一二三四五六七八九十]{1,3}[）)])?)"
                           r"((?:[0-9]{1,2}(?![0-9．.]))?)((?:[（(][0-9]{1,2}[）)])?)([①-⑳]?)")
# What the title of a normative document ends with (its 文种), with an optional （试行）.
_GENRE_RE = re.compile(r"(?:法|法典|条例|规定|办法|细则|规则|决定|决议|解释|意见|通知|通告|公告|批复|答复|复函|纪要|方案|规划"
                       r"|计划|标准|规范|规程|准则|章程|制度|措施|目录|清单|宪法|公约|协定|条约)(?:（[^（）]{1,10}）)?$")
# Characters ending a title: a bare 第X条 after one of them cites a document this text does not name in 《》.
_TITLE_END = set("法例定则办释见知准范程令》〉>")
# What before a title without 《》 (物业管理条例第十条) makes it part of a longer one (浙江省物业管理条例):
# a place or an issuer, or 实施 (上海市实施食品安全法办法).
_LONGER_TITLE_RE = re.compile(r"(?:[省市区县州旗盟镇乡国部委局厅院]|实施)$")
_LINE_ITEM_RE = re.compile(r"^\s*[（(]([一二三四五六七八九十]+)[）)]")
_PLACE_RE = re.compile(rf"^(第{_NUM}条(?:之{_SUFFIX})?)(第{_NUM}款)?(第{_NUM}项)?$")
_PROVISION_PART_RE = re.compile(r"[一二三四五六七八九十]+|（[一二三四五六七八九十]+）|[0-9]+|（[0-9]+）|[①-⑳]")
_PUNCT_AFTER_LABEL = set("。，；：:;,.）)」』”’》 　\n\t")


_TITLE_CHARS = str.maketrans({"〈": "《", "〉": "》", "<": "《", ">": "》", "＜": "《", "＞": "》", "(": "（", ")": "）"})
_SPACE_RE = re.compile(r"\s+")


def normalize_title(title: str) -> str:
    """Return a title as looked up: no whitespace, 〈〉 and <> as 《》, parentheses full-width."""
    return _SPACE_RE.sub("", title or "").translate(_TITLE_CHARS)


def title_aliases(title: str) -> list[str]:
    """Return the ways a title is cited, the title itself first: without 中华人民共和国 (in front, or in
    front of a title it quotes: 上海市实施《食品安全法》办法), without （试行）."""
    full = normalize_title(title)
    out = [full] if full else []
    short = full.removeprefix("中华人民共和国").replace("《中华人民共和国", "《")
    for alias in (short, re.sub(r"（(?:试行|暂行)）$", "", full)):
        if len(alias) >= 2 and alias not in out:
            out.append(alias)
    if len(out) == 3:  # both: 中华人民共和国…（试行） -> …
        both = re.sub(r"（(?:试行|暂行)）$", "", out[1])
        if both not in out:
            out.append(both)
    return out


def _number_key(doc_number: str) -> str:
    try:
        return normalize_doc_number(doc_number)
    except DocNumberError:
        return normalize_title(doc_number)


class TitleIndex:
    """The documents a citation may resolve to: titles (with their short forms) and 发文字号 -> key.

    Keys are whatever the caller uses (a page id). When two documents share a title or a short
    form, the one added first wins, and a title always wins over another document's short form:
    add the preferred version (现行有效, the newest) first.
    """

    def __init__(self, titles: Iterable[tuple[str, Hashable]] = (), numbers: Iterable[tuple[str, Hashable]] = ()):
        self._titles: dict[str, Hashable] = {}
        self._aliases: dict[str, Hashable] = {}
        self._numbers: dict[str, Hashable] = {}
        self._lengths: list[int] = []
        for title, key in titles:
            self.add_title(title, key)
        for number, key in numbers:
            self.add_number(number, key)

    def add_title(self, title: str, key: Hashable) -> None:
        full, *aliases = title_aliases(title)
        self._titles.setdefault(full, key)
        for alias in aliases:
            self._aliases.setdefault(alias, key)
        self._lengths = sorted({len(t) for t in (*self._titles, *self._aliases)}, reverse=True)

    def add_number(self, doc_number: str, key: Hashable) -> None:
        if doc_number and doc_number.strip():
            self._numbers.setdefault(_number_key(doc_number), key)

    def __len__(self) -> int:
        return len(set(self._titles.values()) | set(self._numbers.values()))

    def resolve_title(self, title: str) -> Hashable | None:
        """Return the key of the document a title (as written, with or without 《》) names, or None."""
        text = normalize_title(title).removeprefix("《").removesuffix("》")
        for candidate in title_aliases(text):
            if candidate in self._titles:
                return self._titles[candidate]
        for candidate in title_aliases(text):
            if candidate in self._aliases:
                return self._aliases[candidate]
        return None

    def resolve_number(self, doc_number: str) -> Hashable | None:
        """Return the key of the document with this 发文字号 (any spelling of its brackets), or None."""
        return self._numbers.get(_number_key(doc_number))

    def title_before(self, text: str, end: int) -> tuple[int, str, Hashable] | None:
        """Return (start, title, key) of the longest known title ending at ``end`` in ``text``, or None.

        Not after a place, an issuer or 实施, which make it part of a longer title: in
        浙江省物业管理条例第十条 the index's 物业管理条例 is not found.
        """
        for length in self._lengths:
            start = end - length
            if start < 0 or length < 2:
                continue
            candidate = normalize_title(text[start:end])
            key = self._titles.get(candidate, self._aliases.get(candidate))
            if key is None:
                continue
            if not _LONGER_TITLE_RE.search(text[:start]):
                return start, text[start:end], key
        return None


@dataclass(frozen=True)
class Citation:
    """One citation: where it stands in the text, what it cites and, if held, the cited document's key.

    ``cited``: the cited document as written (the title without 《》, or the 发文字号), "" for the
    citing document itself. ``place``: the place cited in the document's own numbering
    such as 第三十二条第二款 or 二（四）3, "" for the whole document. ``kind``: "article", "provision" or
    "document". ``own``: the citing document itself (本法第十条). ``bare``: a title without 《》.
    """

    start: int
    end: int
    text: str
    cited: str
    place: str
    kind: str
    key: Hashable | None = None
    own: bool = False
    bare: bool = False

    def anchors(self) -> list[str]:
        """Return the anchors to try in the cited document, most precise first (see place_anchors)."""
        return place_anchors(self.place)


def _cn(number: str) -> int | None:
    try:
        value = cn_to_int(number)
    except ValueError:
        return None
    return value if value > 0 else None


def _article_place(number: str, suffix: str | None) -> str | None:
    n = _cn(number)
    if n is None:
        return None
    if suffix:
        s = _cn(suffix)
        if s is None:
            return None
        return f"第{int_to_cn(n)}条之{int_to_cn(s)}"
    return f"第{int_to_cn(n)}条"


def _sub_place(paragraph: str | None, item: str | None) -> tuple[str, str] | None:
    """Return ("第二款", "第三项") parts of a place ("" where absent), or None for a number that is none."""
    out = []
    for value, unit in ((paragraph, "款"), (item, "项")):
        if value is None:
            out.append("")
            continue
        n = _cn(value)
        if n is None:
            return None
        out.append(f"第{int_to_cn(n)}{unit}")
    return out[0], out[1]


def _chain(text: str, pos: int, article: str | None = None) -> list[tuple[int, int, str]]:
    """Return (start, end, place) of the references starting at ``pos``: one, then any joined to it.

    A list goes on citing the same document: 第十条、第十一条 (another article), 第一款、第二款 (the
    same article), 第（一）项、第（二）项 (the same 款). ``article`` is the article a list of
    款 starts in (本条第二款).
    """
    out: list[tuple[int, int, str]] = []
    paragraph = ""
    at = pos
    first = True
    while True:
        if not first:
            sep = _SEPARATOR.match(text, at)
            if not sep:
                break
            at_ref = sep.end()
        else:
            at_ref = at
        m = _ARTICLE_REF.match(text, at_ref)
        if m:
            place = _article_place(m.group(1), m.group(2))
            sub = _sub_place(m.group(3), m.group(4))
            if place is None or sub is None:
                break
            article, paragraph = place, sub[0]
            out.append((m.start(), m.end(), place + sub[0] + sub[1]))
        elif article and (m := _PARA_REF.match(text, at_ref)):
            sub = _sub_place(m.group(1), m.group(2))
            if sub is None:
                break
            paragraph = sub[0]
            out.append((m.start(), m.end(), article + sub[0] + sub[1]))
        elif article and not first and (m := _ITEM_REF.match(text, at_ref)):
            sub = _sub_place(None, m.group(1))
            if sub is None:
                break
            out.append((m.start(), m.end(), article + paragraph + sub[1]))
        else:
            break
        at = m.end()
        first = False
    return out


def _provision_after(text: str, pos: int) -> tuple[int, int, str] | None:
    """Return (start, end, label) of a 公文 provision label right after a document (二（四）3), or None.

    A label of one part (二) counts only when nothing but punctuation or the end follows it, so
    that 18号三个月内 cites no provision 三.
    """
    m = _PROVISION_RE.match(text, pos)
    if not m or not m.group(1):
        return None
    parts = [p for p in m.groups() if p]
    after = text[m.end():m.end() + 1]
    if len(parts) == 1 and after and after not in _PUNCT_AFTER_LABEL:
        return None
    label = "".join(parts).replace("(", "（").replace(")", "）")
    start = m.start() + (1 if text[m.start()] in " 　" else 0)
    return start, m.end(), label


def _trim_agency(agency: str, index: TitleIndex | None, tail: str) -> str:
    """Return the 机关代字 of a matched 发文字号, without the words before it (根据周政办字… -> 周政办字)."""
    if index is not None:
        for i in range(len(agency)):
            if index.resolve_number(agency[i:] + tail) is not None:
                return agency[i:]
    lead = _NUMBER_LEAD_RE.match(agency)
    return agency[lead.end():] if lead and lead.end() < len(agency) else agency


def _doc_numbers(text: str):
    """Yield (start of the 机关代字, start of 〔年份〕, end) of each 发文字号 in ``text``.

    Found by its 〔年份〕序号号 first, then the 机关代字 before it (up to 20 letters, not starting with a
    digit): cheaper than trying a 机关代字 at every character.
    """
    for m in _NUMBER_TAIL_RE.finditer(text):
        start = m.start()
        while start > 0 and m.start() - start < 20 and _AGENCY_CHAR_RE.match(text[start - 1]):
            start -= 1
        while start < m.start() and text[start] in "0123456789０１２３４５６７８９":
            start += 1
        if start < m.start():
            yield start, m.start(), m.end()


def find_citations(text: str, index: TitleIndex | None = None, own: Hashable | None = None,
                   own_bare: bool = False, article: str | None = None) -> list[Citation]:
    """Return the citations in ``text``, in order (see the module docstring).

    ``index``: the documents that resolve (None: nothing resolves, and titles without 《》 are not
    found). ``own``: the key of the citing document, for 本法第十条. ``own_bare``: a bare 第X条 cites
    the citing document (the body of a law); it never does after a title-like word (刑法第二十条
    with 刑法 unknown) nor at the start of a line (an article's own head). ``article``: the label
    of the article being read, for 本条第二款.
    """
    if not text or not ("第" in text or "《" in text or "号" in text):
        return []
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add_chain(head_start: int, head_end: int, cited: str, key, own_flag=False, bare=False,
                  start_article: str | None = None, allow_document: bool = True) -> int:
        refs = _chain(text, head_end, start_article)
        if not refs and text[head_end:head_end + 1] in " 　":
            refs = _chain(text, head_end + 1, start_article)
        if refs:
            for n, (start, end, place) in enumerate(refs):
                s = head_start if n == 0 else start
                found.append(Citation(s, end, text[s:end], cited, place, "article", key, own_flag, bare))
            taken.append((head_start, refs[-1][1]))
            return refs[-1][1]
        if allow_document:
            provision = _provision_after(text, head_end)
            if provision is not None:
                found.append(Citation(head_start, provision[1], text[head_start:provision[1]], cited, provision[2],
                                      "provision", key, own_flag, bare))
                taken.append((head_start, provision[1]))
                return provision[1]
            found.append(Citation(head_start, head_end, text[head_start:head_end], cited, "", "document", key,
                                  own_flag, bare))
            taken.append((head_start, head_end))
        return head_end

    # 1. Titles in 《》, with a 发文字号 in brackets right after them: 《…通知》（周政办字〔2018〕18号）.
    for m in _TITLE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        title = m.group(1)
        end = m.end()
        number = _DOC_NUMBER_RE.match(text, end + 1) if text[end:end + 1] in "（(" else None
        key = index.resolve_title(title) if index is not None else None
        if number and text[number.end():number.end() + 1] in "）)":
            doc_number = number.group(0)
            if index is not None and key is None:
                key = index.resolve_number(doc_number)
            found.append(Citation(m.start(), number.end() + 1, text[m.start():number.end() + 1], title, "",
                                  "document", key))
            taken.append((m.start(), number.end() + 1))
            continue
        if key is None and not _GENRE_RE.search(normalize_title(title)) and not _ARTICLE_REF.match(text, end):
            continue  # 《营业执照》, 《进口药品注册证》: a form or a certificate, not a document
        add_chain(m.start(), end, title, key)
    # 2. 发文字号, alone or followed by a provision: 周政办字〔2018〕18号 二（四）3.
    for agency_start, tail_start, end in _doc_numbers(text):
        agency = _trim_agency(text[agency_start:tail_start], index, text[tail_start:end])
        start = tail_start - len(agency)
        if not free(start, end):
            continue
        doc_number = text[start:end]
        key = index.resolve_number(doc_number) if index is not None else None
        add_chain(start, end, doc_number, key)
    # 3. The citing document itself: 本法第十条, 本条第二款.
    for m in _OWN_RE.finditer(text):
        if free(m.start(), m.end()):
            add_chain(m.start(), m.end(), "", own, own_flag=True, allow_document=False)
    if article:
        for m in _THIS_ARTICLE_RE.finditer(text):
            if free(m.start(), m.end()):
                add_chain(m.start(), m.end(), "", own, own_flag=True, start_article=article, allow_document=False)
    # 4. Titles without 《》 the index knows, and 5. bare articles of the citing document.
    for m in _ARTICLE_REF.finditer(text):
        if not free(m.start(), m.end()):
            continue
        if index is not None and (bare := index.title_before(text, m.start())) is not None:
            start, title, key = bare
            if free(start, m.start()):
                add_chain(start, m.start(), title, key, bare=True, allow_document=False)
                continue
        if not own_bare:
            continue
        before = text[:m.start()]
        if not before or before[-1] == "\n" or before[-1] in _TITLE_END:
            refs = _chain(text, m.start())  # an article's head, or another document's list: none of it
            taken.append((m.start(), refs[-1][1] if refs else m.end()))
            continue
        add_chain(m.start(), m.start(), "", own, own_flag=True, allow_document=False)
    found.sort(key=lambda c: c.start)
    return found


def place_anchors(place: str) -> list[str]:
    """Return the anchors to try for a place, most precise first.

    第十条第二款第三项 -> [itself, 第十条第二款, 第十条] (and 第十条第三项 for a 第一款: an article of
    one 款 names its items without it); 第十条第三项 -> [itself, 第十条第一款第三项, 第十条];
    二（四）3（1） -> [itself, 二（四）3, 二（四）, 二]; "" -> [] (the whole document).
    """
    if not place:
        return []
    m = _PLACE_RE.match(place)
    if m:
        art, para, item = m.group(1), m.group(2) or "", m.group(3) or ""
        out = [place]
        if para and item:
            if para == "第一款":
                out.append(art + item)
            out.append(art + para)
        elif item:
            out.append(art + "第一款" + item)
        if place != art:
            out.append(art)
        return out
    parts = _PROVISION_PART_RE.findall(place)
    if "".join(parts) != place:
        return [place]
    return ["".join(parts[:n]) for n in range(len(parts), 0, -1)]


def line_anchors(label: str, lines: Iterable[str]) -> list[str]:
    """Return the anchor of each line of an article: 第十条第二款 for a 款, 第十条第二款第三项 for a 项.

    A line opening with （一） is a 项 of the 款 before it; an article of one 款 names its 项
    without the 款, as in 第十条第三项. A line that would repeat an anchor gets "" (no anchor).
    """
    lines = list(lines)
    is_item = [bool(_LINE_ITEM_RE.match(line)) for line in lines]
    paragraphs = sum(1 for flag in is_item if not flag)
    out, seen, paragraph = [], set(), 0
    for line, item in zip(lines, is_item, strict=True):
        if item:
            number = _cn(_LINE_ITEM_RE.match(line).group(1))
            if number is None:
                out.append("")
                continue
            inner = f"第{int_to_cn(max(paragraph, 1))}款" if paragraphs > 1 else ""
            anchor = f"{label}{inner}第{int_to_cn(number)}项"
        else:
            paragraph += 1
            anchor = f"{label}第{int_to_cn(paragraph)}款"
        out.append("" if anchor in seen else anchor)
        seen.add(anchor)
    return out


def link_text(text: str, links: Iterable[tuple[int, int, str]], linebreaks: bool = False,
              css_class: str = "citation") -> str:
    """Return ``text`` as HTML: escaped, with each (start, end, href) span an ``<a>`` (spans must not overlap).

    ``linebreaks``: line breaks become ``<br>``.
    """
    out, at = [], 0
    for start, end, href in sorted(links):
        if start < at:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f'<a class="{css_class}" href="{html.escape(href)}">{html.escape(text[start:end])}</a>')
        at = end
    out.append(html.escape(text[at:]))
    result = "".join(out)
    if linebreaks:
        result = result.replace("\r\n", "\n").replace("\n", "<br>")
    return result


_TAG_RE = re.compile(r"(<[^>]*>)")


def link_html(markup: str, links_for: Callable[[str], Iterable[tuple[int, int, str]]],
              css_class: str = "citation") -> str:
    """Return HTML with citations in its text linked: ``links_for(text)`` gives the spans of each text run.

    Text inside an ``<a>`` already (an editor's link) is left alone; tags are kept as they are.
    The runs are HTML already: a span is wrapped in ``<a>`` without escaping it again.
    """
    out, depth = [], 0
    for piece in _TAG_RE.split(markup or ""):
        if not piece:
            continue
        if piece.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", piece)
            if name and name.group(1).lower() == "a":
                depth += -1 if piece.startswith("</") else (0 if piece.endswith("/>") else 1)
                depth = max(depth, 0)
            out.append(piece)
            continue
        if depth:
            out.append(piece)
            continue
        at = 0
        for start, end, href in sorted(links_for(piece)):
            if start < at:
                continue
            out.append(piece[at:start])
            out.append(f'<a class="{css_class}" href="{html.escape(href)}">{piece[start:end]}</a>')
            at = end
        out.append(piece[at:])
    return "".join(out)
