"""The citation index: one row per citation of another document in a published page's text."""
from django.db import models


class Citation(models.Model):
    """A citation in a page's live text: where it stands, what it cites and, if held, where that lands.

    ``cited_page`` is empty while the cited document is not held; ``cited_key`` (the title in its
    shortest form, or the 发文字号) finds such rows again when the document is published.
    """

    citing_page = models.ForeignKey("wagtailcore.Page", verbose_name="引用文件", on_delete=models.CASCADE,
                                    related_name="+")
    place = models.CharField("引用位置锚点", max_length=100, blank=True,
                             help_text="引用所在的条、款、项或公文条目的锚点，裁量基准行为 row-…；无锚点时为空")
    place_label = models.CharField("引用位置", max_length=120, blank=True)
    text = models.CharField("引用原文", max_length=400)
    cited = models.CharField("被引文件（原文写法）", max_length=300)
    cited_key = models.CharField("被引文件检索键", max_length=300, db_index=True)
    cited_place = models.CharField("被引位置", max_length=100, blank=True, help_text="如：第三十二条第二款、二（四）3；空为整个文件")
    cited_page = models.ForeignKey("wagtailcore.Page", verbose_name="被引文件", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    cited_anchor = models.CharField("被引锚点", max_length=100, blank=True)
    position = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "引用"
        verbose_name_plural = "引用"
        ordering = ["citing_page_id", "position"]
        indexes = [models.Index(fields=["cited_page", "cited_anchor"])]

    def __str__(self) -> str:
        return self.text
