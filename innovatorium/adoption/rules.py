"""Permissions for the adoption register. Reading is public; facilitators of a network record and import."""

from __future__ import annotations

import rules

from innovatorium.people.rules import has_person, is_network_staff, is_superuser

rules.add_perm("adoption.view_spread", rules.always_allow)
# target: the network (import) or the innovation (recording a status at a site)
rules.add_perm("adoption.record_adoption", is_network_staff | is_superuser)
rules.add_perm("adoption.import_adoption", is_network_staff | is_superuser)
# any signed-in person may open the report form; it offers only the sites of the organisation they declared
rules.add_perm("adoption.report_adoption", has_person)
# target: the network whose sites' reports are checked, or which runs a national programme
rules.add_perm("adoption.check_reports", is_network_staff | is_superuser)
rules.add_perm("adoption.create_programme", is_network_staff | is_superuser)
