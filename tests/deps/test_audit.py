"""The dependency audit (scripts/audit_deps.py): the allow-list's rules, the verdict on pip-audit's report, and
the offline snapshot of PyPA's advisory database (scripts/refresh_advisories.py) that it reads without a network."""
import datetime
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
audit = importlib.util.module_from_spec(spec)
sys.modules["audit_deps"] = audit
spec.loader.exec_module(audit)
spec = importlib.util.spec_from_file_location("refresh_advisories", ROOT / "scripts" / "refresh_advisories.py")
refresh = importlib.util.module_from_spec(spec)
sys.modules["refresh_advisories"] = refresh
spec.loader.exec_module(refresh)

TODAY = datetime.date(2026, 12, 3)
ENTRY = """
[[allow]]
id = "PYSEC-2021-98"
package = "Django"
added = 2026-11-20
expires = 2027-02-01
reason = "Only the admin's unused feature is affected."
"""
# What pip-audit --format json --aliases on prints for a lock pinning a known-vulnerable Django.
VULNERABLE_REPORT = {
    "dependencies": [
        {"name": "django", "version": "3.2.0", "vulns": [
            {"id": "PYSEC-2021-98", "fix_versions": ["3.2.2"], "aliases": ["CVE-2021-31542", "GHSA-rxjp-mfm9-w4wr"]},
            {"id": "GHSA-xpfp-f569-q3p2", "fix_versions": ["3.2.4"], "aliases": ["CVE-2021-33203"]},
        ]},
        {"name": "tqdm", "version": "4.70.1", "vulns": []},
    ],
    "fixes": [],
}


def test_the_committed_allowlist_is_valid():
    audit.parse_allowlist((ROOT / "audit-allowlist.toml").read_text(encoding="utf-8"), datetime.date.today())


def test_an_allowlist_entry_is_read_with_its_dates_and_reason():
    [entry] = audit.parse_allowlist(ENTRY, TODAY)
    assert entry == audit.AllowEntry(id="PYSEC-2021-98", package="django", added=datetime.date(2026, 11, 20),
                                     reason="Only the admin's unused feature is affected.",
                                     expires=datetime.date(2027, 2, 1))


@pytest.mark.parametrize(("text", "complaint"), [
    (ENTRY.replace('reason = "Only the admin\'s unused feature is affected."\n', ""), "reason"),
    (ENTRY.replace('reason = "Only the admin\'s unused feature is affected."', 'reason = "  "'), "reason"),
    (ENTRY.replace("added = 2026-11-20\n", ""), "added"),
    (ENTRY.replace("added = 2026-11-20", 'added = "2026-11-20"'), "added"),
    (ENTRY.replace("added = 2026-11-20", "added = 2026-12-24"), "晚于今天"),
    (ENTRY.replace("expires = 2027-02-01", "expires = 2026-12-01"), "到期"),
    (ENTRY + 'severity = "low"\n', "severity"),
    (ENTRY.replace("[[allow]]", "[[allowed]]"), "allowed"),
    ("[[allow]\nid = 1", "TOML"),
])
def test_a_faulty_allowlist_entry_is_refused_naming_the_fault(text, complaint):
    with pytest.raises(audit.AllowlistError) as caught:
        audit.parse_allowlist(text, TODAY)
    assert complaint in str(caught.value)


def test_a_new_finding_fails_naming_package_advisory_and_fix():
    verdict = audit.judge(VULNERABLE_REPORT, allowlist=[])
    assert verdict.status == audit.FINDINGS
    assert [f.id for f in verdict.new] == ["PYSEC-2021-98", "GHSA-xpfp-f569-q3p2"]
    assert "依赖审计失败" in verdict.message
    assert "django==3.2.0：PYSEC-2021-98（CVE-2021-31542、GHSA-rxjp-mfm9-w4wr），修复版本：3.2.2" in verdict.message
    assert "make lock" in verdict.message


def test_an_allowed_finding_passes_by_its_id_or_an_alias_and_only_for_its_package():
    by_alias = audit.AllowEntry("CVE-2021-33203", "django", TODAY, "Not used.")
    by_id = audit.AllowEntry("PYSEC-2021-98", "django", TODAY, "Not used either.")
    assert audit.judge(VULNERABLE_REPORT, [by_alias, by_id]).status == audit.OK
    elsewhere = audit.AllowEntry("PYSEC-2021-98", "wagtail", TODAY, "Wrong package.")
    verdict = audit.judge(VULNERABLE_REPORT, [by_alias, elsewhere])
    assert verdict.status == audit.FINDINGS and [f.id for f in verdict.new] == ["PYSEC-2021-98"]
    assert "允许清单中的 PYSEC-2021-98（wagtail）已不再出现" in verdict.message


def test_an_unreachable_database_is_announced_and_warns_unless_required():
    not_found = {"dependencies": [{"name": name, "skip_reason": f"Dependency not found on PyPI and {audit.NOT_FOUND_MARK}: {name} (1.0)"}
                                  for name in ("django", "tqdm")], "fixes": []}
    warned = audit.judge(not_found, [])
    assert warned.status == audit.OK and "无法访问漏洞库" in warned.message and "本次未审计任何包" in warned.message
    assert audit.judge(not_found, [], require_db=True).status == audit.UNREACHABLE


@pytest.fixture
def no_snapshot(monkeypatch):
    """The machine's own snapshot (var/advisories/, ../shared/advisories/) stays out of these tests."""
    monkeypatch.setattr(audit, "SNAPSHOT_PLACES", [])
    monkeypatch.delenv("AUDIT_ADVISORIES", raising=False)


def test_main_fails_on_a_temporary_lock_pinning_a_vulnerable_version(tmp_path, monkeypatch, capsys, no_snapshot):
    lock = tmp_path / "requirements.txt"
    lock.write_text("django==3.2.0 --hash=sha256:" + "0" * 64 + "\n", encoding="utf-8")
    allowlist = tmp_path / "allow.toml"
    allowlist.write_text("", encoding="utf-8")
    seen = []
    # pip-audit itself needs the advisory database; the report it would give is fed in instead.
    # (The canary, Django 3.2.0, is asked first: this report names its advisories, so the database answers.)
    monkeypatch.setattr(audit, "run_pip_audit",
                        lambda path, hashed=True: (seen.append(path) or json.loads(json.dumps(VULNERABLE_REPORT)), ""))
    assert audit.main(["--lock", str(lock), "--allowlist", str(allowlist)]) == audit.FINDINGS
    assert len(seen) == 2 and seen[-1] == lock
    assert "django==3.2.0：PYSEC-2021-98" in capsys.readouterr().err


def test_main_announces_a_database_that_knows_no_advisory_of_the_canary(tmp_path, monkeypatch, capsys, no_snapshot):
    allowlist = tmp_path / "allow.toml"
    allowlist.write_text("", encoding="utf-8")
    not_found = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (3.2.0)"}]}
    monkeypatch.setattr(audit, "run_pip_audit", lambda path, hashed=True: (not_found, ""))
    assert audit.main(["--allowlist", str(allowlist)]) == audit.OK
    assert "无法访问漏洞库" in capsys.readouterr().out
    monkeypatch.setenv("AUDIT_REQUIRE_DB", "1")
    assert audit.main(["--allowlist", str(allowlist)]) == audit.UNREACHABLE


# OSV records as PyPA's advisory database stores them (vulns/<package>/<id>.yaml); made up for the test,
# in the shape of the real ones (unsorted events, a withdrawn record, a last_affected bound).
RECORDS = {
    "vulns/django/PYSEC-2021-7.yaml": """id: PYSEC-2021-7
details: In Django 2.2 before 2.2.21, 3.1 before 3.1.9, and 3.2 before 3.2.1, a path traversal is possible.
affected:
- package:
    name: django
    ecosystem: PyPI
  ranges:
  - type: GIT
    repo: https://example.invalid/django
    events:
    - introduced: "0"
  - type: ECOSYSTEM
    events:
    - introduced: "3.2"
    - fixed: 3.2.1
    - introduced: "2.2"
    - fixed: 2.2.21
    - introduced: "3.1"
    - fixed: 3.1.9
  versions:
  - "3.2"
aliases:
- CVE-2021-31542
""",
    "vulns/django/PYSEC-2099-1.yaml": """id: PYSEC-2099-1
withdrawn: "2022-01-01T00:00:00Z"
affected:
- package: {name: django, ecosystem: PyPI}
  ranges:
  - type: ECOSYSTEM
    events: [{introduced: "0"}]
""",
    "vulns/pillow/PYSEC-2022-10.yaml": """id: PYSEC-2022-10
summary: Pillow before 9.0.0 mishandles something.
affected:
- package: {name: Pillow, ecosystem: PyPI}
  ranges:
  - type: ECOSYSTEM
    events: [{introduced: "0"}, {last_affected: 8.4.0}]
  versions: [9.0.0rc1]
""",
}


@pytest.fixture(scope="module")
def snapshot_file(tmp_path_factory):
    """A clone of a miniature advisory database, committed on 2024-10-10, and the snapshot refreshed from it."""
    clone = tmp_path_factory.mktemp("advisory-database")
    for path, text in RECORDS.items():
        (clone / path).parent.mkdir(parents=True, exist_ok=True)
        (clone / path).write_text(text, encoding="utf-8")
    env = {**os.environ, "GIT_COMMITTER_DATE": "2024-10-10T17:35:05+00:00", "GIT_AUTHOR_DATE": "2024-10-10T17:35:05+00:00"}
    for command in (["init", "-q"], ["add", "vulns"], ["-c", "user.name=t", "-c", "user.email=t@example.invalid",
                                                       "commit", "-q", "-m", "records"]):
        subprocess.run(["git", "-C", str(clone), *command], check=True, env=env, capture_output=True)
    output = clone.parent / "snapshot" / "pypi-advisories.json"
    assert refresh.main([str(clone / ".git"), "--output", str(output)]) == 0
    return output


def test_refresh_writes_the_source_commit_and_date_and_leaves_withdrawn_records_out(snapshot_file):
    data = json.loads(snapshot_file.read_text(encoding="utf-8"))
    assert data["source"] == "https://github.com/pypa/advisory-database" and len(data["commit"]) == 40
    assert data["snapshot_date"] == "2024-10-10" and data["refreshed"] == datetime.date.today().isoformat()
    assert [a["id"] for a in data["advisories"]["django"]] == ["PYSEC-2021-7"]  # PYSEC-2099-1 was withdrawn
    assert data["advisories"]["django"][0]["ranges"] == [[{"introduced": "3.2"}, {"fixed": "3.2.1"}, {"introduced": "2.2"},
                                                          {"fixed": "2.2.21"}, {"introduced": "3.1"}, {"fixed": "3.1.9"}]]
    assert list(data["advisories"]) == ["django", "pillow"]  # names as PyPI compares them; GIT ranges dropped


@pytest.mark.parametrize(("package", "version", "affected"), [
    ("django", "3.2.0", True), ("django", "3.2", True), ("django", "3.2.1", False), ("django", "3.1.8", True),
    ("django", "3.0.14", False), ("django", "2.2.20", True), ("django", "5.2.19", False),
    ("pillow", "8.4.0", True), ("pillow", "8.4.1", False), ("pillow", "9.0.0rc1", True),  # listed outside the range
])
def test_a_locked_version_is_affected_inside_the_osv_ranges_or_when_listed(snapshot_file, package, version, affected):
    snapshot = audit.load_snapshot(snapshot_file)
    assert bool(audit.offline_findings([(package, version)], snapshot)) is affected


def test_without_the_live_database_a_vulnerable_pin_fails_against_the_snapshot_naming_source_and_date(
        tmp_path, monkeypatch, capsys, snapshot_file, no_snapshot):
    lock = tmp_path / "requirements.txt"
    lock.write_text("django==3.2.0 \\\n    --hash=sha256:" + "0" * 64 + "\ntqdm==4.70.1 \\\n    --hash=sha256:" + "1" * 64 + "\n",
                    encoding="utf-8")
    allowlist = tmp_path / "allow.toml"
    allowlist.write_text("", encoding="utf-8")
    not_found = {"dependencies": [{"name": "django", "skip_reason": f"Dependency not found on PyPI and {audit.NOT_FOUND_MARK}"}]}
    monkeypatch.setattr(audit, "run_pip_audit", lambda path, hashed=True: (not_found, ""))
    assert audit.main(["--lock", str(lock), "--allowlist", str(allowlist), "--advisories", str(snapshot_file)]) == audit.FINDINGS
    err = capsys.readouterr().err
    assert "在线漏洞库（PyPI，pip-audit）：未用——无法访问" in err
    assert "快照日期 2024-10-10" in err and "请运行 scripts/refresh_advisories.py 刷新" in err  # stale, and says so
    assert "django==3.2.0：PYSEC-2021-7（CVE-2021-31542），修复版本：2.2.21、3.1.9、3.2.1；来源：离线快照" in err
    # Judged not to apply: allowed by its CVE alias, the same lock passes; AUDIT_REQUIRE_DB=1 still wants the live one.
    allowlist.write_text('[[allow]]\nid = "CVE-2021-31542"\npackage = "Django"\nadded = 2026-12-01\nreason = "Not served."\n',
                         encoding="utf-8")
    assert audit.main(["--lock", str(lock), "--allowlist", str(allowlist), "--advisories", str(snapshot_file)]) == audit.OK
    assert "已豁免 django==3.2.0 PYSEC-2021-7" in capsys.readouterr().out
    monkeypatch.setenv("AUDIT_REQUIRE_DB", "1")
    assert audit.main(["--lock", str(lock), "--allowlist", str(allowlist), "--advisories", str(snapshot_file)]) == audit.UNREACHABLE


def test_a_finding_named_by_both_sources_is_one_finding_naming_both(snapshot_file):
    live = [audit.Finding("django", "3.2.0", "GHSA-rxjp-mfm9-w4wr", ("CVE-2021-31542",), ("3.2.1",))]
    offline = audit.offline_findings([("django", "3.2.0")], audit.load_snapshot(snapshot_file))
    [merged] = audit.merge(live, offline)
    assert merged.sources == (audit.LIVE, audit.OFFLINE) and "PYSEC-2021-7" in merged.names()


def test_a_snapshot_that_is_not_one_fails_the_audit_with_a_clear_message(tmp_path, capsys, no_snapshot, monkeypatch):
    broken = tmp_path / "advisories.json"
    broken.write_text('{"advisories": []}', encoding="utf-8")
    allowlist = tmp_path / "allow.toml"
    allowlist.write_text("", encoding="utf-8")
    monkeypatch.setenv("AUDIT_ADVISORIES", str(broken))
    assert audit.main(["--allowlist", str(allowlist)]) == audit.FINDINGS
    assert "不是 scripts/refresh_advisories.py 写出的格式" in capsys.readouterr().err
