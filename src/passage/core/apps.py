from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "passage.core"
    label = "core"
    verbose_name = "Web plumbing and operations"
    default_auto_field = "django.db.models.BigAutoField"
