"""Parse Chinese law texts into 编/章/节/条/款/项 and render them back.

Plain functions, no Django: the regulation page type, the archive diff
(article-by-article alignment) and the search indexer all build on them.

Accepted input:
- Markdown as in the LawRefBook corpus: ``# 标题``, an optional history block
  ending in ``<!-- INFO END -->``, ``##``/``###``/``####`` headings, articles
  beginning with ``第X条``.
- Plain text: the first non-empty line is the title, headings such as
  ``第一章 总则`` on their own lines, articles beginning with ``第X条``, and
  ``一、总体要求`` sections (kind "部分") in documents without 章.

The heading level (number of ``#``) is ignored: the kind named in the heading
decides the nesting (编 > 章 > 节), because real files get the levels wrong
(上海市实施《食品安全法》办法 writes ``### 第三章`` and then ``## 第一节``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Article", "Division", "LawText", "LawTextError", "article_number_key", "cn_to_int",
           "int_to_cn", "parse_law_text", "render_text", "split_articles"]


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
@dataclass
class Article:
    """One 条: its number, 之X suffix, normalised label and paragraphs (款/项)."""

    number: int
    suffix: int  # 第十条之一 -> 1, otherwise 0
    label: str  # "第十二条", "第十条之一": the HTML anchor and the citation
    paragraphs: list[str] = field(default_factory=list)
    heading: str = ""  # 第X条【标题】

    @property
    def text(self) -> str:
        """Return the article body, one paragraph per line."""
        return "\n".join(self.paragraphs)

    @property
    def key(self) -> tuple[int, int]:
        """Return (number, suffix), the sort key of the article."""
        return (self.number, self.suffix)


@dataclass
class Division:
    """A heading (编/章/节/部分, or "其他" for unnumbered ones such as 附则) and what it holds."""

    kind: str  # "编" | "章" | "节" | "部分" | "其他"
    number: int  # 0 for "其他"
    label: str  # "第一章", "一、" for 部分, "" for 其他
    title: str
    children: list[Division | Article] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # text before the first child

    @property
    def heading(self) -> str:
        """Return the heading line as displayed, e.g. "第一章 总则"."""
        if self.kind == "部分":
            return self.label + self.title
        return " ".join(p for p in (self.label, self.title) if p)


@dataclass
class LawText:
    """A parsed law: title, amendment history, preamble and the tree of divisions and articles."""

    title: str
    history: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    children: list[Division | Article] = field(default_factory=list)

    def articles(self) -> list[Article]:
        """Return all articles, flat, in document order."""
        return [node for node in _walk(self.children) if isinstance(node, Article)]

    def divisions(self) -> list[Division]:
        """Return all divisions, flat, in document order (parents before children)."""
        return [node for node in _walk(self.children) if isinstance(node, Division)]


def _walk(nodes):
    """Yield every node of the tree, parents before their children."""
    for node in nodes:
        yield node
        if isinstance(node, Division):
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


# ---------------------------------------------------------------- parsing
def _split_front(lines: list[str], require_title: bool) -> tuple[str, list[str], list[str]]:
    """Return (title, history, body lines) from the cleaned non-empty lines."""
    if not lines:
        return "", [], []
    first = lines[0]
    if first.startswith("#") and not first.startswith("##"):
        title, body = first.lstrip("#").strip(), lines[1:]
    elif first.startswith("#") or _match_article(first, None) or _match_division(first, False):
        title, body = "", lines  # a bare sequence of headings/articles
    else:
        title, body = first, lines[1:]
    if not title and require_title:
        raise LawTextError("无法识别法规标题：第一行应为标题（如“# 中华人民共和国行政处罚法”）")
    if _INFO_END in body:
        end = body.index(_INFO_END)
        return title, body[:end], body[end + 1:]
    # Plain text: "（2021年1月22日第十三届全国人民代表大会常务委员会第二十五次会议修订）"
    # lines right after the title are the history. (Markdown marks it with INFO END.)
    history = []
    while not first.startswith("#") and body and re.fullmatch(r"[（(].*(通过|修正|修订|公布|施行|发布).*[）)]", body[0]):
        history.append(body.pop(0))
    return title, history, body


def _drop_table_of_contents(body: list[str]) -> list[str]:
    """Return the body without a 目录 block (its entries repeat the real headings).

    Example: "目录 / 第一章 总则 / 第二章 … / 第一章 总则 / 第一条 …": everything
    from 目录 up to the second "第一章 总则" is dropped.
    """
    squashed = [re.sub(r"\s", "", line.lstrip("#")) for line in body]
    for i, line in enumerate(body):
        if _match_article(line, None):
            break
        if squashed[i] == "目录" and i + 1 < len(body):
            repeat = next((j for j in range(i + 2, len(body)) if squashed[j] == squashed[i + 1]), i + 1)
            return body[:i] + body[repeat:]
    return body


def _parse(text: str, require_title: bool) -> LawText:
    """Return the LawText of any text; with require_title, raise LawTextError for unusable input."""
    lines = [_clean(raw) for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    # Keep the INFO END marker; other HTML comments (<!-- FORCE BREAK -->) carry no text.
    lines = [ln for ln in lines if ln and (ln == _INFO_END or not (ln.startswith("<!--") and ln.endswith("-->")))]
    title, history, body = _split_front(lines, require_title)
    law = LawText(title=title, history=history)
    body = _drop_table_of_contents(body)
    has_chapters = any(getattr(_division_of(ln, None, 0, True), "kind", "") == "章" for ln in body)
    stack: list[Division] = []
    article: Article | None = None  # the article that continuation lines belong to
    last_article: Article | None = None
    last_part = 0
    for line in body:
        div = _division_of(line, article, last_part, has_chapters)
        if div is not None:
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
            article = last_article = Article(number, suffix, _article_label(number, suffix), [first] if first else [], heading)
            (stack[-1].children if stack else law.children).append(article)
        elif article is not None:
            article.paragraphs.append(line)
        else:
            (stack[-1].paragraphs if stack else law.preamble).append(line)
    has_content = law.preamble or any(isinstance(n, Article) or n.paragraphs for n in _walk(law.children))
    if require_title and not has_content:
        raise LawTextError("未找到任何条文或正文内容：请检查文本是否包含“第一条”等条文")
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


def parse_law_text(text: str) -> LawText:
    """Return the parsed law; raise LawTextError if it has no title or no content at all."""
    if not text or not text.strip():
        raise LawTextError("法规文本为空")
    return _parse(text, require_title=True)


def split_articles(text: str) -> list[Article]:
    """Return the articles of a text, which may be a whole law or a bare run of articles."""
    return _parse(text or "", require_title=False).articles()


# ---------------------------------------------------------------- rendering
def render_text(law: LawText) -> str:
    """Return the law as markdown in the corpus format; parse_law_text() reads it back unchanged."""
    out = [f"# {law.title}"]
    if law.history:
        out += law.history + [_INFO_END]
    out += law.preamble

    def emit(nodes, depth: int) -> None:
        for node in nodes:
            if isinstance(node, Division):
                out.append("#" * min(depth + 2, 6) + " " + node.heading)
                out.extend(node.paragraphs)
                emit(node.children, depth + 1)
            else:
                head = node.label + (f" 【{node.heading}】" if node.heading else "")
                first, *rest = node.paragraphs or [""]
                line = f"{head} {first}".rstrip()
                if not node.heading and _match_article(line, None)[2]:
                    # "第五条 （立法目的）为了…" would read back as a heading: put the
                    # first paragraph on its own line instead.
                    out.append(head)
                    rest = [first, *rest]
                else:
                    out.append(line)
                out.extend(rest)

    emit(law.children, 0)
    return "\n\n".join(out) + "\n"
