from django.apps import AppConfig


class CasefieldsConfig(AppConfig):
    name = "passage.casefields"
    label = "casefields"
    verbose_name = "Casefields"
    default_auto_field = "django.db.models.BigAutoField"
