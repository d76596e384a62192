"""The staff console's entry points, mounted at /staff/ (namespace "staff")."""

from django.urls import path

from passage.accounts.views import auth as views
from passage.accounts.views import lock as lock_views
from passage.accounts.views import second_factor as factor_views

urlpatterns = [
    path("", views.sign_in, name="sign-in"),
    path("second-factor/", views.second_factor, name="second-factor"),
    path("second-factor/enrol/", factor_views.enrol, name="enrol"),
    path("second-factor/key/begin/", factor_views.security_key_sign_in_begin, name="key-begin"),
    path("second-factor/key/finish/", factor_views.security_key_sign_in_finish, name="key-finish"),
    path("security-keys/", factor_views.security_keys, name="security-keys"),
    path("security-keys/add/begin/", factor_views.security_key_begin, name="security-key-begin"),
    path("security-keys/add/finish/", factor_views.security_key_finish, name="security-key-finish"),
    path(
        "security-keys/<uuid:key_id>/remove/",
        factor_views.security_key_remove,
        name="security-key-remove",
    ),
    path("invitation/<str:token>/", factor_views.invitation, name="invitation"),
    path("step-up/", views.step_up, name="step-up"),
    path("home/", views.home, name="home"),
    path("sessions/", views.my_sessions, name="sessions"),
    path("sessions/keep-alive/", views.keep_alive, name="keep-alive"),
    path("sessions/lock/", lock_views.lock, name="lock"),
    path("sessions/unlock/", lock_views.unlock, name="unlock"),
    path("sessions/<uuid:session_id>/end/", views.session_end, name="session-end"),
    path("password/", views.password_change, name="password"),
    path("sign-out/", views.sign_out, name="sign-out"),
]
