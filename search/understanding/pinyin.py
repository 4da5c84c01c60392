"""Pinyin of held titles: xzcff and xingzhengchufafa find 行政处罚法.

``PinyinTitles(titles)`` maps the full pinyin and the initials of each title and of its short
forms (without 中华人民共和国, ``lib.citations.title_aliases``) to the short form.  Built lazily
by the service from the titles the public may see, and rebuilt when they change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

from lib.citations import title_aliases

_LETTERS = re.compile(r"[a-z]{3,60}")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def spellings(title: str) -> tuple[str, str]:
    """Return (full pinyin, initials) of the Chinese characters of ``title``, lower case, no spaces."""
    han = "".join(_HAN.findall(title))
    full = "".join(lazy_pinyin(han)).lower()
    initials = "".join(lazy_pinyin(han, style=Style.FIRST_LETTER)).lower()
    return full, initials


class PinyinTitles:
    """{pinyin or initials: title}; where two titles share a spelling, the shorter title keeps it."""

    def __init__(self, titles: Iterable[str]):
        self.map: dict[str, str] = {}
        for title in titles:
            for alias in title_aliases(title):
                if not _HAN.search(alias):
                    continue
                for spelling in spellings(alias):
                    if len(spelling) >= 3 and (spelling not in self.map or len(alias) < len(self.map[spelling])):
                        self.map[spelling] = alias

    def __len__(self) -> int:
        return len(self.map)

    def title_for(self, word: str) -> str | None:
        """Return the title ``word`` spells (xzcff, XingZhengChuFaFa), or None."""
        key = word.strip().lower().replace("'", "")
        return self.map.get(key) if _LETTERS.fullmatch(key) else None
