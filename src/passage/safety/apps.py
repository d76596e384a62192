from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "passage.safety"
    label = "safety"
    verbose_name = "Safety"
    default_auto_field = "django.db.models.BigAutoField"
