"""Highlighted snippets cut from the ORIGINAL text (never from the segmented index text).

Shared by every backend: the engine says which documents match, this module finds the words in
the text a person reads, HTML-escapes it and wraps the matches in ``<mark>``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

from search import synonyms
from search.query import Query
from search.segment import normalize, tokens_for_query

_SPACES = re.compile(r"\s+")
_SENTENCE_END = "。；;！!？?\n"
_MAX_MATCHES = 300  # enough to pick a good window in a 100,000-character law


def highlight_terms(query: Query) -> list[str]:
    """Return the strings worth marking for ``query``: each term, its synonyms and its word pieces.

    Worked example: 执法联席 → ["执法联席", "执法", "联席"]: the whole term is marked where it occurs
    verbatim, the pieces where the text only has them apart (…执法部门…联席会议…).  Pieces of one
    character are left out: marking every 的 or 法 helps nobody.
    """
    found: dict[str, None] = {}
    for term in query.positive_terms():
        variants = {term.text} if term.phrase else synonyms.expand(term.text) | {term.text}
        for variant in sorted(variants):
            found.setdefault(_SPACES.sub("", variant), None)
            for piece in tokens_for_query(variant):
                if len(piece) > 1:
                    found.setdefault(piece, None)
    return [t for t in found if t]


_FOLD: dict[int, str] | None = None


def _fold_table() -> dict[int, str]:
    """Return the translate table folding each character to its one-character ``normalize`` form
    (全角 Ａ１， → a1,, upper → lower), built once per process (~50 ms)."""
    global _FOLD
    if _FOLD is None:
        table = {}
        for point in range(0x10000):
            folded = normalize(chr(point))
            if len(folded) == 1 and folded != chr(point):
                table[point] = folded
        _FOLD = table
    return _FOLD


def _normalized_with_map(text: str) -> tuple[str, list[int] | None]:
    """Return normalize(text) and, when lengths differ, the original index of each normalised char.

    Text whose characters each fold to one character (nearly all Chinese text: full-width
    punctuation, letters and digits) is folded with one ``str.translate``: positions are kept, no
    map is needed, and a 1,500-character body costs microseconds instead of a full NFKC pass.
    """
    folded = text.translate(_fold_table())
    if folded.isascii() or unicodedata.is_normalized("NFKC", folded):
        return folded, None
    norm = normalize(text)
    if len(norm) == len(text):
        return norm, None  # NFKC of full-width forms and lower-casing kept every position
    chars, index = [], []
    for i, ch in enumerate(text):
        piece = normalize(ch)
        chars.append(piece)
        index.extend([i] * len(piece))
    index.append(len(text))
    return "".join(chars), index


def _find(text: str, terms: Iterable[str]) -> list[tuple[int, int, str]]:
    """Return non-overlapping (start, end, term) matches in ``text`` (original indices), longest first."""
    needles = sorted({normalize(t) for t in terms if t and t.strip()}, key=len, reverse=True)
    if not needles or not text:
        return []
    norm, index = _normalized_with_map(text)
    pattern = re.compile("|".join(map(re.escape, needles)))
    matches = []
    for m in pattern.finditer(norm):
        start, end = (m.start(), m.end()) if index is None else (index[m.start()], index[m.end() - 1] + 1)
        matches.append((start, end, m.group()))
        if len(matches) >= _MAX_MATCHES:
            break
    return matches


def _render(text: str, start: int, end: int, matches: list[tuple[int, int, str]]) -> str:
    """Return text[start:end] HTML-escaped with whitespace collapsed and matches in <mark>."""
    out, pos = [], start
    for m_start, m_end, _term in matches:
        if m_start < start or m_end > end:
            continue
        out.append(html.escape(_SPACES.sub(" ", text[pos:m_start])))
        out.append("<mark>" + html.escape(text[m_start:m_end]) + "</mark>")
        pos = m_end
    out.append(html.escape(_SPACES.sub(" ", text[pos:end])))
    return "".join(out)


def make_snippet(original_text: str, query_terms: Iterable[str], length: int = 120) -> str:
    """Return about ``length`` characters of ``original_text`` around the best cluster of matches,
    HTML-escaped, matches wrapped in ``<mark>``, with "…" where the text was cut.

    The window is the one holding the most *different* terms (then the most matches); it starts at
    the beginning of its sentence when that is close.  Without any match, the text's beginning.
    """
    text = original_text or ""
    matches = _find(text, query_terms)
    if not matches:
        start = 0
    else:
        # Matches do not overlap and come in text order, so the matches inside the window that
        # starts at match i are matches[i:j]: slide j forward, counting each term in the window.
        best, best_key = matches[0][0], (-1, -1)
        counts: dict[str, int] = {}
        j = 0
        for i, (m_start, _e, _t) in enumerate(matches):
            while j < len(matches) and matches[j][1] <= m_start + length:
                counts[matches[j][2]] = counts.get(matches[j][2], 0) + 1
                j += 1
            key = (len(counts), j - i)
            if key > best_key:
                best, best_key = m_start, key
            if j > i:  # match i leaves the window before the next one starts
                counts[matches[i][2]] -= 1
                if not counts[matches[i][2]]:
                    del counts[matches[i][2]]
            else:
                j = i + 1
        context = min(30, length // 4)
        start = max(0, best - context)
        # Begin at the sentence start when one lies within the context: reads better than a cut.
        boundary = max(text.rfind(ch, start, best) for ch in _SENTENCE_END)
        if boundary >= 0:
            start = boundary + 1
    # Near the end of the text, fill the window with earlier context rather than leave it short.
    start = min(start, max(0, len(text) - length))
    while start < len(text) and text[start].isspace():
        start += 1
    end = min(len(text), start + length)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + _render(text, start, end, matches).strip() + suffix


def highlight(text: str, query_terms: Iterable[str]) -> str:
    """Return the whole of ``text`` (a title) HTML-escaped with matches in <mark>."""
    text = text or ""
    return _render(text, 0, len(text), _find(text, query_terms))
