from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "innovatorium.demo"
    verbose_name = "Demo data"
