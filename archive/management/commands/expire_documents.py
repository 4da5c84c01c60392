"""``manage.py expire_documents``: documents whose 废止日期 has come become 已废止 (the scheduler runs it daily, jobs.table)."""
from django.core.management.base import BaseCommand

from archive.records import expire_documents
from portal.models import Validity

LABELS = dict(Validity.choices)


class Command(BaseCommand):
    help = "按生效日期、废止日期重新判定全部共享信息的有效性（每日运行）：到期文件自动转为已废止并移出现行列表"

    def handle(self, *args, **options):
        changed = expire_documents()
        for page, old, new in changed:
            self.stdout.write(f"{page.title}：{LABELS.get(old, old)} → {LABELS.get(new, new)}")
        abolished = sum(1 for _, _, new in changed if new == Validity.ABOLISHED)
        self.stdout.write(self.style.SUCCESS(
            f"有效性已更新 {len(changed)} 件，其中转为已废止 {abolished} 件。"
        ))
