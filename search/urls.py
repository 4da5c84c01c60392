"""URLs of the search app, included by portal.urls before Wagtail's catch-all."""
from django.urls import path

from search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("api/search/", views.search_api, name="search_api"),
    path("api/search/suggest/", views.suggest_api, name="search_suggest"),
]
