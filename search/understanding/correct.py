"""您是不是要找: the nearest held title or dictionary word to a mistyped query word (错别字).

``correct(text, titles, terms)`` rewrites each word of ``text`` that is none of the known words
into the nearest one, by an edit distance in which replacing a character by one of the same sound
costs little: 行政处法 → 行政处罚法 (a character left out), 行证处罚 → 行政处罚 (证 for 政, both zheng),
食品安全发 → 食品安全法.  Titles are preferred over dictionary words when both are near enough
(people who type a law's name look for the law).  Plain functions, no Django: the service passes
in the titles the public may see and the dictionary words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

SAME_SOUND = 0.25  # 证 for 政: the same syllable whatever the tone
NEAR_SOUND = 0.5  # 则 for 这 (z/zh), 南 for 蓝 (n/l), 分 for 风 (en/eng): sounds confused in speech
OTHER = 1.0  # any other replacement, a character added or left out
MIN_LENGTH = 3  # shorter words have too many near neighbours to guess one
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"), ("f", "h"), ("r", "l"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("iang", "ian"), ("uang", "uan"))


@lru_cache(maxsize=20000)
def _sound(ch: str) -> tuple[str, str]:
    """Return (initial, final) of a character's most common reading, tones dropped."""
    initial = lazy_pinyin(ch, style=Style.INITIALS, strict=False)[0]
    final = lazy_pinyin(ch, style=Style.FINALS, strict=False)[0]
    return initial, final


def _fuzzy(part: str, pairs) -> str:
    for long, short in pairs:
        if part == long:
            return short
    return part


def replace_cost(a: str, b: str) -> float:
    """Return the cost of typing ``a`` where ``b`` is meant: 0, same sound, near sound or other."""
    if a == b:
        return 0.0
    if not _HAN.match(a) or not _HAN.match(b):
        return OTHER
    (ia, fa), (ib, fb) = _sound(a), _sound(b)
    if (ia, fa) == (ib, fb):
        return SAME_SOUND
    if (_fuzzy(ia, _FUZZY_INITIALS), _fuzzy(fa, _FUZZY_FINALS)) == (_fuzzy(ib, _FUZZY_INITIALS), _fuzzy(fb, _FUZZY_FINALS)):
        return NEAR_SOUND
    return OTHER


def distance(typed: str, meant: str, limit: float = 99.0) -> float:
    """Return the sound-weighted edit distance from ``typed`` to ``meant`` (more than ``limit``: early stop)."""
    previous = [float(j) for j in range(len(meant) + 1)]
    for i, a in enumerate(typed, start=1):
        current = [float(i)]
        for j, b in enumerate(meant, start=1):
            current.append(min(previous[j] + OTHER, current[j - 1] + OTHER, previous[j - 1] + replace_cost(a, b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def allowed(length: int) -> float:
    """Return the largest distance accepted for a word of ``length`` characters."""
    return 1.0 if length <= 4 else 1.5 if length <= 7 else 2.0


@dataclass(frozen=True)
class Vocabulary:
    """The known words: titles (and their short forms) first, then dictionary words."""

    titles: frozenset[str]
    terms: frozenset[str]

    @classmethod
    def build(cls, titles: Iterable[str], terms: Iterable[str]) -> Vocabulary:
        held = frozenset(t for t in titles if t and _HAN.match(t))
        return cls(held, frozenset(t for t in terms if t and _HAN.match(t)) - held)

    def knows(self, word: str) -> bool:
        return word in self.titles or word in self.terms or any(word in t for t in self.titles)


def correct_word(word: str, vocabulary: Vocabulary) -> str | None:
    """Return the known word nearest ``word``, or None when ``word`` is known, too short or nothing is near."""
    if len(word) < MIN_LENGTH or not _HAN.match(word) or vocabulary.knows(word):
        return None
    limit = allowed(len(word))
    chars = set(word)
    best: tuple[int, float, int, str] | None = None
    for rank, words in ((0, vocabulary.titles), (1, vocabulary.terms)):
        for candidate in words:
            if abs(len(candidate) - len(word)) > limit or len(chars & set(candidate)) < len(word) - 2:
                continue
            cost = distance(word, candidate, limit)
            if cost <= limit:
                key = (rank, cost, abs(len(candidate) - len(word)), candidate)
                if best is None or key < best:
                    best = key
        if best is not None:
            break
    return best[3] if best else None


def correct(text: str, vocabulary: Vocabulary) -> str:
    """Return ``text`` with each mistyped word replaced by the nearest known one, or "" when none is."""
    words = text.split()
    if not words or any(ch in text for ch in "\"“”:：()（）"):
        return ""  # phrases, fields and groups are the user's own syntax: left alone
    fixed = [correct_word(w, vocabulary) or w for w in words]
    return " ".join(fixed) if fixed != words else ""
