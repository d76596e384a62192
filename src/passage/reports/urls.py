"""URLs of the Reports area (namespace ``reports``), under /staff/reports/."""

from django.urls import path

from passage.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("requests/", views.requests, name="requests"),
    path("funds/", views.funds, name="funds"),
    path("funder/", views.funder, name="funder"),
    path("goals/", views.goals, name="goals"),
    path("statistics/", views.statistics_index, name="statistics"),
    path("statistics/download/", views.statistics_download, name="statistics-download"),
]
