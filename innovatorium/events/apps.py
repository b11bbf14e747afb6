from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "innovatorium.events"
    verbose_name = "Events"
