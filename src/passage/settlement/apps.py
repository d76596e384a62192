from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "passage.settlement"
    label = "settlement"
    verbose_name = "Settlement"
    default_auto_field = "django.db.models.BigAutoField"
