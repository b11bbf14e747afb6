"""Background work: the monthly digests (schedule it for the first of each month; running it twice is harmless)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_monthly_digests() -> dict[str, int]:
    from innovatorium.projects.digest import send_digests

    return send_digests()
