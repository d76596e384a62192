from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "passage.crypto"
    label = "crypto"
    verbose_name = "Keys and encryption"
    default_auto_field = "django.db.models.BigAutoField"
