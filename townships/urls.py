"""Admin URLs of 镇（街道）综合执法, mounted at /admin/townships/ by the register_admin_urls hook."""
from django.urls import path

from townships import views as v

app_name = "townships_admin"

urlpatterns = [
    path("actions/", v.action_index, name="action_index"),
    path("actions/add/", v.action_add, name="action_add"),
    path("actions/<id:pk>/", v.action_detail, name="action_detail"),
    path("actions/<id:pk>/<slug:action>/", v.action_act, name="action_act"),
    path("follow-ups/<id:pk>/complete/", v.follow_up_complete, name="follow_up_complete"),
    path("squadrons/", v.squadron_index, name="squadron_index"),
    path("squadrons/add/", v.squadron_add, name="squadron_add"),
]
