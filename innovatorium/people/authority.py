"""Who may act for a network. Services ask here too, so no caller (API, admin, command) can skip the rule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from innovatorium.networks.models import Network
from innovatorium.people.models import STAFF_ROLES, Membership, Person


def is_network_staff(person: Person | None, network: Network) -> bool:
    """A facilitator or admin of `network`, or a site superuser."""
    if person is None:
        return False
    if person.user is not None and person.user.is_superuser:
        return True
    return Membership.objects.filter(person=person, network=network, role__in=STAFF_ROLES).exists()


def require_network_staff(actor: Person | None, network: Network, what: str) -> None:
    """Refuse unless `actor` is staff of `network`. `actor=None` is the system itself (demo loader, imports)."""
    if actor is not None and not is_network_staff(actor, network):
        raise PermissionDenied(f"Only facilitators of {network.name} may {what}.")
