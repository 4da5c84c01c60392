"""URLs of the staff portal, mounted at /staff/."""
from django.urls import path

from staff import saved_views
from staff import views as staff_views

urlpatterns = [
    path("", staff_views.dashboard, name="staff_dashboard"),
    path("supervision/", staff_views.supervision, name="staff_supervision"),
    path("supervision/export.csv", staff_views.supervision_export_csv, name="staff_supervision_csv"),
    path("supervision/export.xlsx", staff_views.supervision_export_xlsx, name="staff_supervision_xlsx"),
    path("subscriptions/", staff_views.subscriptions, name="staff_subscriptions"),
    path("subscriptions/<id:pk>/delete/", staff_views.subscription_delete, name="staff_subscription_delete"),
    path("notifications/<id:pk>/", staff_views.notification_detail, name="staff_notification"),
    path("notifications/read/", staff_views.notifications_read, name="staff_notifications_read"),
    path("saved/", saved_views.saved_list, name="staff_saved_searches"),
    path("saved/<id:pk>/", saved_views.saved_detail, name="staff_saved_search"),
    path("saved/<id:pk>/delete/", saved_views.saved_delete, name="staff_saved_search_delete"),
    path("saved/<id:pk>/feed.atom", saved_views.saved_feed, name="staff_saved_search_feed"),
    path("browse/", staff_views.browse_index, name="staff_browse"),
    path("browse/<str:category>/", staff_views.browse_category, name="staff_browse_category"),
    path("discretion/", staff_views.discretion, name="staff_discretion"),
    path("workflows/", staff_views.workflow_index, name="staff_workflows"),
    path("workflows/<id:page_id>/", staff_views.workflow_diagram, name="staff_workflow"),
]
