"""Amendment impact: what a new version of a law (or 公文) did to each provision, and to each citation of one.

``provision_changes(comparison)`` reads the provision alignment (``lib.align``) and classifies every
provision of the old version:

- ``unchanged``: same text, same number;
- ``renumbered``: same text, new number (``new_label``);
- ``changed``: paired with a provision of the new version whose text differs (it may be renumbered too);
- ``repealed``: no counterpart in the new version;

and lists the provisions the new version inserted. ``citation_status(changes, place)`` gives the status
of a citation of ``place`` (a law's 第四十一条第二款, or a 公文's path): ``None`` when the cited article is unchanged,
else an ``Impact`` with the Chinese status (条文已修改 / 条号已变更 / 条文已废止), the new place and the
修改前后对照 (old and new text of the cited article). A law repealed as a whole flags every citation
(``repealed_law_status``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lib.align import LawComparison, article_body

__all__ = [
    "CHANGED", "RENUMBERED", "REPEALED", "STATUS_TEXT", "UNCHANGED", "Change", "Changes", "Impact",
    "citation_status", "provision_changes", "renumber_citation_text", "repealed_law_status",
]

UNCHANGED, CHANGED, RENUMBERED, REPEALED, INSERTED = "unchanged", "changed", "renumbered", "repealed", "inserted"
STATUS_TEXT = {CHANGED: "条文已修改", RENUMBERED: "条号已变更", REPEALED: "条文已废止"}

_ARTICLE_RE = re.compile(r"^(第[零〇一二三四五六七八九十百千万]+条(?:之[一二三四五六七八九十]+)?)(.*)$")
_WRITTEN_ARTICLE_RE = re.compile(r"第[零〇一二三四五六七八九十百千万\d０-９]+条(?:之[一二三四五六七八九十\d]+)?")


@dataclass(frozen=True)
class Change:
    """What the new version did to one provision of the old (or, ``inserted``, added one)."""

    status: str
    old_label: str
    new_label: str
    old_text: str
    new_text: str


@dataclass
class Changes:
    """The provisions of the old version by label (and 公文 anchor), with what happened to each."""

    by_old: dict[str, Change] = field(default_factory=dict)
    inserted: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {UNCHANGED: 0, CHANGED: 0, RENUMBERED: 0, REPEALED: 0, INSERTED: len(self.inserted)}
        seen = set()
        for change in self.by_old.values():
            if id(change) not in seen:
                seen.add(id(change))
                out[change.status] += 1
        return out


@dataclass(frozen=True)
class Impact:
    """What a citation of the old version now points at."""

    status: str  # changed | renumbered | repealed
    new_place: str  # the place in the new version ("" when repealed)
    old_text: str
    new_text: str

    @property
    def label(self) -> str:
        """Return the Chinese status: 条文已修改, 条号已变更（新条号）, 条文已废止."""
        text = STATUS_TEXT[self.status]
        if self.status == RENUMBERED:
            return f"{text}（{self.new_place}）"
        return text


def _label(unit) -> str:
    return unit.label


def provision_changes(comparison: LawComparison) -> Changes:
    """Return the classification of every provision of the old version (see the module docstring)."""
    changes = Changes()
    for pair in comparison.articles:
        if pair.old is None:
            changes.inserted.append(Change(INSERTED, "", _label(pair.new), "", article_body(pair.new)))
            continue
        old_text = article_body(pair.old)
        if pair.new is None:
            change = Change(REPEALED, _label(pair.old), "", old_text, "")
        else:
            new_text = article_body(pair.new)
            same = old_text == new_text
            if same and not pair.renumbered:
                status = UNCHANGED
            elif same:
                status = RENUMBERED
            else:
                status = CHANGED
            change = Change(status, _label(pair.old), _label(pair.new), old_text, new_text)
        changes.by_old.setdefault(change.old_label, change)
        anchor = getattr(pair.old, "anchor", "")
        if anchor:
            changes.by_old.setdefault(anchor, change)
    return changes


def _split(place: str, changes: Changes) -> tuple[Change | None, str]:
    """Return (the change of the provision ``place`` lies in, the rest of the place after it)."""
    m = _ARTICLE_RE.match(place)
    if m and m.group(1) in changes.by_old:
        return changes.by_old[m.group(1)], m.group(2)
    # A 公文 place (二（四）3（1）): the longest provision label it starts with.
    best = max((label for label in changes.by_old if place.startswith(label)), key=len, default=None)
    if best is None:
        return None, ""
    return changes.by_old[best], place[len(best):]


def citation_status(changes: Changes, place: str) -> Impact | None:
    """Return the impact on a citation of ``place`` in the old version, or None (unchanged, whole document,
    or a place the old version does not hold)."""
    if not place:
        return None
    change, rest = _split(place, changes)
    if change is None or change.status == UNCHANGED:
        return None
    new_place = change.new_label + rest if change.new_label else ""
    return Impact(change.status, new_place, change.old_text, change.new_text)


def repealed_law_status(changes: Changes | None, place: str) -> Impact:
    """Return the impact on a citation of a law repealed as a whole (有效性 已废止): 条文已废止."""
    change, _rest = _split(place, changes) if changes is not None and place else (None, "")
    return Impact(REPEALED, "", change.old_text if change else "", "")


def renumber_citation_text(text: str, old_place: str, new_place: str) -> str:
    """Return a citation's text with the article number of ``old_place`` replaced by that of ``new_place``.

    "《中华人民共和国行政复议法》第四十一条" with 第四十一条 -> 第八十九条 gives "…》第八十九条". The last
    article number written is the one cited (a title may hold none). Text without one is returned as it is.
    """
    new_article = _ARTICLE_RE.match(new_place)
    if not new_article:
        return text
    matches = list(_WRITTEN_ARTICLE_RE.finditer(text))
    if not matches:
        return text
    last = matches[-1]
    return text[: last.start()] + new_article.group(1) + text[last.end():]
