"""Benchmark of the scheduler's 法规更新 job in a portal: a new version of a law among the 150, end to end.

Run from the repository root: ``.venv/bin/python benchmarks/bench_amendment_job.py [--laws N] [--standards N]
[--rows N] [--workflows N] [--share F] [--runs N]``.

A scratch SQLite portal (``search_world.build_world``) publishes the laws of the law corpus (tests/corpus/laws,
150 laws), 行政复议法 in its 2017 version (tests/data/amendments/行政复议法_old.md, in place of the corpus's
2023 file). Citing documents are then published as editors publish them, so the citation index is the one the
product builds (``citations.signals``): ``--standards`` discretion standards of ``--rows`` rows (each row's
违法依据 cites two articles, its 处罚依据 one, some of them a 款) and ``--workflows`` workflows of eight steps
(each step's 依据 cites one article), spread over six departments, each with a 信息联络员. A share ``--share``
of the citations cites 行政复议法, the rest articles of the other laws at random.

Then the 2023 version of 行政复议法 is published (``page_published``: the pending Amendment recorded, the
law's citations re-anchored) and the scheduler's job ``amendment_impacts`` is run as the scheduler runs it
(``jobs.runner.run_job``: one transaction, a JobRun recorded): alignment of the two versions, a status for
every citation of the law, the CitationImpact rows stored, one 抄告 and one queued e-mail per liaison.
``--runs`` times (the impacts, notifications and mails of the previous run removed, the amendment pending again).

Printed: the size of the citation index, the seconds of publishing the new version and of the job (median),
citations scanned, impacts stored, notifications; the baseline of the same run — the library step alone
(``compare_laws`` + ``provision_changes`` + ``citation_status`` of the same citations, no database) — and
the ratio of the job to it. Target: the job under 5 s per new version at the default size.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.search_world import VAR, build_world, remove_world  # noqa: E402
from lib.align import compare_laws  # noqa: E402
from lib.impact import citation_status, provision_changes  # noqa: E402
from lib.lawtext import parse_document  # noqa: E402
from tests.lawcorpus import law_files  # noqa: E402

AMENDED = "行政复议法"
OLD = ROOT / "tests" / "data" / "amendments" / f"{AMENDED}_old.md"
NEW = ROOT / "tests" / "data" / "amendments" / f"{AMENDED}_new.md"
TARGET_SECONDS = 5.0
ROW = {"violation": "未按规定履行告知义务", "level": "一般", "standard": "处50元以上200元以下罚款", "conditions": ""}
PARAGRAPHS = ["", "", "", "第一款", "第二款"]


def corpus(laws: int) -> list[str]:
    """Return the repository paths of ``laws`` laws of the corpus, the amended law in its old version among them."""
    others = [p for p in law_files() if not p.name.startswith(AMENDED)]
    chosen = [str(OLD.relative_to(ROOT))] + [str(p.relative_to(ROOT)) for p in others[:max(laws - 1, 0)]]
    return chosen


class Citer:
    """Writes citations: 《title》第X条(第Y款), of the amended law with probability ``share``."""

    def __init__(self, laws: list[str], share: float, rng: random.Random):
        self.rng, self.share = rng, share
        self.articles = {}
        for law in laws:
            doc = parse_document((ROOT / law).read_text(encoding="utf-8"))
            labels = [a.label for a in doc.articles()]
            if labels:
                self.articles[doc.title] = labels
        self.amended = parse_document(OLD.read_text(encoding="utf-8")).title
        self.others = sorted(t for t in self.articles if t != self.amended and "《" not in t)

    def one(self) -> str:
        title = self.amended if self.rng.random() < self.share or not self.others else self.rng.choice(self.others)
        return f"《{title}》{self.rng.choice(self.articles[title])}{self.rng.choice(PARAGRAPHS)}"


def publish_citing(args, citer: Citer, home, departments) -> float:
    """Publish the discretion standards and workflows; return the seconds it took."""
    from tests.portal.staff_worlds import publish_discretion, publish_workflow, section  # reason: needs Django set up

    started = time.perf_counter()
    discretion, workflows = section(home, "discretion"), section(home, "workflows")
    for n in range(args.standards):
        rows = [ROW | {"violation": f"违法行为 {n + 1}-{r + 1}", "legal_basis": f"{citer.one()}；{citer.one()}",
                       "penalty_basis": citer.one()} for r in range(args.rows)]
        publish_discretion(discretion, departments[n % len(departments)], title=f"行政处罚裁量基准（{n + 1}）",
                           doc_number="", slug=f"standard-{n + 1}", rows=rows)
    for n in range(args.workflows):
        department = departments[n % len(departments)]
        steps = [{"name": f"环节 {s + 1}", "department": department, "time_limit_days": 5, "basis": citer.one(),
                  "materials": ""} for s in range(8)]
        publish_workflow(workflows, department, title=f"执法办案流程（{n + 1}）", steps=steps, slug=f"workflow-{n + 1}")
    return time.perf_counter() - started


def make_departments(count: int) -> list:
    """Return ``count`` departments (the world's own first), each with one active 信息联络员."""
    from portal import roles  # reason: needs Django set up (build_world)
    from portal.models import Department, User  # reason: as above

    group = roles.ensure_roles()[roles.LIAISONS]
    departments = list(Department.objects.all()[:1])
    for n in range(len(departments), count):
        departments.append(Department.objects.create(name=f"评测部门{n + 1}", short_name=f"部门{n + 1}",
                                                     code=f"PCB{n + 1}"))
    for n, department in enumerate(departments):
        user = User.objects.create_user(f"liaison{n + 1}", password=None, department=department,
                                        email=f"liaison{n + 1}@example.gov.cn")
        user.groups.add(group)
        department.liaisons.add(user)
    return departments


def reset(amendment) -> None:
    """Make the amendment pending again: its impacts, notifications and queued mails removed."""
    from jobs.models import OutgoingMail  # reason: needs Django set up (build_world)
    from portal.models.sharing import Notification  # reason: as above

    amendment.impacts.all().delete()
    Notification.objects.filter(subject__startswith="【法规更新】").delete()
    OutgoingMail.objects.all().delete()
    type(amendment).objects.filter(pk=amendment.pk).update(computed_at=None, counts={})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laws", type=int, default=150, help="法规数（含行政复议法，默认 150）")
    parser.add_argument("--standards", type=int, default=60, help="裁量基准数")
    parser.add_argument("--rows", type=int, default=20, help="每个裁量基准的行数")
    parser.add_argument("--workflows", type=int, default=30, help="流程数（每个 8 个环节）")
    parser.add_argument("--share", type=float, default=0.2, help="引用行政复议法的比例")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    laws = corpus(args.laws)
    db_path = VAR / f"bench-amendments-{os.getpid()}.sqlite3"
    try:
        world = build_world(laws, db_path)
        return measure(args, laws, world)
    finally:
        remove_world(db_path)


def measure(args, laws: list[str], world) -> int:
    from amendments.models import Amendment, CitationImpact  # reason: needs Django set up (build_world)
    from citations.models import Citation  # reason: as above
    from jobs import table  # reason: as above
    from jobs.runner import run_job  # reason: as above
    from portal.models import HomePage, RegulationPage  # reason: as above
    from portal.models.sharing import Notification  # reason: as above

    print(f"迁移 {world.migrate_seconds:.1f} s，发布法规 {len(laws)} 部 {world.index_seconds:.1f} s")
    departments = make_departments(6)
    citer = Citer(laws, args.share, random.Random(21))
    citing_seconds = publish_citing(args, citer, HomePage.objects.get(slug="bench-home"), departments)
    law_pk = next(pk for pk, path in world.law_of_page.items() if path == str(OLD.relative_to(ROOT)))
    of_law = Citation.objects.filter(cited_page_id=law_pk).exclude(citing_page_id=law_pk)
    scanned = of_law.count()
    print(f"发布裁量基准 {args.standards} 个（每个 {args.rows} 行）、流程 {args.workflows} 个：{citing_seconds:.1f} s；"
          f"引用索引共 {Citation.objects.count()} 条，其中引用《{citer.amended}》{scanned} 条")

    page = RegulationPage.objects.get(pk=law_pk)
    page.set_text(NEW.read_text(encoding="utf-8"))
    started = time.perf_counter()
    page.save_revision(log_action=True).publish()
    publish_seconds = time.perf_counter() - started
    amendment = Amendment.objects.get(law_id=law_pk, computed_at=None)

    job = table.job_named("amendment_impacts")
    times, impacts, told = [], 0, 0
    for n in range(args.runs):
        if n:
            reset(amendment)
        started = time.perf_counter()
        run = run_job(job)
        times.append(time.perf_counter() - started)
        if not run.ok:
            print(f"任务失败：{run.message}")
            return 1
        impacts = CitationImpact.objects.filter(amendment=amendment).count()
        told = Notification.objects.filter(subject__startswith="【法规更新】").count()
    job_seconds = statistics.median(times)

    places = list(of_law.values_list("cited_place", flat=True))
    old, new = OLD.read_text(encoding="utf-8"), NEW.read_text(encoding="utf-8")
    lib_times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        changes = provision_changes(compare_laws(old, new))
        flagged = sum(1 for place in places if citation_status(changes, place) is not None)
        lib_times.append(time.perf_counter() - started)
    lib_seconds = statistics.median(lib_times)

    counts = changes.counts()
    print(f"发布《{citer.amended}》新版本（记录待计算的法规更新、重新定位引用）：{publish_seconds:.2f} s")
    print(f"调度器任务“{job.label}”（中位数，{args.runs} 次）：每个新版本 {job_seconds:.2f} s；"
          f"扫描引用 {scanned} 条，存储影响 {impacts} 条（修改 {counts['changed']}、条号变更 {counts['renumbered']}、"
          f"废止 {counts['repealed']} 条条文），通知 {told} 份")
    print(f"基线（同一次运行，仅库函数：对齐、分类并判定这 {len(places)} 处引用，受影响 {flagged} 处）："
          f"{lib_seconds * 1000:.1f} ms；任务 / 基线 = {job_seconds / lib_seconds:.1f} 倍")
    if flagged != impacts:
        print(f"不一致：库函数判定受影响 {flagged} 处，任务存储 {impacts} 条")
        return 1
    print(f"目标：任务每个新版本 < {TARGET_SECONDS:.0f} s —— {'达到' if job_seconds < TARGET_SECONDS else '未达到'}")
    return 0 if job_seconds < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
