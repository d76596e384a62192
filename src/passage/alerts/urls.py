"""Alerts, mounted at /staff/alerts/ (namespace "alerts")."""

from django.urls import path

from passage.alerts.views import alerts, oncall, push

app_name = "alerts"

urlpatterns = [
    path("", alerts.alert_list, name="list"),
    path("<uuid:alert_id>/acknowledge/", alerts.alert_acknowledge, name="acknowledge"),
    path("<uuid:alert_id>/resolve/", alerts.alert_resolve, name="resolve"),
    path("on-call/", oncall.rota_page, name="rota"),
    path("on-call/<uuid:desk_id>/shifts/new/", oncall.shift_new, name="shift-new"),
    path("on-call/shifts/<uuid:shift_id>/remove/", oncall.shift_remove, name="shift-remove"),
    path("drills/", oncall.drill_list, name="drills"),
    path("drills/start/", oncall.drill_start, name="drill-start"),
    path("push/", push.destination_list, name="destinations"),
    path("push/<uuid:user_id>/", push.destination_edit, name="destination-edit"),
    path("push/deliveries/", push.delivery_list, name="deliveries"),
]
