"""节假日安排: the years of holidays and make-up working days entered from the State Council's notice.

chinesecalendar holds the official arrangements up to the last year its release had; a year it
lacks is entered here from 《国务院办公厅关于20XX年部分节假日安排的通知》 (``python manage.py
holidays import``). One ``HolidayArrangement`` per year keeps the notice's text whole, its 文号
and who imported it when; its ``HolidayArrangementDay`` rows are the days the text gives. A day
belongs to one arrangement only (``date`` is unique), so two arrangements can never overlap.
The logic lives in ``portal.holidays``; these are only the rows it keeps.
"""
from django.conf import settings
from django.db import models


class HolidayArrangement(models.Model):
    """One year's 节假日安排, as the State Council's notice gives it."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    title = models.CharField("通知标题", max_length=100)
    doc_number = models.CharField("文号", max_length=50, blank=True, help_text="如：国办发明电〔2024〕12号")
    issued_on = models.DateField("成文日期", null=True, blank=True)
    source_text = models.TextField("通知原文", help_text="导入时的全文，一字不改")
    imported_at = models.DateTimeField("导入时间")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    imported_by_name = models.CharField("导入人（记录）", max_length=150, blank=True,
                                        help_text="导入时的用户名或命令行账号；用户删除后仍保留")
    changed_at = models.DateTimeField("最近更正时间", null=True, blank=True)
    changed_by_name = models.CharField("最近更正人", max_length=150, blank=True,
                                       help_text="在后台更正日期的用户名；每次更正另记入操作历史")

    class Meta:
        ordering = ["year"]
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"

    def __str__(self):
        return f"{self.year}年节假日安排" + (f"（{self.doc_number}）" if self.doc_number else "")

    @property
    def source(self) -> str:
        """Return what the arrangement rests on: the 文号, else the notice's title."""
        return self.doc_number or self.title


class HolidayArrangementDay(models.Model):
    """A day an arrangement names: off (放假, 补休) or a make-up working day (调休上班)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "放假"
        WORKDAY = "workday", "调休上班"

    arrangement = models.ForeignKey(HolidayArrangement, verbose_name="节假日安排", on_delete=models.CASCADE,
                                    related_name="days")
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=8, choices=Kind.choices)
    name = models.CharField("节日", max_length=40)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日安排日期"
        verbose_name_plural = "节假日安排日期"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}{self.get_kind_display()}"
