from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "innovatorium.exchange"
    verbose_name = "The Innovation Exchange"
