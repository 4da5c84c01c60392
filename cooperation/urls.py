"""Staff pages of the working systems, mounted at /cooperation/ (portal/urls.py)."""
from django.urls import path

from cooperation import views

app_name = "cooperation"

urlpatterns = [
    path("", views.pending, name="pending"),
    path("statistics/", views.statistics, name="statistics"),
]
