"""Admin URLs of the archive, mounted at /admin/archive/ by the register_admin_urls hook."""
from django.urls import path

from archive import admin_views

app_name = "archive_admin"

urlpatterns = [
    path("compare/<int:page_id>/", admin_views.compare_default, name="compare_default"),
    path("compare/<int:page_id>/choose/", admin_views.compare_choose, name="compare_choose"),
    path("compare/<int:page_id>/<int:rev_a>/<int:rev_b>/", admin_views.compare, name="compare"),
    path("recycle-bin/", admin_views.recycle_bin_index, name="recycle_bin"),
    path("recycle-bin/<int:entry_id>/restore/", admin_views.recycle_restore, name="recycle_restore"),
    path("recycle-bin/<int:entry_id>/purge/", admin_views.recycle_purge, name="recycle_purge"),
    path("history/department/", admin_views.department_history_index, name="department_history_index"),
    path("history/department/<int:department_id>/", admin_views.department_history, name="department_history"),
    path("history/department/<int:department_id>/revert/<int:history_id>/", admin_views.department_revert,
         name="department_revert"),
]
