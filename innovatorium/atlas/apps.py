from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "innovatorium.atlas"
    verbose_name = "The Atlas of innovations"
