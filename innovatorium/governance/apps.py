from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "innovatorium.governance"
    verbose_name = "Governance"
