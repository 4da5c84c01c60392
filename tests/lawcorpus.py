"""Where the tests find the law corpus: tests/corpus/laws, the repository's copy of ../shared/corpus/laws.

The one place that says so.  A clean clone has no ../shared beside it, so the corpus-wide tests read the
repository's copy (150 real laws, tests/corpus/SOURCE.txt) and never skip; LAW_CORPUS may point them at
another folder laid out the same way (``<folder>/laws/*.md`` and ``<folder>/laws/source.tsv``).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPO_CORPUS = ROOT / "tests" / "corpus"
CORPUS = Path(os.environ.get("LAW_CORPUS", REPO_CORPUS))
LAWS = CORPUS / "laws"
LEXICON_LAWS = REPO_CORPUS / "lexicon_laws.txt"  # always the repository's: benchmarks name its files by path


def law_files() -> list[Path]:
    """Return the corpus's law files; fail (never skip) when the folder holds none."""
    files = sorted(LAWS.glob("*.md"))
    if not files:
        raise FileNotFoundError(f"法规语料目录 {LAWS} 中没有 .md 文件（仓库自带 tests/corpus/laws；LAW_CORPUS 可另指）")
    return files


def law_categories() -> dict[Path, str]:
    """Return {law file: LawRefBook category (law, admin_reg, dept_rule, judicial, local)} from source.tsv."""
    with (LAWS / "source.tsv").open(encoding="utf-8") as handle:
        return {LAWS / row["filename"]: row["category"] for row in csv.DictReader(handle, delimiter="\t")}


def lexicon_law_files() -> list[Path]:
    """Return the 31 laws of the repository's corpus that the lexicon check holds (lexicon_laws.txt)."""
    names = [line.strip() for line in LEXICON_LAWS.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return [REPO_CORPUS / "laws" / name for name in names]
