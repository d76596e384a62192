"""Staff URLs of the emergency lockdown and key destruction under /staff/lockdown/
(namespace ``lockdown``)."""

from django.urls import path

from passage.lockdown import views

app_name = "lockdown"

LOCKDOWN = "<uuid:lockdown_id>/"
KEYS = "keys/<uuid:proposal_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("propose/", views.propose, name="propose"),
    path(LOCKDOWN + "confirm/", views.confirm, name="confirm"),
    path(LOCKDOWN + "withdraw/", views.withdraw, name="withdraw"),
    path(LOCKDOWN + "lift/", views.lift_propose, name="lift"),
    path(LOCKDOWN + "lift/confirm/", views.lift_confirm, name="lift-confirm"),
    path("keys/propose/", views.keys_propose, name="keys-propose"),
    path(KEYS + "confirm/", views.keys_confirm, name="keys-confirm"),
    path(KEYS + "withdraw/", views.keys_withdraw, name="keys-withdraw"),
]
