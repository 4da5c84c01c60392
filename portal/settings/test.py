"""Tests: the same code paths as production, with fast password hashing."""
from .base import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The anonymous page cache is off unless a test turns it on (tests/portal/test_pagecache.py and the
# leak crawl do): many tests change content behind the signals' back and then read the page again.
PAGE_CACHE_SECONDS = 0
# Each test process its own in-memory cache (tests clear it freely), unless CACHE_URL names one to test.
CACHES = cache_settings(env.str("CACHE_URL", default="locmemcache://"))  # noqa: F405

# A file, not SQLite's shared-cache memory database: the browser tests' live server answers from
# several threads, and shared-cache memory databases lock whole tables ("database table is locked")
# instead of waiting, while a file in WAL mode lets readers go on and writers wait their turn.
# One file per test process (parallel runs must not share it), in memory-backed /dev/shm when there.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os as _os
    import tempfile as _tempfile

    _dir = "/dev/shm" if _os.path.isdir("/dev/shm") and _os.access("/dev/shm", _os.W_OK) else _tempfile.gettempdir()
    DATABASES["default"]["TEST"] = {"NAME": _os.path.join(_dir, f"portal-test-{_os.getpid()}.sqlite3")}  # noqa: F405
