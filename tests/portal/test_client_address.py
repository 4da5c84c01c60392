"""The client's address behind the TLS proxy: django-axes' lockouts and the view log record the client
(X-Forwarded-For behind PROXY_COUNT proxies), never the proxy; without a proxy a forged header is ignored."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt

from portal import roles
from portal.models import Scope, User, ViewLog
from portal.security import client_ip

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "Zhifa-Test-2026"
PROXY = "172.18.0.2"  # the TLS proxy as the portal sees it (REMOTE_ADDR)
CLIENT = "203.0.113.7"


@pytest.fixture
def officer(departments):
    user = User.objects.create_user("officer", password=PASSWORD, department=departments[0])
    user.groups.add(roles.ensure_roles()[roles.EDITORS])
    return user


def login(client, username, password, forwarded=None, remote=PROXY):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=remote,
                       **headers)


@pytest.mark.parametrize("proxies, forwarded, remote, expected", [
    # Behind one proxy (nginx's $proxy_add_x_forwarded_for): the address it appended, the last one…
    (1, CLIENT, PROXY, CLIENT),
    # …whatever the client wrote before it…
    (1, f"198.51.100.66, {CLIENT}", PROXY, CLIENT),
    # …an intranet client too, even when the proxy's own address is a public one…
    (1, "10.20.30.40", "198.51.100.1", "10.20.30.40"),
    # …and a request that did not come through the proxy (a health probe) is its REMOTE_ADDR.
    (1, None, "127.0.0.1", "127.0.0.1"),
    # Behind two (a load balancer, then the TLS proxy): the second address from the end.
    (2, f"{CLIENT}, 10.0.0.1", PROXY, CLIENT),
    (2, f"198.51.100.66, {CLIENT}, 10.0.0.1", PROXY, CLIENT),
    # No proxy (development): X-Forwarded-For is anyone's to write and is ignored.
    (0, CLIENT, "192.0.2.10", "192.0.2.10"),
    (0, None, "not an address", None),
])
def test_the_client_address_is_taken_behind_the_configured_proxies(rf, settings, proxies, forwarded, remote,
                                                                   expected):
    settings.PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    assert client_ip(rf.get("/", REMOTE_ADDR=remote, **headers)) == expected


def test_behind_the_proxy_failed_logins_count_against_the_client_not_the_proxy(client, officer, settings):
    settings.PROXY_COUNT = 1
    settings.AXES_IP_FAILURE_LIMIT = 3
    for number in range(3):  # one guess per account, a different forged prefix each time
        login(client, f"guess{number}", "wrong-password", forwarded=f"198.51.100.{number + 1}, {CLIENT}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT}
    locked = login(client, "officer", PASSWORD, forwarded=CLIENT)
    assert locked.status_code == 429 and "网络地址已累计 3 次登录失败" in locked.content.decode()
    # Another client through the same proxy is not locked out with the guesser.
    assert login(client, "officer", PASSWORD, forwarded="203.0.113.8").status_code == 302


def test_without_a_proxy_a_forged_forwarded_for_neither_hides_nor_frames_the_guesser(client, officer, settings):
    settings.PROXY_COUNT = 0
    settings.AXES_IP_FAILURE_LIMIT = 3
    for number in range(3):
        login(client, f"guess{number}", "wrong-password", forwarded=f"203.0.113.{number + 1}", remote="198.51.100.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    assert login(client, "officer", PASSWORD, forwarded="192.0.2.99", remote="198.51.100.7").status_code == 429
    # The address the guesser named is not locked: it was never the one guessing.
    assert login(client, "officer", PASSWORD, remote="203.0.113.1").status_code == 302


@pytest.mark.parametrize("proxies, recorded", [(1, CLIENT), (0, PROXY)])
def test_the_view_log_records_the_same_client_address_as_the_lockouts(client, make_regulation, settings,
                                                                     proxies, recorded):
    settings.PROXY_COUNT = proxies
    page = make_regulation(title="执法局内部条例", scope=Scope.INTERNAL)
    response = client.get(page.url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.66, {CLIENT}")
    assert response.status_code == 404
    assert ViewLog.objects.get().ip_address == recorded


def test_a_negative_proxy_count_is_refused_in_chinese():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(PROXY_COUNT="-1", DJANGO_SETTINGS_MODULE="portal.settings.dev")
    result = subprocess.run([sys.executable, "-c", "import portal.settings.dev"], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "PROXY_COUNT 应为 0 或正整数" in result.stderr
