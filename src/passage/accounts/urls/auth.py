"""The staff console's entry points, mounted at /staff/ (namespace "staff")."""

from django.urls import path

from passage.accounts.views import auth as views

urlpatterns = [
    path("", views.sign_in, name="sign-in"),
    path("home/", views.home, name="home"),
    path("sign-out/", views.sign_out, name="sign-out"),
]
