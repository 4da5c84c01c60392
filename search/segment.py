"""Chinese word segmentation for the search index and for queries.

One segmenter per process, created lazily on first use and shared by every caller: jieba's stock
dictionary plus the domain dictionary ``search/dict/userdict.txt`` (department names, legal terms).

Two engines give the *same* tokens (proved by ``tests/search/test_segment_equality.py``):

* ``rjieba`` — the Rust port (jieba-rs). Same main dictionary, same HMM, same search mode; user
  words are added with ``add_word`` and the frequencies from userdict.txt.  About 15 times faster
  than pure-Python jieba (10 MB/s of CPU time against 0.65 on the law corpus).
* ``jieba`` — a private ``jieba.Tokenizer`` (never the global ``jieba.dt``, so nothing else in the
  process can add words to our dictionary). The fallback when rjieba is not installed.

Index side: ``tokens_for_index`` = jieba search mode (``cut_for_search``): every word plus the
dictionary 2- and 3-character words inside it, so 综合行政执法局 is indexed as
综合 / 行政 / 执法 / 执法局 / 综合行政执法局 (the in-dictionary grams, then the word).

Query side: see ``analyze_query`` for how a typed word becomes tokens.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

USERDICT_PATH = Path(__file__).resolve().parent / "dict" / "userdict.txt"

# Non-word characters whose NFKC form holds a word character (㎡ → m2, ㈠ → (一), ℃ → °c), as a
# class body of ranges so the class stays a fast range check.  Computed from the Unicode database
# by ``compat_wordy_ranges`` below; a test keeps the two equal.
COMPAT_WORDY = (
    "\u20a8\u2100-\u2101\u2103\u2105-\u2106\u2109\u2116\u2120-\u2122\u213b\u249c-\u24e9\u2e9f\u2ef3"
    "\u2f00-\u2fd5\u3196-\u319f\u3200-\u321e\u322a-\u3247\u3250\u3260-\u327e\u328a-\u32b0\u32c0-\u33ff"
    "\ufdfc\ufe33-\ufe34\ufe4d-\ufe4f\uff3f\U0001f110-\U0001f12e\U0001f130-\U0001f14f\U0001f16a-\U0001f16c"
    "\U0001f190\U0001f200-\U0001f202\U0001f210-\U0001f23b\U0001f240-\U0001f248\U0001f250-\U0001f251"
)


def compat_wordy_ranges() -> str:
    """Return ``COMPAT_WORDY`` recomputed from this Python's Unicode database (slow: ~0.3 s)."""
    ranges: list[list[int]] = []
    for point in range(0x80, 0x30000):
        folded = unicodedata.normalize("NFKC", chr(point))
        if folded != chr(point) and not re.match(r"\w", chr(point)) and re.search(r"\w", folded):
            if ranges and point == ranges[-1][1] + 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


# Blanked before segmentation: every character that is not a word character, except "." and "%"
# (1.5, 50%) and what NFKC turns into word characters (full-width ．％, ㎡, ㈠, combining accents).
# jieba segments each run of 汉字/letters/digits on its own and emits punctuation and the symbols
# +#&- as tokens of their own (covid-19 → covid / - / 19), so blanking them changes no word token;
# it only spares both engines emitting, and us filtering, punctuation.
_SEPARATORS = re.compile(rf"[^\w.%．％{COMPAT_WORDY}\u0300-\u036f]+")
# After NFKC: "_", a "." that is not a decimal point and a "%" that does not follow a number.
# Each branch starts with its symbol so that the regex engine can skip ahead to the next one.
_STRAY_SYMBOLS = re.compile(r"_|\.(?![0-9])|\.(?<![0-9]\.)|%(?<![0-9a-z]%)")
# Word characters that Python jieba does not put in a block (kana, Greek, CJK extension A …) but
# jieba-rs does: surrounding them with spaces makes both engines emit them as single tokens.
_ISOLATE = re.compile(r"[^\W\u4E00-\u9FD5a-zA-Z0-9_]")
# Letters next to a decimal number are where the engines still disagree: Python jieba cuts v1.2
# as one token and 93.4c as 93.4 + c; jieba-rs emits v1 + v1.2 and 4c + 93.4c.  Blanking the point
# after a letter (v1 2) and spacing a number from the letter after it (93.4 c) gives both the same.
_LETTER_DECIMAL = re.compile(r"([a-z][0-9]*)\.|(\.[0-9]+)(?=[a-z]|\.[0-9])")
# Tokens that can still come out of prepared text and carry nothing searchable.
_JUNK = frozenset({" ", "."})
_JUNK_CHARS = " ."


def normalize(text: str) -> str:
    """Return ``text`` in NFKC form, lower-cased (全角 ＡＢＣ１２３ → abc123, （ → ( )."""
    return unicodedata.normalize("NFKC", text).lower()


def _prepare(text: str) -> str:
    """Return normalised text with separators blanked, ready for either engine.

    Blanking first makes NFKC nearly free: Chinese text owes its compatibility characters to
    full-width punctuation (，：（）), which the blanking removes, so the NFKC quick check then
    passes and only text with full-width letters or digits (ＧＢ２７６０) pays for the conversion.
    """
    text = _SEPARATORS.sub(" ", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", text))
    text = text.lower()
    if "." in text:
        text = _LETTER_DECIMAL.sub(r"\1\2 ", text)
    text = _STRAY_SYMBOLS.sub(" ", text)
    if not text.isascii():
        text = _ISOLATE.sub(r" \g<0> ", text)
    return text


class _Segmenter:
    """One loaded engine: cut (precise mode), cut_for_search and a dictionary lookup."""

    def __init__(self, engine: str, userdict: Path):
        entries = []
        for line in userdict.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if parts:
                entries.append((parts[0], int(parts[1]) if len(parts) > 1 else None))
        self.fingerprint = "userdict-" + hashlib.sha1(userdict.read_bytes()).hexdigest()[:12]
        self.userdict_entries = len(entries)
        if engine in ("auto", "rjieba"):
            try:
                import rjieba  # optional: the faster tokenizer when it is installed
            except ImportError:
                if engine == "rjieba":
                    raise
            else:
                tokenizer = rjieba.Jieba()
                for word, freq in entries:
                    tokenizer.add_word(word, freq, None)
                self.engine = "rjieba"
                self.cut = tokenizer.cut
                self.cut_for_search = tokenizer.cut_for_search
                self.has_word = tokenizer.has_word
                return
        import jieba  # loaded only when rjieba is not used (it builds its dictionary on import)

        jieba.setLogLevel(60)  # jieba logs "Building prefix dict…" at INFO on every start
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word, freq in entries:
            tokenizer.add_word(word, freq)
        self.engine = "jieba"
        self.cut = tokenizer.lcut
        self.cut_for_search = tokenizer.lcut_for_search
        self.has_word = lambda word: bool(tokenizer.FREQ.get(word))


_lock = threading.Lock()
_segmenter: _Segmenter | None = None
_engine_choice = "auto"


def configure(engine: str = "auto") -> None:
    """Choose the engine ("auto", "rjieba" or "jieba") and drop the loaded one (tests, benchmarks)."""
    global _segmenter, _engine_choice
    if engine not in ("auto", "rjieba", "jieba"):
        raise ValueError(f"未知的分词引擎：{engine}")
    with _lock:
        _engine_choice = engine
        _segmenter = None


def get_segmenter() -> _Segmenter:
    """Return the process-wide segmenter, loading it (once, ~0.3 s with rjieba) on first use."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                _segmenter = _Segmenter(_engine_choice, USERDICT_PATH)
    return _segmenter


def segmenter_info() -> dict[str, object]:
    """Return the engine name, dictionary fingerprint and user-dictionary size, for stats()."""
    seg = get_segmenter()
    return {"engine": seg.engine, "dictionary": seg.fingerprint, "userdict_entries": seg.userdict_entries}


def tokens_for_index(text: str) -> list[str]:
    """Return the search-mode tokens of ``text``: normalised, without whitespace and punctuation.

    Example: "建立综合行政执法联席会议制度。" →
    ['建立', '综合', '行政', '执法', '综合行政执法', '联席', '会议', '联席会议', '制度'].
    """
    return [t for t in get_segmenter().cut_for_search(_prepare(text)) if t not in _JUNK]


def segment_for_fts(text: str) -> str:
    """Return the index tokens of ``text`` joined by single spaces: the text stored for FTS5/ES."""
    return " ".join(tokens_for_index(text))


def _words(prepared: str) -> list[tuple[int, str]]:
    """Return (offset, word) for the precise-mode words of already prepared text (no punctuation)."""
    words, pos = [], 0
    for token in get_segmenter().cut(prepared):
        pos = prepared.find(token, pos)
        if token.strip(_JUNK_CHARS):
            words.append((pos, token))
        pos += len(token)
    return words


def query_words(text: str) -> list[str]:
    """Return the precise-mode words of ``text`` (听证要提前几天通知当事人 → 听证, 要, 提前, 几天, 通知, 当事人)."""
    return [word for _offset, word in _words(_prepare(text))]


def _cover(word: str, has_word) -> list[str]:
    """Return the dictionary 2/3-character pieces of ``word`` that together cover all its characters.

    Search mode indexes every in-dictionary 2- and 3-gram of a long word, so those pieces are found
    wherever the text has the word, or any longer word containing it.  Worked example: the query
    word 行政执法 is absent from the index of 综合行政执法局 (only 2/3-grams and the full word are
    emitted), but its cover 行政 + 执法 is there.  2-grams are preferred: a text word boundary can
    cut through a 3-gram more easily.  Returns [word] when no cover exists (names found by the HMM).
    """
    if len(word) <= 2:
        return [word]
    pieces, covered, size = [], 0, len(word)
    while covered < size:
        for start, end in ((covered, covered + 2), (covered - 1, covered + 1), (covered, covered + 3),
                           (covered - 1, covered + 2), (covered - 2, covered + 1)):
            if start >= 0 and end <= size and has_word(word[start:end]):
                pieces.append(word[start:end])
                covered = end
                break
        else:
            return [word]
    return pieces


@dataclass(frozen=True)
class QueryTokens:
    """How one typed word or phrase is matched against the index.

    ``leaves`` must all occur within ``window`` tokens of each other (an FTS5 NEAR group);
    ``phrase`` is the search-mode token sequence, matched as adjacent tokens (an FTS5 phrase).
    """

    leaves: tuple[str, ...]
    phrase: tuple[str, ...]
    window: int


def analyze_query(text: str) -> QueryTokens:
    """Return the tokens that find ``text`` in search-mode-segmented documents.

    1. Cut the normalised text in precise mode (the same segmenter as the index).
    2. When there are three words or more, drop a single character at either end: a query cut out of
       the middle of a word (…品安全监督管理部门应当对食…) starts or ends with a fragment that the
       text holds inside a longer word, never as a token of its own.
    3. ``leaves``: each word of up to two characters stays as is; a longer word is replaced by its
       dictionary cover (see ``_cover``).  联席会议 → 联席 + 会议; 执法联席 → 执法 + 联席.
    4. ``phrase``: the search-mode tokens of the trimmed text, for exact phrase matching.
    5. ``window`` (FTS5 NEAR's N: tokens allowed between the first and the last leaf): the number
       of search-mode tokens of the text + the number of leaves + 3.  The leaves of a real
       occurrence sit among the tokens that the index emits for that stretch of text; the slack
       absorbs a different cut at the edges.

    Measured with the FTS5 backend on 4,000 paragraphs of the law corpus (share of the paragraphs
    containing the query that are found): queries of 1–3 whole words 99.5 %; stretches of 8–20
    characters copied from anywhere 88 % unquoted, 92.5 % quoted; arbitrary 2–6 character
    stretches 71 % — those cut through words (…法规定的…) and no word index can find all of them.
    """
    prepared = _prepare(text)
    words = _words(prepared)
    if len(words) > 2 and len(words[0][1]) == 1:
        words = words[1:]
    if len(words) > 2 and len(words[-1][1]) == 1:
        words = words[:-1]
    seg = get_segmenter()
    leaves: dict[str, None] = {}
    for _offset, word in words:
        for piece in _cover(word, seg.has_word):
            leaves.setdefault(piece, None)
    # The phrase is segmented from the trimmed stretch of the prepared text itself, so that
    # punctuation inside it (…国防动员法》等…) still separates blocks exactly as in the document.
    span = prepared[words[0][0] : words[-1][0] + len(words[-1][1])] if words else ""
    phrase = tuple(tokens_for_index(span))
    return QueryTokens(tuple(leaves), phrase, len(phrase) + len(leaves) + 3)


def tokens_for_query(text: str) -> list[str]:
    """Return the tokens that must all match for the query word ``text`` (``analyze_query().leaves``).

    Example: "执法联席" → ['执法', '联席']; "联席会议" → ['联席', '会议']; "行政执法" → ['行政', '执法'].
    """
    return list(analyze_query(text).leaves)


def _segment_chunk(texts: Sequence[str]) -> list[str]:
    """Return segment_for_fts of each text (the unit of work of a pool worker)."""
    return [segment_for_fts(t) for t in texts]


# Processes ``segment_many`` uses when the caller does not say.  One: on the 2-core machine shared with
# other jobs (load 5), the benchmark measured the forked pool at 0.70× one process at 100,000 documents
# (9.4 against 13.5 MB/s; 0.69× at 20,000), and a 23 MB reindex batch at 2.4 s in-process against 3.4 s
# on 2 processes: the second process finds no free core and pays for forking and pickling.  Where
# cores are free, ``processes=os.cpu_count()`` (``bench_search.py --processes``) shows whether it pays.
DEFAULT_PROCESSES = 1


def segment_many(texts: Iterable[str], processes: int | None = None, min_parallel_bytes: int = 2_000_000) -> list[str]:
    """Return ``segment_for_fts`` of every text, in order; on ``processes`` cores for large batches
    (default ``DEFAULT_PROCESSES``).

    The engines hold the GIL, so threads do not help; a forked pool does.  Work happens at once, in
    this call.  Batches under ``min_parallel_bytes`` (counted as characters × 3) run in-process,
    where the cost of starting workers would dominate; so does the one-page batch of a publish
    signal, which keeps web processes (threads!) from forking.  The segmenter is loaded before
    forking so the workers inherit it instead of loading the dictionary again.
    """
    texts = list(texts)
    processes = processes or DEFAULT_PROCESSES
    if processes < 2 or len(texts) < 2 or sum(map(len, texts)) * 3 < min_parallel_bytes:
        return _segment_chunk(texts)
    get_segmenter()
    # The caller segments its own share (the last 1/processes of the text) while processes - 1 forked
    # workers do the rest, in chunks of about equal size in characters (texts range from one line to
    # a whole law), ~4 per worker: one fork fewer and one share that is never pickled.
    total = sum(map(len, texts))
    own_from, size = len(texts), 0
    while own_from > 1 and (size + len(texts[own_from - 1])) * processes <= total:
        own_from -= 1
        size += len(texts[own_from])
    target = max(1, (total - size) // ((processes - 1) * 4))
    chunks, chunk, size = [], [], 0
    for text in texts[:own_from]:
        chunk.append(text)
        size += len(text)
        if size >= target:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    with multiprocessing.get_context("fork").Pool(processes - 1) as pool:
        pending = pool.map_async(_segment_chunk, chunks, chunksize=1)
        own = _segment_chunk(texts[own_from:])
        return [s for part in pending.get() for s in part] + own
