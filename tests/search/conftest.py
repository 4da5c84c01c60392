"""Fixtures of the search tests: plain Python, no Django (run with -p no:django or without)."""

from __future__ import annotations

import sqlite3

import pytest

from search.backends.fts5 import FTS5Backend


def _fts5():
    return FTS5Backend(connection=sqlite3.connect(":memory:", isolation_level=None))


# Every engine that can run here.  The Elasticsearch backend joins this table when it exists,
# skipping itself when no cluster is configured.
BACKEND_FACTORIES = {"fts5": _fts5}


@pytest.fixture(params=sorted(BACKEND_FACTORIES))
def make_backend(request):
    """Return a factory of fresh, empty backends of each available engine (closed after the test)."""
    made = []

    def make():
        backend = BACKEND_FACTORIES[request.param]()
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


@pytest.fixture
def backend(make_backend):
    """Return one fresh, empty backend of each available engine."""
    return make_backend()
