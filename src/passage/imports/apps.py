from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "passage.imports"
    label = "imports"
    verbose_name = "Imports"
    default_auto_field = "django.db.models.BigAutoField"
