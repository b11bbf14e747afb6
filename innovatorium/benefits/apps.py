from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "innovatorium.benefits"
    verbose_name = "Benefit-sharing agreements and ledger"

    def ready(self) -> None:
        from innovatorium.benefits import rules  # noqa: F401  (registers the permissions)
