"""Drafts under /staff/drafts/ (namespace "drafts")."""

from django.urls import path

from passage.drafts import views

app_name = "drafts"

urlpatterns = [
    path("save/", views.save, name="save"),
    path("discard/", views.discard, name="discard"),
]
