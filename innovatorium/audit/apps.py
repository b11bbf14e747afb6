from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "innovatorium.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # Sign-in events come from Django's and allauth's code, so they are heard through auth signals (the
        # only signals this project uses; everything of ours calls services directly).
        from innovatorium.audit import signals

        signals.connect()
