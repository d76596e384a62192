"""Staff URLs of safe houses under /staff/safehouses/ and the case tab under
/staff/cases/<case>/safehouse/ (namespace ``safehouses``)."""

from django.urls import path

from passage.safehouses import views

app_name = "safehouses"

HOUSE = "safehouses/<uuid:house_id>/"
CASE = "cases/<uuid:case_id>/safehouse/"

urlpatterns = [
    path("safehouses/", views.house_list, name="list"),
    path("safehouses/new/", views.house_new, name="new"),
    path("safehouses/capacity/", views.capacity, name="capacity"),
    path(HOUSE, views.house_detail, name="house"),
    path(HOUSE + "address/", views.house_address, name="address"),
    path(HOUSE + "calendar/", views.house_calendar, name="calendar"),
    path(HOUSE + "status/", views.house_status, name="status"),
    path(HOUSE + "compromised/", views.house_compromised, name="compromised"),
    path(CASE, views.case_stays, name="case"),
    path(CASE + "place/", views.stay_place, name="place"),
    path(CASE + "<uuid:stay_id>/arrive/", views.stay_arrive, name="stay-arrive"),
    path(CASE + "<uuid:stay_id>/end/", views.stay_end, name="stay-end"),
    path(CASE + "<uuid:stay_id>/move/", views.stay_move, name="stay-move"),
]
