"""Permissions for the dashboard. Reading is public; a network's facilitators and admins report its figures."""

from __future__ import annotations

import rules

from innovatorium.people.rules import is_network_staff, is_superuser

rules.add_perm("dashboard.view_dashboard", rules.always_allow)
# target: the network (report, import) or the reported figure (withdraw)
rules.add_perm("dashboard.report_figure", is_network_staff | is_superuser)
