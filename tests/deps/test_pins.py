"""The dependencies outside the Python lock: the search cluster's Maven jars and the npm packages the project vendors.

- searchcluster/pom.xml pins every dependency and build plugin to one exact release (no range, SNAPSHOT, LATEST or
  RELEASE), so Maven resolves the same jars every time: the jars those pull in come pinned by their own published
  POMs, and .mvn/maven.config makes Maven refuse a jar whose checksum differs from the repository's.
- The project vendors no npm package: its scripts are its own (static/js/), and Wagtail's bundled scripts come inside
  the wagtail wheel, hashed by the Python lock.  A package.json added later must come with a package-lock.json that
  gives every package an integrity hash.
"""
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POM = ROOT / "searchcluster" / "pom.xml"
NS = {"m": "http://maven.apache.org/POM/4.0.0"}
EXACT = re.compile(r"^\d+(\.\d+)*([.-][A-Za-z0-9]+)*$")


def unpinned_maven_artifacts(pom_text: str) -> list[str]:
    """The dependencies and plugins of a POM whose version is missing or not one exact release."""
    root = ET.fromstring(pom_text)
    properties = {child.tag.split("}")[1]: (child.text or "").strip() for child in root.findall("m:properties/*", NS)}
    bad = []
    for element in root.findall(".//m:dependency", NS) + root.findall(".//m:plugin", NS):
        name = f"{element.findtext('m:groupId', 'org.apache.maven.plugins', NS)}:{element.findtext('m:artifactId', '', NS)}"
        version = (element.findtext("m:version", "", NS) or "").strip()
        version = re.sub(r"\$\{([^}]+)\}", lambda m: properties.get(m.group(1), m.group(0)), version)
        if not EXACT.match(version) or "SNAPSHOT" in version or version in ("LATEST", "RELEASE"):
            bad.append(f"{name}:{version or '（无版本）'}")
    return bad


def test_the_search_clusters_pom_pins_every_jar_and_plugin_to_one_release():
    assert unpinned_maven_artifacts(POM.read_text(encoding="utf-8")) == []
    assert "--strict-checksums" in (ROOT / "searchcluster" / ".mvn" / "maven.config").read_text(encoding="utf-8").split()


def test_a_version_range_or_snapshot_in_a_pom_is_named():
    pom = POM.read_text(encoding="utf-8").replace("<version>2.25.4</version>", "<version>[2.17,)</version>")
    pom = pom.replace("<version>3.13.0</version>", "<version>3.14.0-SNAPSHOT</version>")
    assert unpinned_maven_artifacts(pom) == ["org.apache.logging.log4j:log4j-core:[2.17,)",
                                             "org.apache.maven.plugins:maven-compiler-plugin:3.14.0-SNAPSHOT"]


def test_every_vendored_npm_package_is_locked_with_integrity_hashes():
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True).stdout.split()
    manifests = [path for path in tracked if Path(path).name == "package.json" and "node_modules" not in path]
    unlocked = []
    for manifest in manifests:
        lock = ROOT / Path(manifest).parent / "package-lock.json"
        packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {}) if lock.is_file() else None
        if packages is None or any(not entry.get("integrity") for key, entry in packages.items() if key and not entry.get("link")):
            unlocked.append(manifest)
    assert unlocked == []
    # No npm package copied in by hand either: no node_modules, vendor folder or minified library among the files.
    assert [path for path in tracked if re.search(r"(^|/)(node_modules|vendor)/|\.min\.js$", path)] == []
