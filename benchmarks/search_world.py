"""The portal as the search evaluation measures it: the held law texts published as RegulationPages.

``build_world()`` sets Django up on a scratch SQLite database (its own file under ``var/``, the
migrated schema copied from a cached template ``var/bench-search-migrated.sqlite3`` that is built
again whenever a migration file changes), publishes every held law file as a public
RegulationPage (``page.set_text`` of the file, as ``demo.loader`` does), which the search signals
index into the configured engine (FTS5 inside the database: no Elasticsearch), and returns
``World``: {page id: law file} and the anonymous viewer.  Queries then go through
``search.service.search``, the function the search page and ``/api/search/`` call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var"
TEMPLATE = VAR / "bench-search-migrated.sqlite3"
STAMP = VAR / "bench-search-migrated.stamp"


def _migrations_stamp() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def setup_django(db_path: Path) -> float:
    """Set Django up on ``db_path`` with the migrated schema; return the seconds migrating took (0 when the
    cached template was copied)."""
    VAR.mkdir(exist_ok=True)
    stamp = _migrations_stamp()
    fresh = TEMPLATE.is_file() and STAMP.is_file() and STAMP.read_text() == stamp
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    if fresh:
        shutil.copyfile(TEMPLATE, db_path)
    # The bench's own process: its settings come from the environment, as every environment's do.
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["ELASTICSEARCH_URL"] = ""
    os.environ["CACHE_URL"] = "locmemcache://"
    import django  # reason: Django is set up only after the environment names the scratch database

    django.setup()
    from django.core.management import call_command  # reason: needs the Django set up just above
    from django.db import connections  # reason: needs the Django set up just above

    if fresh:
        call_command("migrate", verbosity=0)  # nothing to apply; checks that the copy is whole
        return 0.0
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    connections.close_all()
    shutil.copyfile(db_path, TEMPLATE)
    STAMP.write_text(stamp)
    return time.perf_counter() - started


@dataclass
class World:
    law_of_page: dict[int, str]  # page id → repository path of the law file
    viewer: object  # the anonymous user: the public's view (every law is public)
    index_seconds: float
    migrate_seconds: float


def build_world(laws: list[str], db_path: Path | None = None) -> World:
    """Return the world of the held ``laws`` (repository paths), published and indexed."""
    db_path = db_path or VAR / f"bench-search-{os.getpid()}.sqlite3"
    migrate_seconds = setup_django(db_path)
    from django.contrib.auth.models import AnonymousUser  # reason: needs Django set up (setup_django)

    from portal.models import Department, RegulationPage, Scope  # reason: needs Django set up (setup_django)
    from tests.conftest import create_site_tree  # reason: as above (the tests' home page and 法律法规 section)

    department = Department.objects.create(name="评测区综合行政执法局", short_name="执法局", code="PCA", is_bureau=True)
    _home, section = create_site_tree()

    started = time.perf_counter()
    law_of_page: dict[int, str] = {}
    for n, law in enumerate(sorted(laws), start=1):
        text = (ROOT / law).read_text(encoding="utf-8")
        page = RegulationPage(title=text.splitlines()[0].lstrip("# ").strip(), slug=f"law-{n}", department=department,
                              scope=Scope.PUBLIC, formed_date=dt.date(2026, 1, 1))
        page.set_text(text)
        section.add_child(instance=page)
        page.save_revision().publish()
        law_of_page[page.pk] = law
    return World(law_of_page, AnonymousUser(), time.perf_counter() - started, migrate_seconds)


def remove_world(db_path: Path | None = None) -> None:
    """Close the connections and delete the scratch database."""
    from django.db import connections  # reason: needs Django set up (setup_django)

    connections.close_all()
    db_path = db_path or VAR / f"bench-search-{os.getpid()}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
