"""``manage.py reindex``: rebuild the search index (and Wagtail's admin search index) from the live pages."""

from __future__ import annotations

import io
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lib.progress import ProgressBar
from portal.models import InterpretationPage, NewsPage, SharedInfoPage
from search import service
from search.backends.base import SearchUnavailable
from search.indexing import page_documents, site_root_paths
from search.models import PendingIndexUpdate
from search.segment import segmenter_info
from search.sync import retry_pending

BATCH = 2000  # documents per write (and per segment_many call: large enough for a pool where one pays)


class Command(BaseCommand):
    help = "重建全文检索索引：收集全部已发布页面，分词后写入检索引擎，并重建后台页面搜索索引"

    def add_arguments(self, parser):
        parser.add_argument("--skip-wagtail", action="store_true", help="不重建 Wagtail 后台搜索索引（update_index）")

    def handle(self, *args, skip_wagtail=False, **options):

        started = time.perf_counter()
        queued_before = PendingIndexUpdate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        backend = service.get_backend()
        service.reload_departments()

        pages = (SharedInfoPage.objects.live().specific(),
                 NewsPage.objects.live().specific(), InterpretationPage.objects.live().specific())
        total_pages = sum(qs.count() for qs in pages)
        bar = ProgressBar(total_pages, "索引页面", stream=self.stderr)

        root_paths = site_root_paths()

        def documents():
            for queryset in pages:
                for page in queryset.iterator(chunk_size=200):
                    yield from page_documents(page, root_paths)
                    bar.advance()

        index_started = time.perf_counter()
        try:
            written = self._rebuild(backend, documents())
        except SearchUnavailable as exc:
            raise CommandError(f"检索服务不可用，索引未重建（原索引保持不变）：{exc}") from exc
        bar.close()
        index_seconds = time.perf_counter() - index_started
        # Everything queued before the rebuild started is now in the index; what was queued since
        # (an engine hiccup during the run) is replayed now.
        PendingIndexUpdate.objects.filter(pk__lte=queued_before).delete()
        retry_pending(backend)

        if not skip_wagtail:
            self.stderr.write("重建后台页面搜索索引（update_index）……")
            call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())

        seconds = time.perf_counter() - started
        rate = written / index_seconds if index_seconds else 0.0
        info = segmenter_info()
        self.stdout.write(self.style.SUCCESS(
            f"索引重建完成：{written} 篇文档（{total_pages} 个页面），用时 {seconds:.1f} 秒，"
            f"分词写入 {rate:.0f} 篇/秒；引擎 {backend.name}，分词 {info['engine']}"
            + ("" if skip_wagtail else "；后台页面搜索索引已重建")
        ))

    @staticmethod
    def _rebuild(backend, docs) -> int:
        """Write every document into a fresh index; return how many were written."""
        if hasattr(backend, "rebuild"):  # Elasticsearch: a new index version, swapped in at the end
            return backend.rebuild(docs, batch=BATCH)
        written, chunk = 0, []
        with transaction.atomic():  # FTS5: searches see the old index until the new one is complete
            backend.clear()
            for doc in docs:
                chunk.append(doc)
                if len(chunk) >= BATCH:
                    written += backend.index_documents(chunk)
                    chunk = []
            written += backend.index_documents(chunk)
            backend.optimize()
        return written
