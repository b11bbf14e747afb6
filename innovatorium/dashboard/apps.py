from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "innovatorium.dashboard"
    label = "dashboard"
    verbose_name = "National dashboard"

    def ready(self) -> None:
        from innovatorium.dashboard import signals

        signals.connect()
