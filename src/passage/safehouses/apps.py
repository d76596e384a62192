from django.apps import AppConfig


class SafehousesConfig(AppConfig):
    name = "passage.safehouses"
    label = "safehouses"
    verbose_name = "Safehouses"
    default_auto_field = "django.db.models.BigAutoField"
