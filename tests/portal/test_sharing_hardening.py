"""Hardening: login throttling, password rules, security headers, upload checks, check --deploy."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portal import roles
from portal.models import User

BASE_DIR = Path(__file__).resolve().parents[2]
PASSWORD = "Zhifa-Test-2026"


@pytest.fixture
def officer(departments):
    user = User.objects.create_user("officer", password=PASSWORD, department=departments[0])
    user.groups.add(roles.ensure_roles()[roles.EDITORS])
    return user


def attempt(client, password, username="officer"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR="198.51.100.7")


def test_login_is_locked_after_five_failures_with_a_chinese_message(client, officer, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = attempt(client, "wrong-password")
        assert response.status_code == 200  # the login form again, with its error
    locked = attempt(client, "wrong-password")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "登录已暂时锁定" in text and "连续 5 次登录失败" in text
    # Locked means locked: the right password does not get in either.
    after = attempt(client, PASSWORD)
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_locked_account_does_not_lock_a_colleague_at_the_same_address(client, officer, departments):
    User.objects.create_user("colleague", password=PASSWORD, department=departments[0]).groups.add(
        roles.ensure_roles()[roles.EDITORS])
    for _ in range(5):
        attempt(client, "wrong-password")
    response = attempt(client, PASSWORD, username="colleague")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/")


def test_an_account_is_locked_whatever_address_the_guesses_come_from(client, officer):
    for number in range(5):
        client.post("/admin/login/", {"username": "officer", "password": "wrong-password"},
                    REMOTE_ADDR=f"203.0.113.{number + 1}")
    locked = client.post("/admin/login/", {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="203.0.113.99")
    assert locked.status_code == 429
    assert "该账号已连续 5 次登录失败" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_guessing_many_accounts_is_locked_for_every_account(client, officer, settings):
    settings.AXES_IP_FAILURE_LIMIT = 8
    for number in range(8):  # one guess per account: no account reaches its own limit
        attempt(client, "wrong-password", username=f"guess{number}")
    locked = attempt(client, PASSWORD)
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "网络地址已累计 8 次登录失败" in text
    assert "_auth_user_id" not in client.session
    elsewhere = client.post("/admin/login/", {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="192.0.2.50")
    assert elsewhere.status_code == 302


def test_signing_in_with_one_account_does_not_clear_an_address_counter(client, officer, departments, settings):
    settings.AXES_IP_FAILURE_LIMIT = 4
    User.objects.create_user("colleague", password=PASSWORD, department=departments[0])
    for number in range(3):
        attempt(client, "wrong-password", username=f"guess{number}")
    assert attempt(client, PASSWORD, username="colleague").status_code == 302
    client.logout()
    attempt(client, "wrong-password", username="guess9")
    assert attempt(client, PASSWORD).status_code == 429


def test_successful_login_is_not_throttled(client, officer):
    attempt(client, "wrong-password")
    response = attempt(client, PASSWORD)
    assert response.status_code == 302


@pytest.mark.parametrize("password, message", [
    ("Zh1fa-ok!", "密码长度太短。密码必须包含至少 10 个字符。"),
    ("123456789012", "密码只包含数字。"),
    ("password12345", "这个密码太常见了。"),
    ("officer2026x", "officer"),
])
def test_weak_passwords_are_refused_in_chinese(password, message, officer):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_password(password, user=officer)
    messages = " ".join(caught.value.messages)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in messages)
    if message != "officer":
        assert message in messages


def test_a_strong_password_passes(officer):
    validate_password("Zhifa-Xinxi-Gongxiang-2026", user=officer)


def test_every_page_carries_a_content_security_policy(client, site_tree):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    # Framed by no page, as X-Frame-Options: DENY says (the admin's preview panel: tests/portal/test_csp.py).
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy  # no other host is allowed to serve anything


def test_document_downloads_keep_wagtails_stricter_policy(client, staff, settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    settings.MEDIA_ROOT = str(tmp_path)
    document = get_document_model()(title="说明")
    document.file.save("note.txt", ContentFile(b"note"), save=True)
    client.force_login(staff[0])
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_oversized_and_wrong_type_uploads_are_refused_in_chinese(settings, db):
    from wagtail.documents import get_document_model
    from wagtail.documents.forms import get_document_form

    Document = get_document_model()
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    form_class = get_document_form(Document)
    with translation.override("zh-hans"):
        big = form_class({"title": "大文件"}, {"file": SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 2048)})
        assert not big.is_valid()
        assert "文件过大" in " ".join(big.errors["file"])
        script = Document(title="脚本", file=SimpleUploadedFile("run.exe", b"MZ"))
        with pytest.raises(ValidationError) as caught:
            script.clean()
    assert "run.exe" not in str(caught.value)
    assert "“exe”" in str(caught.value) and "被允许" in str(caught.value)


def production_env(tmp_path, **variables) -> dict:
    """Return an environment running the production settings on a throwaway SQLite database."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "DEBUG", "CACHE_URL", "PROXY_COUNT"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "zhifa.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        **variables,
    })
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_with_redis_behind_the_proxy_pass_check_deploy_and_reach_redis(tmp_path, redis_server):
    env = production_env(tmp_path, CACHE_URL=redis_server, PROXY_COUNT="1")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # The same settings store the page cache's generation in that Redis, without expiry.
    code = ("from django.conf import settings; from publicsite import pagecache; import redis; "
            "pagecache.invalidate(); r = redis.Redis.from_url(settings.CACHES['default']['LOCATION']); "
            "key = pagecache.generation_cache().make_key(pagecache.GENERATION_KEY); "
            "print(settings.CACHES['default']['BACKEND'], r.ttl(key), r.get(key) is not None)")
    shell = subprocess.run([sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code], cwd=BASE_DIR, env=env,
                           capture_output=True, text=True, timeout=120)
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "-1", "True"]


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "DEBUG", "SECRET_KEY"))}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
