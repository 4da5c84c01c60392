"""The FTS5 engine on Django's own SQLite connection: the index shares the portal's database.

Django opens, closes and reopens its connection (per request, per thread), so this backend never
keeps one: each use asks Django for the current connection of the calling thread.  Index writes
then join whatever transaction the caller is in, so a page publish and its index update commit or
roll back together (and a test's rollback leaves the index as it found it).  The tables are made
by the search app's migration.
"""

from __future__ import annotations

import sqlite3
import threading

from django.db import connections

from search.backends.fts5 import FTS5Backend


class DjangoFTS5Backend(FTS5Backend):
    """``FTS5Backend`` over ``django.db.connections[alias]`` (which must be SQLite)."""

    def __init__(self, alias: str = "default", prefix: str = "searchidx"):
        self._alias = alias
        self._thread = threading.local()
        if connections[alias].vendor != "sqlite":
            raise ValueError(f"数据库 {alias} 不是 SQLite，无法在其中建立全文索引")
        super().__init__(connection=self._current(), prefix=prefix)

    def _current(self) -> sqlite3.Connection:
        wrapper = connections[self._alias]
        wrapper.ensure_connection()
        return wrapper.connection

    @property
    def conn(self) -> sqlite3.Connection:  # type: ignore[override]
        return self._current()

    @conn.setter
    def conn(self, _value) -> None:
        """Ignored: the connection is always Django's current one."""

    @property
    def _lock(self) -> threading.RLock:  # type: ignore[override]
        """A lock per thread: each thread has its own connection, so threads need not wait for
        each other's searches (a gunicorn worker's threads search in parallel)."""
        lock = getattr(self._thread, "lock", None)
        if lock is None:
            lock = self._thread.lock = threading.RLock()
        return lock

    @_lock.setter
    def _lock(self, _value) -> None:
        """Ignored: see the getter."""
