from django.apps import AppConfig


class CasefilesConfig(AppConfig):
    name = "passage.casefiles"
    label = "casefiles"
    verbose_name = "Casefiles"
    default_auto_field = "django.db.models.BigAutoField"
