"""Fixtures of the archive tests: a regulation published in two versions, signed-in users."""
import datetime

import pytest

from portal.models import User

OLD_TEXT = (
    "第一条 为了规范行政复议工作，制定本条例。\n\n"
    "第二条 行政复议机关应当依法履行职责。\n\n"
    "第三条 本条例自发布之日起施行。"
)
# Two characters changed in 第二条 (机关 -> 机构), a new article inserted before the last one.
NEW_TEXT = (
    "第一条 为了规范行政复议工作，制定本条例。\n\n"
    "第二条 行政复议机构应当依法履行职责。\n\n"
    "第三条 行政复议应当坚持公正、高效、便民。\n\n"
    "第四条 本条例自发布之日起施行。"
)


def publish_new_version(page, text, **fields):
    """Publish a second revision of ``page`` with ``text`` and changed metadata fields."""
    page = type(page).objects.get(pk=page.pk)
    page.set_text(f"# {page.title}\n\n{text}")
    for name, value in fields.items():
        setattr(page, name, value)
    revision = page.save_revision(log_action=True)
    revision.publish()
    page.refresh_from_db()
    return page, revision


@pytest.fixture
def two_versions(make_regulation):
    """Return (page, old revision id, new revision id): effective 2017-09-01, then 2024-01-01."""
    page = make_regulation(
        title="测试复议条例", slug="test-fuyi", text=OLD_TEXT,
        publish_date=datetime.date(2017, 9, 1), effective_date=datetime.date(2017, 9, 1),
    )
    page.refresh_from_db()
    old_revision = page.live_revision_id
    page, new_revision = publish_new_version(
        page, NEW_TEXT, publish_date=datetime.date(2023, 9, 1), effective_date=datetime.date(2024, 1, 1),
        revision_basis="2023年9月1日第一次修订",
    )
    return page, old_revision, new_revision.pk


@pytest.fixture
def superuser(departments):
    return User.objects.create_superuser("root", "root@example.gov.cn", "pw-root", department=departments[0])


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def anonymous(db):
    """Return a client that never signs in (``client`` may be signed in by ``admin_client``)."""
    from django.test import Client

    return Client()
