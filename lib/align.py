"""Alignment of the articles and divisions (编/章/节) of two versions of a law, or the provisions of a 公文.

When one article is inserted, every later article is renumbered: old 第十二条 is new
第十三条, and comparing 第十二条 with 第十二条 compares two different provisions. The
functions here pair each article with its true counterpart by position and content, then
diff each pair with ``lib.diff.diff_texts``; ``compare_laws`` does it for two whole texts.
A 公文 is compared the same way, provision by provision (一、 / （一） / 1． / （1） / ①), each
provision with its own lines only (not its items'), named by its label (``二（四）3（1）``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from lib.diff import Op, diff_texts
from lib.lawtext import Article, Division, Document, Passage, Provision, parse_document

__all__ = [
    "ArticlePair", "DivisionPair", "LawComparison", "PartPair", "align_articles", "align_divisions",
    "compare_documents", "compare_laws", "comparison_to_json", "normalize", "similarity", "STATUS_LABELS",
]

# Pairing inside a gap needs score >= PAIR_THRESHOLD, where score is the bigram Dice
# coefficient of the two texts plus POSITION_BONUS when the pair keeps the numbering shift
# of its neighbours. So an article in its expected place pairs from Dice 0.25 on (heavily
# rewritten but the same provision), one elsewhere in the gap only from 0.45.
PAIR_THRESHOLD = 0.45
POSITION_BONUS = 0.2
# Articles left over are paired across the whole law (a move) only when clearly the same.
MOVE_THRESHOLD = 0.6
# At most this many pairs are scored per gap and for moves (~0.5 s of Dice coefficients).
MAX_SCORED_PAIRS = 100_000
# Score factor for a division whose kind changed (章 -> 节).
KIND_CHANGE_FACTOR = 0.8

STATUS_LABELS = {
    "unchanged": "未修改", "modified": "修改", "inserted": "新增", "deleted": "删除", "moved": "移动",
}

_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


@dataclass
class ArticlePair:
    """One article (or 公文 provision) of the old version and its counterpart in the new one (either may be None)."""

    old: Article | Provision | None
    new: Article | Provision | None
    status: str  # "unchanged" | "modified" | "inserted" | "deleted" | "moved"
    renumbered: bool = False
    similarity: float = 0.0
    ops: list[Op] = field(default_factory=list)


@dataclass
class DivisionPair:
    """One 编/章/节 of the old version and its counterpart; ops diff the titles."""

    old: Division | None
    new: Division | None
    status: str
    renumbered: bool = False
    similarity: float = 0.0
    ops: list[Op] = field(default_factory=list)


def normalize(text: str) -> str:
    """Return the text without whitespace and zero-width characters ("总 则" -> "总则")."""
    return _INVISIBLE.sub("", text)


def _bigrams(text: str) -> frozenset[str]:
    text = normalize(text)
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset([text])


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def similarity(old: str, new: str) -> float:
    """Return the bigram Dice coefficient of two texts (1.0 identical, ~0 unrelated).

    Bigrams, not characters: two unrelated articles of one law share most of their
    characters (的, 行, 政, 法 …) but far fewer bigrams. Cheap: a set intersection.
    """
    return _dice(_bigrams(old), _bigrams(new))


def article_body(article: Article | Provision) -> str:
    """Return what is compared of an article: its 【heading】 line, if any, and its text.

    Of a 公文 provision: its title and its own paragraphs, those after its items included,
    but not the items themselves (each is compared on its own).
    """
    if isinstance(article, Provision):
        return article.text
    return f"【{article.heading}】\n{article.text}" if article.heading else article.text


def _renumbered(old: Article | Provision, new: Article | Provision) -> bool:
    if isinstance(old, Article) and isinstance(new, Article):
        return old.key != new.key
    return old.label != new.label


def _align(
    old_keys: Sequence[str], new_keys: Sequence[str], score: Callable[[int, int], float]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Return (in-order pairs, moved pairs) of indices of two sequences.

    1. Anchors: identical keys matched by SequenceMatcher over whole items (the longest
       runs of unchanged articles first), which also pairs renumbered unchanged articles.
    2. Each gap between anchors is aligned by a weighted LCS (dynamic programming) that
       maximises the summed score of in-order pairs. Example: old [第十条 A] against new
       [第十条 X (inserted), 第十一条 A'] — both new articles keep a shift of a neighbour
       (0 before the gap, +1 after it), so both get the position bonus and the content
       decides: A pairs with A' = new 第十一条, X is inserted.
    3. Items still unpaired are paired across gaps, best score first, as moves.
    """
    in_order: list[tuple[int, int]] = []
    matcher = SequenceMatcher(None, list(old_keys), list(new_keys), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            in_order += [(i1 + k, j1 + k) for k in range(i2 - i1)]
        elif tag == "replace":
            in_order += _align_gap(range(i1, i2), range(j1, j2), {j1 - i1, j2 - i2}, score)
    paired_old = {i for i, _ in in_order}
    paired_new = {j for _, j in in_order}
    loose_old = [i for i in range(len(old_keys)) if i not in paired_old]
    loose_new = [j for j in range(len(new_keys)) if j not in paired_new]
    loose_keys = {new_keys[j]: j for j in reversed(loose_new)}
    # Verbatim moves are always found; similar ones only while scoring stays affordable.
    candidates = [(1.0, i, loose_keys[old_keys[i]]) for i in loose_old if old_keys[i] in loose_keys]
    if len(loose_old) * len(loose_new) <= MAX_SCORED_PAIRS:
        candidates += [(score(i, j), i, j) for i in loose_old for j in loose_new]
    candidates.sort(reverse=True)
    moved: list[tuple[int, int]] = []
    for value, i, j in candidates:
        if value < MOVE_THRESHOLD:
            break
        if i not in paired_old and j not in paired_new:
            moved.append((i, j))
            paired_old.add(i)
            paired_new.add(j)
    return in_order, moved


def _align_gap(olds: range, news: range, shifts: set[int], score) -> list[tuple[int, int]]:
    """Return the in-order pairs of a gap that maximise the summed score (weighted LCS)."""
    n, m = len(olds), len(news)
    # A huge gap (a law rewritten from scratch) is only scored near its diagonal.
    band = m if n * m <= MAX_SCORED_PAIRS else max(1, MAX_SCORED_PAIRS // (2 * n))
    weight = [[0.0] * m for _ in range(n)]
    for a, i in enumerate(olds):
        centre = a * m // n
        for b in range(max(0, centre - band), min(m, centre + band + 1)):
            j = news[b]
            value = score(i, j) + (POSITION_BONUS if j - i in shifts else 0.0)
            weight[a][b] = value if value >= PAIR_THRESHOLD else 0.0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n):
        for b in range(m):
            diagonal = best[a][b] + weight[a][b] if weight[a][b] else 0.0
            best[a + 1][b + 1] = max(best[a][b + 1], best[a + 1][b], diagonal)
    pairs = []
    a, b = n, m
    while a and b:  # walk back along the optimal path
        if weight[a - 1][b - 1] and best[a][b] == best[a - 1][b - 1] + weight[a - 1][b - 1]:
            pairs.append((olds[a - 1], news[b - 1]))
            a, b = a - 1, b - 1
        elif best[a][b] == best[a - 1][b]:
            a -= 1
        else:
            b -= 1
    return pairs[::-1]


def _ordered(n_old: int, n_new: int, in_order, moved) -> list[tuple[int | None, int | None, bool]]:
    """Return (old index, new index, moved) in reading order of the new version.

    A deleted article is listed just before the next article that follows it in both
    versions; a moved article at its new place.
    """
    by_new = {j: (i, False) for i, j in in_order} | {j: (i, True) for i, j in moved}
    moved_old = {i for i, _ in moved}
    paired_old = {i for i, _ in in_order} | moved_old
    result: list[tuple[int | None, int | None, bool]] = []
    next_old = 0
    for j in range(n_new):
        i, is_move = by_new.get(j, (None, False))
        if i is not None and not is_move:
            result += [(k, None, False) for k in range(next_old, i) if k not in paired_old]
            next_old = i + 1
        result.append((i, j, is_move))
    result += [(k, None, False) for k in range(next_old, n_old) if k not in paired_old]
    return result


def align_articles(old: list[Article | Provision], new: list[Article | Provision]) -> list[ArticlePair]:
    """Return the pairs of old and new articles (or 公文 provisions), each with its status and character diff."""
    old_bodies = [article_body(a) for a in old]
    new_bodies = [article_body(a) for a in new]
    # Bigram sets are made on first use: most articles are anchors and never scored.
    old_grams: dict[int, frozenset[str]] = {}
    new_grams: dict[int, frozenset[str]] = {}

    def score(i: int, j: int) -> float:
        if i not in old_grams:
            old_grams[i] = _bigrams(old_bodies[i])
        if j not in new_grams:
            new_grams[j] = _bigrams(new_bodies[j])
        return _dice(old_grams[i], new_grams[j])

    in_order, moved = _align([normalize(t) for t in old_bodies], [normalize(t) for t in new_bodies], score)
    pairs = []
    for i, j, is_move in _ordered(len(old), len(new), in_order, moved):
        if j is None:
            pairs.append(ArticlePair(old[i], None, "deleted", ops=diff_texts(old_bodies[i], "")))
        elif i is None:
            pairs.append(ArticlePair(None, new[j], "inserted", ops=diff_texts("", new_bodies[j])))
        else:
            ops = diff_texts(old_bodies[i], new_bodies[j])
            # Anchoring ignores whitespace; the status does not, so that "unchanged"
            # always comes with ops that mark nothing.
            status = "moved" if is_move else "unchanged" if old_bodies[i] == new_bodies[j] else "modified"
            renumbered = _renumbered(old[i], new[j])
            pairs.append(ArticlePair(old[i], new[j], status, renumbered, _ops_ratio(ops), ops))
    return pairs


def _ops_ratio(ops: list[Op]) -> float:
    """Return 2 * equal characters / all characters of both sides (difflib's ratio)."""
    equal = sum(len(t) for k, t in ops if k == "equal")
    total = sum(len(t) * (2 if k == "equal" else 1) for k, t in ops)
    return 2 * equal / total if total else 1.0


def _articles_under(division: Division) -> list[Article]:
    found = []
    for child in division.children:
        found += [child] if isinstance(child, Article) else _articles_under(child)
    return found


def align_divisions(
    old_divs: list[Division], new_divs: list[Division], article_pairs: list[ArticlePair] | None = None
) -> list[DivisionPair]:
    """Return the pairs of old and new divisions (编/章/节/部分), statuses as for articles.

    Score of two divisions of the same kind: half the title similarity plus half the share
    of their articles that the article alignment paired with each other. So a renamed
    chapter with the same articles still pairs (0 + 0.5), an inserted chapter with a new
    title and new articles does not. Without ``article_pairs`` the articles are aligned here.
    """
    old_members = [_articles_under(d) for d in old_divs]
    new_members = [_articles_under(d) for d in new_divs]
    if article_pairs is None:  # a chapter's articles are also its 编's: count each once
        unique = lambda groups: list({id(a): a for members in groups for a in members}.values())  # noqa: E731
        article_pairs = align_articles(unique(old_members), unique(new_members))
    partner = {id(p.old): p for p in article_pairs if p.old is not None and p.new is not None}
    old_titles = [_bigrams(d.title) for d in old_divs]
    new_titles = [_bigrams(d.title) for d in new_divs]
    new_ids = [{id(a) for a in members} for members in new_members]

    def score(i: int, j: int) -> float:
        links = sum(1 for a in old_members[i] if id(a) in partner and id(partner[id(a)].new) in new_ids[j])
        size = len(old_members[i]) + len(new_members[j])
        overlap = 2 * links / size if size else 1.0
        value = 0.5 * _dice(old_titles[i], new_titles[j]) + 0.5 * overlap
        # A chapter may become a section (行政复议法 2023: 第二章 行政复议范围 is now 第二章
        # 第一节 行政复议范围); such a pair is allowed but must be clearly the same.
        return value if old_divs[i].kind == new_divs[j].kind else KIND_CHANGE_FACTOR * value

    keys = lambda divs: [f"{d.kind}|{normalize(d.title)}" for d in divs]  # noqa: E731
    in_order, moved = _align(keys(old_divs), keys(new_divs), score)
    changed_new = {id(p.new) for p in article_pairs if p.status != "unchanged" and p.new is not None}
    changed_old = {id(p.old) for p in article_pairs if p.status != "unchanged" and p.old is not None}
    pairs = []
    for i, j, is_move in _ordered(len(old_divs), len(new_divs), in_order, moved):
        if j is None:
            pairs.append(DivisionPair(old_divs[i], None, "deleted", ops=diff_texts(old_divs[i].title, "")))
            continue
        if i is None:
            pairs.append(DivisionPair(None, new_divs[j], "inserted", ops=diff_texts("", new_divs[j].title)))
            continue
        old_div, new_div = old_divs[i], new_divs[j]
        same = (
            old_div.title == new_div.title
            and score(i, j) == 1.0
            and not any(id(a) in changed_old for a in old_members[i])
            and not any(id(a) in changed_new for a in new_members[j])
        )
        status = "moved" if is_move else "unchanged" if same else "modified"
        renumbered = (old_div.number, old_div.label) != (new_div.number, new_div.label)
        pairs.append(DivisionPair(old_div, new_div, status, renumbered, score(i, j), diff_texts(old_div.title, new_div.title)))
    return pairs


# --- laws ---------------------------------------------------------------------------

@dataclass
class PartPair:
    """The text outside articles and provisions of both versions: 前言, 正文段落 or 落款及版记."""

    name: str
    status: str
    ops: list[Op]


@dataclass
class LawComparison:
    """Two versions of a law compared article by article (a 公文: provision by provision)."""

    old_title: str
    new_title: str
    title_ops: list[Op]
    preamble_ops: list[Op]
    articles: list[ArticlePair]
    divisions: list[DivisionPair]
    parts: list[PartPair] = field(default_factory=list)


_PART_NAMES = (("preamble", "前言"), ("body", "正文段落"), ("back", "落款及版记"))


def _part_texts(doc: Document) -> dict[str, str]:
    """Return the lines outside articles and provisions, by part: preamble (版头, 沿革, 序言), body, back."""
    preamble = [p.text for p in doc.front] + doc.history + doc.toc + doc.preamble
    body = [node.text for node in doc.children if isinstance(node, Passage)]
    return {"preamble": "\n".join(preamble), "body": "\n".join(body), "back": "\n".join(p.text for p in doc.back)}


def _compare_parts(old: Document, new: Document) -> list[PartPair]:
    old_parts, new_parts = _part_texts(old), _part_texts(new)
    pairs = []
    for key, name in _PART_NAMES:
        before, after = old_parts[key], new_parts[key]
        if not before and not after:
            continue
        status = ("unchanged" if before == after else "inserted" if not before else "deleted" if not after
                  else "modified")
        pairs.append(PartPair(name, status, diff_texts(before, after)))
    return pairs


def compare_documents(old_doc: Document, new_doc: Document) -> LawComparison:
    """Return the comparison of two parsed versions: laws article by article, 公文 provision by provision."""
    articles = align_articles(old_doc.units(), new_doc.units())
    divisions = align_divisions(old_doc.divisions(), new_doc.divisions(), articles)
    old_preamble = "\n".join([p.text for p in old_doc.front if p.role != "title"] + old_doc.preamble)
    new_preamble = "\n".join([p.text for p in new_doc.front if p.role != "title"] + new_doc.preamble)
    return LawComparison(
        old_title=old_doc.title,
        new_title=new_doc.title,
        title_ops=diff_texts(old_doc.title, new_doc.title),
        preamble_ops=diff_texts(old_preamble, new_preamble),
        articles=articles,
        divisions=divisions,
        parts=_compare_parts(old_doc, new_doc),
    )


def compare_laws(old_text: str, new_text: str) -> LawComparison:
    """Return the comparison of two versions of a text: aligned articles (or 公文 provisions), divisions, preamble.

    Raises lib.lawtext.LawTextError (Chinese message) only if a text has no characters.
    """
    return compare_documents(parse_document(old_text), parse_document(new_text))


def comparison_to_json(comparison: LawComparison) -> dict:
    """Return the comparison as JSON-ready data: {"articles": [...], "divisions": [...], "parts": [...]}.

    Articles are named by label ("第十条"; a 公文 provision by its path, "二（四）3（1）"; null
    when inserted/deleted), with the anchor that tells a repeated 公文 series apart
    (``old_anchor``/``new_anchor``, "二（四）3（1）-2"); divisions by their heading
    ("第二章 行政复议范围"), because 第一节 alone recurs in every chapter; parts (前言, 正文段落,
    落款及版记) by name.
    """
    def entry(old: str | None, new: str | None, pair) -> dict:
        return {"old": old, "new": new, "status": pair.status, "ops": [[k, t] for k, t in pair.ops]}

    def article_entry(pair: ArticlePair) -> dict:
        data = entry(pair.old and pair.old.label, pair.new and pair.new.label, pair)
        data["old_anchor"] = pair.old.anchor if pair.old else None
        data["new_anchor"] = pair.new.anchor if pair.new else None
        return data

    return {
        "articles": [article_entry(p) for p in comparison.articles],
        "divisions": [
            entry(p.old and p.old.heading, p.new and p.new.heading, p) for p in comparison.divisions
        ],
        "parts": [{"name": p.name, "status": p.status, "ops": [[k, t] for k, t in p.ops]} for p in comparison.parts],
    }
