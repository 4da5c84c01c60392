"""Turn the Markdown law texts of the corpus into IndexDocs: one per law and one per article."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from search.backends.base import IndexDoc
from tests.lawcorpus import LAWS, law_files

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "search"
CORPUS_DIR = LAWS  # the law corpus, tests/corpus/laws (tests/lawcorpus.py)

_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百千零〇]+条)\s*", re.M)
_DATE = re.compile(r"\((\d{4})-(\d{2})-(\d{2})\)")


def parse_law(path: Path) -> tuple[str, str, list[tuple[str, str]]]:
    """Return (title, body, [(article number, article text)]) of one corpus file."""
    text = path.read_text(encoding="utf-8")
    title = text.splitlines()[0].lstrip("# ").strip()
    body = text.split("<!-- INFO END -->", 1)[-1]
    body = "\n".join(line for line in body.splitlines() if not line.startswith("#")).strip()
    starts = list(_ARTICLE.finditer(body))
    articles = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        articles.append((m.group(1), body[m.start():end].strip()))
    return title, body, articles


_CHAPTER = re.compile(r"^#+\s*(第[一二三四五六七八九十百千零〇]+章.*)$")


def chapters(path: Path) -> dict[str, str]:
    """Return {article number: the 章 heading it sits under} (第六十四条 → 第七章 法律责任)."""
    found, current = {}, ""
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _CHAPTER.match(line.strip())
        if m:
            current = re.sub(r"\s+", " ", m.group(1)).strip()
            continue
        a = _ARTICLE.match(line)
        if a and current:
            found.setdefault(a.group(1), current)
    return found


def law_docs(paths: list[Path], with_articles: bool = True) -> list[IndexDoc]:
    """Return IndexDocs for the given law files: "law:N" for the whole law, "law:N#第X条" per article."""
    docs = []
    for n, path in enumerate(sorted(paths), start=1):
        title, body, articles = parse_law(path)
        chapter_of = chapters(path)
        m = _DATE.search(path.name)
        date = dt.date(*map(int, m.groups())) if m else dt.date(2000, 1, 1)
        common = dict(page_id=n, category="法律法规", department="全国人大常委会", validity="现行有效", date=date)
        docs.append(IndexDoc(id=f"law:{n}", url=f"/laws/{n}/", title=title, body=body, extra={"kind": "page"},
                             **common))
        if with_articles:
            seen = set()
            for number, text in articles:
                if number in seen:  # a quoted article inside an amendment note
                    continue
                seen.add(number)
                extra = {"kind": "article", "article": number, "parent_title": title, "chapter": chapter_of.get(number, "")}
                docs.append(IndexDoc(id=f"law:{n}#{number}", url=f"/laws/{n}/#{number}", title=f"{title} {number}",
                                     body=text, extra=extra, **common))
    return docs


def corpus_files() -> list[Path]:
    """Return the law corpus files (150 laws); an empty corpus folder is an error, not a skip."""
    return law_files()


def data_files() -> list[Path]:
    """Return the small law files kept in the repository (tests/data/search)."""
    return sorted(DATA_DIR.glob("*.md"))
