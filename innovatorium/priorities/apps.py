from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "innovatorium.priorities"
    verbose_name = "Priority setting"
