from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "passage.exports"
    label = "exports"
    verbose_name = "Exports"
    default_auto_field = "django.db.models.BigAutoField"
