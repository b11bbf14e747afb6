from django.apps import AppConfig


class DeliberationConfig(AppConfig):
    name = "innovatorium.deliberation"
    verbose_name = "Deliberation"
