from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "innovatorium.people"
    verbose_name = "People, organisations and memberships"
