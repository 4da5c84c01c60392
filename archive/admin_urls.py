"""Admin URLs of the archive, mounted at /admin/archive/ by the register_admin_urls hook."""
from django.urls import path

from archive import admin_views

app_name = "archive_admin"

urlpatterns = [
    path("compare/<id:page_id>/", admin_views.compare_default, name="compare_default"),
    path("compare/<id:page_id>/choose/", admin_views.compare_choose, name="compare_choose"),
    path("compare/<id:page_id>/<id:rev_a>/<id:rev_b>/", admin_views.compare, name="compare"),
    path("recycle-bin/", admin_views.recycle_bin_index, name="recycle_bin"),
    path("recycle-bin/<id:entry_id>/restore/", admin_views.recycle_restore, name="recycle_restore"),
    path("recycle-bin/<id:entry_id>/purge/", admin_views.recycle_purge, name="recycle_purge"),
    path("history/department/", admin_views.department_history_index, name="department_history_index"),
    path("history/department/<id:department_id>/", admin_views.department_history, name="department_history"),
    path("history/department/<id:department_id>/revert/<id:history_id>/", admin_views.department_revert,
         name="department_revert"),
]
