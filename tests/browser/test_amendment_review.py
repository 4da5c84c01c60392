"""法规更新 in a real browser: a 信息联络员 opens the notification of a new version of 行政复议法, sees the 修改前后对照
of the article their department's discretion standard cites, and marks the citation reviewed with a note."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from amendments.models import CitationImpact
from jobs import table
from portal import roles
from portal.models import RegulationPage, Scope, User
from tests.browser.conftest import log_in
from tests.citations.worlds import ROW, publish_law
from tests.portal.staff_worlds import publish_discretion, section

pytestmark = [
    pytest.mark.browser,
    # The live server sees only committed data (see test_editorial_workflow.py).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Zhifa-Test-2026"
DATA = Path(__file__).resolve().parents[1] / "data" / "amendments"
NOTE = "第九条改为第二十条，申请期限仍为六十日，本基准第1项依据待下次修订时改引"


@pytest.fixture
def amended_world(site_tree, departments, settings, live_server):
    """Return B's liaison and the impact on B's standard of 行政复议法 第九条 (changed by the 2023 revision)."""
    # The notification's links are absolute (an e-mail's): to this live server.
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    home, laws = site_tree
    a, b = departments
    liaison = User.objects.create_user("lianluoyuan_b", password=PASSWORD, department=b, last_name="钱",
                                       first_name="晓雯", email="liaison-b@example.gov.cn")
    liaison.groups.add(roles.ensure_roles()[roles.LIAISONS])
    b.liaisons.add(liaison)
    law = publish_law(laws, a, (DATA / "行政复议法_old.md").read_text(encoding="utf-8"))
    publish_discretion(section(home, "discretion"), b, title="复议告知裁量基准", scope=Scope.INTERNAL, rows=[
        ROW | {"legal_basis": "《中华人民共和国行政复议法》第九条", "penalty_basis": "《城市市容和环境卫生管理条例》第三十六条"}])
    law = RegulationPage.objects.get(pk=law.pk)
    law.set_text((DATA / "行政复议法_new.md").read_text(encoding="utf-8"))
    law.save_revision(log_action=True).publish()
    table.amendment_impacts()  # the scheduler's job
    return liaison, CitationImpact.objects.get()


def test_a_liaison_opens_the_notification_sees_the_comparison_and_marks_the_citation_reviewed(page, amended_world):
    liaison, impact = amended_world
    assert impact.status_label == "条文已修改"

    log_in(page, liaison.username, PASSWORD)

    page.goto("/staff/")
    page.get_by_role("link", name=re.compile(r"^【法规更新】中华人民共和国行政复议法")).click()
    expect(page).to_have_url(re.compile(r"/staff/notifications/\d+/$"))
    message = page.locator(".notification-message")
    expect(message).to_contain_text("复议告知裁量基准")
    expect(message).to_contain_text("第1项 法律依据：《中华人民共和国行政复议法》第九条 —— 条文已修改")
    expect(message).to_contain_text("自知道该具体行政行为之日起六十日内")  # 修改前
    expect(message).to_contain_text("自知道或者应当知道该行政行为之日起六十日内")  # 修改后（第二十条）

    message.locator(f'a[href$="/admin/amendments/{impact.amendment_id}/"]').click()  # 处理受影响的引用
    expect(page).to_have_url(re.compile(rf"/admin/amendments/{impact.amendment_id}/$"))
    row = page.locator(f"#impact-{impact.pk}")
    expect(row).to_contain_text("条文已修改")
    expect(row.locator(".diff ins").first).to_be_visible()
    expect(row.locator(".diff")).to_contain_text("或者应当知道")
    row.get_by_label("审核说明").fill(NOTE)
    row.get_by_role("button", name="标记为已审核").click()

    expect(page.get_by_text("已标记为已审核。")).to_be_visible()
    expect(page.locator(f"#impact-{impact.pk}")).to_contain_text("已审核")
    expect(page.locator(f"#impact-{impact.pk}").get_by_role("button", name="标记为已审核")).to_have_count(0)
    impact.refresh_from_db()
    assert (impact.state, impact.note, impact.handled_by_id) == (CitationImpact.State.REVIEWED, NOTE, liaison.pk)
