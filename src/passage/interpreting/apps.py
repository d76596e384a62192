from django.apps import AppConfig


class InterpretingConfig(AppConfig):
    name = "passage.interpreting"
    label = "interpreting"
    verbose_name = "Interpreting"
    default_auto_field = "django.db.models.BigAutoField"
