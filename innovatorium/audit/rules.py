"""Who may read the audit log: site superusers (everything) and network admins (their networks' events)."""

from __future__ import annotations

import rules

from innovatorium.people.models import Role
from innovatorium.people.rules import _memberships


@rules.predicate
def is_any_network_admin(user) -> bool:  # noqa: ANN001 - django-rules passes the user
    return user.is_authenticated and any(m.role == Role.ADMIN for m in _memberships(user).values())


rules.add_perm("audit.view_log", rules.is_superuser | is_any_network_admin)
