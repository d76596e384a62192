"""The staff console's URLs, mounted at /staff/ (namespace "staff"), one module per concern."""

from passage.accounts.urls import auth

app_name = "staff"

urlpatterns = [*auth.urlpatterns]
