"""回收站: deleting moves a page (children, revisions) aside; managers restore or purge it."""
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import Page, PageLogEntry, Revision

from archive.models import RecycleBinEntry, RecycleBinPage
from archive.recycle import NewParentRequired, in_recycle_bin, move_to_recycle_bin, restore
from portal.models import CategoryIndexPage, RegulationPage, User
from portal.roles import MANAGERS
from publicsite.listing import latest_items, visible_children

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(site_tree, make_regulation):
    """Return a section with two regulations (one also has an unpublished draft) and a hidden draft page."""
    home, _ = site_tree
    section = CategoryIndexPage(title="规范性文件", slug="normative", section="laws")
    home.add_child(instance=section)
    section.save_revision().publish()
    first = make_regulation(title="第一份办法", slug="first")
    second = make_regulation(title="第二份办法", slug="second")
    for page in (first, second):
        Page.objects.get(pk=page.pk).move(section, pos="last-child")
    never_published = RegulationPage(title="从未发布的草稿", slug="draft-only", department=first.department,
                                     formed_date=first.formed_date, live=False)
    section.add_child(instance=never_published)
    never_published.save_revision()
    return Page.objects.get(pk=section.pk)


def revision_count(page):
    ids = [str(pk) for pk in Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)]
    return Revision.page_revisions.filter(object_id__in=ids).count()


def test_delete_confirmation_explains_the_recycle_bin(admin_client, section):
    html = admin_client.get(f"/admin/pages/{section.pk}/delete/").content.decode()
    assert "移入回收站" in html and "3 个下级页面" in html


def test_deleting_in_the_admin_moves_the_page_and_its_children_into_the_bin(admin_client, anonymous, section):
    url, revisions = section.url, revision_count(section)
    child_url = Page.objects.get(slug="first").url
    response = admin_client.post(f"/admin/pages/{section.pk}/delete/")
    assert response.status_code == 302

    section = Page.objects.get(pk=section.pk)
    assert in_recycle_bin(section)
    assert section.get_parent().specific_class is RecycleBinPage
    assert not Page.objects.descendant_of(section, inclusive=True).filter(live=True).exists()
    assert section.get_children().count() == 3
    assert revision_count(section) == revisions
    entry = RecycleBinEntry.objects.get(page=section)
    assert entry.page_count == 4 and entry.original_url_path.endswith("/normative/")
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(child_url).status_code == 404
    assert PageLogEntry.objects.filter(page=section, action="archive.recycle").exists()


def test_pages_in_the_bin_leave_every_listing(section, site_tree):
    home, _ = site_tree
    first = Page.objects.get(slug="first")
    assert first.pk in [p.pk for p in latest_items(None, 10)]
    move_to_recycle_bin(section)
    assert first.pk not in [p.pk for p in latest_items(None, 10)]
    assert section.pk not in [p.pk for p in visible_children(home, None)]


def test_restore_brings_back_page_children_and_revisions_at_the_same_url(admin_client, anonymous, section):
    first = Page.objects.get(slug="first")
    url, first_url, live_revision = section.url, first.url, first.live_revision_id
    revisions = revision_count(section)
    position = list(section.get_parent().get_children().values_list("pk", flat=True))
    admin_client.post(f"/admin/pages/{section.pk}/delete/")
    entry = RecycleBinEntry.objects.get(page=section)

    response = admin_client.post(f"/admin/archive/recycle-bin/{entry.pk}/restore/")

    assert response.status_code == 302
    section = Page.objects.get(pk=section.pk)
    assert not in_recycle_bin(section)
    assert list(section.get_parent().get_children().values_list("pk", flat=True)) == position
    assert section.url == url and anonymous.get(url).status_code == 200
    assert anonymous.get(first_url).status_code == 200
    assert Page.objects.get(slug="first").live_revision_id == live_revision
    assert revision_count(section) == revisions
    assert not Page.objects.get(slug="draft-only").live  # it was never published: it stays a draft
    assert not RecycleBinEntry.objects.exists()


def test_restore_keeps_a_newer_draft_as_a_draft(section):
    first = RegulationPage.objects.get(slug="first")
    first.title = "改过但未发布的标题"
    draft = first.save_revision()
    entry = move_to_recycle_bin(first)
    restore(entry)
    first = RegulationPage.objects.get(pk=first.pk)
    assert first.live and first.title == "第一份办法"
    assert first.has_unpublished_changes and first.latest_revision_id == draft.pk


def test_restore_when_the_parent_was_purged_asks_for_a_new_parent(admin_client, section, site_tree):
    _, laws = site_tree
    first = Page.objects.get(slug="first")
    first_entry = move_to_recycle_bin(first)
    section_entry = move_to_recycle_bin(section)
    admin_client.post(f"/admin/archive/recycle-bin/{section_entry.pk}/purge/", {"confirm_title": "规范性文件"})
    first_entry.refresh_from_db()
    assert first_entry.original_parent is None

    html = admin_client.get(f"/admin/archive/recycle-bin/{first_entry.pk}/restore/").content.decode()
    assert "请选择恢复到的位置" in html and f'value="{laws.pk}"' in html
    response = admin_client.post(f"/admin/archive/recycle-bin/{first_entry.pk}/restore/")
    assert response.status_code == 200 and "请选择新的位置" in response.content.decode()
    assert in_recycle_bin(Page.objects.get(pk=first.pk))

    response = admin_client.post(f"/admin/archive/recycle-bin/{first_entry.pk}/restore/", {"parent": laws.pk})
    assert response.status_code == 302
    first = Page.objects.get(pk=first.pk)
    assert first.get_parent().pk == laws.pk and first.live


def test_restore_when_the_parent_is_itself_in_the_bin_asks_for_a_new_parent(section):
    first_entry = move_to_recycle_bin(Page.objects.get(slug="first"))
    move_to_recycle_bin(section)
    with pytest.raises(NewParentRequired):
        restore(first_entry)


def test_restore_refuses_a_parent_that_cannot_hold_the_page(admin_client, section, site_tree):
    home, _ = site_tree
    entry = move_to_recycle_bin(Page.objects.get(slug="first"))
    response = admin_client.post(f"/admin/archive/recycle-bin/{entry.pk}/restore/", {"parent": home.pk})
    assert "不能放在" in response.content.decode()
    assert in_recycle_bin(Page.objects.get(slug="first"))


def test_restore_refuses_to_create_a_duplicate_url(section, make_regulation):
    first = Page.objects.get(slug="first")
    entry = move_to_recycle_bin(first)
    replacement = make_regulation(title="同名新页面", slug="first")
    Page.objects.get(pk=replacement.pk).move(section, pos="last-child")
    from archive.recycle import RecycleBinError

    with pytest.raises(RecycleBinError, match="网址"):
        restore(entry)


def test_purge_really_deletes_page_children_and_revisions(admin_client, section):
    ids = list(Page.objects.descendant_of(section, inclusive=True).values_list("pk", flat=True))
    entry = move_to_recycle_bin(section)
    assert admin_client.get(f"/admin/archive/recycle-bin/{entry.pk}/purge/").status_code == 200
    admin_client.post(f"/admin/archive/recycle-bin/{entry.pk}/purge/", {"confirm_title": "错误的标题"})
    assert Page.objects.filter(pk=section.pk).exists()  # not confirmed: nothing happens

    admin_client.post(f"/admin/archive/recycle-bin/{entry.pk}/purge/", {"confirm_title": "规范性文件"})

    assert not Page.objects.filter(pk__in=ids).exists()
    assert not Revision.page_revisions.filter(object_id__in=[str(pk) for pk in ids]).exists()
    assert not RecycleBinEntry.objects.exists()


def test_bin_screens_are_for_managers_only(client, section, staff):
    entry = move_to_recycle_bin(section)
    editor = staff[0]
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for url in ("/admin/archive/recycle-bin/", f"/admin/archive/recycle-bin/{entry.pk}/restore/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/admin/archive/recycle-bin/{entry.pk}/purge/", {"confirm_title": "规范性文件"}).status_code == 404
    assert Page.objects.filter(pk=section.pk).exists()

    editor.groups.add(Group.objects.get(name=MANAGERS))
    editor = User.objects.get(pk=editor.pk)
    client.force_login(editor)
    html = client.get("/admin/archive/recycle-bin/").content.decode()
    assert "规范性文件" in html and "恢复" in html


def test_bulk_delete_also_goes_to_the_bin(admin_client, section):
    first, second = Page.objects.get(slug="first"), Page.objects.get(slug="second")
    url = f"/admin/bulk/wagtailcore/page/delete/?id={first.pk}&id={second.pk}&next=/admin/pages/{section.pk}/"
    response = admin_client.post(url)
    assert response.status_code == 302
    assert in_recycle_bin(Page.objects.get(pk=first.pk)) and in_recycle_bin(Page.objects.get(pk=second.pk))
    assert RecycleBinEntry.objects.count() == 2


def test_pages_in_the_bin_cannot_be_edited(admin_client, section):
    first = Page.objects.get(slug="first")
    move_to_recycle_bin(first)
    response = admin_client.get(f"/admin/pages/{first.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == "/admin/archive/recycle-bin/"


def test_deleting_a_page_already_in_the_bin_does_not_purge_it(admin_client, section):
    first = Page.objects.get(slug="first")
    move_to_recycle_bin(first)
    admin_client.post(f"/admin/pages/{first.pk}/delete/")
    assert Page.objects.filter(pk=first.pk).exists()


def test_site_root_cannot_be_deleted(admin_client, site_tree):
    home, _ = site_tree
    admin_client.post(f"/admin/pages/{home.pk}/delete/")
    assert not in_recycle_bin(Page.objects.get(pk=home.pk))


def test_bin_is_hidden_from_page_choosers_and_from_the_explorer_of_non_managers(admin_client, section, staff):
    move_to_recycle_bin(section)
    bin_page = RecycleBinPage.objects.get()
    root = Page.get_first_root_node()
    html = admin_client.get(f"/admin/choose-page/{root.pk}/").json()["html"]
    assert "测试门户" in html and "回收站" not in html
    editor = staff[0]
    editor.groups.add(Group.objects.get(name="编辑"))
    client = Client()
    client.force_login(User.objects.get(pk=editor.pk))
    html = client.get(f"/admin/pages/{root.pk}/").content.decode()
    assert "测试门户" in html
    assert f"/admin/pages/{bin_page.pk}/" not in html
    # A manager still sees it there.
    assert f"/admin/pages/{bin_page.pk}/" in admin_client.get(f"/admin/pages/{root.pk}/").content.decode()
