"""The staff console's URLs, mounted at /staff/ (namespace "staff"), one module per concern."""

from passage.accounts.urls import admin, auth, oversight

app_name = "staff"

urlpatterns = [*admin.urlpatterns, *auth.urlpatterns, *oversight.urlpatterns]
