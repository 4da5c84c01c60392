"""Benchmark of text import (issue 15): parse + store throughput of import_texts, and the round-trip check's time.

    .venv/bin/python benchmarks/bench_import.py [--corpus DIR] [--runs N]
    make bench

Prints, for the law corpus (tests/corpus/laws, 150 documents; tests/lawcorpus.py, LAW_CORPUS overrides it),
or the folder --corpus names:

1. parsing alone (``lib.lawtext.parse_document`` + ``document_to_stream`` + ``lib.textmeta.read_metadata``),
   in documents/s and MB/s of UTF-8 source — the best of ``--runs`` passes;
2. parse + store: ``portal.importer.import_directory`` — what ``manage.py import_texts`` runs — into a
   fresh SQLite database: each text parsed, its metadata read, a published RegulationPage created
   with its first revision, and the page indexed by the embedded search engine; documents/s and
   MB/s, with the median and slowest document (after one untimed import that loads the segmenter);
3. the round-trip check over every corpus (the repo's tests/data, demo/data, tests/fixtures and
   tests/corpus/laws): each text set on a page, its body through the StreamField's JSON as in the
   database, exported as plain text and compared with the source, whitespace and markup aside
   (``lib.lawtext.source_characters``) — its total time, and how many texts differ (0 expected).

The database is a copy of a migrated empty one kept in var/bench/ (rebuilt when the migrations
change); everything else lives in a temporary folder removed at the end. The figures are those of
this machine, with whatever else runs on it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lawcorpus import LAWS, law_files  # noqa: E402  (the repository on sys.path first)

BENCH_DIR = ROOT / "var" / "bench"


def migrations_fingerprint() -> str:
    """Return a digest of every migration file of the project: the cached database is rebuilt when it changes."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("portal/*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def bench_env(folder: Path, database: Path) -> dict[str, str]:
    """Return the environment of the development settings on ``database``, with files in ``folder``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "ELASTICSEARCH_URL", "DEBUG", "SECRET_KEY", "SEARCH_"))}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.dev", DEBUG="1", DATABASE_URL=f"sqlite:///{database}",
               SEARCH_SQLITE_PATH=str(folder / "search.sqlite3"), MEDIA_ROOT=str(folder / "media"),
               CACHE_URL="locmemcache://")
    return env


def migrated_database() -> Path:
    """Return a migrated empty SQLite database, made once per set of migrations under var/bench/."""
    template = BENCH_DIR / f"import-migrated-{migrations_fingerprint()}.sqlite3"
    if template.exists():
        return template
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for old in BENCH_DIR.glob("import-migrated-*.sqlite3*"):
        old.unlink()
    building = template.with_suffix(".building")
    print("迁移空数据库（只在第一次或迁移变化后）……", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=ROOT, check=True,
                       env=bench_env(Path(folder), building))
    with sqlite3.connect(building) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    building.replace(template)
    return template


def corpus_texts(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*") if p.suffix in (".md", ".txt") and p.is_file())


def all_corpora() -> list[Path]:
    """Return every text of the repo's corpora and of the law corpus (as the round-trip tests find them)."""
    texts = [*ROOT.glob("tests/data/**/*.md"), *ROOT.glob("demo/data/**/*.md"), *ROOT.glob("tests/fixtures/*.txt")]
    return sorted(set(texts)) + law_files()


def rate(count: int, nbytes: int, seconds: float) -> str:
    return f"{count / seconds:,.1f} 篇/秒，{nbytes / 1e6 / seconds:.2f} MB/s（{count} 篇，{nbytes / 1e6:.2f} MB，{seconds:.2f} 秒）"


def bench_parse(paths: list[Path], runs: int) -> None:
    # Imported after main() has put the repository on sys.path.
    from lib.lawtext import document_to_stream, parse_document
    from lib.textmeta import read_metadata

    texts = [(p.name, p.read_text(encoding="utf-8-sig")) for p in paths]
    nbytes = sum(len(t.encode()) for _, t in texts)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for name, text in texts:
            doc = parse_document(text)
            document_to_stream(doc)
            read_metadata(doc, name)
        times.append(time.perf_counter() - start)
    print(f"1. 解析（结构 + 元数据，不写数据库，{runs} 次取最快）：{rate(len(texts), nbytes, min(times))}", flush=True)


def bench_store(corpus: Path) -> None:
    # Models are imported after django.setup(), which main() runs on the benchmark's own database.
    from wagtail.models import Page, Site

    from portal.importer import import_directory
    from portal.models import CategoryIndexPage, Department, HomePage, Scope

    department = Department.objects.create(name="基准测试区综合行政执法局", short_name="执法局", code="BENCH",
                                           is_bureau=True)
    home = HomePage(title="基准测试门户", slug="bench-home")
    Page.get_first_root_node().add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update(root_page=home)
    laws = CategoryIndexPage(title="法律法规", slug="laws", section="laws")
    home.add_child(instance=laws)
    laws.save_revision().publish()

    # Not timed: the first page published loads the search engine's segmenter and dictionary.
    with tempfile.TemporaryDirectory() as warm:
        (Path(warm) / "预热.md").write_text("# 基准预热文本\n\n第一条 本文本只用于预热。\n", encoding="utf-8")
        import_directory(Path(warm), laws, department, Scope.PUBLIC)

    paths = corpus_texts(corpus)
    nbytes = sum(p.stat().st_size for p in paths)
    per_file: list[tuple[float, str]] = []

    class Clock:
        """import_directory's progress hook: the time each file took."""

        def __init__(self):
            self.last = time.perf_counter()
            self.index = 0

        def advance(self):
            now = time.perf_counter()
            per_file.append((now - self.last, paths[self.index].name))
            self.last, self.index = now, self.index + 1

    start = time.perf_counter()
    report = import_directory(corpus, laws, department, Scope.PUBLIC, progress=Clock())
    seconds = time.perf_counter() - start
    print(f"2. 解析 + 入库（import_texts：建页、首个版本并发布、检索索引）：{rate(len(paths), nbytes, seconds)}", flush=True)
    slowest = max(per_file)
    print(f"   {report.summary()}单篇中位数 {statistics.median(t for t, _ in per_file) * 1000:.0f} 毫秒，"
          f"最慢 {slowest[0]:.2f} 秒（{slowest[1]}）", flush=True)
    for name, reason in report.failed:
        print(f"   失败：{name}：{reason}", flush=True)


def bench_round_trip(paths: list[Path]) -> None:
    # Models are imported after django.setup(), which main() runs on the benchmark's own database.
    from lib.lawtext import parse_document, plain_text, source_characters
    from portal.models import RegulationPage

    body = RegulationPage._meta.get_field("body")
    texts = [p.read_text(encoding="utf-8-sig") for p in paths]
    nbytes = sum(len(t.encode()) for t in texts)

    start = time.perf_counter()
    pure_failures = sum(source_characters(plain_text(parse_document(t))) != source_characters(t) for t in texts)
    pure = time.perf_counter() - start

    start = time.perf_counter()
    failures = []
    for path, text in zip(paths, texts, strict=True):
        page = RegulationPage(title=parse_document(text).title)
        page.set_text(text)
        page.body = body.to_python(body.get_prep_value(page.body))  # through the JSON the database keeps
        if source_characters(page.plain_text()) != source_characters(text):
            failures.append(path.name)
    stored = time.perf_counter() - start
    print(f"3. 往返校验（全部语料 {len(texts)} 篇，{nbytes / 1e6:.2f} MB）：经页面正文与 StreamField JSON "
          f"{stored:.2f} 秒（{len(texts) / stored:,.1f} 篇/秒），不一致 {len(failures)} 篇；"
          f"仅 lib.lawtext 解析与导出 {pure:.2f} 秒，不一致 {pure_failures} 篇", flush=True)
    for name in failures:
        print(f"   不一致：{name}", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="文本导入性能测试")
    parser.add_argument("--corpus", type=Path, default=LAWS, help="法规文本目录（默认仓库自带的 tests/corpus/laws）")
    parser.add_argument("--runs", type=int, default=3, help="解析计时的次数（取最快一次）")
    args = parser.parse_args(argv)
    template = migrated_database()
    with tempfile.TemporaryDirectory(prefix="importbench-") as tmp:
        folder = Path(tmp)
        corpus = args.corpus
        paths = corpus_texts(corpus)
        print(f"语料：{corpus}，{len(paths)} 篇，{sum(p.stat().st_size for p in paths) / 1e6:.2f} MB；"
              f"{os.cpu_count()} 核，负载 {os.getloadavg()[0]:.1f}", flush=True)
        database = folder / "bench.sqlite3"
        shutil.copy(template, database)
        os.environ.update(bench_env(folder, database))
        sys.path.insert(0, str(ROOT))
        import django  # once the environment names the benchmark's database

        django.setup()
        bench_parse(paths, args.runs)
        bench_store(corpus)
        bench_round_trip(all_corpora())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
