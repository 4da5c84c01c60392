"""The page cache on a real Redis, the production cache (compose.yaml, CACHE_URL=redis://…): pages are
stored in Redis and served from it, a publish drops them, and the generation outlives a full Redis."""
import pytest
import redis
from django.core.cache import cache, caches

from portal.settings.base import cache_settings
from publicsite import pagecache

HEADER = pagecache.HEADER


@pytest.fixture
def redis_cache(redis_server, settings):
    """Point both caches at the session's Redis (emptied before and after); return a client of it."""
    settings.CACHES = cache_settings(redis_server)
    settings.PAGE_CACHE_SECONDS = 600
    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def law(redis_cache, make_regulation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_regulation(title="城市道路管理办法", text="第一条 为了加强城市道路管理，制定本办法。")


def page_keys(redis_client) -> list[bytes]:
    return [key for key in redis_client.scan_iter(match="*pagecache:*") if b"generation" not in key]


def generation_key() -> str:
    return pagecache.generation_cache().make_key(pagecache.GENERATION_KEY)


def test_both_caches_use_djangos_redis_backend(redis_cache, redis_server):
    from django.conf import settings
    from django.core.cache.backends.redis import RedisCache

    for alias in ("default", settings.PAGE_CACHE_GENERATION_ALIAS):
        assert settings.CACHES[alias]["LOCATION"] == redis_server
        assert isinstance(caches[alias], RedisCache)


def test_pages_are_stored_in_redis_served_from_it_and_dropped_on_publish(client, law, redis_cache,
                                                                          django_capture_on_commit_callbacks):
    assert client.get(law.url)[HEADER] == "miss"
    hit = client.get(law.url)
    assert hit[HEADER] == "hit" and "加强城市道路管理" in hit.content.decode()
    generation = pagecache.generation()
    [key] = page_keys(redis_cache)
    assert f"pagecache:{generation}:".encode() in key
    assert 0 < redis_cache.ttl(key) <= 600  # pages expire…
    assert redis_cache.ttl(generation_key()) == -1  # …the generation never does
    # Served from Redis: without the key there, the page is rendered again.
    redis_cache.delete(key)
    assert client.get(law.url)[HEADER] == "miss"
    assert client.get(law.url)[HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        law.set_text("# 城市道路管理办法\n\n第一条 为了规范城市道路管理，制定本办法。")
        law.save_revision().publish()
    assert redis_cache.get(generation_key()) is not None and pagecache.generation() != generation
    fresh = client.get(law.url)
    assert fresh[HEADER] == "miss" and "规范城市道路管理" in fresh.content.decode()
    assert client.get(law.url)[HEADER] == "hit"


def test_the_generation_survives_ten_thousand_writes_that_fill_redis(client, law, redis_cache):
    assert client.get(law.url)[HEADER] == "miss"
    generation = pagecache.generation()
    evicted_before = redis_cache.info("stats")["evicted_keys"]
    for number in range(10_000):  # 10 MB of other entries in a Redis of 4 MB (tests/conftest.py)
        cache.set(f"other:{number}", "x" * 1000)
    assert redis_cache.info("stats")["evicted_keys"] > evicted_before  # Redis was full and threw keys out
    assert pagecache.generation() == generation and redis_cache.ttl(generation_key()) == -1
    # The page itself may have been evicted: it is rendered again once, under the same generation.
    client.get(law.url)
    assert client.get(law.url)[HEADER] == "hit"
    assert all(f"pagecache:{generation}:".encode() in key for key in page_keys(redis_cache))
