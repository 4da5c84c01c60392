"""The dependency audit (scripts/audit_deps.py): the allow-list's rules and the verdict on pip-audit's report."""
import datetime
import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
audit = importlib.util.module_from_spec(spec)
sys.modules["audit_deps"] = audit
spec.loader.exec_module(audit)

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


def test_main_fails_on_a_temporary_lock_pinning_a_vulnerable_version(tmp_path, monkeypatch, capsys):
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


def test_main_announces_a_database_that_knows_no_advisory_of_the_canary(tmp_path, monkeypatch, capsys):
    allowlist = tmp_path / "allow.toml"
    allowlist.write_text("", encoding="utf-8")
    not_found = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (3.2.0)"}]}
    monkeypatch.setattr(audit, "run_pip_audit", lambda path, hashed=True: (not_found, ""))
    assert audit.main(["--allowlist", str(allowlist)]) == audit.OK
    assert "无法访问漏洞库" in capsys.readouterr().out
    monkeypatch.setenv("AUDIT_REQUIRE_DB", "1")
    assert audit.main(["--allowlist", str(allowlist)]) == audit.UNREACHABLE
