"""Chinese-aware diff of revisions: character-level ops with semantic cleanup.

Wagtail's compare view splits text into runs of letters; every Chinese character is a
letter, so one changed character shows a whole clause deleted and re-added. Here the unit
is the character (see ``diff_with_info`` for why not jieba tokens), the raw diff is cleaned
up the way diff-match-patch's ``cleanupSemantic`` does it, and paragraph breaks come out as
ops of their own so that the views can render them.

Article-level comparison of two versions of a law (``compare_laws``, ``align_articles``)
lives in ``lib.align``, which builds on this module; its names are re-exported here.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

__all__ = [
    "Op", "EQUAL", "DELETE", "INSERT", "DiffResult", "diff_texts", "diff_with_info",
    "render_ops_html", "render_ops_text", "marked_chars", "old_text", "new_text",
]

Op = tuple[str, str]
EQUAL, DELETE, INSERT = "equal", "delete", "insert"
_REPLACE = "replace"  # internal: an equality folded into the edits around it

# From this length on only paragraphs are compared (the brief's 1,000,000 characters).
COARSE_LENGTH = 1_000_000
# A block is compared character by character when len(old) * len(new) stays below this;
# on law text SequenceMatcher needs ~10 ms for 2,000 x 2,000 characters, ~0.5 s (and up
# to seconds with many repeated characters) for 20,000 x 20,000.
CHAR_BLOCK = 4_000_000
# Sum of len(old) * len(new) over all character-level blocks of one call; past it the
# remaining blocks are shown as whole paragraphs replaced. Measured worst case on this
# 2-core machine: ~2 s for 990,000 characters with an edit in every paragraph.
CHAR_BUDGET = 30_000_000
# Unit-level matching costs about sum(count_old * count_new) over repeated units; past this
# SequenceMatcher's autojunk heuristic is switched on to keep that part bounded as well.
UNIT_PAIR_BUDGET = 2_000_000
# How far (characters) an insert or delete may slide to reach a punctuation boundary.
SLIDE_WINDOW = 32

NOTICE_TOO_LONG = "文本过长，已按段落比较"
NOTICE_PARTLY_COARSE = "部分改动范围过大，已按段落比较"

SENTENCE_END = "。；！？;!?"
CLAUSE_PUNCT = "，、：:,"
PUNCT = SENTENCE_END + CLAUSE_PUNCT + "）)」』”’》〉】"


@dataclass(frozen=True)
class DiffResult:
    """Ops of a diff plus whether (and why) a coarser comparison was used."""

    ops: list[Op] = field(default_factory=list)
    coarse: bool = False
    notice: str = ""


def diff_texts(old: str, new: str) -> list[Op]:
    """Return the cleaned-up character-level ops that turn ``old`` into ``new``."""
    return diff_with_info(old, new).ops


def diff_with_info(old: str, new: str) -> DiffResult:
    """Return the ops of ``diff_texts`` with a flag and a notice when the diff is coarse.

    Why characters and not jieba tokens: an edit of one character inside a word marks one
    character instead of the word on both sides (4 marked for 2 edited), and jieba segments
    the edited sentence differently from the original around the edit, so token boundaries
    shift and mark even more; the semantic cleanup below already turns character confetti
    into readable whole-phrase changes. It also needs no dictionary load (~1 s).

    Work is hierarchical, each level only on what the level above left unmatched:
    paragraphs, then sentences (only for blocks too big for characters), then characters.
    """
    if old == new:
        return DiffResult(_split_breaks([(EQUAL, old)]))
    if max(len(old), len(new)) >= COARSE_LENGTH:
        ops = _Differ(char_level=False).diff(old, new, (_paragraphs,))
        return DiffResult(_split_breaks(_merge(ops)), True, NOTICE_TOO_LONG)
    differ = _Differ()
    ops = _merge(differ.diff(old, new))
    # Sliding an edit can shrink its neighbour equality to one character: fold once more.
    ops = _cleanup_semantic(_shift_to_boundaries(_cleanup_semantic(ops)))
    notice = NOTICE_PARTLY_COARSE if differ.coarse else ""
    return DiffResult(_split_breaks(ops), differ.coarse, notice)


# --- raw diff ---------------------------------------------------------------------------

def _paragraphs(text: str) -> list[str]:
    # A paragraph keeps the newlines after it: Markdown law texts have a blank line between
    # paragraphs, and 200 identical "\n" units would make unit matching quadratic.
    return re.findall(r"[^\n]*\n+|[^\n]+$", text)


def _sentences(text: str) -> list[str]:
    return re.findall(rf"[^{SENTENCE_END}\n]*[{SENTENCE_END}\n]+|[^{SENTENCE_END}\n]+$", text)


class _Differ:
    """Raw (uncleaned) diff with a budget on the quadratic character-level part."""

    def __init__(self, char_level: bool = True):
        self.char_level = char_level
        self.budget = CHAR_BUDGET
        self.coarse = False

    def diff(self, a: str, b: str, splitters=(_paragraphs, _sentences)) -> list[Op]:
        """Return raw ops; ``splitters`` are the coarser units still to try, coarsest first."""
        prefix = _common_prefix_length(a, b)
        suffix = _common_prefix_length(a[prefix:][::-1], b[prefix:][::-1])
        middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
        ops = [(EQUAL, a[:prefix])]
        if not middle_a or not middle_b:
            ops += [(DELETE, middle_a), (INSERT, middle_b)]
        elif self.char_level and len(middle_a) * len(middle_b) <= min(CHAR_BLOCK, self.budget):
            self.budget -= len(middle_a) * len(middle_b)
            ops += _match_chars(middle_a, middle_b)
        elif splitters:
            ops += self._by_units(middle_a, middle_b, splitters)
        else:
            self.coarse = True
            ops += [(DELETE, middle_a), (INSERT, middle_b)]
        ops.append((EQUAL, a[len(a) - suffix :]))
        return [op for op in ops if op[1]]

    def _by_units(self, a: str, b: str, splitters) -> list[Op]:
        units_a, units_b = splitters[0](a), splitters[0](b)
        if len(units_a) == 1 and len(units_b) == 1:
            return self.diff(a, b, splitters[1:])
        ops: list[Op] = []
        for tag, i1, i2, j1, j2 in _matcher(units_a, units_b).get_opcodes():
            old, new = "".join(units_a[i1:i2]), "".join(units_b[j1:j2])
            if tag == "replace" and self.char_level:
                ops += self.diff(old, new, splitters[1:])
            else:
                self.coarse = self.coarse or tag == "replace"
                ops += _opcode_ops(tag, old, new)
        return ops


def _matcher(a: list[str], b: list[str]) -> SequenceMatcher:
    # autojunk ignores every unit that makes up more than 1 % of a long sequence; among
    # characters that is 的, 法, 行 … which wrecks the alignment, so characters never use it
    # and units only when repeated units would make matching quadratic.
    counts_b = Counter(b)
    pairs = sum(counts_b[unit] * n for unit, n in Counter(a).items())
    return SequenceMatcher(None, a, b, autojunk=pairs > UNIT_PAIR_BUDGET)


def _opcode_ops(tag: str, old: str, new: str) -> list[Op]:
    if tag == "equal":
        return [(EQUAL, old)]
    return [(DELETE, old), (INSERT, new)]


def _match_chars(a: str, b: str) -> list[Op]:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops += _opcode_ops(tag, a[i1:i2], b[j1:j2])
    return ops


def _common_prefix_length(a: str, b: str) -> int:
    """Return the length of the common prefix (binary search over C-speed slices)."""
    low, high = 0, min(len(a), len(b))
    if a[:high] == b[:high]:
        return high
    while high - low > 1:  # invariant: a[:low] == b[:low] and a[:high] != b[:high]
        mid = (low + high) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid
    return low


# --- cleanup ----------------------------------------------------------------------------

def _merge(ops: list[Op]) -> list[Op]:
    """Return ops with one delete and one insert between equalities, equalities merged.

    Common text at the start or end of a delete/insert pair moves into the equalities
    around it: delete 复议机关 + insert 复议机构 becomes equal 复议机, delete 关, insert 构.
    """
    merged: list[Op] = []
    deleted, inserted = [], []

    def flush(next_equal: str) -> str:
        old, new = "".join(deleted), "".join(inserted)
        deleted.clear()
        inserted.clear()
        if old and new:
            prefix = _common_prefix_length(old, new)
            _append(merged, EQUAL, old[:prefix])
            old, new = old[prefix:], new[prefix:]
            suffix = _common_prefix_length(old[::-1], new[::-1])
            if suffix:
                next_equal = old[len(old) - suffix :] + next_equal
                old, new = old[: len(old) - suffix], new[: len(new) - suffix]
        _append(merged, DELETE, old)
        _append(merged, INSERT, new)
        return next_equal

    for kind, text in ops:
        if kind == DELETE:
            deleted.append(text)
        elif kind == INSERT:
            inserted.append(text)
        else:
            _append(merged, EQUAL, flush(text))
    _append(merged, EQUAL, flush(""))
    return merged


def _append(ops: list[Op], kind: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1][0] == kind:
        ops[-1] = (kind, ops[-1][1] + text)
    else:
        ops.append((kind, text))


def _cleanup_semantic(ops: list[Op]) -> list[Op]:
    """Return ops without short equalities that sit between larger edits.

    diff-match-patch's cleanupSemantic rule: an equality no longer than the edits on each
    side of it is folded into them. Old 行政机关作出决定, new 复议机构作出裁定 diffs raw as
    行政→复议, equal 机, 关→构, equal 作出, 决→裁, equal 定. The lone 机 is folded (1 <= 2
    before, 1 <= 1 after), so the editor reads 行政机关→复议机构 instead of confetti; 作出
    stays (2 > 1 edited after it). Equalities holding a paragraph break are never folded:
    they are barriers, so a change inside one paragraph never swallows the next.
    """
    ops = list(ops)
    changed = False
    equalities: list[int] = []  # indices of foldable equalities, innermost last
    barrier = -1  # index of the last equality holding a paragraph break
    last_equality = ""
    before_ins = before_del = after_ins = after_del = 0
    i = 0
    while i < len(ops):
        kind, text = ops[i]
        if kind == EQUAL and "\n" in text:
            barrier = i
            equalities.clear()
            last_equality = ""
            before_ins = before_del = after_ins = after_del = 0
        elif kind == EQUAL:
            equalities.append(i)
            before_ins, before_del, after_ins, after_del = after_ins, after_del, 0, 0
            last_equality = text
        else:
            after_ins += len(text) if kind != DELETE else 0
            after_del += len(text) if kind != INSERT else 0
            size = len(last_equality)
            if last_equality and size <= max(before_ins, before_del) and size <= max(after_ins, after_del):
                # Folded in place as one "replace" entry, expanded by _merge at the end:
                # splicing two ops into the list would make the pass quadratic.
                ops[equalities.pop()] = (_REPLACE, last_equality)
                if equalities:  # the previous equality must be judged again
                    equalities.pop()
                i = equalities[-1] if equalities else barrier
                before_ins = before_del = after_ins = after_del = 0
                last_equality = ""
                changed = True
        i += 1
    if not changed:
        return ops
    expanded: list[Op] = []
    for kind, text in ops:
        expanded += [(DELETE, text), (INSERT, text)] if kind == _REPLACE else [(kind, text)]
    return _merge(expanded)


def _boundary_score(left: str, right: str) -> int:
    """Return how good a place between ``left`` and ``right`` is for an edit to start or end."""
    if not left or not right:
        return 6
    if left[-1] == "\n":
        return 5
    if right[0] == "\n":
        return 4
    if left[-1] in SENTENCE_END:
        return 3
    if left[-1] in CLAUSE_PUNCT:
        return 2
    return 1 if right[0] in PUNCT else 0


def _shift_to_boundaries(ops: list[Op]) -> list[Op]:
    """Return ops where a lone insert or delete is slid to the best punctuation boundary.

    diff-match-patch's cleanupSemanticLossless with Chinese punctuation: inserting 高效、
    into 公正、公开、及时 may come out as 公开[、高效]、及时 or 公开、[高效、]及时; both are
    correct, the second reads as the item the editor added.
    """
    ops = list(ops)
    changed = False
    i = 1
    while i < len(ops) - 1:
        if ops[i - 1][0] == EQUAL and ops[i + 1][0] == EQUAL and ops[i][0] != EQUAL:
            # Only a window around the edit is slid: equalities can be 100,000s of characters.
            head, left = _cut(ops[i - 1][1], -SLIDE_WINDOW)
            right, tail = _cut(ops[i + 1][1], SLIDE_WINDOW)
            edit, start = ops[i][1], left
            common = _common_prefix_length(left[::-1], edit[::-1])
            if common:  # slide the edit as far left as it goes
                left, edit, right = left[:-common], edit[-common:] + edit[:-common], edit[-common:] + right
            best = (left, edit, right)
            best_score = _boundary_score(left, edit) + _boundary_score(edit, right)
            while edit and right and edit[0] == right[0]:
                left, edit, right = left + edit[0], edit[1:] + right[0], right[1:]
                score = _boundary_score(left, edit) + _boundary_score(edit, right)
                if score >= best_score:  # ties go to the later place, as in diff-match-patch
                    best, best_score = (left, edit, right), score
            if best[0] != start:
                # Same length (an equality may become ""): no splicing, _merge tidies up.
                ops[i - 1 : i + 2] = [(EQUAL, head + best[0]), (ops[i][0], best[1]), (EQUAL, best[2] + tail)]
                changed = True
        i += 1
    return _merge(ops) if changed else ops


def _cut(text: str, at: int) -> tuple[str, str]:
    return text[:at], text[at:]


def _split_breaks(ops: list[Op]) -> list[Op]:
    """Return ops where every paragraph break is an op of its own."""
    result: list[Op] = []
    for kind, text in ops:
        for piece in re.split(r"(\n)", text):
            if piece:
                result.append((kind, piece))
    return result


# --- output -----------------------------------------------------------------------------

def old_text(ops: list[Op]) -> str:
    """Return the old text the ops were made from (equal + delete)."""
    return "".join(text for kind, text in ops if kind != INSERT)


def new_text(ops: list[Op]) -> str:
    """Return the new text the ops lead to (equal + insert)."""
    return "".join(text for kind, text in ops if kind != DELETE)


def marked_chars(ops: list[Op]) -> int:
    """Return how many characters the ops mark as deleted or inserted."""
    return sum(len(text) for kind, text in ops if kind != EQUAL)


def render_ops_html(ops: list[Op], side: str = "both") -> str:
    """Return the ops as escaped HTML, one <p> per paragraph, <del>/<ins> around changes.

    ``side`` "both" shows old and new interleaved (a deleted paragraph break as <del>↵</del>,
    an inserted one as <ins>↵</ins> followed by the break); "old" and "new" show one version
    only, for the two columns of 修改前后对照.
    """
    paragraphs: list[list[str]] = [[]]
    for kind, text in ops:
        if (side == "old" and kind == INSERT) or (side == "new" and kind == DELETE):
            continue
        tag = {DELETE: "del", INSERT: "ins"}.get(kind)
        if text == "\n":
            if tag and side == "both":
                paragraphs[-1].append(f'<{tag} class="diff-break">↵</{tag}>')
            if kind != DELETE or side != "both":
                paragraphs.append([])
            continue
        escaped = html.escape(text)
        paragraphs[-1].append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    return "".join(f"<p>{''.join(parts)}</p>" for parts in paragraphs if parts)


def render_ops_text(ops: list[Op], color: bool = False) -> str:
    """Return the ops as terminal text: 【删：…】【增：…】 inline, or red/green when ``color``."""
    runs: list[Op] = []
    for kind, text in ops:  # rejoin the paragraph breaks that diff_texts split out
        _append(runs, kind, text)
    parts = []
    for kind, text in runs:
        if kind == EQUAL:
            parts.append(text)
        elif color:
            parts.append(f"\033[{'9;31' if kind == DELETE else '32'}m{text}\033[0m")
        else:
            parts.append(f"【{'删' if kind == DELETE else '增'}：{text}】")
    return "".join(parts)
