"""Choosing the console language, mounted at /staff/language/ (namespace "language")."""

from django.urls import path

from passage.accounts.views import language as views

app_name = "language"

urlpatterns = [path("", views.language, name="choose")]
