"""Synonym and alias groups: 住建局 finds 住房和城乡建设局, 城管 finds 综合行政执法 and back.

Groups are read from ``search/dict/synonyms.txt`` once per process; ``add_group`` adds more at run
time (department full names, short names and former names come from the Department snippets).
A term may belong to several groups; ``expand`` returns the union.  All matching is on normalised
text (NFKC, lower case), so ＡＢＣ and abc are one term.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from search.segment import normalize

SYNONYMS_PATH = Path(__file__).resolve().parent / "dict" / "synonyms.txt"

_lock = threading.Lock()
_groups: dict[str, set[frozenset[str]]] | None = None


def parse_groups(text: str) -> list[frozenset[str]]:
    """Return the groups in ``text`` (one group a line, terms split by whitespace, "#" comments)."""
    groups = []
    for line in text.splitlines():
        terms = frozenset(normalize(t) for t in line.split("#", 1)[0].split())
        if len(terms) > 1:
            groups.append(terms)
    return groups


def _index() -> dict[str, set[frozenset[str]]]:
    """Return term -> groups, loading synonyms.txt on first use."""
    global _groups
    if _groups is None:
        with _lock:
            if _groups is None:
                index: dict[str, set[frozenset[str]]] = {}
                for group in parse_groups(SYNONYMS_PATH.read_text(encoding="utf-8")):
                    for term in group:
                        index.setdefault(term, set()).add(group)
                _groups = index
    return _groups


def add_group(terms: Iterable[str]) -> None:
    """Register a group of equivalent terms for this process (blank and single-term groups are ignored)."""
    group = frozenset(normalize(t).strip() for t in terms) - {""}
    if len(group) < 2:
        return
    index = _index()
    with _lock:
        for term in group:
            index.setdefault(term, set()).add(group)


def expand(term: str) -> set[str]:
    """Return ``term`` (normalised) together with every synonym of it; just {term} when it has none."""
    key = normalize(term).strip()
    index = _index()
    with _lock:  # add_group may be growing the same set in another thread
        groups = tuple(index.get(key, ()))
    result = {key}
    for group in groups:
        result |= group
    return result


def reset() -> None:
    """Forget run-time groups; the file is read again on next use (for tests)."""
    global _groups
    with _lock:
        _groups = None
