from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "innovatorium.networks"
    verbose_name = "Networks and constituencies"

    def ready(self) -> None:
        from innovatorium.networks import signals

        signals.connect()
