"""The dependency audit of `make test`: the hashed lock against two advisory sources, with a dated allow-list.

    .venv/bin/python scripts/audit_deps.py [--lock requirements-dev.txt] [--allowlist audit-allowlist.toml]
                                           [--advisories var/advisories/pypi-advisories.json]

Two sources, each used when it is there, and the output names the ones used and their dates:

- **live**: pip-audit reads the lock (every package of the tree, pinned and hashed: nothing is resolved
  or installed) and asks PyPI's advisory data about each pinned version.  First it is asked about a
  canary, Django 3.2.0, which has dozens of published advisories; when it names none (no connection;
  "not found", as from a registry mirror that serves no vulnerability data; an empty answer) the live
  source is unreachable and is not used.
- **offline**: a dated snapshot of PyPA's advisory database (OSV records; written by
  scripts/refresh_advisories.py from a clone of it), looked for at --advisories, $AUDIT_ADVISORIES,
  var/advisories/pypi-advisories.json and ../shared/advisories/pypi-advisories.json, in that order.  Each
  locked version is compared with the ECOSYSTEM ranges of each advisory's "affected" data (introduced /
  fixed / last_affected events, PEP 440 order by `packaging`) and with the versions it lists.  It knows
  nothing published after its date, which is printed with its age.

Then, over the findings of both (one finding an advisory, whichever source named it):

- a finding that the allow-list (audit-allowlist.toml) names, by its id or one of its aliases, for that
  package, and whose entry has not expired, is reported and passes;
- any other finding fails the run (exit 1), naming the package, version, advisory, fixed versions and source;
- an allow-list entry that is malformed (no reason, no date, an unknown key …) or expired fails too.

With neither source, nothing is audited: that is printed in a banner that cannot be missed, and the run
**warns and passes** (exit 0).  AUDIT_REQUIRE_DB=1 makes an unreachable live source a failure (exit 2)
even when the snapshot was used: CI runs on a machine that reaches only the package registries, and a CI
result must depend on the commit alone, not on whether a database answered that day; the machines that
do reach it (a developer's, the release build) set AUDIT_REQUIRE_DB=1.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCK = ROOT / "requirements-dev.txt"
DEFAULT_ALLOWLIST = ROOT / "audit-allowlist.toml"
# Where the offline snapshot is looked for after --advisories and $AUDIT_ADVISORIES: made here by
# scripts/refresh_advisories.py, or handed to every machine of the project in shared/ beside the clone.
SNAPSHOT_PLACES = [ROOT / "var" / "advisories" / "pypi-advisories.json",
                   ROOT.parent / "shared" / "advisories" / "pypi-advisories.json"]
SNAPSHOT_FORMAT = 1
# A snapshot older than this is named stale in the output (it still counts).
STALE_DAYS = 90

OK, FINDINGS, UNREACHABLE = 0, 1, 2
REQUIRED_KEYS = {"id", "package", "added", "reason"}
OPTIONAL_KEYS = {"expires"}
# pip-audit's skip reason for a version the service does not know (PyPI's per-version JSON answered 404).
NOT_FOUND_MARK = "could not be audited"
# A version with many published advisories: a database that reports none for it is not answering.
CANARY = "django==3.2.0\n"
LIVE, OFFLINE = "在线漏洞库", "离线快照"


class AllowlistError(ValueError):
    """The allow-list file is malformed; the message says where, in Chinese."""


@dataclass(frozen=True)
class AllowEntry:
    id: str
    package: str
    added: datetime.date
    reason: str
    expires: datetime.date | None = None


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    id: str
    aliases: tuple[str, ...]
    fix_versions: tuple[str, ...]
    sources: tuple[str, ...] = (LIVE,)

    def names(self) -> set[str]:
        return {self.id, *self.aliases}


@dataclass
class Verdict:
    status: int
    allowed: list[tuple[Finding, AllowEntry]]
    new: list[Finding]
    unused: list[AllowEntry]
    audited: int
    skipped: list[tuple[str, str]]
    message: str


class SnapshotError(ValueError):
    """The offline snapshot cannot be read; the message says why, in Chinese."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    source: str
    commit: str
    date: datetime.date
    refreshed: str
    advisories: dict

    def describe(self, today: datetime.date) -> str:
        age = (today - self.date).days
        stale = (f"；已 {age} 天未更新，其后公布的漏洞不在其中，请运行 scripts/refresh_advisories.py 刷新"
                 if age > STALE_DAYS else f"，{age} 天前")
        return (f"{OFFLINE} {self.path}：{self.source} 提交 {self.commit[:12]}，快照日期 {self.date}{stale}"
                f"（刷新于 {self.refreshed}）")


def canonical(name: str) -> str:
    """A package name as PyPI compares them (Django, django_csp and django-csp are one each)."""
    return name.lower().replace("_", "-").replace(".", "-")


def parse_allowlist(text: str, today: datetime.date) -> list[AllowEntry]:
    """Read the allow-list (TOML, one [[allow]] table an entry); raise AllowlistError on any fault."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AllowlistError(f"允许清单不是有效的 TOML：{exc}") from exc
    unknown_top = set(data) - {"allow"}
    if unknown_top:
        raise AllowlistError(f"允许清单只能有 [[allow]] 条目，多出：{', '.join(sorted(unknown_top))}")
    entries = []
    for number, raw in enumerate(data.get("allow", []), start=1):
        where = f"允许清单第 {number} 条"
        if not isinstance(raw, dict):
            raise AllowlistError(f"{where}不是表格（应写作 [[allow]]）")
        missing = REQUIRED_KEYS - set(raw)
        if missing:
            raise AllowlistError(f"{where}缺少：{', '.join(sorted(missing))}（每条须写明 id、package、added 日期与 reason 理由）")
        extra = set(raw) - REQUIRED_KEYS - OPTIONAL_KEYS
        if extra:
            raise AllowlistError(f"{where}有未知的键：{', '.join(sorted(extra))}")
        for key in ("id", "package", "reason"):
            if not isinstance(raw[key], str) or not raw[key].strip():
                raise AllowlistError(f"{where}的 {key} 应为非空文字")
        for key in ("added", "expires"):
            if key in raw and not (isinstance(raw[key], datetime.date) and not isinstance(raw[key], datetime.datetime)):
                raise AllowlistError(f"{where}的 {key} 应为日期（如 2026-12-03，不加引号）")
        entry = AllowEntry(id=raw["id"].strip(), package=canonical(raw["package"].strip()), added=raw["added"],
                           reason=raw["reason"].strip(), expires=raw.get("expires"))
        if entry.added > today:
            raise AllowlistError(f"{where}（{entry.id}）的 added 日期 {entry.added} 晚于今天")
        if entry.expires is not None and entry.expires < today:
            raise AllowlistError(f"{where}（{entry.id}，{entry.package}）已于 {entry.expires} 到期：请重新评估后更新日期，或升级该包并删去此条")
        entries.append(entry)
    return entries


def read_report(report: dict) -> tuple[list[Finding], int, list[tuple[str, str]]]:
    """Return the findings, the number of packages audited and the (package, reason) of those skipped."""
    findings, audited, skipped = [], 0, []
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped.append((dep["name"], dep["skip_reason"]))
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            findings.append(Finding(package=canonical(dep["name"]), version=dep["version"], id=vuln["id"],
                                    aliases=tuple(vuln.get("aliases", [])),
                                    fix_versions=tuple(vuln.get("fix_versions", []))))
    return findings, audited, skipped


def read_lock(text: str) -> list[tuple[str, str]]:
    """Return the (package, version) pins of a requirements file (name==version lines; hashes and comments ignored)."""
    pins = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip().rstrip("\\").strip()
        if not line or line.startswith("-") or "==" not in line:
            continue
        name, version = line.split("==", 1)
        pins.append((canonical(name.split("[", 1)[0].strip()), version.split(";", 1)[0].split()[0]))
    return pins


def load_snapshot(path: Path) -> Snapshot:
    """Read the snapshot that scripts/refresh_advisories.py wrote; raise SnapshotError if it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"离线快照 {path} 无法读取：{exc}") from exc
    if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT or not isinstance(data.get("advisories"), dict):
        raise SnapshotError(f"离线快照 {path} 不是 scripts/refresh_advisories.py 写出的格式 {SNAPSHOT_FORMAT}：请重新刷新")
    try:
        date = datetime.date.fromisoformat(str(data["snapshot_date"]))
    except (KeyError, ValueError) as exc:
        raise SnapshotError(f"离线快照 {path} 没有有效的快照日期（snapshot_date）") from exc
    return Snapshot(path=path, source=str(data.get("source", "")), commit=str(data.get("commit", "")), date=date,
                    refreshed=str(data.get("refreshed", "")), advisories=data["advisories"])


def find_snapshot(explicit: Path | None) -> Path | None:
    """The snapshot to use: --advisories, else $AUDIT_ADVISORIES, else the first of SNAPSHOT_PLACES that exists."""
    if explicit is not None:
        return explicit
    if os.environ.get("AUDIT_ADVISORIES"):
        return Path(os.environ["AUDIT_ADVISORIES"])
    return next((place for place in SNAPSHOT_PLACES if place.is_file()), None)


def version_key(text: str) -> Version:
    return Version("0") if text == "0" else Version(text)


def in_ranges(version: Version, ranges: list[list[dict]]) -> bool:
    """Whether a version falls in any OSV ECOSYSTEM range (events in version order, as OSV evaluates them)."""
    for events in ranges:
        affected = False
        for event in sorted(events, key=lambda event: version_key(next(iter(event.values())))):
            kind, bound = next(iter(event.items()))
            if kind == "introduced" and version >= version_key(bound):
                affected = True
            elif kind == "fixed" and version >= version_key(bound):
                affected = False
            elif kind == "last_affected" and version > version_key(bound):
                affected = False
        if affected:
            return True
    return False


def affects(advisory: dict, version: str) -> bool:
    """Whether an advisory of the snapshot affects this version: listed, or inside one of its ranges."""
    if version in advisory.get("versions", []):
        return True
    try:
        return in_ranges(Version(version), advisory.get("ranges", []))
    except InvalidVersion:
        return False  # a bound or pin that is no PEP 440 version: only the listed versions say


def offline_findings(pins: list[tuple[str, str]], snapshot: Snapshot) -> list[Finding]:
    """The advisories of the snapshot that affect a pinned version."""
    findings = []
    for package, version in pins:
        for advisory in snapshot.advisories.get(package, []):
            if affects(advisory, version):
                fixed = sorted({next(iter(event.values())) for events in advisory.get("ranges", [])
                                for event in events if "fixed" in event}, key=version_key)
                findings.append(Finding(package=package, version=version, id=advisory["id"],
                                        aliases=tuple(advisory.get("aliases", [])), fix_versions=tuple(fixed),
                                        sources=(OFFLINE,)))
    return findings


def merge(*groups: list[Finding]) -> list[Finding]:
    """One finding an advisory of a package: those that share an id or alias are one, naming every source."""
    merged: list[Finding] = []
    for finding in (finding for group in groups for finding in group):
        same = next((i for i, kept in enumerate(merged) if kept.package == finding.package
                     and kept.version == finding.version and kept.names() & finding.names()), None)
        if same is None:
            merged.append(finding)
        else:
            kept = merged[same]
            merged[same] = Finding(kept.package, kept.version, kept.id,
                                   tuple(sorted((kept.names() | finding.names()) - {kept.id})),
                                   tuple(dict.fromkeys(kept.fix_versions + finding.fix_versions)),
                                   tuple(dict.fromkeys(kept.sources + finding.sources)))
    return merged


def judge(report: dict, allowlist: list[AllowEntry], require_db: bool = False) -> Verdict:
    """Compare pip-audit's JSON report with the allow-list; the verdict's message is printed as it is."""
    findings, audited, skipped = read_report(report)
    if audited == 0 and (not skipped or all(NOT_FOUND_MARK in reason for _name, reason in skipped)):
        return unreachable_verdict(
            f"漏洞库没有回答任何一个包（{len(skipped)} 个包均为“未找到”：所连的软件源不提供漏洞数据）", require_db)
    return judge_findings(findings, allowlist, audited, skipped)


def judge_findings(findings: list[Finding], allowlist: list[AllowEntry], audited: int,
                   skipped: list[tuple[str, str]], sources: list[str] = (), status_floor: int = OK) -> Verdict:
    """The verdict on the findings of the sources used (named in the message, with their dates)."""
    allowed, new, used = [], [], set()
    for finding in findings:
        entry = next((e for e in allowlist if e.package == finding.package and e.id in finding.names()), None)
        if entry is None:
            new.append(finding)
        else:
            allowed.append((finding, entry))
            used.add(entry)
    unused = [e for e in allowlist if e not in used]
    lines = ["漏洞数据来源：", *(f"  {source}" for source in sources)] if sources else []
    lines.append(f"依赖审计：已审计 {audited} 个包，发现 {len(findings)} 个已知漏洞"
                 f"（允许清单豁免 {len(allowed)} 个，新发现 {len(new)} 个）。")
    for finding, entry in allowed:
        lines.append(f"  已豁免 {finding.package}=={finding.version} {finding.id}（{entry.added} 起）：{entry.reason}")
    for name, reason in skipped:
        lines.append(f"  未审计 {name}：{reason}")
    for entry in unused:
        lines.append(f"  允许清单中的 {entry.id}（{entry.package}）已不再出现：可删去此条。")
    if new:
        lines.append("依赖审计失败：锁文件中有新的已知漏洞——")
        for finding in new:
            fix = "、".join(finding.fix_versions) or "尚无修复版本"
            alias = f"（{'、'.join(finding.aliases)}）" if finding.aliases else ""
            lines.append(f"  {finding.package}=={finding.version}：{finding.id}{alias}，修复版本：{fix}"
                         f"；来源：{'、'.join(finding.sources)}")
        lines.append("处理办法：在 requirements.in / requirements-dev.in 中升级该包后运行 make lock；"
                     "确认不适用时，在 audit-allowlist.toml 中加一条（id、package、added 日期、reason 理由）。")
    return Verdict(FINDINGS if new else status_floor, allowed, new, unused, audited, skipped, "\n".join(lines))


def unreachable_verdict(why: str, require_db: bool) -> Verdict:
    """The banner for an audit that audited nothing: a warning, or a failure under AUDIT_REQUIRE_DB=1."""
    outcome = ("AUDIT_REQUIRE_DB=1：按要求判为失败。" if require_db else
               "本次运行仍判为通过（CI 只能访问软件包源，结果不应取决于漏洞库当天能否连上）；"
               "能访问漏洞库的机器请设 AUDIT_REQUIRE_DB=1 运行。")
    bar = "!" * 72
    message = f"{bar}\n依赖审计未能进行：无法访问漏洞库。{why}。\n本次未审计任何包。{outcome}\n{bar}"
    return Verdict(UNREACHABLE if require_db else OK, [], [], [], 0, [], message)


def database_answers(report: dict | None) -> bool:
    """Whether pip-audit's report on the canary names any advisory (else the database did not answer)."""
    findings, _audited, _skipped = read_report(report or {})
    return bool(findings)


def silence(report: dict | None, stderr: str) -> str:
    """Say how the database failed to answer about the canary."""
    if report is None:
        return f"pip-audit 未得到答复：{(stderr.strip().splitlines() or ['无输出'])[-1]}"
    _findings, _audited, skipped = read_report(report)
    if skipped:
        return f"答复为“未找到”（所连的软件源不提供漏洞数据）：{skipped[0][1]}"
    return "答复中没有任何漏洞（漏洞库为空或已过时）"


def run_pip_audit(lock: Path, hashed: bool = True) -> tuple[dict | None, str]:
    """Run pip-audit on a requirements file; return its JSON report, or None and the reason it gave none."""
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "pip_audit", "--requirement", str(lock),
                   "--require-hashes" if hashed else "--no-deps",
                   "--disable-pip", "--format", "json", "--aliases", "on", "--progress-spinner", "off",
                   "--output", str(output)]
        done = subprocess.run(command, capture_output=True, text=True)
        if output.exists() and output.stat().st_size:
            return json.loads(output.read_text(encoding="utf-8")), done.stderr
        return None, (done.stderr or done.stdout).strip()


def live_silence() -> str:
    """Ask the live source about the canary; return "" when it answers, else how it failed to."""
    with tempfile.TemporaryDirectory() as tmp:
        canary = Path(tmp) / "canary.txt"
        canary.write_text(CANARY, encoding="utf-8")
        report, stderr = run_pip_audit(canary, hashed=False)
    if database_answers(report):
        return ""
    return f"问及已知有漏洞的 {CANARY.strip()}，{silence(report, stderr)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=DEFAULT_LOCK)
    parser.add_argument("--allowlist", type=Path, default=DEFAULT_ALLOWLIST)
    parser.add_argument("--advisories", type=Path, default=None, help="离线漏洞库快照（scripts/refresh_advisories.py 写出）")
    args = parser.parse_args(argv)
    require_db = os.environ.get("AUDIT_REQUIRE_DB", "") == "1"
    today = datetime.date.today()
    try:
        allowlist = parse_allowlist(args.allowlist.read_text(encoding="utf-8"), today)
    except (OSError, AllowlistError) as exc:
        print(f"依赖审计失败：{args.allowlist}：{exc}", file=sys.stderr)
        return FINDINGS
    try:
        pins = read_lock(args.lock.read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"依赖审计失败：无法读取锁文件 {args.lock}：{exc}", file=sys.stderr)
        return FINDINGS
    snapshot_path = find_snapshot(args.advisories)
    snapshot = None
    if snapshot_path is not None:
        try:
            snapshot = load_snapshot(snapshot_path)
        except SnapshotError as exc:
            print(f"依赖审计失败：{exc}", file=sys.stderr)
            return FINDINGS
    sources, findings, audited, skipped = [], [], 0, []
    why_not_live = live_silence()
    if why_not_live:
        sources.append(f"{LIVE}（PyPI，pip-audit）：未用——无法访问，{why_not_live}")
    else:
        report, stderr = run_pip_audit(args.lock)
        if report is None:
            print(f"依赖审计失败：pip-audit 未能审计 {args.lock}：\n{stderr}", file=sys.stderr)
            return FINDINGS
        findings, audited, skipped = read_report(report)
        sources.append(f"{LIVE}（PyPI，pip-audit）：已用，{today} 查询")
    if snapshot is not None:
        findings = merge(findings, offline_findings(pins, snapshot))
        audited = max(audited, len(pins))
        sources.append(f"{snapshot.describe(today)}：已用")
    else:
        sources.append(f"{OFFLINE}：未用——没有快照（{'、'.join(str(place) for place in SNAPSHOT_PLACES)} 都不存在；"
                       "由 scripts/refresh_advisories.py 从 PyPA 漏洞库的克隆写出）")
    if why_not_live and snapshot is None:
        verdict = unreachable_verdict(f"{why_not_live}；也没有离线快照", require_db)
    else:
        floor = UNREACHABLE if why_not_live and require_db else OK
        verdict = judge_findings(findings, allowlist, audited, skipped, sources, floor)
        if floor == UNREACHABLE and not verdict.new:
            verdict.message += "\nAUDIT_REQUIRE_DB=1：在线漏洞库无法访问，按要求判为失败（离线快照有日期，代替不了当天的查询）。"
    print(verdict.message, file=sys.stderr if verdict.status else sys.stdout)
    return verdict.status


if __name__ == "__main__":
    sys.exit(main())
