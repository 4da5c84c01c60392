"""Admin URLs of 法规更新, mounted at /admin/amendments/ by the register_admin_urls hook."""
from django.urls import path

from amendments import admin_views

app_name = "amendments_admin"

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("<id:amendment_id>/", admin_views.detail, name="detail"),
    path("impact/<id:impact_id>/update/", admin_views.update_citation, name="update"),
    path("impact/<id:impact_id>/review/", admin_views.review, name="review"),
]
