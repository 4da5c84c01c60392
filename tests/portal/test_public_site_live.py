"""The public site through a real HTTP server (``live_server``).

Kept out of test_public_site.py: a live-server test commits, and that module's tests share a world
inside one open transaction (``module_transaction``).
"""
import urllib.error
import urllib.request

import pytest


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_request_for_an_unknown_page_gets_the_designed_404(live_server, settings):
    settings.DEBUG = False
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{live_server.url}/no-such-page/", timeout=30)  # noqa: S310 - the test server
    assert caught.value.code == 404
    assert caught.value.headers["Content-Type"].startswith("text/html")
    html = caught.value.read().decode()
    assert "页面不存在" in html and 'action="/search/"' in html and '<html lang="zh-Hans">' in html
