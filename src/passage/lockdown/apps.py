from django.apps import AppConfig


class LockdownConfig(AppConfig):
    name = "passage.lockdown"
    label = "lockdown"
    verbose_name = "Lockdown"
    default_auto_field = "django.db.models.BigAutoField"
