from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """Models that exist only in tests, to exercise the crypto fields before domain apps do."""

    name = "tests.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"
