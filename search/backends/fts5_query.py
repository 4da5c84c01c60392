"""Turn a parsed ``Query`` into SQLite FTS5 MATCH expressions and phrase checks.

User text enters FTS5 only as quoted string literals (``fts_string``), so no input can inject FTS5
syntax (NEAR, column filters, *, ^ …); field names and operators come from this module alone.
"""

from __future__ import annotations

import functools
import re

from search.backends.base import term_variants
from search.query import Query, Term
from search.segment import QueryTokens, normalize

_NOT_WORD = re.compile(r"[\W_]+")


def fts_string(token: str) -> str:
    """Return ``token`` as an FTS5 string literal: the only way user text ever enters a MATCH."""
    return '"' + token.replace('"', '""') + '"'


def _tokens_expr(tokens: QueryTokens, phrase: bool, verified: bool) -> str:
    """Return the FTS5 expression for one analysed word or phrase.

    Word 执法联席 → NEAR("执法" "联席", 7): the leaves anywhere close together.

    Phrase "联席会议" → ("联席 会议 联席会 联席会议" OR NEAR("联席" "会议", N)).  The first part is the
    FTS5 phrase of the search-mode tokens, right when the text is cut as the phrase is (综合行政执法
    联席会议 …).  It fails when the phrase sits inside a longer dictionary word: in 联席会议制度 the
    index holds 联席 会议 制度 联席会 联席会议制度, never 联席会议.  The NEAR part catches that.
    When the phrase is ``verified`` (its words are then checked in the original text, see
    ``phrase_conditions``) N is len(phrase) + len(leaves), room for the grams that a longer word
    around the phrase adds (食品生产经营者 around "生产经营者应当…"); otherwise N is the number of tokens the
    phrase's own segmentation puts between its leaves (len(phrase) - len(leaves)), so that
    责令当事人限期改正 does not match "责令改正".
    """
    leaves = " ".join(map(fts_string, tokens.leaves))
    if len(tokens.leaves) == 1 and (not phrase or len(tokens.phrase) <= 1):
        return leaves
    if not phrase:
        return f"NEAR({leaves}, {tokens.window})"
    exact = fts_string(" ".join(tokens.phrase))
    if len(tokens.leaves) == 1:
        return f"({exact} OR {leaves})"
    window = len(tokens.phrase) + len(tokens.leaves) if verified else max(0, len(tokens.phrase) - len(tokens.leaves))
    return f"({exact} OR NEAR({leaves}, {window}))"


def term_expr(term: Term, expand: bool = True, verified: bool = False) -> str:
    """Return the FTS5 expression for a query term (with its synonyms when ``expand``), or "" when
    nothing in it is indexable."""
    parts = [_tokens_expr(v, term.phrase, verified) for v in term_variants(term, expand)]
    if not parts:
        return ""
    expr = parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"
    return "{title_seg} : (" + expr + ")" if term.field == "title" else expr


def _verified(group: list[Term]) -> bool:
    """Return True for a group that is one phrase: its text is then checked in the original text."""
    return len(group) == 1 and group[0].phrase


def group_exprs(query: Query) -> list[tuple[int, str]]:
    """Return (index in ``query.groups``, MATCH expression) of every group with something indexable."""
    out = []
    for i, group in enumerate(query.groups):
        alternatives = [e for e in (term_expr(t, verified=_verified(group)) for t in group) if e]
        if alternatives:
            out.append((i, alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"))
    return out


def compile_match(query: Query) -> tuple[str, str]:
    """Return (positive MATCH expression, exclusion MATCH expression); either may be "".

    The groups are AND-ed, or OR-ed when ``query.any_group`` (the fallback that ranks by coverage).
    Excluded phrases are not here: ``phrase_conditions`` removes them by their original text.
    """
    groups = [expr for _i, expr in group_exprs(query)]
    excluded = [e for e in (term_expr(t, expand=False) for t in query.excluded if not t.phrase) if e]
    joiner = " OR " if query.any_group and len(groups) > 1 else " AND "
    return joiner.join(groups), " OR ".join(excluded)


@functools.lru_cache(maxsize=256)
def squash(text: str | None) -> str:
    """Return normalised text without punctuation or spaces: "依照法律、法规" → "依照法律法规".

    Cached: one search runs its conditions for the count, each facet and the page of hits.
    """
    return _NOT_WORD.sub("", normalize(text or ""))


def phrase_conditions(query: Query, alias: str = "d") -> tuple[list[str], list[str]]:
    """Return SQL conditions (on the document table, as ``alias``) and parameters that check quoted phrases in the
    ORIGINAL text: a phrase matches where its characters follow each other, whatever the
    punctuation, width or case, and however jieba cut the words around it.

    FTS5 narrows the candidates first, so ``searchidx_squash`` runs on few rows.
    """
    where, params = [], []
    for terms, negate in ([g[0] for g in query.groups if _verified(g)], False), (
            [t for t in query.excluded if t.phrase], True):
        for term in terms:
            needle = squash(term.text)
            if not needle:
                continue
            columns = ("title",) if term.field == "title" else ("title", "doc_number", "keywords", "body")
            # instr() on the raw column first: free, and enough whenever the text is spelt as typed.
            typed = term.text.strip()
            test = " OR ".join(f"instr({alias}.{c}, ?) > 0 OR instr(searchidx_squash({alias}.{c}), ?) > 0" for c in columns)
            where.append(f"NOT ({test})" if negate else f"({test})")
            params += [typed, needle] * len(columns)
    return where, params
