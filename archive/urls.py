"""Public URLs of the archive, mounted at /archive/ (portal/urls.py)."""
from django.urls import path

from archive import views
from archive.exports import views as export_views

app_name = "archive"

urlpatterns = [
    path("", views.archive_index, name="index"),
    path("versions/<id:page_id>/", views.version_list, name="version_list"),
    path("versions/<id:page_id>/compare/", views.version_compare, name="version_compare"),
    path("export/<id:page_id>.pdf", export_views.export_pdf, name="export_pdf"),
    path("export/<id:page_id>.docx", export_views.export_docx, name="export_docx"),
    path("export/<id:page_id>.txt", export_views.export_txt, name="export_txt"),
    path("export/<id:page_id>/discretion.xlsx", export_views.export_discretion, {"fmt": "xlsx"},
         name="export_discretion_xlsx"),
    path("export/<id:page_id>/discretion.csv", export_views.export_discretion, {"fmt": "csv"},
         name="export_discretion_csv"),
    path("export/<id:page_id>/statistics.xlsx", export_views.export_statistics, {"fmt": "xlsx"},
         name="export_statistics_xlsx"),
    path("export/<id:page_id>/statistics.csv", export_views.export_statistics, {"fmt": "csv"},
         name="export_statistics_csv"),
]
