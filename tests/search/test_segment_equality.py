"""The fast engine (rjieba) gives exactly the tokens of pure-Python jieba with our dictionary."""

from __future__ import annotations

import random
import re

import pytest

from search import segment
from tests.search.lawdocs import corpus_files, data_files, parse_law

pytest.importorskip("rjieba", reason="rjieba 未安装：索引使用纯 Python jieba，无需比较")

_WORD = re.compile(r"[^\W_]")


@pytest.fixture(scope="module")
def pure_jieba():
    """Return a private pure-Python jieba.Tokenizer with userdict.txt loaded the documented way."""
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tokenizer.load_userdict(str(segment.USERDICT_PATH))
    return tokenizer


def _paragraphs(paths) -> list[str]:
    paragraphs = []
    for path in paths:
        _title, body, _articles = parse_law(path)
        paragraphs += [p for p in body.splitlines() if len(p.strip()) > 10]
    return paragraphs


def _engine_tokens(engine: str, paragraphs: list[str]) -> list[list[str]]:
    segment.configure(engine)
    try:
        return [segment.tokens_for_index(p) for p in paragraphs]
    finally:
        segment.configure("auto")


def test_fast_engine_is_the_one_in_use():
    assert segment.segmenter_info()["engine"] == "rjieba"


def test_fast_and_pure_engines_give_identical_tokens_on_law_paragraphs():
    paragraphs = _paragraphs(data_files())
    assert len(paragraphs) >= 50
    fast, pure = _engine_tokens("rjieba", paragraphs), _engine_tokens("jieba", paragraphs)
    assert fast == pure
    userdict = {line.split()[0] for line in segment.USERDICT_PATH.read_text(encoding="utf-8").splitlines()}
    stock = stock_words()
    used = {t for tokens in fast for t in tokens if t in userdict and t not in stock}
    assert len(used) >= 20, "the sample must exercise user-dictionary terms"


def stock_words() -> set[str]:
    """Return the words of jieba's stock dictionary (to tell which tokens only our dictionary knows)."""
    import jieba

    with open(jieba.get_dict_file().name, encoding="utf-8") as fh:
        return {line.split()[0] for line in fh}


def _assert_pipeline_is_pure_jieba(pure_jieba, paragraphs: list[str]) -> None:
    for paragraph in paragraphs:
        expected = [t for t in pure_jieba.cut_for_search(segment.normalize(paragraph)) if _WORD.search(t)]
        assert segment.tokens_for_index(paragraph) == expected, paragraph


def test_pipeline_equals_pure_jieba_search_mode_on_raw_text(pure_jieba):
    """The blanking and NFKC shortcuts of ``_prepare`` change no token of real law text."""
    _assert_pipeline_is_pure_jieba(pure_jieba, _paragraphs(data_files()))


def test_pipeline_equals_pure_jieba_on_the_whole_law_corpus(pure_jieba):
    files = corpus_files()
    _assert_pipeline_is_pure_jieba(pure_jieba, _paragraphs(files))


def test_compatibility_character_table_matches_the_unicode_database():
    assert segment.compat_wordy_ranges() == segment.COMPAT_WORDY


def test_engines_agree_on_random_mixed_text():
    """Random mixes of 汉字, ASCII, symbols and odd scripts.  Immediate repeats of one 汉字 (管管管)
    are left out: there the two engines break a probability tie differently."""
    alphabet = list("abcxyzABC0123456789-_.+#&%  ,，。．％") + list("行政执法联席会议住建局城管年月日第条款的和")
    alphabet += ["α", "カ", "㐀", "①", "😀", "\u200b", "\t", "\n", "㎡", "㈠", "é", "e\u0301"]
    rng = random.Random(0)
    texts = []
    for _ in range(4000):
        chars: list[str] = []
        for _ in range(rng.randint(1, 30)):
            ch = rng.choice(alphabet)
            if not (chars and ch == chars[-1] and "\u4e00" <= ch <= "\u9fff"):
                chars.append(ch)
        texts.append("".join(chars))
    assert _engine_tokens("rjieba", texts) == _engine_tokens("jieba", texts)


def test_fast_and_pure_engines_agree_on_a_sample_of_the_law_corpus():
    files = corpus_files()
    paragraphs = _paragraphs(files)
    sample = random.Random(42).sample(paragraphs, min(1500, len(paragraphs)))
    assert _engine_tokens("rjieba", sample) == _engine_tokens("jieba", sample)


@pytest.mark.parametrize("text", [
    "ＧＢ２７６０－２０１４《食品安全国家标准》", "covid-19疫情 e-mail地址 v1.2.3版本 1.5%的罚款",
    "a_b c--d αβγ カタカナ 㐀丂 ①②", "周政办字〔2018〕18号", "罚款2000元以上2万元以下",
])
def test_engines_agree_on_mixed_scripts_and_numbers(text):
    assert _engine_tokens("rjieba", [text]) == _engine_tokens("jieba", [text])
