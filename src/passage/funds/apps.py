from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "passage.funds"
    label = "funds"
    verbose_name = "Funds"
    default_auto_field = "django.db.models.BigAutoField"
