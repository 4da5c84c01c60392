"""Rebuild ``userdict.txt``, the domain dictionary that jieba loads for the portal search.

Usage (from the repository root)::

    .venv/bin/python search/dict/build_userdict.py [CORPUS_DIR ...] [--mined N] [--check]

The dictionary has two parts:

* ``seed_terms.txt`` (kept by hand): department full and short names of a 区 government and the
  enforcement vocabulary that a joint-meeting portal must never split (行政处罚, 联席会议, 住建局 …).
* terms mined from real legal texts (default: ``tests/corpus/laws``, the repository's copy of the shared corpus): sequences of two or three
  jieba words that recur in several documents, stand as a unit (varied left and right neighbours)
  and end in a noun or a legal head word (处罚, 许可, 执法 …). jieba's stock dictionary splits each of
  them, which is exactly why they are worth adding.

Every entry gets a frequency high enough to beat the split that jieba would otherwise choose (see
``winning_freq``), so the term stays one token in precise mode; search mode still emits its
dictionary sub-words, so queries for the parts keep working.

The output is deterministic for the same inputs, so the committed file can be checked with
``--check`` (exit status 1 when a rebuild would change it).
"""

from __future__ import annotations

import argparse
import collections
import math
import re
import sys
import unicodedata
from pathlib import Path

import jieba

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_CORPUS = REPO / "tests" / "corpus" / "laws"  # the repository's copy of ../shared/corpus/laws
SEED_FILE = HERE / "seed_terms.txt"
OUTPUT = HERE / "userdict.txt"

HAN_RUN = re.compile(r"[\u4e00-\u9fd5]+")

# Words that never start or end a term: function words, modal verbs and the glue of legal prose.
# Without them the miner returns fragments such as 违反本法 or 依照本条例.
STOPWORDS = frozenset(
    """的 了 和 与 或 或者 及 以及 并 并且 等 对 对于 在 由 从 向 将 把 被 为 以 其 之 是 有 无 不 应当 应
    可以 可 必须 不得 按照 依照 依法 根据 经 未 已 所 者 这 那 该 本 本法 本条 本款 本办法 本条例 本规定 本决定
    其他 有关 相关 规定 下列 以上 以下 一 二 三 中 上 下 内 外 时 后 前 给予 进行 予以 作出 处 并处 元 万元 日 月 年
    个 条 款 项 章 节 第 各 各级 各自 同级 所在地 当地 上级 一级 需要 情况 实际 严重 重大 有效 依据""".split()
)
# Verbs and connectors that end a clause, not a term (部门责令, 主管部门会同, 人民政府负责 …).
BAD_LAST = frozenset(
    """责令 会同 负责 申请 制定 批准 组织 决定 提出 发生 造成 认为 要求 符合 违反 适用 实施 提供 出具 接受 取得
    从事 具有 停止 限期 开展 建立 加强 采取 落实 报告 报送 审议 审查 通知 公布 发布 告知 处以 没收 吊销 撤销 暂扣
    及其 会议决定 之日起 期间 范围 方面 工作 活动 情形 事项 国家 全国 社会 有权 城市 农业""".split()
)
# Words that start a clause rather than a term: a term seldom begins with its governing body.
BAD_FIRST = frozenset(
    """部门 机关 机构 单位 政府 人民政府 主管部门 违反 适用 实施 提供 出具 接受 取得 从事 具有 严格 立即 申请 负责
    会同 组织 可能 有权 认为 符合 造成 发生 提出 采取 决定 维护 危害 驾驶 委托 缴纳 告知 同意 拒绝 如实 书面 及时
    建立 加强 通过 超过 纳入 列入 鼓励 领导 主管 本市 履行 保证 保障 作为 执行 人员 第一次 第二次 第三次 擅自""".split()
)
# Nominal tags of jieba's dictionary, plus heads that jieba tags as verbs but that name legal acts.
NOUN_TAGS = frozenset("n nr ns nt nz ng nrt nrfg vn an j l".split())
VERB_HEADS = frozenset(
    """处罚 许可 执法 强制 复议 诉讼 保护 补偿 验收 监测 管理 监督 检查 登记 审批 处置 治理 整改 听证 公示 备案 评估
    评价 救援 检验 检疫 投放 收集 运输 排放 处理 赔偿 鉴定 公开 共享 衔接 移送 受理 惩戒""".split()
)

SEED_FREQ_FLOOR = 20000  # seeds are curated: they must win even against long dictionary words
MINED_FREQ_FLOOR = 3000


def load_tags() -> dict[str, str]:
    """Return jieba's main dictionary as word -> part-of-speech tag."""
    tags = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            word, _freq, tag = line.split()
            tags[word] = tag
    return tags


def read_seeds(path: Path = SEED_FILE) -> list[str]:
    """Return the hand-kept seed terms, in file order, without comments or duplicates."""
    seen: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        term = line.split("#", 1)[0].strip()
        if term:
            seen.setdefault(unicodedata.normalize("NFKC", term).lower(), None)
    return list(seen)


def entropy(counter: collections.Counter) -> float:
    """Return the Shannon entropy (nats) of a neighbour distribution: high = the unit stands alone."""
    total = sum(counter.values())
    return -sum(n / total * math.log(n / total) for n in counter.values())


def mine_terms(corpus_files: list[Path], tokenizer: jieba.Tokenizer, limit: int) -> list[str]:
    """Return up to ``limit`` multi-word terms that jieba splits, best first.

    Worked example: jieba cuts 行政处罚决定书 into 行政/处罚/决定书.  The sequence recurs in many laws, its
    left neighbours vary (作出, 送达, 制作 …) and so do its right ones, and it ends in the noun 决定书,
    so it is kept.  部门责令 also recurs but ends in the verb 责令 and is dropped.
    """
    tags = load_tags()
    count: collections.Counter = collections.Counter()
    docs: dict[str, set[int]] = collections.defaultdict(set)
    left: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    right: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for doc_no, path in enumerate(corpus_files):
        text = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8"))
        for run in HAN_RUN.findall(text):
            words = tokenizer.lcut(run, HMM=False)
            for start in range(len(words)):
                for size in (2, 3):
                    seq = words[start : start + size]
                    if len(seq) < size or any(w in STOPWORDS or len(w) == 1 for w in seq):
                        break
                    term = "".join(seq)
                    if not 3 <= len(term) <= 8:
                        continue
                    count[term] += 1
                    docs[term].add(doc_no)
                    left[term][words[start - 1] if start else "^"] += 1
                    end = start + size
                    right[term][words[end] if end < len(words) else "$"] += 1
    scored = []
    for term, n in count.items():
        if n < 5 or len(docs[term]) < 3:
            continue
        parts = tokenizer.lcut(term, HMM=False)
        first, last = parts[0], parts[-1]
        if first in BAD_FIRST or last in BAD_LAST:
            continue
        if tags.get(last) not in NOUN_TAGS and last not in VERB_HEADS:
            continue
        stand_alone = min(entropy(left[term]), entropy(right[term]))
        if stand_alone < 1.0:
            continue
        scored.append((-n * stand_alone * math.log1p(len(docs[term])), term))
    scored.sort()
    return [term for _score, term in scored[:limit]]


def winning_freq(term: str, tokenizer: jieba.Tokenizer, floor: int) -> int:
    """Return a frequency that makes jieba keep ``term`` as one word.

    jieba picks the segmentation with the highest product of word probabilities (freq / total).
    ``suggest_freq(term)`` gives the frequency at which the whole word ties with its current split;
    ten times that (and at least ``floor``) wins with a margin that survives neighbouring context.
    Example: 综合行政执法 ties at about 2 (three rare-ish words multiplied), so the floor decides.
    """
    tie = tokenizer.suggest_freq(term, tune=False)
    return max(floor, 10 * tie, tokenizer.FREQ.get(term) or 0)


def build(corpus_dirs: list[Path], mined_limit: int) -> str:
    """Return the text of ``userdict.txt`` (one ``word freq`` line per entry, seeds first)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    seeds = read_seeds()
    files = sorted(p for d in corpus_dirs for p in d.glob("*.md"))
    if not files:
        raise SystemExit(f"没有找到语料文件：{', '.join(map(str, corpus_dirs))}")
    mined = [t for t in mine_terms(files, tokenizer, mined_limit + len(seeds)) if t not in set(seeds)]
    mined = mined[:mined_limit]
    lines = [f"{t} {winning_freq(t, tokenizer, SEED_FREQ_FLOOR)}" for t in seeds]
    lines += [f"{t} {winning_freq(t, tokenizer, MINED_FREQ_FLOOR)}" for t in mined]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) userdict.txt; return the process exit status."""
    parser = argparse.ArgumentParser(description="重建检索用的 jieba 领域词典 userdict.txt")
    parser.add_argument("corpus", nargs="*", type=Path, default=[DEFAULT_CORPUS])
    parser.add_argument("--mined", type=int, default=550, help="从语料中挖掘的词条数")
    parser.add_argument("--check", action="store_true", help="只比较，不写文件")
    args = parser.parse_args(argv)
    jieba.setLogLevel(60)
    text = build(args.corpus, args.mined)
    entries = text.count("\n")
    if args.check:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print(f"userdict.txt {'与重建结果一致' if same else '需要重建'}（{entries} 条）")
        return 0 if same else 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"已写入 {OUTPUT.relative_to(REPO)}：{entries} 条")
    return 0


if __name__ == "__main__":
    sys.exit(main())
