from django.apps import AppConfig


class RoutesConfig(AppConfig):
    name = "passage.routes"
    label = "routes"
    verbose_name = "Routes"
    default_auto_field = "django.db.models.BigAutoField"
