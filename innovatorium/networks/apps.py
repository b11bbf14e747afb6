from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "innovatorium.networks"
    verbose_name = "Networks and constituencies"

    def ready(self) -> None:
        # Member counts are cached (networks.selectors): any write to memberships, constituencies or networks,
        # however made (a service, the admin, a bulk load), makes them count again.
        from innovatorium.core import figures
        from innovatorium.networks.selectors import FIGURES

        figures.watch(FIGURES, ("people_membership", "networks_constituency", "networks_network"))
