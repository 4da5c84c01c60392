"""The screens: admin lists, records and actions, the /cooperation/ pages, document downloads, the demo."""
from datetime import date as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation import transfers
from cooperation.models import CaseTransfer, JointMeeting


@pytest.fixture
def transfer(world):
    return transfers.create_transfer(world.a_clerk, from_department=world.a, to_department=world.b, title="违法搭建",
                                     facts="发现违法搭建。", discovered_date=D(2026, 3, 10), today=D(2026, 3, 10))


def test_admin_lists_and_pages_render_for_staff(client, world, transfer):
    client.force_login(world.a_clerk)
    for name in ("meeting_index", "task_index", "transfer_index", "complaint_index", "request_index",
                 "meeting_add", "transfer_add", "complaint_add", "request_add"):
        response = client.get(reverse(f"cooperation_admin:{name}"))
        assert response.status_code == 200, name
    response = client.get(reverse("cooperation_admin:transfer_detail", args=[transfer.pk]))
    assert response.status_code == 200 and "办理时间线" in response.content.decode()


def test_other_departments_get_a_chinese_404_for_a_transfer(client, world, transfer):
    client.force_login(world.police_liaison)
    response = client.get(reverse("cooperation_admin:transfer_detail", args=[transfer.pk]))
    assert response.status_code == 404 and "没有查看权限" in response.content.decode()
    response = client.post(reverse("cooperation_admin:transfer_action", args=[transfer.pk, "submit"]))
    assert response.status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == CaseTransfer.Status.DRAFT


def test_refused_action_shows_the_reason_and_changes_nothing(client, world, transfer):
    transfers.submit(transfer, world.a_clerk)
    transfers.approve(transfer, world.a_head)
    client.force_login(world.a_clerk)
    response = client.post(reverse("cooperation_admin:transfer_action", args=[transfer.pk, "send"]), {"note": ""})
    assert response.status_code == 200
    assert "缺少必需的移送材料" in response.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == CaseTransfer.Status.APPROVED


def test_uploading_materials_and_sending_through_the_screens(client, world, transfer):
    client.force_login(world.a_clerk)
    url = reverse("cooperation_admin:transfer_action", args=[transfer.pk, "add_material"])
    for kind in ("letter", "inspection", "evidence"):
        response = client.post(url, {"kind": kind, "description": kind,
                                     "file": SimpleUploadedFile(f"{kind}.txt", "材料".encode())})
        assert response.status_code == 302
    response = client.post(url, {"kind": "other", "file": SimpleUploadedFile("virus.exe", b"MZ")})
    assert "不支持的文件类型" in response.content.decode()
    assert transfer.materials.count() == 3
    client.post(reverse("cooperation_admin:transfer_action", args=[transfer.pk, "submit"]))
    client.force_login(world.a_head)
    client.post(reverse("cooperation_admin:transfer_action", args=[transfer.pk, "approve"]))
    client.force_login(world.a_clerk)
    response = client.post(reverse("cooperation_admin:transfer_action", args=[transfer.pk, "send"]))
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == CaseTransfer.Status.SENT


def test_materials_download_only_for_the_two_sides(client, world, transfer, document):
    doc = document("移送函")
    transfers.add_material(transfer, world.a_clerk, kind="letter", document=doc)
    url = doc.url
    client.force_login(world.b_clerk)
    assert client.get(url).status_code == 200
    client.force_login(world.police_liaison)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 404)


def test_only_the_office_schedules_meetings_through_the_screens(client, world):
    client.force_login(world.b_liaison)
    assert client.get(reverse("cooperation_admin:meeting_add")).status_code == 404
    client.force_login(world.a_clerk)
    response = client.post(reverse("cooperation_admin:meeting_add"), {
        "title": "例行会议", "date": "2026-06-29", "topics_open_date": "2026-06-26",
        "convener": world.convener.pk, "convener_capacity": "deputy_mayor",
    })
    assert "最迟应于2026-06-22开始征集" in response.content.decode()
    assert not JointMeeting.objects.exists()


def test_pending_page_lists_my_departments_actions(client, world, transfer):
    transfers.submit(transfer, world.a_clerk)
    client.force_login(world.a_head)
    response = client.get(reverse("cooperation:pending"))
    content = response.content.decode()
    assert response.status_code == 200 and "审批移送" in content and "违法搭建" in content


def test_pending_page_needs_a_staff_login(client, world):
    assert client.get(reverse("cooperation:pending")).status_code == 302
    client.force_login(world.outsider)
    assert client.get(reverse("cooperation:pending")).status_code == 404


def test_convener_without_department_may_use_the_systems(client, world):
    JointMeeting.objects.create(title="例会", date=D(2026, 6, 26), topics_open_date=D(2026, 6, 12),
                                convener=world.convener)
    client.force_login(world.convener)
    assert client.get(reverse("cooperation:pending")).status_code == 200
    assert client.get(reverse("cooperation_admin:meeting_index")).status_code == 200


def test_statistics_page_renders_tables_and_charts(client, world, transfer):
    client.force_login(world.b_clerk)
    response = client.get(reverse("cooperation:statistics"), {"year": "2026"})
    content = response.content.decode()
    assert response.status_code == 200
    for heading in ("联席会议交办事项", "案件移送", "首问负责", "信息请求", "按时率"):
        assert heading in content
    assert "<svg" in content


def test_dashboard_include_renders_with_only_the_request(rf, world, transfer):
    from django.template import Context, Template

    transfers.submit(transfer, world.a_clerk)
    request = rf.get("/staff/")
    request.user = world.a_head
    html = Template('{% include "cooperation/includes/dashboard_panel.html" %}').render(Context({"request": request}))
    assert "协作机制待办事项" in html and "审批移送" in html


def test_admin_home_shows_the_pending_panel(client, world, transfer):
    transfers.submit(transfer, world.a_clerk)
    client.force_login(world.a_head)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200 and "协作机制待办事项" in response.content.decode()


def test_complaint_detail_masks_the_phone_in_the_text_as_in_its_field(client, world):
    from cooperation import complaints

    record = complaints.register(world.a_clerk, first_department=world.a, channel="report",
                                 received_date=D(2026, 11, 2), subject="噪声扰民",
                                 content="夜间施工噪声，请回电13803941256，地点：小区东门。",
                                 complainant_name="刘建华", complainant_phone="13803941256", today=D(2026, 11, 2))
    client.force_login(world.a_liaison)
    detail = client.get(reverse("cooperation_admin:complaint_detail", args=[record.pk])).content.decode()
    assert "13803941256" not in detail
    assert detail.count("138****1256") == 2  # the field and the text
    assert "地点：小区东门" in detail  # the rest of the text is what the department works with


def test_publish_action_opens_the_masked_draft_in_the_page_editor(client, world, site_tree):
    from cooperation import complaints
    from portal.models import CategoryIndexPage, ComplaintHandlingPage

    home, _ = site_tree
    section = CategoryIndexPage(title="举报投诉信访受理处理情况", slug="complaints", section="complaints")
    home.add_child(instance=section)
    record = complaints.register(world.a_clerk, first_department=world.a, channel="report",
                                 received_date=D(2026, 11, 2), subject="油烟直排", content="刘建华举报油烟直排。",
                                 complainant_name="刘建华", complainant_phone="13803941256", today=D(2026, 11, 2))
    client.force_login(world.a_liaison)
    detail = client.get(reverse("cooperation_admin:complaint_detail", args=[record.pk])).content.decode()
    assert "发布处理情况" in detail and "138****1256" in detail
    response = client.post(reverse("cooperation_admin:complaint_action", args=[record.pk, "publish"]))
    page = ComplaintHandlingPage.objects.get()
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert "刘建华" not in page.body and "刘某某" in page.body and not page.live
