from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "innovatorium.dashboard"
    label = "dashboard"
    verbose_name = "National dashboard"

    def ready(self) -> None:
        # The national dashboard's figures are cached (dashboard.selectors.dashboard): a write to any table they
        # are counted from makes them count again when it commits.
        from innovatorium.core import figures
        from innovatorium.dashboard.selectors import COUNTED_APPS, FIGURES_NAMESPACE

        figures.watch(FIGURES_NAMESPACE, tuple(f"{app}_" for app in sorted(COUNTED_APPS)))
