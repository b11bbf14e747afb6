from django.apps import AppConfig


class AdoptionConfig(AppConfig):
    name = "innovatorium.adoption"
    label = "adoption"
    verbose_name = "Adoption and spread"
