"""Reading the audit log, scoped to what the reader may see."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet

from innovatorium.audit.models import AuditEvent
from innovatorium.networks.models import Network
from innovatorium.people.models import Membership, Role


def readable_networks(*, user: Any) -> QuerySet[Network] | None:
    """The networks whose events `user` may read, or None for every event (site superusers)."""
    if user.is_superuser:
        return None
    person = getattr(user, "person", None)
    ids = Membership.objects.filter(person=person, role=Role.ADMIN).values("network_id")
    return Network.objects.filter(pk__in=ids).order_by("name")


def audit_events(
    *, user: Any, kind: str = "", network: str = "", person: str = "", since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """Events newest first. Dates are UTC days, inclusive. `person` matches a pseudonym exactly."""
    events = AuditEvent.objects.select_related("person")
    networks = readable_networks(user=user)
    if networks is not None:
        events = events.filter(network_slug__in=networks.values("slug"))
    if kind:
        events = events.filter(kind=kind)
    if network:
        events = events.filter(network_slug=network)
    if person:
        events = events.filter(person__pseudonym__iexact=person.strip())
    if since:
        events = events.filter(occurred_at__gte=datetime.combine(since, time.min, tzinfo=UTC))
    if until:
        end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
        events = events.filter(occurred_at__lt=end)
    return events.order_by("-occurred_at", "-id")
