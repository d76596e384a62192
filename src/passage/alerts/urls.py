"""Alerts, mounted at /staff/alerts/ (namespace "alerts")."""

from django.urls import path

from passage.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("<uuid:alert_id>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
    path("<uuid:alert_id>/resolve/", views.alert_resolve, name="resolve"),
]
