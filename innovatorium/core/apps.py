from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "innovatorium.core"
    verbose_name = "Site-wide pages and helpers"
