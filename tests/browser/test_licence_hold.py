"""The licence hold of 二（四）3（4） in a real browser (Playwright driving Debian chromium).

A related department has transferred a case against a party to the bureau. Its editor tries to publish a
行政许可 for that party and is refused with the directive's words; the bureau accepts and decides the case;
then the same licence is published.
"""
import datetime
import re
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from cooperation import transfers
from cooperation.files import store_upload
from cooperation.models import CaseTransfer
from portal import roles
from portal.models import CategoryIndexPage, LicenceDecisionPage, Scope, User
from tests.browser.conftest import log_in

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data; see test_editorial_workflow.py.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Xuke-Test-2026"
PARTY = "周村区某餐饮有限公司"
LICENCE = "食品经营许可决定（演示）"
REFUSAL = re.compile(r"不得为当事人办理行政许可手续（二（四）3（4））")


@pytest.fixture
def cast(site_tree, departments, settings, tmp_path):
    """Return the bureau, a related department's editor and clerk, the bureau's liaison, a sent transfer and a draft."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    groups = roles.ensure_roles()
    bureau, unit = departments
    home, _laws = site_tree

    def person(username, name, department, group):
        user = User.objects.create_user(username, password=PASSWORD, department=department, last_name=name[0],
                                        first_name=name[1:])
        user.groups.add(groups[group])
        return user

    editor = person("xukeke", "孙许可", unit, roles.MANAGERS)  # may add and publish the department's pages
    head = person("qiaojianmin", "乔建民", unit, roles.LEADERS)
    liaison = person("zhaoxinyue", "赵欣悦", bureau, roles.LIAISONS)
    unit.leader = head
    unit.save()
    bureau.liaisons.add(liaison)

    day = datetime.date(2026, 3, 10)
    t = transfers.create_transfer(editor, from_department=unit, to_department=bureau, title="超出许可范围经营",
                                  facts="检查发现超出许可范围经营。", party=PARTY, discovered_date=day, today=day)
    for kind in ("letter", "inspection", "evidence"):
        document = store_upload(ContentFile(kind.encode(), name=f"{kind}.txt"), title=kind, user=editor)
        transfers.add_material(t, editor, kind=kind, document=document)
    transfers.submit(t, editor)
    transfers.approve(t, head)
    transfers.send(t, editor, on=day)

    section = CategoryIndexPage(title="行政许可", slug="licences", section="decisions")
    home.add_child(instance=section)
    section.save_revision().publish()
    draft = LicenceDecisionPage(title=LICENCE, slug="licence-demo", department=unit, scope=Scope.SHARED,
                                formed_date=day, applicant=PARTY, matter="食品经营许可", live=False)
    section.add_child(instance=draft)
    draft.save_revision()
    return SimpleNamespace(bureau=bureau, unit=unit, editor=editor, liaison=liaison, transfer=t, draft=draft)


def publish(page, draft):
    page.goto(f"/admin/pages/{draft.pk}/edit/")
    footer = page.get_by_role("navigation", name="动作（页脚）")
    footer.get_by_role("button", name="更多动作").click()
    footer.get_by_role("button", name="发布", exact=True).click()


def says(page, text):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_licence_is_refused_while_the_transfer_is_open_and_granted_after_the_decision_二四3_4(pages, cast):
    # --- 相关行政管理部门: publishing the licence is refused, citing 二（四）3（4）.
    editor = pages.open("editor")
    log_in(editor, cast.editor.username, PASSWORD)
    publish(editor, cast.draft)
    expect(editor.get_by_text(REFUSAL)).to_be_visible()
    expect(editor.get_by_text(cast.transfer.number).first).to_be_visible()
    assert not LicenceDecisionPage.objects.get(pk=cast.draft.pk).live
    pages.retire(editor)

    # --- 综合行政执法部门: accept the transfer, then record the penalty decision (closing it).
    bureau = pages.open("bureau")
    log_in(bureau, cast.liaison.username, PASSWORD)
    bureau.goto(f"/admin/cooperation/transfers/{cast.transfer.pk}/")
    bureau.get_by_role("link", name="答复是否受理").click()
    bureau.get_by_label("受理", exact=True).check()
    bureau.get_by_role("button", name="答复是否受理").click()
    says(bureau, "已答复：受理")
    bureau.get_by_role("link", name="登记处理结果").click()
    bureau.get_by_label("处理结果类型").select_option(label="作出行政处罚")
    bureau.get_by_label("处理结果", exact=True).fill("责令改正，罚款五千元。")
    bureau.get_by_role("button", name="登记处理结果").click()
    says(bureau, "处理结果已登记")
    transfer = CaseTransfer.objects.get(pk=cast.transfer.pk)
    assert transfer.status == CaseTransfer.Status.CLOSED and transfer.penalty_notice_due is not None
    pages.retire(bureau)

    # --- 相关行政管理部门: the same licence now goes through.
    editor = pages.open("editor-again")
    log_in(editor, cast.editor.username, PASSWORD)
    publish(editor, cast.draft)
    says(editor, LICENCE)
    expect(editor.get_by_text(REFUSAL)).to_have_count(0)
    assert LicenceDecisionPage.objects.get(pk=cast.draft.pk).live
