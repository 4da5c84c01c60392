"""Template tags drawing statistics tables as inline SVG charts (see ``lib.charts``)."""
from django import template
from django.utils.safestring import mark_safe

from lib.charts import chart_for_table

register = template.Library()


@register.simple_tag
def statistics_chart(page, rows=None, period_label: str = "") -> str:
    """Return the chart of a StatisticsPage's data table as safe SVG markup, or "" when there is nothing to draw.

    ``rows`` (header row first) draws a selection of the table instead of the whole of it;
    ``period_label`` names that selection in the chart's title.
    """
    period = getattr(page, "period", "")
    if period_label:
        period = f"{period}，{period_label}" if period else period_label
    title = f"{page.title}（{period}）" if period else page.title
    rows = page.table_rows() if rows is None else rows
    # chart_for_table escapes every piece of text it puts into the SVG.
    return mark_safe(chart_for_table(rows, page.chart_kind, title))  # noqa: S308
