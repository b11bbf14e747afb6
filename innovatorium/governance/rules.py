"""Who may do what in governance. Reading is public (bodies, counts, motions, minutes). Standing and voting need a
person; the services then check membership, constituency, seats and declared interests and say why not. Setting
up bodies, calling elections, running draws and closing motions is for the network's own facilitators."""

from __future__ import annotations

import rules

from innovatorium.people.rules import has_person, is_network_staff, is_superuser

rules.add_perm("governance.view", rules.always_allow)
rules.add_perm("governance.take_part", has_person)
rules.add_perm("governance.manage", is_network_staff | is_superuser)
