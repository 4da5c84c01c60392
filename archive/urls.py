"""Public URLs of the archive, mounted at /archive/ (portal/urls.py)."""
from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("", views.archive_index, name="index"),
    path("versions/<int:page_id>/", views.version_list, name="version_list"),
    path("versions/<int:page_id>/compare/", views.version_compare, name="version_compare"),
]
