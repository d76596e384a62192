"""Staff URLs of routes and travel: routes and the journey board under /staff/logistics/, the
Travel tab of a case under /staff/cases/<case>/travel/."""

from django.urls import path

from passage.routes import views

app_name = "routes"

CASE = "cases/<uuid:case_id>/travel/"
ROUTE = "logistics/routes/<uuid:route_id>/"

urlpatterns = [
    path("logistics/routes/", views.route_list, name="list"),
    path(ROUTE, views.route_detail, name="route"),
    path(ROUTE + "status/", views.route_status, name="status"),
    path(ROUTE + "compromised/", views.route_compromised, name="compromise"),
    path("logistics/journeys/", views.journey_board, name="board"),
    path(CASE, views.travel_tab, name="travel"),
    path(CASE + "<uuid:plan_id>/legs/", views.travel_leg_add, name="leg-add"),
    path(CASE + "legs/<uuid:leg_id>/", views.travel_leg_edit, name="leg-edit"),
    path(CASE + "legs/<uuid:leg_id>/ticket/", views.travel_ticket, name="ticket"),
]
