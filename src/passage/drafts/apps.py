from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "passage.drafts"
    label = "drafts"
    verbose_name = "Drafts"
    default_auto_field = "django.db.models.BigAutoField"
