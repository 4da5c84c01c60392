"""Template tags drawing statistics tables as inline SVG charts (see ``portal.charts``)."""
from django import template
from django.utils.safestring import mark_safe

from portal.charts import chart_for_table

register = template.Library()


@register.simple_tag
def statistics_chart(page) -> str:
    """Return the chart of a StatisticsPage's data table as safe SVG markup, or "" when there is nothing to draw."""
    title = f"{page.title}（{page.period}）" if getattr(page, "period", "") else page.title
    # chart_for_table escapes every piece of text it puts into the SVG.
    return mark_safe(chart_for_table(page.table_rows(), page.chart_kind, title))  # noqa: S308
