"""The anonymous page cache: served to the public only, dropped the moment content changes, never
holding what a logged-in user was shown, and never keeping a page that became non-public."""
from __future__ import annotations

import datetime
import pathlib
from unittest import mock

import pytest
from django.core.cache import cache

from archive.recycle import move_to_recycle_bin
from portal.models import Scope
from portal.settings import base
from portal.settings.base import cache_settings
from publicsite import pagecache

HEADER = pagecache.HEADER


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def law(make_regulation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_regulation(title="城市道路管理办法", text="第一条 为了加强城市道路管理，制定本办法。")


def test_an_anonymous_page_is_rendered_once_then_served_from_the_cache(client, law, page_cache):
    first = client.get(law.url)
    second = client.get(law.url)
    assert first.status_code == second.status_code == 200
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert second.content == first.content and "加强城市道路管理" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"] and "Cookie" in second["Vary"]


def test_a_published_change_is_shown_at_once(client, law, page_cache, django_capture_on_commit_callbacks):
    client.get(law.url)
    with django_capture_on_commit_callbacks(execute=True):
        law.set_text("# 城市道路管理办法\n\n第一条 为了规范城市道路管理，制定本办法。")
        law.save_revision().publish()
    response = client.get(law.url)
    assert response[HEADER] == "miss" and "规范城市道路管理" in response.content.decode()


def test_a_page_made_internal_disappears_for_the_public_at_once(client, law, page_cache,
                                                               django_capture_on_commit_callbacks):
    assert client.get(law.url)[HEADER] == "miss"
    with django_capture_on_commit_callbacks(execute=True):
        law.scope = Scope.INTERNAL
        law.save_revision().publish()
    response = client.get(law.url)
    assert response.status_code == 404 and HEADER not in response
    assert "加强城市道路管理" not in client.get("/search/?q=城市道路").content.decode()


def test_a_deleted_page_is_gone_from_the_cache(client, law, page_cache, django_capture_on_commit_callbacks):
    client.get(law.url)
    with django_capture_on_commit_callbacks(execute=True):
        move_to_recycle_bin(law)
    assert client.get(law.url).status_code == 404


def test_the_generation_changes_only_when_the_transaction_commits(law, page_cache,
                                                                   django_capture_on_commit_callbacks):
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        law.save_revision().publish()
        assert pagecache.generation() == before
    for callback in callbacks:
        callback()
    assert pagecache.generation() != before


def test_bookkeeping_writes_keep_the_cache(client, law, page_cache, django_capture_on_commit_callbacks, staff):
    client.get(law.url)
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(staff[0])  # writes a session row
    client.logout()
    assert client.get(law.url)[HEADER] == "hit"


def test_what_a_logged_in_user_sees_is_neither_stored_nor_served_from_the_cache(client, make_regulation, staff,
                                                                               page_cache):
    internal = make_regulation(title="内部执法指引", scope=Scope.INTERNAL, department=staff[0].department,
                               text="第一条 内部指引正文。")
    client.force_login(staff[0])
    seen = client.get(internal.url)
    assert seen.status_code == 200 and HEADER not in seen
    client.logout()
    anonymous = client.get(internal.url)
    assert anonymous.status_code == 404 and HEADER not in anonymous
    client.get("/")  # now cached for the public…
    client.force_login(staff[0])
    assert HEADER not in client.get("/")  # …but a logged-in user gets a page of their own


def test_not_found_answers_and_exempt_paths_are_not_cached(client, site_tree, page_cache):
    assert HEADER not in client.get("/no-such-page/")
    assert HEADER not in client.get("/no-such-page/")
    client.get("/healthz")
    assert HEADER not in client.get("/healthz")


def test_a_response_setting_a_cookie_or_marked_private_is_not_cached():
    from django.http import HttpResponse

    plain, with_cookie, private = HttpResponse("x"), HttpResponse("x"), HttpResponse("x")
    with_cookie.set_cookie("csrftoken", "t")
    private["Cache-Control"] = "private, max-age=0"
    assert pagecache.is_cacheable_response(plain)
    assert not pagecache.is_cacheable_response(with_cookie)
    assert not pagecache.is_cacheable_response(private)
    assert not pagecache.is_cacheable_response(HttpResponse("x", status=404))


def test_requests_with_a_session_or_messages_cookie_bypass_the_cache(rf, settings):
    settings.PAGE_CACHE_SECONDS = 600
    assert pagecache.is_cacheable_request(rf.get("/laws/"))
    for cookie in (settings.SESSION_COOKIE_NAME, "messages"):
        request = rf.get("/laws/")
        request.COOKIES[cookie] = "x"
        assert not pagecache.is_cacheable_request(request)
    assert not pagecache.is_cacheable_request(rf.post("/laws/"))
    assert not pagecache.is_cacheable_request(rf.get("/admin/pages/"))
    settings.PAGE_CACHE_SECONDS = 0
    assert not pagecache.is_cacheable_request(rf.get("/laws/"))


def test_the_key_changes_with_the_day_the_query_string_and_the_scheme(rf, page_cache):
    key = pagecache.cache_key(rf.get("/laws/?validity=all"))
    assert key != pagecache.cache_key(rf.get("/laws/?validity=current"))
    assert key != pagecache.cache_key(rf.get("/laws/?validity=all", secure=True))
    with mock.patch("publicsite.pagecache.timezone.localdate", return_value=datetime.date(2030, 1, 2)):
        assert key != pagecache.cache_key(rf.get("/laws/?validity=all"))


def test_the_default_cache_is_shared_between_processes():
    # The scheduler and every web worker must see one page cache and one invalidation (base settings).
    import os
    import subprocess
    import sys

    code = ("import os; os.environ.pop('CACHE_URL', None); "
            "from portal.settings import base; print(base.CACHES['default']['BACKEND'])")
    env = {**os.environ, "PYTHONPATH": str(pathlib.Path(__file__).resolve().parents[2])}
    env.pop("CACHE_URL", None)
    backend = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                             check=True).stdout.strip()
    assert backend == "django.core.cache.backends.filebased.FileBasedCache"


def test_an_invalidation_made_by_another_process_empties_this_processes_page_cache(client, law, page_cache,
                                                                                   settings, tmp_path):
    import subprocess
    import sys

    settings.CACHES = cache_settings(f"filecache://{tmp_path / 'cache'}")
    assert client.get(law.url)[HEADER] == "miss"
    assert client.get(law.url)[HEADER] == "hit"
    # Another process (the scheduler, another worker) invalidates through the same cache files.
    other = (
        "import django; from django.conf import settings; "
        f"settings.configure(CACHES={settings.CACHES!r}, PAGE_CACHE_GENERATION_ALIAS={settings.PAGE_CACHE_GENERATION_ALIAS!r}); "
        "django.setup(); from publicsite import pagecache; pagecache.invalidate()"
    )
    subprocess.run([sys.executable, "-c", other], check=True, cwd=pathlib.Path(__file__).resolve().parents[2])
    assert client.get(law.url)[HEADER] == "miss"


def test_the_generation_survives_the_file_caches_culling(client, law, page_cache, settings, tmp_path):
    settings.CACHES = cache_settings(f"filecache://{tmp_path / 'cache'}?max_entries=60")
    assert client.get(law.url)[HEADER] == "miss"
    generation = pagecache.generation()
    for number in range(2_000):  # about a hundred culls of a random third of the folder
        cache.set(f"other:{number}", "x")
    assert len(list((tmp_path / "cache").glob("*.djcache"))) <= 60
    assert pagecache.generation() == generation
    client.get(law.url)  # the page itself may have been culled: rendered again under the same generation
    assert client.get(law.url)[HEADER] == "hit"


def test_cache_settings_keep_the_generation_out_of_reach_of_culling(tmp_path):
    from django.conf import settings

    alias = settings.PAGE_CACHE_GENERATION_ALIAS
    files = cache_settings(f"filecache://{tmp_path}")
    assert files["default"]["OPTIONS"]["MAX_ENTRIES"] == base.FILE_CACHE_MAX_ENTRIES
    assert pathlib.Path(files[alias]["LOCATION"]).parent == tmp_path  # a folder of its own, inside
    assert cache_settings(f"filecache://{tmp_path}?max_entries=5000")["default"]["OPTIONS"]["MAX_ENTRIES"] == 5000
    memory = cache_settings("locmemcache://")
    assert memory[alias]["LOCATION"] != memory["default"]["LOCATION"]
    shared = cache_settings("redis://redis.example:6379/2")
    assert shared["default"] == shared[alias] == {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                  "LOCATION": "redis://redis.example:6379/2"}
