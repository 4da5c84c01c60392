"""Refresh the offline advisory snapshot that scripts/audit_deps.py reads when no live database answers.

    .venv/bin/python scripts/refresh_advisories.py ADVISORY_DATABASE_CLONE [--output var/advisories/pypi-advisories.json]

ADVISORY_DATABASE_CLONE is a git clone (bare or not) of PyPA's advisory database
(github.com/pypa/advisory-database, licensed CC-BY 4.0): one OSV record (YAML) a file under
vulns/<package>/.  The records of its HEAD commit are read with git (nothing is checked out), and
one JSON file is written: the source, its commit and that commit's date (the snapshot's date: no
advisory published after it is known), the day of the refresh, and per package the advisories that
are not withdrawn, each with its id, aliases, summary and its "affected" data as OSV gives it
(ECOSYSTEM ranges of introduced/fixed/last_affected events, and the versions listed).  Every
package of the database is kept, not only the locked ones, so a package added to the lock later is
covered without a refresh.

The snapshot is data of the advisory database: it is made where a clone is at hand and put where
the audit finds it (audit_deps.py: --advisories, AUDIT_ADVISORIES, var/advisories/ or
../shared/advisories/); it is not part of the repository.
"""
from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "var" / "advisories" / "pypi-advisories.json"
SOURCE = "https://github.com/pypa/advisory-database"
FORMAT = 1


def canonical(name: str) -> str:
    """A package name as PyPI compares them (Django, django_csp and django-csp are one each)."""
    return name.lower().replace("_", "-").replace(".", "-")


def git(clone: Path, *args: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(["git", "-C", str(clone), *args], input=stdin, capture_output=True, check=False)
    if done.returncode:
        raise SystemExit(f"刷新失败：git {' '.join(args[:2])} 出错（{clone} 是漏洞库的 git 克隆吗？）：{done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def read_records(clone: Path) -> tuple[str, str, list[dict]]:
    """Return the HEAD commit, its date (ISO) and every OSV record under vulns/ at that commit."""
    commit, date = git(clone, "log", "-1", "--format=%H %cI", "HEAD").decode().split()
    paths = [line for line in git(clone, "ls-tree", "-r", "--name-only", commit, "vulns/").decode().splitlines()
             if line.endswith((".yaml", ".yml"))]
    if not paths:
        raise SystemExit(f"刷新失败：{clone} 的 {commit[:12]} 中没有 vulns/*/*.yaml：这不是 PyPA 的漏洞库")
    batch = git(clone, "cat-file", "--batch", stdin="".join(f"{commit}:{path}\n" for path in paths).encode())
    records, at = [], 0
    for _path in paths:
        header_end = batch.index(b"\n", at)
        size = int(batch[at:header_end].split()[2])
        body = batch[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1
        record = yaml.load(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        if isinstance(record, dict) and record.get("id"):
            records.append(record)
    return commit, date, records


def slim(record: dict) -> list[tuple[str, dict]]:
    """Return (package, advisory) for each PyPI package a record affects, keeping what the audit reads."""
    out = []
    summary = (record.get("summary") or record.get("details") or "").strip().splitlines()
    for affected in record.get("affected") or []:
        package = affected.get("package") or {}
        if package.get("ecosystem") != "PyPI" or not package.get("name"):
            continue
        ranges = [[{key: str(value) for key, value in event.items()} for event in rng.get("events") or []]
                  for rng in affected.get("ranges") or [] if rng.get("type") == "ECOSYSTEM"]
        out.append((canonical(package["name"]), {
            "id": record["id"],
            "aliases": sorted(str(alias) for alias in record.get("aliases") or []),
            "summary": summary[0][:200] if summary else "",
            "ranges": ranges,
            "versions": [str(version) for version in affected.get("versions") or []],
        }))
    return out


def build(clone: Path, today: datetime.date) -> dict:
    commit, date, records = read_records(clone)
    advisories: dict[str, list[dict]] = {}
    withdrawn = 0
    for record in records:
        if record.get("withdrawn"):
            withdrawn += 1
            continue
        for package, advisory in slim(record):
            advisories.setdefault(package, []).append(advisory)
    for entries in advisories.values():
        entries.sort(key=lambda advisory: advisory["id"])
    return {
        "format": FORMAT,
        "source": SOURCE,
        "license": "CC-BY-4.0 (PyPA advisory database)",
        "commit": commit,
        "snapshot_date": date[:10],
        "refreshed": today.isoformat(),
        "records": len(records),
        "withdrawn_skipped": withdrawn,
        "advisories": dict(sorted(advisories.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clone", type=Path, help="PyPA 漏洞库（advisory-database）的 git 克隆")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    snapshot = build(args.clone, datetime.date.today())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.output.with_suffix(".tmp")
    temporary.write_text(json.dumps(snapshot, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    temporary.replace(args.output)
    count = sum(len(entries) for entries in snapshot["advisories"].values())
    print(f"离线漏洞库快照已写入 {args.output}：{SOURCE} 提交 {snapshot['commit'][:12]}（{snapshot['snapshot_date']}），"
          f"{len(snapshot['advisories'])} 个包的 {count} 条漏洞记录（跳过已撤回的 {snapshot['withdrawn_skipped']} 条）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
