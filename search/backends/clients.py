"""The thin client adapter of the Elasticsearch-compatible backend: one interface, two clients.

``search.backends.elastic`` builds every mapping and query once with ``elasticsearch.dsl`` and sends
the resulting JSON through an ``EngineClient``:

* ``ElasticsearchClient`` — elasticsearch-py 8 for Elasticsearch 8 (``ELASTICSEARCH_URL``).  That client
  checks the product itself (``X-Elastic-Product``) and sends the ``compatible-with=8`` media type; the
  request bodies are passed as keyword arguments (its ``body=`` is deprecated).
* ``OpenSearchClient`` — opensearch-py for OpenSearch 2.x/3.x (``OPENSEARCH_URL``), which takes
  ``body=`` and sends plain ``application/json``.

Everything that differs between the two — constructor, call signatures, exception types, response
objects — lives here; the backend sees plain dicts and two exceptions: ``IndexNotFound`` (a 404) and
``EngineError`` (unreachable, timed out, or an error answer, with its status).  Both clients spread
requests over the comma-separated nodes of one cluster and skip a node that is down.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class IndexNotFound(Exception):
    """The index or alias does not exist (HTTP 404)."""


class EngineError(Exception):
    """The engine could not be reached (``unreachable``) or answered with an error (``status``)."""

    def __init__(self, message: str, status: int | None = None, unreachable: bool = False):
        super().__init__(message)
        self.status = status
        self.unreachable = unreachable


def _hosts(url) -> list[str]:
    """Return the node URLs of ``url`` ("http://a:9200, http://b:9200" or a list)."""
    return [part.strip() for part in url.split(",") if part.strip()] if isinstance(url, str) else list(url)


def _plain(response) -> Any:
    """Return the decoded body of a client response (elasticsearch-py wraps it, opensearch-py does not)."""
    return getattr(response, "body", response)


class EngineClient:
    """The dozen calls the backend makes, with the same arguments and results on every engine."""

    product = "base"

    def __init__(self, raw):
        self.raw = raw

    def aliases(self, pattern: str) -> dict[str, set[str]]:
        """Return {index name: its aliases} of the open indices matching ``pattern`` ({} when none)."""
        try:
            found = _plain(self._get_alias(pattern))
        except IndexNotFound:
            return {}
        return {name: set((info or {}).get("aliases", {})) for name, info in found.items()}

    def close(self) -> None:
        self.raw.close()

    # The same call on both clients: ------------------------------------------------------------
    def _get_alias(self, pattern: str):
        return self.raw.indices.get_alias(index=pattern, allow_no_indices=True, expand_wildcards="open")

    def delete_index(self, name: str) -> None:
        self.raw.indices.delete(index=name, ignore_unavailable=True)

    def refresh(self, index: str) -> None:
        self.raw.indices.refresh(index=index)

    def count(self, index: str) -> int:
        return _plain(self.raw.count(index=index))["count"]

    # Implemented by each client (the signatures differ): ----------------------------------------
    def create_index(self, name: str, body: dict) -> None: raise NotImplementedError
    def update_aliases(self, actions: list[dict]) -> None: raise NotImplementedError
    def get_mapping(self, index: str) -> dict: raise NotImplementedError
    def bulk(self, operations: list[dict], refresh) -> dict: raise NotImplementedError
    def delete_by_query(self, index: str, query: dict, refresh: bool) -> dict: raise NotImplementedError
    def search(self, index: str, body: dict) -> dict: raise NotImplementedError


def _translating(not_found: tuple, unreachable: tuple, api_error: tuple) -> Callable:
    """Return a decorator turning one client's exceptions into ``IndexNotFound`` / ``EngineError``."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except not_found as exc:
                raise IndexNotFound(str(exc)) from exc
            except unreachable as exc:
                raise EngineError(f"无法连接：{exc}", unreachable=True) from exc
            except api_error as exc:
                status = getattr(exc, "status_code", None) or getattr(getattr(exc, "meta", None), "status", None)
                raise EngineError(str(exc), status=status if isinstance(status, int) else None) from exc

        return wrapper

    return decorate


def _translate_all(cls, decorator):
    for name in ("_get_alias", "create_index", "update_aliases", "delete_index", "refresh", "get_mapping", "bulk",
                 "delete_by_query", "search", "count"):
        setattr(cls, name, decorator(getattr(cls, name)))  # the base's shared calls too, on each client
    return cls


# --- Elasticsearch 8 -----------------------------------------------------------------------------

# Request-body keys the elasticsearch-py 8 client takes under another keyword name.
_ES_KEYWORDS = {"from": "from_", "_source": "source"}


class ElasticsearchClient(EngineClient):
    product = "elasticsearch"

    @classmethod
    def connect(cls, url, timeout: float) -> ElasticsearchClient:
        from elasticsearch import Elasticsearch  # only the configured engine's client is loaded

        return cls(Elasticsearch(_hosts(url), request_timeout=timeout, max_retries=1, retry_on_timeout=False))

    def create_index(self, name, body):
        self.raw.indices.create(index=name, **body)

    def update_aliases(self, actions):
        self.raw.indices.update_aliases(actions=actions)

    def get_mapping(self, index):
        return _plain(self.raw.indices.get_mapping(index=index))

    def bulk(self, operations, refresh):
        return _plain(self.raw.bulk(operations=operations, refresh=refresh))

    def delete_by_query(self, index, query, refresh):
        return _plain(self.raw.delete_by_query(index=index, query=query, refresh=refresh, conflicts="proceed",
                                               ignore_unavailable=True, allow_no_indices=True))

    def search(self, index, body):
        return _plain(self.raw.search(index=index, **{_ES_KEYWORDS.get(k, k): v for k, v in body.items()}))


def _es_errors():
    from elastic_transport import TransportError  # only the configured engine's client is loaded
    from elasticsearch import ApiError, NotFoundError  # (same)

    return (NotFoundError,), (TransportError,), (ApiError,)


# --- OpenSearch 2.x / 3.x ------------------------------------------------------------------------

class OpenSearchClient(EngineClient):
    product = "opensearch"

    @classmethod
    def connect(cls, url, timeout: float) -> OpenSearchClient:
        from opensearchpy import OpenSearch  # only the configured engine's client is loaded

        return cls(OpenSearch(_hosts(url), timeout=timeout, max_retries=1, retry_on_timeout=False))

    def create_index(self, name, body):
        self.raw.indices.create(index=name, body=body)

    def update_aliases(self, actions):
        self.raw.indices.update_aliases(body={"actions": actions})

    def get_mapping(self, index):
        return self.raw.indices.get_mapping(index=index)

    def bulk(self, operations, refresh):
        return self.raw.bulk(body=operations, refresh=refresh)

    def delete_by_query(self, index, query, refresh):
        return self.raw.delete_by_query(index=index, body={"query": query}, refresh=refresh, conflicts="proceed",
                                        ignore_unavailable=True, allow_no_indices=True)

    def search(self, index, body):
        return self.raw.search(index=index, body=body)


def _os_errors():
    from opensearchpy import exceptions  # only the configured engine's client is loaded

    return (exceptions.NotFoundError,), (exceptions.ConnectionError,), (exceptions.OpenSearchException,)


class _Lazy:
    """Translate exceptions with the client's own types, imported when the first call is made."""

    def __init__(self, errors: Callable[[], tuple]):
        self.errors = errors
        self.decorator = None

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if self.decorator is None:
                self.decorator = _translating(*self.errors())
            return self.decorator(func)(*args, **kwargs)

        return wrapper


_translate_all(ElasticsearchClient, _Lazy(_es_errors))
_translate_all(OpenSearchClient, _Lazy(_os_errors))

CLIENTS = {"elasticsearch": ElasticsearchClient, "opensearch": OpenSearchClient}


def connect(product: str, url, timeout: float = 5.0) -> EngineClient:
    """Return the adapter of ``product`` ("elasticsearch" or "opensearch") over the nodes of ``url``."""
    try:
        return CLIENTS[product].connect(url, timeout)
    except KeyError:
        raise ValueError(f"不支持的检索引擎：{product!r}") from None
