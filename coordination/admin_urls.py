"""Admin URLs of 区编办 and 区政府法制办's door, mounted at /admin/coordination/ by the register_admin_urls hook."""
from django.urls import path

from coordination import admin_views as v

app_name = "coordination_admin"

urlpatterns = [
    path("disputes/", v.dispute_index, name="dispute_index"),
    path("disputes/add/", v.dispute_add, name="dispute_add"),
    path("disputes/<id:pk>/", v.dispute_detail, name="dispute_detail"),
    path("disputes/<id:pk>/<slug:action>/", v.dispute_action, name="dispute_action"),
    path("accountability/", v.case_index, name="case_index"),
    path("accountability/candidates/", v.case_candidates, name="case_candidates"),
    path("accountability/add/", v.case_add, name="case_add"),
    path("accountability/<id:pk>/", v.case_detail, name="case_detail"),
    path("accountability/<id:pk>/<slug:action>/", v.case_action, name="case_action"),
    path("supervision/", v.supervision_overview, name="supervision"),
]
