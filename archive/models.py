"""The 回收站: where deleted pages wait, with their children and revisions, to be restored or purged."""
from django.conf import settings
from django.db import models
from django.http import Http404
from wagtail.models import Page


class RecycleBinPage(Page):
    """The one container of deleted pages: under the tree root, never live, never served.

    A page type of its own (rather than a plain Page with a magic slug) so that the bin is
    found by type, accepts no new children in the admin and refuses to serve anything.
    """

    parent_page_types = ["wagtailcore.Page"]
    subpage_types: list[str] = []
    is_creatable = False
    max_count = 1

    class Meta:
        verbose_name = "回收站"
        verbose_name_plural = "回收站"

    def serve(self, request, *args, **kwargs):
        raise Http404("回收站不对外提供访问。")

    def route(self, request, path_components):
        # Deleted pages below the bin are never reachable by URL, whatever their state.
        raise Http404("回收站不对外提供访问。")

    def get_sitemap_urls(self, request=None):
        return []


class RecycleBinEntry(models.Model):
    """One deletion: the page moved into the bin (its descendants came along) and where it was."""

    page = models.OneToOneField(
        Page, verbose_name="页面", on_delete=models.CASCADE, related_name="recycle_bin_entry"
    )
    title = models.CharField("标题", max_length=255)
    original_parent = models.ForeignKey(
        Page,
        verbose_name="原上级页面",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The sibling it stood before, so a restore puts it back in the same place in the tree.
    original_next_sibling = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    original_url_path = models.CharField("原位置", max_length=1000, blank=True)
    original_parent_title = models.CharField("原上级页面标题", max_length=255, blank=True)
    # {page id: id of the revision that was live}: the pages a restore publishes again.
    live_revisions = models.JSONField("删除时已发布的页面", default=dict, blank=True)
    page_count = models.PositiveIntegerField("页面数（含下级）", default=1)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="删除人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deleted_at = models.DateTimeField("删除时间", auto_now_add=True)

    class Meta:
        verbose_name = "回收站记录"
        verbose_name_plural = "回收站记录"
        ordering = ["-deleted_at", "-pk"]
        permissions = [("manage_recycle_bin", "可恢复和彻底删除回收站中的页面")]

    def __str__(self):
        return self.title
