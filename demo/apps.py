from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo region's seeder (`manage.py seed_demo`): above every other app, since it seeds them all."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
