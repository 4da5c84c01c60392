"""Staff pages of the working systems: my department's pending actions, and the statistics (/cooperation/).

Both need a signed-in member of staff (or a convener); others get the login page,
then 404. The actions themselves are done in the admin screens the items link to.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from cooperation.pending import dashboard_items
from cooperation.permissions import can_use, user_departments
from cooperation.statistics import all_statistics, available_years, total_row
from portal import params

try:  # the SVG charts of statistics tables, when the portal has them
    from lib.charts import chart_for_table
except ImportError:  # pragma: no cover
    chart_for_table = None


def staff_only(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_use(request.user):
            raise Http404("仅限成员单位工作人员使用。")
        return view(request, *args, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


@staff_only
def pending(request):
    """待办事项: what my departments (and I, as convener) have to do next, overdue first."""
    today = timezone.localdate()
    items = dashboard_items(request.user, today)
    return render(request, "cooperation/pending.html", {
        "items": items, "today": today, "departments": user_departments(request.user),
        "overdue_count": sum(1 for i in items if i.overdue),
    })


def _year(request) -> int | None:
    """Return the ?year= asked for (2000–2100), None for all years; a malformed one is answered 400."""
    return params.require_year(request.GET.get("year"), "统计年份", minimum=2000)


@staff_only
def statistics(request):
    """协作机制统计: counts and on-time rates of the four systems by department and by month."""
    year = _year(request)
    today = timezone.localdate()
    sections = all_statistics(year, today)
    rendered = []
    for section in sections:
        chart = ""
        if chart_for_table is not None and section.by_department:
            # chart_for_table escapes every text it draws (lib/charts.py).
            chart = mark_safe(chart_for_table(section.chart_table(), "bar", f"{section.title}：按部门"))
        rendered.append({"section": section, "chart": chart,
                         "department_total": total_row(section.by_department)})
    return render(request, "cooperation/statistics.html", {
        "sections": rendered, "year": year, "years": available_years(), "today": today,
    })
