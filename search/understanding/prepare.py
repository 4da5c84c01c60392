"""All of query understanding in order: the ``Query`` an engine runs and what was understood.

    raw → 繁体 folded → pinyin of held titles → citation numerals → question words dropped
        → parse_query → colloquial words OR-ed with their legal terms (place words dropped then)

``prepare`` never raises and never empties a query that had something to look for.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from lib.citations import TitleIndex
from search.backends.base import Filters, Hit, SearchBackend
from search.query import Query, Term, parse_query
from search.segment import query_words
from search.understanding.lexicon import Lexicon
from search.understanding.pinyin import PinyinTitles
from search.understanding.rewrite import (
    PLACE_WORDS,
    SPLIT_STOPWORDS,
    Provision,
    drop_fillers,
    find_provision,
    fold,
    is_penalty_question,
    outside_quotes,
    rewrite_numerals,
)

_ASCII_WORD = re.compile(r"(?<![\w:：-])([A-Za-z][A-Za-z']{2,59})(?![\w])")
_KEYWORDS = {"and", "not"}
_SEARCHABLE = re.compile(r"[^\W_]")


@dataclass
class Understood:
    """What understanding changed, for the result page ("同时检索：违法建设") and the JSON API."""

    folded: bool = False  # 繁体 (or full-width) characters rewritten
    pinyin: list[tuple[str, str]] = field(default_factory=list)  # (as typed, title)
    citations: list[tuple[str, str]] = field(default_factory=list)  # (as typed, in the law's numbering)
    dropped: list[str] = field(default_factory=list)  # question words and filler
    places: list[str] = field(default_factory=list)  # place words dropped beside a colloquial word
    expansions: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (colloquial, legal terms)
    provision: Provision | None = None
    penalty: bool = False  # the question asked how a violation is punished (罚多少, 怎么处罚)

    @property
    def changed(self) -> bool:
        return bool(self.folded or self.pinyin or self.citations or self.dropped or self.places or self.expansions)

    def messages(self) -> list[str]:
        """Return what was understood, in Chinese, one sentence each."""
        out = []
        if self.folded:
            out.append("已将繁体字转为简体字查找。")
        out += [f"已按“{title}”查找（{typed}）。" for typed, title in self.pinyin]
        out += [f"已将“{typed}”按“{new}”查找。" for typed, new in self.citations]
        if self.dropped:
            out.append("已忽略提问用语：" + "、".join(dict.fromkeys(self.dropped)) + "。")
        if self.places:
            out.append("已忽略地点用语：" + "、".join(dict.fromkeys(self.places)) + "。")
        for word, terms in self.expansions:
            out.append("同时检索：" + "、".join(terms) + f"（“{word}”的法律用语）")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"folded": self.folded,
                "pinyin": [{"typed": t, "title": title} for t, title in self.pinyin],
                "citations": [{"typed": t, "rewritten": new} for t, new in self.citations],
                "dropped": list(dict.fromkeys(self.dropped)), "places": list(dict.fromkeys(self.places)),
                "expansions": [{"word": w, "terms": list(terms)} for w, terms in self.expansions],
                "provision": ({"law": self.provision.law, "article": self.provision.article}
                              if self.provision else None),
                "penalty": self.penalty, "messages": self.messages()}


@dataclass
class Prepared:
    text: str  # the rewritten query text
    query: Query
    understood: Understood


def _pinyin_words(text: str, pinyin: PinyinTitles, found: list[tuple[str, str]]) -> str:
    def one(m: re.Match) -> str:
        word = m.group(1)
        title = None if word.lower() in _KEYWORDS else pinyin.title_for(word)
        if title is None:
            return word
        found.append((word, title))
        return title

    return _ASCII_WORD.sub(one, text)


def expand_query(query: Query, lexicon: Lexicon, understood: Understood) -> Query:
    """Return ``query`` with each colloquial word OR-ed with its legal terms.

    A word holding a colloquial word among others (小区私搭乱建) is cut: the colloquial word and its
    terms make one OR group, the rest stays as words of their own; a place word left beside a
    colloquial word (小区) is dropped.  Phrases and field terms are left as typed.
    """
    groups: list[list[Term]] = []
    places: list[str] = []
    for group in query.groups:
        if len(group) == 1 and not group[0].phrase and group[0].field is None:
            pieces = lexicon.split(group[0].text)
            if not any(targets for _piece, targets in pieces):
                groups.append(group)
                continue
            for piece, targets in pieces:
                piece = piece.strip()
                if targets:
                    groups.append([Term(piece), *(Term(t) for t in targets)])
                    understood.expansions.append((piece, targets))
                elif piece in PLACE_WORDS:
                    places.append(piece)
                elif _SEARCHABLE.search(piece):
                    groups.append([Term(piece)])
            continue
        new = list(group)
        for term in group:
            targets = () if term.phrase or term.field else lexicon.targets(term.text)
            if targets:
                new += [Term(t) for t in targets if Term(t) not in new]
                understood.expansions.append((term.text, targets))
        groups.append(new)
    if understood.expansions:
        kept = []
        for group in groups:
            if len(group) == 1 and not group[0].phrase and group[0].field is None and group[0].text in PLACE_WORDS:
                places.append(group[0].text)
            else:
                kept.append(group)
        groups = kept
    understood.places += places
    return Query(raw=query.raw, groups=groups, excluded=list(query.excluded), filters=dict(query.filters),
                 notices=list(query.notices))


def prepare(raw: str, *, titles: TitleIndex | None = None, pinyin: PinyinTitles | None = None,
            lexicon: Lexicon | None = None) -> Prepared:
    """Return the prepared query for ``raw``: rewritten text, the ``Query`` to run, what was understood.

    ``titles`` resolves a cited law to its key (``provision``), ``pinyin`` spells held titles,
    ``lexicon`` holds the colloquial words (the file's alone when None).
    """
    raw = raw if isinstance(raw, str) else str(raw or "")
    understood = Understood()
    text = fold(raw)
    understood.folded = text != unicodedata.normalize("NFKC", raw)
    if pinyin is not None and len(pinyin):
        text = outside_quotes(text, lambda part: _pinyin_words(part, pinyin, understood.pinyin))
    text = outside_quotes(text, lambda part: rewrite_numerals(part, understood.citations))
    text = outside_quotes(text, lambda part: drop_fillers(part, understood.dropped))
    if not _SEARCHABLE.search(text) and _SEARCHABLE.search(raw):
        text = fold(raw)  # never empty a query that had something to look for
        understood.dropped.clear()
    understood.penalty = is_penalty_question(understood.dropped)
    query = parse_query(text)
    query.raw = raw
    query = expand_query(query, lexicon if lexicon is not None else Lexicon(), understood)
    understood.provision = find_provision(text, titles)
    return Prepared(text=text, query=query, understood=understood)


def split_words(query: Query) -> Query | None:
    """Return ``query`` with each plain word of several words cut into those words, a concept each, so
    that they may be found apart (听证要提前几天通知当事人 → 听证 · 提前 · 几天 · 通知 · 当事人), or None
    when nothing is cut.  Single characters and ``SPLIT_STOPWORDS`` go; phrases, field terms and
    lexicon groups stay as they are; a word left alone is kept whole.
    """
    groups: list[list[Term]] = []
    cut = False
    for group in query.groups:
        term = group[0] if len(group) == 1 else None
        if term is None or term.phrase or term.field is not None:
            groups.append(group)
            continue
        words = [w for w in dict.fromkeys(query_words(term.text)) if len(w) > 1 and w not in SPLIT_STOPWORDS]
        if len(words) > 1 or (words and words[0] != term.text):
            groups += [[Term(w)] for w in words]
            cut = True
        elif words or len(query.groups) == 1:
            groups.append(group)
        else:
            cut = True  # a single character or a stop word beside other concepts
    if not cut or not groups:
        return None
    return dataclasses.replace(query, groups=groups)


def provision_hit(backend: SearchBackend, provision: Provision, filters: Filters) -> Hit | None:
    """Return the index document of the cited article as the viewer may see it, or None.

    Looked up among the documents of the cited law's page only (``Filters.page_ids``), under the
    viewer's scope: a provision the viewer may not see is never found.
    """
    scoped = dataclasses.replace(filters, page_ids=[provision.key])
    query = Query(raw=provision.article, groups=[[Term(provision.article, field="title")]])
    for hit in backend.search(query, scoped, limit=50).hits:
        article = (hit.fields.get("extra") or {}).get("article")
        if article == provision.article or (article is None and
                                            (hit.fields.get("title") or "").endswith(" " + provision.article)):
            return hit
    return None
