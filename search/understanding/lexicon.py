"""The colloquial-to-legal lexicon: 私搭乱建 → 违法建设 / 未取得建设工程规划许可证.

The entries are data: ``search/dict/lexicon.tsv`` (one a line: 口语, 法律用语 separated by |,
领域), read once per process, and the editors' entries (``search.models.LexiconEntry``), which the
service passes in and which add to (never remove) the file's targets.  Every target of the file is
a wording of the held law texts (checked by tests/search/test_lexicon.py).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from search.segment import normalize

LEXICON_PATH = Path(__file__).resolve().parents[1] / "dict" / "lexicon.tsv"
TARGET_SEPARATORS = re.compile(r"[|｜\n]+")

_lock = threading.Lock()
_file_entries: dict[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Entry:
    colloquial: str
    targets: tuple[str, ...]
    field: str = ""


def parse_lexicon(text: str) -> list[Entry]:
    """Return the entries of a lexicon file (tab-separated, "#" comment lines, blank lines skipped)."""
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        colloquial, _, rest = line.partition("\t")
        targets, _, field = rest.partition("\t")
        entry = make_entry(colloquial, targets, field)
        if entry is not None:
            entries.append(entry)
    return entries


def make_entry(colloquial: str, targets: str | Iterable[str], field: str = "") -> Entry | None:
    """Return the entry for a colloquial word and its targets (a string split at | or newlines, or a
    list), or None when either side is empty."""
    items = TARGET_SEPARATORS.split(targets) if isinstance(targets, str) else list(targets)
    key = normalize(colloquial).strip()
    found = tuple(dict.fromkeys(t for t in (normalize(x).strip() for x in items) if t and t != key))
    return Entry(key, found, field.strip()) if key and found else None


def file_entries() -> dict[str, tuple[str, ...]]:
    """Return {colloquial: targets} of ``lexicon.tsv``, read on first use."""
    global _file_entries
    if _file_entries is None:
        with _lock:
            if _file_entries is None:
                merged: dict[str, tuple[str, ...]] = {}
                for entry in parse_lexicon(LEXICON_PATH.read_text(encoding="utf-8")):
                    merged[entry.colloquial] = tuple(dict.fromkeys(merged.get(entry.colloquial, ()) + entry.targets))
                _file_entries = merged
    return _file_entries


class Lexicon:
    """The file's entries merged with extra ones; finds the colloquial words inside a query word."""

    def __init__(self, extra: Iterable[Entry] = ()):
        entries = dict(file_entries())
        for entry in extra:
            entries[entry.colloquial] = tuple(dict.fromkeys(entries.get(entry.colloquial, ()) + entry.targets))
        self.entries = entries
        keys = sorted(entries, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def __len__(self) -> int:
        return len(self.entries)

    def targets(self, word: str) -> tuple[str, ...]:
        return self.entries.get(normalize(word).strip(), ())

    def split(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """Return ``text`` cut into pieces, each with the targets of the colloquial word it is (or ()).

        小区私搭乱建 → [("小区", ()), ("私搭乱建", ("违法建设", "未取得建设工程规划许可证"))].
        The longest colloquial word wins where two overlap.
        """
        if self._pattern is None:
            return [(text, ())]
        key = normalize(text)
        if len(key) != len(text):  # normalisation changed the length: match the whole word only
            return [(text, self.targets(text))]
        pieces, pos = [], 0
        for m in self._pattern.finditer(key):
            if m.start() > pos:
                pieces.append((text[pos:m.start()], ()))
            pieces.append((text[m.start():m.end()], self.entries[m.group(0)]))
            pos = m.end()
        if pos < len(text):
            pieces.append((text[pos:], ()))
        return pieces


def reset() -> None:
    """Forget the file's entries (read again on next use; for tests)."""
    global _file_entries
    with _lock:
        _file_entries = None
