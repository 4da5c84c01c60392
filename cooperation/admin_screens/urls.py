"""Admin URLs of the working systems, mounted at /admin/cooperation/ by the register_admin_urls hook."""
from django.urls import path

from cooperation.admin_screens import views as v

app_name = "cooperation_admin"

urlpatterns = [
    path("meetings/", v.meeting_index, name="meeting_index"),
    path("meetings/add/", v.meeting_add, name="meeting_add"),
    path("meetings/<id:pk>/", v.meeting_detail, name="meeting_detail"),
    path("meetings/<id:pk>/<slug:action>/", v.meeting_action, name="meeting_action"),
    path("topics/special/", v.special_topic_index, name="special_topic_index"),
    path("topics/special/add/", v.special_topic_add, name="special_topic_add"),
    path("meetings/special/add/", v.special_meeting_add, name="special_meeting_add"),
    path("topics/<id:pk>/<slug:action>/", v.topic_action, name="topic_action"),
    path("tasks/", v.task_index, name="task_index"),
    path("tasks/<id:pk>/<slug:action>/", v.task_action, name="task_action"),
    path("transfers/", v.transfer_index, name="transfer_index"),
    path("transfers/add/", v.transfer_add, name="transfer_add"),
    path("transfers/<id:pk>/", v.transfer_detail, name="transfer_detail"),
    path("transfers/<id:pk>/<slug:action>/", v.transfer_action, name="transfer_action"),
    path("materials/<id:pk>/remove/", v.material_remove, name="material_remove"),
    path("penalty-notices/", v.penalty_notice_index, name="penalty_notice_index"),
    path("assistance/", v.assistance_index, name="assistance_index"),
    path("assistance/add/", v.assistance_add, name="assistance_add"),
    path("assistance/<id:pk>/", v.assistance_detail, name="assistance_detail"),
    path("assistance/<id:pk>/<slug:action>/", v.assistance_action, name="assistance_action"),
    path("complaints/", v.complaint_index, name="complaint_index"),
    path("complaints/add/", v.complaint_add, name="complaint_add"),
    path("complaints/<id:pk>/", v.complaint_detail, name="complaint_detail"),
    path("complaints/<id:pk>/<slug:action>/", v.complaint_action, name="complaint_action"),
    path("consultations/<id:pk>/<slug:action>/", v.consultation_action, name="consultation_action"),
    path("briefings/", v.briefing_index, name="briefing_index"),
    path("briefings/add/", v.briefing_add, name="briefing_add"),
    path("briefings/<id:pk>/", v.briefing_detail, name="briefing_detail"),
    path("briefings/<id:pk>/<slug:action>/", v.briefing_action, name="briefing_action"),
    path("requests/", v.request_index, name="request_index"),
    path("requests/add/", v.request_add, name="request_add"),
    path("requests/<id:pk>/", v.request_detail, name="request_detail"),
    path("requests/<id:pk>/<slug:action>/", v.request_action, name="request_action"),
]
