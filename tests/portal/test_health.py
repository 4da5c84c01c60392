"""/healthz: database and search status for load balancers; 200 healthy, 503 not; nothing else revealed."""
import json
import socket

from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import override_settings

from portal.health import check_database
from portal.models import Scope
from search.service import get_backend


def closed_local_port() -> int:
    """Return a port of 127.0.0.1 on which nothing listens (bound once by us, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_reports_database_and_search_index_with_200(client, make_regulation):
    make_regulation(title="健康检查测试条例")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"] == {"status": "ok", "engine": connection.vendor}
    assert report["search"]["status"] == "ok"
    assert report["search"]["backend"] == "fts5"
    assert report["search"]["documents"] == get_backend().stats()["documents"] > 0


def test_healthz_is_503_when_elasticsearch_is_unreachable(client, make_regulation):
    make_regulation(title="健康检查测试条例")
    url = f"http://127.0.0.1:{closed_local_port()}"

    with override_settings(ELASTICSEARCH_URL=url, SEARCH_ES_TIMEOUT=1.0):
        response = client.get("/healthz")

    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "error"
    assert report["database"]["status"] == "ok"
    assert report["search"] == {"status": "error", "backend": "elasticsearch", "message": "检索服务不可用"}
    body = response.content.decode()
    assert url.split("//")[1] not in body and "Traceback" not in body and "Connection" not in body


def test_healthz_is_503_when_elasticsearch_url_is_misconfigured(client, db):
    with override_settings(ELASTICSEARCH_URL="not a url at all"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["search"]["status"] == "error"
    assert "not a url" not in response.content.decode()


def test_database_check_reports_an_unreachable_database_without_its_details(tmp_path):
    missing = tmp_path / "no-such-directory" / "portal.sqlite3"
    broken = DatabaseWrapper({**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3",
                              "NAME": str(missing), "OPTIONS": {}}, alias="broken")
    try:
        result = check_database(broken)
    finally:
        broken.close()

    assert result == {"status": "error", "engine": "sqlite", "message": "数据库不可用"}
    assert not missing.parent.exists()


def test_healthz_reveals_no_content_and_no_secrets(client, make_regulation, staff):
    make_regulation(title="不予共享的秘密文件标题", scope=Scope.PRIVATE, text="第一条 秘密正文内容。")
    make_regulation(title="公开的健康检查条例")

    body = client.get("/healthz").content.decode()

    report = json.loads(body)
    assert set(report) == {"status", "database", "search"}
    for forbidden in ("秘密", "公开的健康检查条例", settings.SECRET_KEY, "staff_a", str(settings.BASE_DIR)):
        assert forbidden not in body
    assert str(connection.settings_dict["NAME"]) not in body


def test_healthz_answers_get_and_head_only_and_is_never_cached(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
