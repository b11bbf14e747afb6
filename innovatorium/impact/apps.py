from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "innovatorium.impact"
    verbose_name = "Impact: measures, observations and SPC charts"
