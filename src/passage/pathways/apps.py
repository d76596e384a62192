from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "passage.pathways"
    label = "pathways"
    verbose_name = "Pathways"
    default_auto_field = "django.db.models.BigAutoField"
