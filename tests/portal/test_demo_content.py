"""The demo content (load_demo): idempotent, every type and scope, the directive loaded whole.

load_demo runs twice, once for the module (``module_transaction``: it takes a minute), and each test reads what
it built inside a savepoint of its own.
"""
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page, Revision

from demo.loader import DEMO_PASSWORD
from portal import roles
from portal.models import Department, RegulationPage, Scope, SharedInfoPage, User
from publicsite.models import SiteIdentification
from townships.demo import TOWNSHIPS

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "laws"
DIRECTIVE_SOURCE = Path(__file__).resolve().parents[2] / "demo" / "data" / "zhouzhengban-2018-18.txt"
DIRECTIVE = Path(__file__).resolve().parent.parent / "fixtures" / "zhouzhengban-2018-18.txt"


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
        "departments": Department.objects.count(),
        "latest_revision_ids": sorted(Page.objects.values_list("latest_revision_id", flat=True), key=str),
    }


@pytest.fixture(scope="module")
def demo(module_transaction):
    """Run load_demo twice; return the snapshot after each run and what the two runs printed."""
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
        first = snapshot()
        call_command("load_demo", stdout=out)
    return first, snapshot(), out.getvalue()


def test_load_demo_twice_changes_nothing_the_second_time(demo):
    first, second, out = demo
    # departments.json's 19 units, and the organs of the 镇（街道） and the 开发区 (townships.demo).
    assert first["departments"] == 19 + len(TOWNSHIPS)
    assert second == first
    assert "未作任何改动" in out


def test_demo_content_covers_every_type_scope_and_a_twice_published_regulation(demo):
    types = {p.specific_class.__name__ for p in SharedInfoPage.objects.all()}
    assert {"RegulationPage", "DiscretionStandardPage", "WorkflowPage", "LicenceDecisionPage", "PenaltyDecisionPage",
            "StatisticsPage", "InspectionRecordPage", "BulletinPage", "ComplaintHandlingPage",
            "OtherSharedInfoPage"} <= types
    assert set(SharedInfoPage.objects.values_list("scope", flat=True)) == set(Scope.values)
    amended = RegulationPage.objects.get(slug="xingzheng-fuyi-fa")
    assert amended.revisions.count() >= 2
    assert amended.revision_basis.startswith("2023年9月1日")
    assert len(amended.articles()) > 80
    directive = RegulationPage.objects.get(doc_number="周政办字〔2018〕18号")
    assert "建立综合执法部门联席会议制度" in next(p["text"] for p in directive.provisions() if p["anchor"] == "二（四）1")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    # The demo password passes the project's own rules for every demo account (README documents it).
    for user in User.objects.all():
        validate_password(DEMO_PASSWORD, user)
    assert f"`{DEMO_PASSWORD}`" in (DATA.parents[2] / "README.md").read_text(encoding="utf-8")
    for group in (roles.EDITORS, roles.REVIEWERS, roles.LEADERS, roles.LIAISONS, roles.MANAGERS):
        assert Group.objects.get(name=group).user_set.exists(), group
    # The bureau runs the site; no registration number or contact detail is made up for it.
    identification = SiteIdentification.objects.get()
    assert identification.sponsor == "淄博市周村区综合行政执法局"
    assert not any((identification.website_code, identification.icp_number, identification.police_record_number,
                    identification.phone, identification.address, identification.email))


def test_the_directive_is_loaded_as_a_gongwen_whole_with_its_issuer_number_addressees_and_no_invented_date(demo):
    source = DIRECTIVE_SOURCE.read_text(encoding="utf-8")
    page = RegulationPage.objects.get(slug="zhouzhengbanzi-2018-18")
    assert page.live and page.scope == Scope.PUBLIC
    assert page.title == "关于加强综合行政执法协作配合的实施意见"
    assert page.issuing_authority == "周村区人民政府办公室" and page.department.short_name == "区政府办公室"
    assert page.doc_number == "周政办字〔2018〕18号"
    assert page.written_date is None and page.publish_date is None and page.effective_date is None
    assert "主送：各镇政府、街道办事处，周村经济开发区管委会，区政府有关部门，有关单位" in page.summary
    assert "抄送：区委办，区人大办，区政协办，区纪委办，区人武部，区法院，区检察院" in page.summary
    assert "未载明" in page.summary
    # A 公文: provisions cited by their path, no 条.
    assert page.articles() == [] and len(page.provisions()) == 43
    cited = next(p for p in page.provisions() if p["anchor"] == "二（四）3（1）")
    assert "应当在2个工作日内将有关证据材料移送综合行政执法部门" in cited["text"]
    # Every line of the text is stored, in order: no character but the blank lines' white space is lost.
    stored = page.get_latest_revision_as_object().plain_text()
    lines = iter(stored.splitlines())
    for line in filter(str.strip, source.splitlines()):
        assert line.strip() in next(lines)
    assert re.sub(r"\s", "", stored) == re.sub(r"\s", "", source)
    assert DIRECTIVE_SOURCE.read_bytes() == DIRECTIVE.read_bytes()  # the demo's copy and the parser's fixture
