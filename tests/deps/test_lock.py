"""The hashed lock: the installed packages are exactly the locked ones, and pip refuses a changed hash."""
import base64
import hashlib
import re
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ("requirements.txt", "requirements-dev.txt")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
# What `pip freeze` leaves out unless asked (--all): the installers themselves.
INSTALLERS = {"pip", "setuptools", "wheel", "distribute"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def entries(lock: str) -> dict[str, tuple[str, list[str]]]:
    """Return {package: (version, hashes)} of a lock file (pip-compile's format: one pin, its --hash lines)."""
    found, current = {}, None
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonical(match[1])
            found[current] = (match[2], [])
        elif current and (hashed := re.search(r"--hash=(sha256:[0-9a-f]{64})", line)):
            found[current][1].append(hashed[1])
        elif not line.startswith(" "):
            current = None
    return found


def installed() -> dict[str, str]:
    return {canonical(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}


@pytest.mark.parametrize("lock", LOCKS)
def test_every_locked_package_is_pinned_with_a_hash(lock):
    pins = entries(lock)
    assert len(pins) > 40  # the whole tree, not just the direct dependencies
    assert {name for name, (_version, hashes) in pins.items() if not hashes} == set()
    pinned_lines = [line for line in (ROOT / lock).read_text(encoding="utf-8").splitlines()
                    if line and not line.startswith((" ", "#"))]
    assert len(pinned_lines) == len(pins)  # no unpinned or -r line slipped in


def test_the_runtime_lock_is_the_dev_locks_runtime_part():
    runtime, dev = entries("requirements.txt"), entries("requirements-dev.txt")
    assert {name: dev.get(name, (None,))[0] for name in runtime} == {name: v for name, (v, _h) in runtime.items()}


def test_the_installed_packages_are_exactly_the_dev_lock():
    """As `pip freeze` would compare: the same packages at the same versions, none more, none fewer."""
    locked = {name: version for name, (version, _hashes) in entries("requirements-dev.txt").items()}
    present = installed()
    assert {name: present.get(name) for name in locked if present.get(name) != locked[name]} == {}
    assert {name for name in present if name not in locked and name not in INSTALLERS} == set()


@pytest.mark.parametrize(("path", "command"), [
    ("Makefile", "pip install --quiet --require-hashes -r requirements.txt"),
    ("Makefile", "pip install --quiet --require-hashes -r requirements-dev.txt"),
    ("Dockerfile", "pip install --require-hashes --no-deps -r requirements.txt"),
])
def test_the_installs_require_hashes(path, command):
    assert command in (ROOT / path).read_text(encoding="utf-8")


def wheel(folder: Path) -> Path:
    """Build a tiny pure-Python wheel (no registry needed) and return its path."""
    path = folder / "lockprobe-1.0-py3-none-any.whl"
    files = {"lockprobe.py": b"VALUE = 1\n",
             "lockprobe-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: lockprobe\nVersion: 1.0\n",
             "lockprobe-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    record = "".join(f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n"
                     for name, data in files.items()) + "lockprobe-1.0.dist-info/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in {**files, "lockprobe-1.0.dist-info/RECORD": record.encode()}.items():
            archive.writestr(name, data)
    return path


def test_a_changed_hash_in_a_lock_makes_the_install_fail(tmp_path):
    built = wheel(tmp_path)
    good = hashlib.sha256(built.read_bytes()).hexdigest()
    bad = ("0" if good[0] != "0" else "1") + good[1:]

    def install(digest):
        lock = tmp_path / "lock.txt"
        lock.write_text(f"lockprobe==1.0 \\\n    --hash=sha256:{digest}\n", encoding="utf-8")
        return subprocess.run([sys.executable, "-m", "pip", "install", "--require-hashes", "--no-index",
                               "--find-links", str(tmp_path), "--target", str(tmp_path / f"site-{digest[:4]}"),
                               "--no-cache-dir", "--disable-pip-version-check", "-r", str(lock)],
                              capture_output=True, text=True, timeout=120)

    refused = install(bad)
    # pip names the refusal (a wheel that installs with its true hash: the same run would say nothing of hashes).
    assert refused.returncode != 0 and "DO NOT MATCH THE HASHES" in refused.stderr
    assert f"Got        {good}" in refused.stderr
