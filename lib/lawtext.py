"""One document-structure model for Chinese normative texts: laws and 公文, parsed and rendered back.

Plain functions, no Django: the regulation page type, the archive diff (provision-by-provision
alignment), the importers and the search indexer all build on them.

Three kinds of text (``Document.kind``), detected by ``parse_document``:

- ``law``: 编/章/节 divisions and ``第X条`` articles (their 款/项 are the article's lines).
  Markdown as in the LawRefBook corpus (``# 标题``, an optional history block ending in
  ``<!-- INFO END -->``, ``##`` headings) or plain text (first line the title, ``第一章 总则``
  headings, ``一、总体要求`` parts in a text without 章). The heading level (number of ``#``)
  is ignored: the kind named in the heading decides the nesting (编 > 章 > 节), because real
  files get the levels wrong (上海市实施《食品安全法》办法 writes ``### 第三章`` then ``## 第一节``).
- ``gongwen`` (公文: 实施意见, 通知, 决定 …): provisions numbered 一、 / （一） / 1．(1. 1、) /
  （1） / ①, nested in that order. Before them the preamble (发文机关, 标题, 发文字号, 主送机关
  and the lead paragraphs), after them the back matter (附件说明, 落款, 成文日期, 附注, 附件,
  抄送, 印发), each line a ``Passage`` with its role. Each provision has a label in the
  document's own numbering (``二（四）3（1）``) and a unique anchor (the label; a repeated
  series under one parent gets ``-2``, ``-3``).
- ``plain``: neither; kept whole as paragraphs (with its title, 主送 and 落款 recognised).

Nothing is dropped: every non-blank line of the source lands somewhere in the Document, in
order, and ``plain_text`` writes it back (markup aside: ``#``, ``**``, HTML comments). A
numbered line the parser cannot place (its number runs backwards) is kept as an "unplaced"
paragraph where it stood, and ``Document.notices`` says so in Chinese for the editor.
``document_to_stream`` / ``document_from_stream`` convert to and from the raw StreamField
data of portal.blocks (dicts, no Django).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["KINDS", "PART_LABELS", "PART_OF_ROLE", "PASSAGE_ROLES", "PROVISION_LEVELS", "Article", "Division",
           "Document", "LawText", "LawTextError", "Passage", "Provision", "article_number_key", "cn_to_int",
           "document_from_stream", "document_to_stream", "int_to_cn", "parse_document", "parse_law_text",
           "plain_lines", "plain_text", "render_text", "source_characters", "split_articles"]


class LawTextError(ValueError):
    """Raised when a text cannot be read as a law (message is Chinese)."""


# ---------------------------------------------------------------- numerals
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZEROS = "零〇○"
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_DIGITS = "零一二三四五六七八九"
_ARABIC_RE = re.compile(r"[0-9０-９]+")
# Characters that can make up the number in 第X条 / 第X章 (Chinese, arabic, full-width).
_NUM = r"[零〇○一二两三四五六七八九十百千万0-9０-９]+"


def cn_to_int(s: str) -> int:
    """Return the value of a Chinese (or arabic) numeral such as "一百零二" -> 102.

    Accepts 十/百/千/万 with 零/〇 for skipped places, a leading 十 ("十二" -> 12),
    两 for 二, and arabic or full-width digits ("102", "１０２").
    Raises ValueError for anything else, including the ambiguous colloquial
    "一百二" (120 or 102?) that never appears in legal texts.
    """
    text = s.strip() if isinstance(s, str) else ""
    bad = ValueError(f"不是有效的数字：{s!r}")
    if _ARABIC_RE.fullmatch(text):
        return int(text)  # int() understands full-width digits as well
    if len(text) == 1 and text in _ZEROS:
        return 0
    if not text:
        raise bad
    total, section, pending = 0, 0, None
    last_unit = 10**5  # units inside a section must strictly decrease
    after_zero = False
    for ch in text:
        if ch in _DIGITS:
            if pending is not None:
                raise bad  # "一二"
            pending = _DIGITS[ch]
        elif ch in _ZEROS:
            # 零 only between a unit and a smaller place: 一百零二, 一千零一十, 一万零二.
            if pending is not None or after_zero or not (section or total):
                raise bad
            after_zero = True
        elif ch in _UNITS:
            unit = _UNITS[ch]
            # A bare 十 is fine at the start ("十二") or after 零 ("一千零十"); "十百" is not.
            if unit >= last_unit or (pending is None and (unit != 10 or not (section == 0 or after_zero))):
                raise bad
            section += (pending or 1) * unit
            pending, last_unit, after_zero = None, unit, False
        elif ch == "万":
            if pending is not None and (after_zero or last_unit in (10, 10**5)):
                section += pending  # "四千三百零一万", "十二万"
            elif pending is not None or after_zero or section == 0 or total:
                raise bad  # "一百二万", "一百零万", "万", "一万万"
            total, section, pending, last_unit, after_zero = section * 10000, 0, None, 10**4, False
        else:
            raise bad
    # A trailing digit is a units digit only after 零 or 十, or alone: "一百零二",
    # "十二", "七"; "一百二" / "一万二" (colloquial 120 / 12000) are refused, as is "一百零".
    if (after_zero and pending is None) or (pending is not None and not (after_zero or last_unit in (10, 10**5))):
        raise bad
    return total + section + (pending or 0)


def _section_to_cn(n: int) -> str:
    """Return 0 < n < 10000 in Chinese, with 零 for every run of skipped places."""
    out, zero = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_CN_DIGITS[digit] + name)
    return "".join(out)


def int_to_cn(n: int) -> str:
    """Return the Chinese numeral for 0 <= n < 10**8, e.g. 102 -> "一百零二", 12 -> "十二"."""
    if not isinstance(n, int) or n < 0 or n >= 10**8:
        raise ValueError(f"无法转换为中文数字：{n!r}")
    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    text = _section_to_cn(low)
    if high:  # 10010 -> 一万零一十: 零 when the lower section lacks its 千
        text = _section_to_cn(high) + "万" + ("零" if 0 < low < 1000 else "") + text
    # 10..19 are written 十, 十二; but 110 stays 一百一十 (the 一 is only dropped in front).
    return text[1:] if text.startswith("一十") else text


# ---------------------------------------------------------------- data
# The roles of a Passage (a line outside the numbered structure) and the part each belongs to.
PASSAGE_ROLES = {
    "header": "版头", "issuer": "发文机关", "title": "标题", "doc_number": "发文字号", "addressee": "主送机关",
    "lead": "前言", "history": "沿革", "toc": "目录", "text": "正文段落", "unplaced": "未识别段落",
    "attachment_note": "附件说明", "signature": "落款", "date": "成文日期", "note": "附注",
    "attachment": "附件", "attachment_text": "附件内容", "copy": "抄送", "printed": "印发", "closing_text": "版记",
}
PART_OF_ROLE = {
    **dict.fromkeys(("header", "issuer", "title", "doc_number", "addressee", "lead"), "preamble"),
    "history": "history", "toc": "toc", "text": "body", "unplaced": "body",
    **dict.fromkeys(("attachment", "attachment_text"), "attachment"),
    **dict.fromkeys(("attachment_note", "signature", "date", "note", "copy", "printed", "closing_text"), "closing"),
}
PART_LABELS = {"preamble": "版头及前言", "history": "沿革", "toc": "目录", "body": "正文", "attachment": "附件",
               "closing": "落款及版记"}
# 公文 provision levels: 1 一、 / 2 （一） / 3 1． / 4 （1） / 5 ①.
PROVISION_LEVELS = {1: "一、", 2: "（一）", 3: "1．", 4: "（1）", 5: "①"}
KINDS = {"law": "条款式法规", "gongwen": "公文", "plain": "无编号文本"}


@dataclass
class Passage:
    """One line (or block of lines) outside the numbered structure, with its role (PASSAGE_ROLES)."""

    text: str
    role: str = "text"

    @property
    def part(self) -> str:
        """Return the part the passage belongs to: preamble, history, toc, body, attachment or closing."""
        return PART_OF_ROLE.get(self.role, "body")


@dataclass
class Article:
    """One 条: its number, 之X suffix, normalised label and paragraphs (款/项)."""

    number: int
    suffix: int  # 第十条之一 -> 1, otherwise 0
    label: str  # "第十二条", "第十条之一": the HTML anchor and the citation
    paragraphs: list[str] = field(default_factory=list)
    heading: str = ""  # 第X条【标题】
    written: str = ""  # the head as the source wrote it, when it differs from label+heading ("第12条")

    @property
    def text(self) -> str:
        """Return the article body, one paragraph per line."""
        return "\n".join(self.paragraphs)

    @property
    def key(self) -> tuple[int, int]:
        """Return (number, suffix), the sort key of the article."""
        return (self.number, self.suffix)

    @property
    def anchor(self) -> str:
        return self.label

    @property
    def head(self) -> str:
        """Return the head as written: "第十条【定义】", or the source's own spelling."""
        return self.written or self.label + (f"【{self.heading}】" if self.heading else "")


@dataclass
class Division:
    """A heading (编/章/节/部分, or "其他" for unnumbered ones such as 附则) and what it holds."""

    kind: str  # "编" | "章" | "节" | "部分" | "其他"
    number: int  # 0 for "其他"
    label: str  # "第一章", "一、" for 部分, "" for 其他
    title: str
    children: list[Division | Article] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # text before the first child
    written: str = ""  # the heading line as the source wrote it, when it differs ("第1章 总则")

    @property
    def heading(self) -> str:
        """Return the heading line as displayed, e.g. "第一章 总则"."""
        if self.kind == "部分":
            return self.label + self.title
        return " ".join(p for p in (self.label, self.title) if p)


@dataclass
class Provision:
    """A numbered provision of a 公文 (一、 / （一） / 1． / （1） / ①) and what it holds.

    ``paragraphs`` are its own lines before its first child (the text after the marker
    first, unless that is a short ``title`` such as "工作目标"); ``children`` are the
    provisions under it and, in order among them, Passages: paragraphs that follow a
    series of items but belong to this provision ("text"), or lines that could not be
    placed ("unplaced").
    """

    level: int  # 1..5, see PROVISION_LEVELS
    number: int
    marker: str  # as written: "二、", "（四）", "3．", "（1）", "①"
    label: str  # the path in the document's numbering, the citation: "二（四）3（1）"
    anchor: str = ""  # unique in the document: the label, or "二（四）3（1）-2" for a repeated series
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    children: list[Provision | Passage] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Return the provision's own lines (title, paragraphs, its own later paragraphs), not its children's."""
        lines = ([self.title] if self.title else []) + self.paragraphs
        lines += [c.text for c in self.children if isinstance(c, Passage)]
        return "\n".join(lines)

    @property
    def heading(self) -> str:
        """Return the title (may be empty): what a table of contents shows after the marker."""
        return self.title


@dataclass
class Document:
    """A parsed text of any kind: title, front matter, body tree and back matter.

    ``front``: role-tagged lines before the body (for 公文 and plain texts the whole
    preamble, the title line included; for a law only the lines before and at its title
    when a title line is repeated in the text, as in a Word file with a red header).
    ``history`` and ``preamble`` (plain paragraphs) serve laws; the history stands after
    the first ``history_at`` front passages; ``toc`` is a 目录 block, placed after the first
    ``toc_after`` preamble paragraphs. ``children`` are divisions
    and articles (law), provisions and passages (公文), passages (plain). ``back`` is
    the back matter, ``notices`` what the parser could not place, in Chinese.
    """

    title: str
    history: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    children: list = field(default_factory=list)
    kind: str = "law"
    front: list[Passage] = field(default_factory=list)
    toc: list[str] = field(default_factory=list)
    toc_after: int = 0
    back: list[Passage] = field(default_factory=list)
    notices: list[str] = field(default_factory=list, compare=False)
    history_at: int = 0  # how many front passages come before the history (a law's: all of them)

    def articles(self) -> list[Article]:
        """Return all articles, flat, in document order."""
        return [node for node in _walk(self.children) if isinstance(node, Article)]

    def divisions(self) -> list[Division]:
        """Return all divisions, flat, in document order (parents before children)."""
        return [node for node in _walk(self.children) if isinstance(node, Division)]

    def provisions(self) -> list[Provision]:
        """Return all 公文 provisions, flat, in document order (parents before children)."""
        return [node for node in _walk(self.children) if isinstance(node, Provision)]

    def units(self) -> list[Article | Provision]:
        """Return what is compared and cited one by one: the articles of a law, the provisions of a 公文."""
        return self.articles() if self.kind == "law" else self.provisions()

    def parts(self) -> list[tuple[str, list[Passage]]]:
        """Return the front and back matter as (part, passages) runs in order, e.g. ("closing", [...])."""
        runs: list[tuple[str, list[Passage]]] = []
        for passage in self.front + self.back:
            part = passage.part
            if not runs or runs[-1][0] != part or (passage.role == "attachment" and part == "attachment"):
                runs.append((part, []))
            runs[-1][1].append(passage)
        return runs


LawText = Document  # the name the law-only model had


def _walk(nodes):
    """Yield every node of the tree, parents before their children."""
    for node in nodes:
        yield node
        if isinstance(node, (Division, Provision)):
            yield from _walk(node.children)


# ---------------------------------------------------------------- line rules
_INFO_END = "<!-- INFO END -->"
_QUOTES = "“\"「『‘'《"
_SENTENCE_PUNCT = re.compile(r"[。，；：？！,;]")
# After a bare "第十条" these characters mean the line *cites* an article instead
# of starting one: "第十条规定的情形…", "第十条第二款…", "第十条所称…", "第十条之规定".
_CITATION_NEXT = "规所第的中和至、及或以前后之款项"
_ARTICLE_RE = re.compile(rf"^第({_NUM})条(?:之([一二三四五六七八九十]+))?(.*)$")
_DIVISION_RE = re.compile(rf"^第({_NUM})([编章节])(.*)$")
_PART_RE = re.compile(r"^([一二三四五六七八九十]+)、(.+)$")
_HEADING_BRACKET_RE = re.compile(r"^【([^【】]{1,40})】\s*(.*)$")
_HEADING_PAREN_RE = re.compile(r"^[（(]([^（）()]{1,30})[）)]\s*(.+)$")
# A line that is only "附件一" / "附表二" / "附录" opens an appendix after the last
# article (环境保护税法 ends with "附表一 / 环境保护税税目税额表 / …"); without
# this rule the tables would become paragraphs of 第二十八条.
_APPENDIX_RE = re.compile(r"附(?:件|表|录)[一二三四五六七八九十0-9]*")
_RANK = {"编": 0, "其他": 0, "章": 1, "部分": 1, "节": 2}
_CJK_GAP_RE = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


def _clean(line: str) -> str:
    """Return the line with full-width spaces made ASCII, ``**`` markers removed, ends stripped."""
    return line.replace("\u3000", " ").replace("\xa0", " ").replace("\ufeff", "").replace("**", "").strip()


def _title_text(title: str) -> str:
    """Return a heading title with the letter-spacing removed: "总  则" -> "总则"."""
    return _CJK_GAP_RE.sub("", re.sub(r"\s+", " ", title).strip())


def _match_article(line: str, prev: Article | None):
    """Return (number, suffix, heading, first_text) if the line starts an article, else None.

    "第十条 本法…", "第十条　本法…", "第十条" alone and "第十条本法…" start articles;
    "第十条规定的…" (a citation, see _CITATION_NEXT) does not, nor does a line
    without a separator whose number does not come after the previous article.
    """
    m = _ARTICLE_RE.match(line)
    if not m:
        return None
    try:
        number = cn_to_int(m.group(1))
        suffix = cn_to_int(m.group(2)) if m.group(2) else 0
    except ValueError:
        return None
    rest = m.group(3)
    if rest and not rest[0].isspace() and rest[0] not in "【（(" and (
            rest[0] in _CITATION_NEXT or (prev is not None and (number, suffix) <= prev.key)):
        return None
    rest = rest.strip()
    heading = ""
    hm = _HEADING_BRACKET_RE.match(rest)
    if hm:
        heading, rest = hm.group(1).strip(), hm.group(2)
    else:
        # "第一条（立法目的）为了…" has a heading, but "第一百九十九条 （删去）" and
        # "第五条 （一）…" do not: the parenthesis must be a short phrase followed by text.
        hm = _HEADING_PAREN_RE.match(rest)
        if hm and not _SENTENCE_PUNCT.search(hm.group(1)) and not re.fullmatch(r"[一二三四五六七八九十0-9]+", hm.group(1)):
            heading, rest = hm.group(1).strip(), hm.group(2)
    return number, suffix, heading, rest.strip()


def _match_division(line: str, explicit: bool):
    """Return (kind, number, title) if the line is a 编/章/节 heading, else None.

    ``explicit`` is True for markdown headings. A plain line must look like a
    heading: "第一章 总则" or "第一章总则", but not "第二章规定的…，…" (a sentence).
    """
    m = _DIVISION_RE.match(line)
    if not m:
        return None
    try:
        number = cn_to_int(m.group(1))
    except ValueError:
        return None
    rest = m.group(3)
    if not explicit and (rest[:1] in tuple(_CITATION_NEXT) or len(rest) > 40 or _SENTENCE_PUNCT.search(rest)):
        return None
    return m.group(2), number, _title_text(rest)


def _division(kind: str, number: int, title: str) -> Division:
    """Return an empty Division with its normalised label ("第一章", "一、", or "" for 其他)."""
    label = {"部分": f"{int_to_cn(number)}、", "其他": ""}.get(kind, f"第{int_to_cn(number)}{kind}")
    return Division(kind=kind, number=number, label=label, title=title)


def _article_label(number: int, suffix: int) -> str:
    """Return the normalised label: (10, 1) -> "第十条之一", (1, 0) -> "第一条" even for "第1条"."""
    return f"第{int_to_cn(number)}条" + (f"之{int_to_cn(suffix)}" if suffix else "")


def article_number_key(label: str) -> tuple[int, int]:
    """Return (number, suffix) for an article label: "第十条之一" -> (10, 1), "第1条" -> (1, 0)."""
    m = _ARTICLE_RE.match(_clean(label))
    if not m or m.group(3).strip():
        raise ValueError(f"不是有效的条文编号：{label!r}")
    return cn_to_int(m.group(1)), cn_to_int(m.group(2)) if m.group(2) else 0


# 公文 markers at the start of a line, by level (PROVISION_LEVELS). "1.5万元" is no marker.
_MARKER_RES = (
    (1, re.compile(r"([一二三四五六七八九十百]+)、")),
    (2, re.compile(r"[（(]([一二三四五六七八九十百]+)[）)]")),
    (3, re.compile(r"(?:([0-9０-９]{1,3})[．.、]|([⒈-⒛]))(?![0-9０-９])")),
    (4, re.compile(r"(?:[（(]([0-9０-９]{1,3})[）)]|([⑴-⒇]))")),
    (5, re.compile(r"([①-⑳])")),
)
_CIRCLED_BASE = {3: 0x2488, 4: 0x2474, 5: 0x2460}  # ⒈, ⑴, ①
# 发文字号: 周政办字〔2018〕18号, 国办发[2020]5号, 法释〔2021〕1号.
_DOC_NUMBER_RE = re.compile(
    r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]{0,14}[〔\[［(（【﹝〖][0-9０-９]{4}[〕\]］)）】﹞〗]第?[0-9０-９]+号")
_CN_DATE = r"[0-9０-９〇○零一二三四五六七八九]{4}年[0-9０-９一二三四五六七八九十]{1,3}月[0-9０-９一二三四五六七八九十]{1,3}日"
_DATE_LINE_RE = re.compile(rf"[（(]?{_CN_DATE}[）)]?")
_PRINTED_RE = re.compile(rf"{_CN_DATE}(?:印发|印制)$")
_COPY_RE = re.compile(r"^(?:抄送|抄报|分送|发送|报送|主题词)[：:]")
_NOTE_RE = re.compile(r"[（(](?:此件|本件)[^（）()]*[）)]")
_ATTACHMENT_HEAD_RE = re.compile(r"附件[0-9０-９一二三四五六七八九十]*[：:]?")
_ATTACHMENT_NOTE_RE = re.compile(r"^附件[：:].+")
# What a 公文 title ends with (its 文种), optionally followed by （试行）.
_GENRE_END_RE = re.compile(
    r"(?:意见|通知|通告|公告|通报|决定|决议|批复|报告|请示|函|纪要|办法|规定|细则|规则|方案|规划|计划|要点|条例|章程"
    r"|公报|议案|制度|措施|标准|清单|目录)(?:[（(](?:试行|暂行|修订|草案)[）)])?$")
_TITLE_PUNCT_RE = re.compile(r"[。；;！？!?，,：:]")
_SENTENCE_END_RE = re.compile(r"[。；;！？!?]")
_INVISIBLE_RE = re.compile(r"[\s\ufeff\u200b\u200c\u200d\u2060]+")


def _squash(text: str) -> str:
    """Return the text without any whitespace (red headers are letter-spaced: "周 口 市")."""
    return _INVISIBLE_RE.sub("", text)


def _unmark(line: str) -> str:
    """Return a line without its markdown heading marks: "## 一、总体要求" -> "一、总体要求"."""
    return line.lstrip("#").strip() if line.startswith("#") else line


def _match_marker(line: str):
    """Return (level, number, marker, rest) if the line opens a 公文 provision, else None."""
    if not line or line[0] in _QUOTES:
        return None
    for level, pattern in _MARKER_RES:
        m = pattern.match(line)
        if not m:
            continue
        try:
            if level == 5:
                number = ord(m.group(1)) - _CIRCLED_BASE[5] + 1
            elif m.group(1) is None:  # a single dotted or parenthesised digit: ⒈, ⑴
                number = ord(m.group(2)) - _CIRCLED_BASE[level] + 1
            else:
                number = cn_to_int(m.group(1))
        except ValueError:
            return None
        return level, number, m.group(0), line[m.end():].strip()
    return None


def _segment(level: int, number: int) -> str:
    """Return a provision's part of the path label: 二 / （四） / 3 / （1） / ①."""
    if level == 1:
        return int_to_cn(number)
    if level == 2:
        return f"（{int_to_cn(number)}）"
    if level == 3:
        return str(number)
    if level == 4:
        return f"（{number}）"
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else f"({number})"


def _is_signature(line: str) -> bool:
    """Return True for a short line that is no sentence and no numbered line: a 落款 or 发文机关."""
    squashed = _squash(line)
    return (0 < len(squashed) <= 30 and not _SENTENCE_PUNCT.search(squashed) and squashed[0] not in _QUOTES
            and not _match_marker(squashed) and not _ARTICLE_RE.match(squashed)
            and not _DOC_NUMBER_RE.search(squashed) and not _DATE_LINE_RE.fullmatch(squashed))


def source_characters(text: str) -> str:
    """Return what of a source text a stored document must keep: every character, in order, markup aside.

    Markup: whitespace (and BOM/zero-width spaces), ``**`` bold marks, the ``#`` of markdown
    headings, and lines that are only an HTML comment (``<!-- INFO END -->``).
    """
    kept = []
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _clean(raw)
        if line.startswith("<!--") and line.endswith("-->"):
            continue
        kept.append(_squash(line.lstrip("#")))
    return "".join(kept)


# ---------------------------------------------------------------- laws
def _source_lines(text: str) -> list[tuple[int, str]]:
    """Return (line number, cleaned line) for every non-blank line that is not only an HTML comment.

    The INFO END marker of the corpus format is kept: it closes the history block.
    """
    out = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = _clean(raw)
        if line and (line == _INFO_END or not (line.startswith("<!--") and line.endswith("-->"))):
            out.append((number, line))
    return out


def _title_span(lines: list[str], title: str, limit: int = 30) -> tuple[int, int] | None:
    """Return (start, end) of the 1-3 lines among the first ``limit`` that spell ``title``, or None."""
    target = _squash(title)
    if not target:
        return None
    for i in range(min(len(lines), limit)):
        if lines[i] == _INFO_END or _ARTICLE_RE.match(lines[i]):
            return None
        joined = ""
        for k in range(i, min(i + 3, len(lines))):
            joined += _squash(_unmark(lines[k]))
            if joined == target:
                return i, k + 1
            if not target.startswith(joined):
                break
    return None


def _split_front(lines: list[str], require_title: bool, given: str | None = None
                 ) -> tuple[str, list[Passage], list[str], list[str]]:
    """Return (title, front passages, history, body lines) of a law from its cleaned non-empty lines.

    Without ``given``, the first line is the title ("# 标题" or a plain first line) and is no
    part of the body. The front is then empty unless the text repeats the title below it
    ("# 标题 / 标题 / 第一条 …"): then the title lines, the first included, are the front.
    With ``given`` (the title of a page the text is pasted into, or of a Word file), no line
    is taken as the title: the lines up to where the text spells the title, if it does within
    its first lines (a red header, 发文字号, the title), are the front.
    """
    if not lines:
        return given or "", [], [], []
    first = lines[0]
    front: list[Passage] = []
    if given is not None:
        title, body = given, lines
        if first.startswith("#") and not first.startswith("##"):
            front, body = [Passage(first.lstrip("#").strip(), "title")], lines[1:]
            span = None
        else:
            span = _title_span(body, given)
    elif first.startswith("#") and not first.startswith("##"):
        title, body = first.lstrip("#").strip(), lines[1:]
        span = _title_span(body, title)
        front = [Passage(title, "title")] if span else []
    elif first.startswith("#") or _match_article(first, None) or _match_division(first, False):
        title, body, span = "", lines, None  # a bare sequence of headings/articles
    else:
        title, body, span = first, lines[1:], None
    if not title and require_title:
        raise LawTextError("无法识别法规标题：第一行应为标题（如“# 中华人民共和国行政处罚法”）")
    if span:
        front += _classify_front(body[:span[1]], span)
        body = body[span[1]:]
    if _INFO_END in body:
        end = body.index(_INFO_END)
        return title, front, body[:end], body[end + 1:]
    # Plain text: "（2021年1月22日第十三届全国人民代表大会常务委员会第二十五次会议修订）"
    # lines right after the title are the history. (Markdown marks it with INFO END.)
    history = []
    while (given is not None or not first.startswith("#")) and body and re.fullmatch(
            r"[（(].*(通过|修正|修订|公布|施行|发布).*[）)]", body[0]):
        history.append(body.pop(0))
    return title, front, history, body


def _split_table_of_contents(body: list[str]) -> tuple[list[str], list[str], int]:
    """Return (body without its 目录 block, the 目录 block, where it stood).

    Example: "目录 / 第一章 总则 / 第二章 … / 第一章 总则 / 第一条 …": the lines from 目录
    up to the second "第一章 总则" are the block; its entries repeat the real headings.
    """
    squashed = [re.sub(r"\s", "", line.lstrip("#")) for line in body]
    for i, line in enumerate(body):
        if _match_article(line, None):
            break
        if squashed[i] == "目录" and i + 1 < len(body):
            repeat = next((j for j in range(i + 2, len(body)) if squashed[j] == squashed[i + 1]), i + 1)
            return body[:i] + body[repeat:], body[i:repeat], i
    return body, [], 0


def _written(source_head: str, normalised: str) -> str:
    """Return the head as written when it differs from the normalised one (whitespace aside), else ""."""
    return source_head.strip() if _squash(source_head) != _squash(normalised) else ""


def _parse(text: str, require_title: bool) -> Document:
    """Return the law Document of a text; with require_title, raise LawTextError for unusable input."""
    law = _parse_law([line for _, line in _source_lines(text)], require_title)
    has_content = law.preamble or any(isinstance(n, Article) or n.paragraphs for n in _walk(law.children))
    if require_title and not has_content:
        raise LawTextError("未找到任何条文或正文内容：请检查文本是否包含“第一条”等条文")
    return law


def _parse_law(lines: list[str], require_title: bool, given: str | None = None) -> Document:
    """Return the Document (kind "law") of the cleaned lines: 编/章/节, 条 and what surrounds them."""
    title, front, history, body = _split_front(lines, require_title, given)
    law = Document(title=title, history=history, front=front, history_at=len(front))
    body, law.toc, toc_at = _split_table_of_contents(body)
    last = max((i for i, line in enumerate(body) if line[0] not in _QUOTES and _ARTICLE_RE.match(line)), default=None)
    if last is not None:
        end = _back_start(body, last + 1, law=True)
        body, law.back = body[:end], _classify_back(body[end:])
    has_chapters = any(getattr(_division_of(ln, None, 0, True), "kind", "") == "章" for ln in body)
    stack: list[Division] = []
    article: Article | None = None  # the article that continuation lines belong to
    last_article: Article | None = None
    last_part = 0
    for index, line in enumerate(body):
        if law.toc and index == toc_at:
            law.toc_after = len(law.preamble)
        div = _division_of(line, article, last_part, has_chapters)
        if div is not None:
            div.written = _written(_unmark(line), div.heading)
            while stack and _RANK[stack[-1].kind] >= _RANK[div.kind]:
                stack.pop()
            (stack[-1].children if stack else law.children).append(div)
            stack.append(div)
            article, last_part = None, div.number if div.kind == "部分" else last_part
            continue
        # "“第十条 …”" inside an amendment decision quotes an article: continuation text.
        started = None if line[0] in _QUOTES else _match_article(line, last_article)
        if started:
            number, suffix, heading, first = started
            label = _article_label(number, suffix)
            head = line[:len(line) - len(first)] if first and line.endswith(first) else line
            article = last_article = Article(number, suffix, label, [first] if first else [], heading,
                                             _written(head, label + (f"【{heading}】" if heading else "")))
            (stack[-1].children if stack else law.children).append(article)
        elif article is not None:
            article.paragraphs.append(line)
        else:
            (stack[-1].paragraphs if stack else law.preamble).append(line)
    if law.toc and toc_at >= len(body):
        law.toc_after = len(law.preamble)
    return law


def _division_of(line: str, article: Article | None, last_part: int, has_chapters: bool) -> Division | None:
    """Return the Division a line opens, or None if it is not a heading.

    Markdown headings are always headings ("## 附则" becomes kind "其他"). Plain
    lines are headings when they read "第一章 总则", "附件一", or — only in
    documents without 章 — "一、总体要求". Lines opening with a quote never are.
    """
    if line[0] in _QUOTES:
        return None
    explicit = line.startswith("#")
    text = line.lstrip("#").strip() if explicit else line
    found = _match_division(text, explicit)
    if found:
        return _division(*found)
    part = _PART_RE.match(text)
    if part and (explicit or (not has_chapters and _is_part_heading(part, article, last_part))):
        return _division("部分", cn_to_int(part.group(1)), _title_text(part.group(2)))
    if explicit and text:
        return _division("其他", 0, _title_text(text))
    if _APPENDIX_RE.fullmatch(text):
        return _division("其他", 0, text)
    return None


def _is_part_heading(match: re.Match, article: Article | None, last_part: int) -> bool:
    """Return True if a plain "一、…" line is a 部分 heading (only asked when there is no 章).

    The title must be a short phrase ("一、总体要求", not "一、不按规定…；") and the
    number must continue the series. Inside an article "一、" lines are usually
    items, so there it only counts when a series is already open:
    "一、总则 / 第一条 … / 二、附则" has two parts; "第五条 … / 一、城区" has none.
    """
    try:
        number = cn_to_int(match.group(1))
    except ValueError:
        return False
    title = match.group(2)
    if len(title) > 30 or _SENTENCE_PUNCT.search(title) or number != last_part + 1:
        return False
    return article is None or last_part > 0


# ---------------------------------------------------------------- front and back matter
def _find_title(lines: list[str]) -> tuple[int, int] | None:
    """Return (start, end) of a 公文's title lines among its first lines, or None.

    The title is the first short line that opens with 关于 or ends with a 文种 (意见,
    通知, 决定 …), with no sentence punctuation; a title broken before its 文种 takes the
    next line too. Failing that, a short first line that is no sentence.
    """
    for i, line in enumerate(lines[:8]):
        squashed = _squash(line)
        if (not squashed or len(squashed) > 80 or _TITLE_PUNCT_RE.search(squashed) or _DOC_NUMBER_RE.search(squashed)
                or _DATE_LINE_RE.fullmatch(squashed) or _match_marker(squashed)):
            continue
        if squashed.startswith("关于") or _GENRE_END_RE.search(squashed):
            end = i + 1
            if not _GENRE_END_RE.search(squashed) and end < len(lines):
                after = _squash(lines[end])
                if len(after) <= 60 and not _TITLE_PUNCT_RE.search(after) and _GENRE_END_RE.search(after):
                    end += 1
            return i, end
    first = _squash(lines[0]) if lines else ""
    if (first and len(first) <= 60 and not _SENTENCE_END_RE.search(first) and not first.endswith(("：", ":"))
            and not _DOC_NUMBER_RE.search(first) and not _match_marker(first)):
        return 0, 1
    return None


# A sentence ending in a colon that introduces the text is no 主送机关: "现决定作如下修改：".
_NOT_ADDRESSEE_RE = re.compile(r"如下|现将|现就|现决定|^(?:根据|为了|为|按照|经|依照|依据)")


def _is_addressee(squashed: str) -> bool:
    """Return True for a 主送机关 line: "各镇政府、街道办事处，…，有关单位：" (organs, then a colon)."""
    return (squashed.endswith(("：", ":")) and len(squashed) <= 200 and not _SENTENCE_END_RE.search(squashed)
            and not _NOT_ADDRESSEE_RE.search(squashed))


def _classify_front(lines: list[str], span: tuple[int, int] | None) -> list[Passage]:
    """Return the preamble lines as Passages: 版头/发文机关 before the title, 标题, 发文字号, 主送机关, 前言."""
    passages = []
    addressed = False
    for i, line in enumerate(lines):
        text = _unmark(line)
        squashed = _squash(text)
        if span and span[0] <= i < span[1]:
            role = "title"
        elif _DOC_NUMBER_RE.search(squashed) and len(squashed) <= 40:
            role = "doc_number"
        elif span and i < span[0]:
            role = "issuer" if _is_signature(text) and not re.fullmatch(r"[0-9０-９]+|.*[★☆].*", squashed) else "header"
        elif not addressed and _is_addressee(squashed):
            role, addressed = "addressee", True
        else:
            role = "lead"
        passages.append(Passage(text, role))
    return passages


def _back_start(lines: list[str], start: int, law: bool) -> int:
    """Return the index where the back matter (落款, 成文日期, 附注, 附件, 抄送, 印发) begins, or len(lines).

    Searched from ``start`` (after the last article of a law, after the first provision of a
    公文). A law's back matter starts only at a date line, a 附注 or a 版记 line: "附件一"
    after its articles stays an appendix division.
    """
    for i in range(start, len(lines)):
        squashed = _squash(_unmark(lines[i]))
        if _COPY_RE.match(squashed) or _PRINTED_RE.search(squashed) or _NOTE_RE.fullmatch(squashed):
            return i
        if not law and (_ATTACHMENT_HEAD_RE.fullmatch(squashed) or _ATTACHMENT_NOTE_RE.match(squashed)):
            return i
        if _DATE_LINE_RE.fullmatch(squashed):
            return i - 1 if i - 1 >= start and _is_signature(lines[i - 1]) else i
    return len(lines)


def _classify_back(lines: list[str]) -> list[Passage]:
    """Return the back matter lines as Passages with their roles (附件 lines stay together)."""
    passages: list[Passage] = []
    in_attachment = False
    for i, line in enumerate(lines):
        text = _unmark(line)
        squashed = _squash(text)
        following = _squash(lines[i + 1]) if i + 1 < len(lines) else ""
        previous = passages[-1] if passages else None
        if _COPY_RE.match(squashed):
            role, in_attachment = "copy", False
        elif _PRINTED_RE.search(squashed):
            role, in_attachment = "printed", False
        elif _ATTACHMENT_HEAD_RE.fullmatch(squashed):
            role, in_attachment = "attachment", True
        elif in_attachment:
            role = "attachment_text"
        elif previous is not None and previous.role == "copy" and not previous.text.rstrip().endswith("。"):
            role = "copy"  # "抄送：区委办，…区法院，" / "区检察院。"
        elif _ATTACHMENT_NOTE_RE.match(squashed):
            role = "attachment_note"
        elif previous is not None and previous.role == "attachment_note" and _match_marker(squashed):
            role = "attachment_note"  # "附件：1．某办法" / "2．某细则"
        elif _NOTE_RE.fullmatch(squashed):
            role = "note"
        elif _DATE_LINE_RE.fullmatch(squashed):
            role = "date"
        elif _DATE_LINE_RE.fullmatch(following) and _is_signature(text):
            role = "signature"
        else:
            role = "closing_text"
        passages.append(Passage(text, role))
    return passages


# ---------------------------------------------------------------- 公文 and plain texts
def _parse_gongwen(numbered: list[tuple[int, str]], given: str | None = None) -> Document:
    """Return the Document of a text without articles: a 公文 if it has numbered provisions, else plain.

    The title is ``given``, or the "# 标题" first line, or found among the first lines
    (_find_title). Title lines inside the text are front passages with the role "title".
    """
    items = list(numbered)
    title, history, front = given or "", [], []
    heading = None
    if items and items[0][1].startswith("#") and not items[0][1].startswith("##"):
        heading = items[0][1].lstrip("#").strip()
        if given is None:
            title = heading
        items = items[1:]
    texts = [line for _, line in items]
    if _INFO_END in texts:  # a markdown file's metadata block, as in the law corpus format
        end = texts.index(_INFO_END)
        history, items, texts = texts[:end], items[end + 1:], texts[end + 1:]
    # The "# 标题" line is a title passage when it is text (given title) or repeated below.
    if heading is not None and (given is not None or _title_span(texts, heading)):
        front = [Passage(heading, "title")]
    span = _title_span(texts, title) if title else _find_title(texts)
    if not title and span:
        title = "".join(_unmark(line).strip() for line in texts[span[0]:span[1]])
    first = next((i for i, line in enumerate(texts) if _match_marker(_unmark(line))), None)
    doc = Document(title=title, history=history, history_at=len(front))
    if first is None:
        doc.kind = "plain"
        front_end = _plain_front_end(texts, span)
        doc.front = front + _classify_front(texts[:front_end], span)
        rest = texts[front_end:]
        end = _back_start(rest, 1, law=False)
        doc.children = [Passage(_unmark(line), "text") for line in rest[:end]]
        doc.back = _classify_back(rest[end:])
        return doc
    doc.kind = "gongwen"
    doc.front = front + _classify_front(texts[:first], span if span and span[1] <= first else None)
    rest = items[first:]
    end = _back_start([line for _, line in rest], 1, law=False)
    doc.children = _provisions(rest[:end], doc.notices)
    doc.back = _classify_back([line for _, line in rest[end:]])
    return doc


def _plain_front_end(texts: list[str], span: tuple[int, int] | None) -> int:
    """Return how many first lines of a plain text are its front: up to the title, 发文字号 and 主送机关."""
    end = span[1] if span else 0
    addressed = False
    while end < min(len(texts), (span[1] if span else 0) + 3):
        squashed = _squash(_unmark(texts[end]))
        if _DOC_NUMBER_RE.search(squashed) and len(squashed) <= 40:
            end += 1
        elif not addressed and _is_addressee(squashed):
            end, addressed = end + 1, True
        else:
            break
    return end


def _snippet(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"


def _provisions(items: list[tuple[int, str]], notices: list[str]) -> list[Provision | Passage]:
    """Return the tree of provisions of a 公文 body (numbered lines and what follows them).

    A numbered line becomes a child of the nearest open provision of a higher level, or a
    sibling of the open one of its level. An unnumbered line continues the open provision,
    except after an item (（1）, ①: one paragraph each), where it belongs to the provision
    above the items ("…按照下列要求分别处理：" after "（5）…" belongs to 3．). A number that
    runs backwards (（3） after （4）) is kept as an unplaced paragraph, with a notice.
    """
    root: list[Provision | Passage] = []
    stack: list[Provision] = []
    seen: dict[str, int] = {}
    for number_of_line, raw in items:
        line = _unmark(raw)
        found = _match_marker(line)
        if found:
            level, number, marker, rest = found
            depth = len(stack)
            while depth and stack[depth - 1].level >= level:
                depth -= 1
            parent = stack[depth - 1] if depth else None
            siblings = parent.children if parent else root
            previous = next((c for c in reversed(siblings) if isinstance(c, Provision) and c.level == level), None)
            where = f"第{number_of_line}行“{_snippet(line)}”"
            if previous is not None and number != 1 and number <= previous.number:
                notices.append(f"{where}的编号“{marker}”不接续前一项“{previous.marker}”，已作为段落保留在原处，请核对。")
                target = stack[-1].children if stack else root
                target.append(Passage(line, "unplaced"))
                continue
            if number != 1 and (previous is None or number != previous.number + 1):
                before = f"前一项为“{previous.marker}”" if previous else "前面没有第1项"
                notices.append(f"{where}的编号“{marker}”不连续（{before}），请核对。")
            del stack[depth:]
            label = (parent.label if parent else "") + _segment(level, number)
            seen[label] = seen.get(label, 0) + 1
            anchor = label if seen[label] == 1 else f"{label}-{seen[label]}"
            squashed = _squash(rest)
            is_title = bool(rest) and len(squashed) <= 40 and not _TITLE_PUNCT_RE.search(squashed)
            provision = Provision(level, number, marker, label, anchor, rest if is_title else "",
                                  [] if is_title or not rest else [rest])
            siblings.append(provision)
            stack.append(provision)
            continue
        while stack and stack[-1].level >= 4:
            stack.pop()
        if not stack:
            root.append(Passage(line, "text"))
        elif stack[-1].children:
            stack[-1].children.append(Passage(line, "text"))
        else:
            stack[-1].paragraphs.append(line)
    return root


def _plain_document(numbered: list[tuple[int, str]], given: str | None, notice: str) -> Document:
    """Return the text kept whole as paragraphs (the fallback when structure would lose characters)."""
    lines = [line for _, line in numbered if line != _INFO_END]
    title = given or ""
    if given is None and lines and lines[0].startswith("#") and not lines[0].startswith("##"):
        title, lines = lines[0].lstrip("#").strip(), lines[1:]
    return Document(title=title, kind="plain", children=[Passage(_unmark(line), "text") for line in lines],
                    notices=[notice])


def parse_document(text: str, title: str | None = None) -> Document:
    """Return the Document of any text: a law (第X条), a 公文 (一、（一）1．（1）①) or plain paragraphs.

    ``title``: the title when it is known and not part of the text (the page a body is pasted
    into, a Word file's title); by default the text carries its own. Never refuses a text for
    its structure; raises LawTextError only for a text without any characters. Every character
    of the text is in the result (``source_characters(plain_text(result))`` equals
    ``source_characters(text)``): should structure ever lose one, the text is kept whole as
    paragraphs instead, with a notice.
    """
    if not text or not text.strip():
        raise LawTextError("文本为空")
    numbered = _source_lines(text)
    if not [line for _, line in numbered if line != _INFO_END]:
        raise LawTextError("文本为空（只有标记，没有文字）")
    law = _parse_law([line for _, line in numbered], False, title)
    divisions = law.divisions()
    # Headings alone (## 序言, 附件一) without 公文 numbering also keep the law model.
    if law.articles() or any(d.kind in ("编", "章", "节") for d in divisions) or (divisions and not any(
            _match_marker(_unmark(line)) for _, line in numbered)):
        doc = law
    else:
        doc = _parse_gongwen(numbered, title)
    expected = source_characters(text)
    if title is not None:
        expected = source_characters(title) * (not _has_title_line(doc)) + expected
    if source_characters(plain_text(doc)) != expected:
        doc = _plain_document(numbered, title, "未能完整识别文本结构，已按段落保存全文，请核对。")
    return doc


def parse_law_text(text: str) -> Document:
    """Return the parsed document; raise LawTextError if it has no title, or is a law without any content."""
    if not text or not text.strip():
        raise LawTextError("法规文本为空")
    doc = parse_document(text)
    if not doc.title:
        if doc.kind == "law":
            raise LawTextError("无法识别法规标题：第一行应为标题（如“# 中华人民共和国行政处罚法”）")
        raise LawTextError("无法识别文件标题：第一行应为标题（如“# 关于某事项的通知”）")
    if doc.kind == "law" and not (doc.preamble or any(
            isinstance(n, Article) or n.paragraphs for n in _walk(doc.children))):
        raise LawTextError("未找到任何条文或正文内容：请检查文本是否包含“第一条”等条文")
    return doc


def split_articles(text: str) -> list[Article]:
    """Return the articles of a text, which may be a whole law or a bare run of articles."""
    return _parse(text or "", require_title=False).articles()


# ---------------------------------------------------------------- rendering
def _has_title_line(doc: Document) -> bool:
    return any(p.role == "title" for p in doc.front)


def _tree_lines(nodes, out: list[str], markdown: bool = False, depth: int = 0) -> None:
    """Append the lines of a body tree in reading order (markdown: ``#`` headings, as render_text writes)."""
    for node in nodes:
        if isinstance(node, Division):
            heading = node.written or node.heading
            out.append("#" * min(depth + 2, 6) + " " + heading if markdown else heading)
            out.extend(node.paragraphs)
            _tree_lines(node.children, out, markdown, depth + 1)
        elif isinstance(node, Article):
            first, *rest = node.paragraphs or [""]
            if markdown and not node.written:
                head = node.label + (f" 【{node.heading}】" if node.heading else "")
                line = f"{head} {first}".rstrip()
                if not node.heading and _match_article(line, None)[2]:
                    # "第五条 （立法目的）为了…" would read back as a heading: put the
                    # first paragraph on its own line instead.
                    out.append(head)
                    rest = [first, *rest]
                else:
                    out.append(line)
            else:
                out.append(f"{node.head} {first}".rstrip())
            out.extend(rest)
        elif isinstance(node, Provision):
            lead = node.title or (node.paragraphs[0] if node.paragraphs else "")
            out.append(node.marker + lead)
            out.extend(node.paragraphs if node.title else node.paragraphs[1:])
            _tree_lines(node.children, out, markdown, depth + 1)
        else:
            out.append(node.text)


def plain_lines(doc: Document) -> list[str]:
    """Return the document's lines in reading order: title (unless a title line is in the text), front,
    history, 目录, preamble, body, back matter. Its characters are those of the source."""
    out = [doc.title] if doc.title and not _has_title_line(doc) else []
    out += [p.text for p in doc.front[:doc.history_at]]
    out += doc.history
    out += [p.text for p in doc.front[doc.history_at:]]
    out += doc.preamble[:doc.toc_after] + doc.toc + doc.preamble[doc.toc_after:]
    _tree_lines(doc.children, out)
    out += [p.text for p in doc.back]
    return out


def plain_text(doc: Document) -> str:
    """Return the document as plain text, one paragraph per line (the text the source gave)."""
    return "\n".join(plain_lines(doc)) + "\n"


def render_text(law: Document) -> str:
    """Return the document as markdown; parse_law_text() reads it back unchanged.

    A law is written in the corpus format (``# 标题``, history and INFO END, ``##`` headings);
    a 公文 or plain text as its lines, under ``# 标题`` unless its title line is in the text.
    """
    if law.kind != "law":
        lines = plain_lines(law)
        if law.title and not _has_title_line(law):
            lines[0] = f"# {law.title}"
        return "\n\n".join(lines) + "\n"
    out = [f"# {law.title}"]
    front = law.front
    if len(front) > 1 and front[0].role == front[1].role == "title" and front[0].text == law.title:
        front = front[1:]  # the "# 标题" line itself, written above
    out += [p.text for p in front]
    # The marker even after no history: a preamble that repeats the title then stays a preamble.
    out += law.history + [_INFO_END]
    out += law.preamble[:law.toc_after] + law.toc + law.preamble[law.toc_after:]
    _tree_lines(law.children, out, markdown=True)
    out += [p.text for p in law.back]
    return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------- StreamField data
def _passage_block(passage: Passage, owner: str = "") -> dict:
    return {"type": "passage", "value": {"role": passage.role, "owner": owner, "text": passage.text}}


def document_to_stream(doc: Document) -> list[dict]:
    """Return the raw StreamField data (portal.blocks) of a document, every line in reading order.

    Blocks: ``passage`` (a line outside the numbered structure, with its role; ``owner`` names
    the provision a later paragraph belongs to), ``paragraph`` (a law's preamble or division
    text), ``division``, ``article`` and ``provision``.
    """
    stream = [_passage_block(p) for p in doc.front[:doc.history_at]]
    if doc.history:
        stream.append(_passage_block(Passage("\n".join(doc.history), "history")))
    stream += [_passage_block(p) for p in doc.front[doc.history_at:]]
    preamble: list[dict] = [{"type": "paragraph", "value": p} for p in doc.preamble]
    if doc.toc:
        preamble.insert(doc.toc_after, _passage_block(Passage("\n".join(doc.toc), "toc")))
    stream += preamble

    def walk(nodes, owner: str) -> None:
        for node in nodes:
            if isinstance(node, Article):
                stream.append({"type": "article", "value": {
                    "label": node.label, "heading": node.heading, "text": node.text, "written": node.written}})
            elif isinstance(node, Division):
                stream.append({"type": "division", "value": {
                    "kind": node.kind, "label": node.label, "title": node.title, "written": node.written}})
                stream.extend({"type": "paragraph", "value": p} for p in node.paragraphs)
                walk(node.children, "")
            elif isinstance(node, Provision):
                stream.append({"type": "provision", "value": {
                    "level": str(node.level), "marker": node.marker, "label": node.label, "anchor": node.anchor,
                    "title": node.title, "text": "\n".join(node.paragraphs)}})
                walk(node.children, node.anchor)
            else:
                stream.append(_passage_block(node, owner))

    walk(doc.children, "")
    stream += [_passage_block(p) for p in doc.back]
    return stream


def _lines(text) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _division_number(kind: str, label: str) -> int:
    digits = label.strip().lstrip("第").rstrip("、").rstrip(kind).rstrip("编章节")
    try:
        return cn_to_int(digits)
    except ValueError:
        return 0


def document_from_stream(title: str, blocks) -> Document:
    """Return the Document that StreamField blocks hold: ``blocks`` yields (block type, value).

    Values are dicts (or StructValues) and strings as document_to_stream makes them; blocks of
    unknown types are skipped. The inverse of document_to_stream.
    """
    doc = Document(title=title)
    divisions: list[tuple[int, Division]] = []
    provisions: list[Provision] = []
    by_anchor: dict[str, Provision] = {}
    for block_type, value in blocks:
        if block_type == "paragraph":
            text = str(value).strip()
            if text:
                (divisions[-1][1].paragraphs if divisions else doc.preamble).append(text)
        elif block_type == "division":
            kind = value.get("kind") or "其他"
            rank = _RANK.get(kind, 0)
            division = Division(kind=kind, number=_division_number(kind, value.get("label", "")),
                                label=value.get("label", ""), title=value.get("title", "") or "",
                                written=value.get("written", "") or "")
            while divisions and divisions[-1][0] >= rank:
                divisions.pop()
            (divisions[-1][1].children if divisions else doc.children).append(division)
            divisions.append((rank, division))
        elif block_type == "article":
            label = value.get("label", "")
            try:
                number, suffix = article_number_key(label)
            except ValueError:
                number, suffix = 0, 0
            article = Article(number=number, suffix=suffix, label=label, paragraphs=_lines(value.get("text")),
                              heading=value.get("heading", "") or "", written=value.get("written", "") or "")
            (divisions[-1][1].children if divisions else doc.children).append(article)
        elif block_type == "provision":
            try:
                level = int(value.get("level") or 1)
            except ValueError:
                level = 1
            marker = value.get("marker", "") or ""
            found = _match_marker(marker + "x")
            label = value.get("label", "") or marker
            provision = Provision(level, found[1] if found else 0, marker, label, value.get("anchor", "") or label,
                                  value.get("title", "") or "", _lines(value.get("text")))
            while provisions and provisions[-1].level >= level:
                provisions.pop()
            (provisions[-1].children if provisions else doc.children).append(provision)
            provisions.append(provision)
            by_anchor.setdefault(provision.anchor, provision)
        elif block_type == "passage":
            passage = Passage(str(value.get("text", "") or "").strip(), value.get("role", "") or "text")
            owner = value.get("owner", "") or ""
            if not passage.text:
                continue
            if owner in by_anchor:
                while provisions and provisions[-1] is not by_anchor[owner]:
                    provisions.pop()  # the parser left the items below the owner: so does the rebuild
                by_anchor[owner].children.append(passage)
            elif passage.role == "history":
                doc.history += _lines(passage.text)
                doc.history_at = len(doc.front)
            elif passage.role == "toc":
                doc.toc, doc.toc_after = _lines(passage.text), len(doc.preamble)
            elif passage.part == "preamble":
                doc.front.append(passage)
            elif passage.part in ("closing", "attachment"):
                doc.back.append(passage)
            else:
                provisions.clear()
                doc.children.append(passage)
    if doc.articles() or doc.divisions():
        doc.kind = "law"
    elif doc.provisions():
        doc.kind = "gongwen"
    else:
        doc.kind = "plain"
    return doc
