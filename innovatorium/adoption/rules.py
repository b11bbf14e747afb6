"""Permissions for the adoption register. Reading is public; facilitators of a network record and import."""

from __future__ import annotations

import rules

from innovatorium.people.rules import is_network_staff, is_superuser

rules.add_perm("adoption.view_spread", rules.always_allow)
# target: the network (import) or the innovation (recording a status at a site)
rules.add_perm("adoption.record_adoption", is_network_staff | is_superuser)
rules.add_perm("adoption.import_adoption", is_network_staff | is_superuser)
