from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "innovatorium.search"
    verbose_name = "Search"
