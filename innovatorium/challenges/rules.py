"""Who may do what with challenges (needs). Reading is public; taking part needs a signed-in person.

Raising and supporting need membership of the challenge's network too, but the rule only asks for a person:
the view then tells a non-member to join first (a plain 403 would leave them stuck).
"""

from __future__ import annotations

import rules

from innovatorium.people.rules import has_person, is_network_staff, is_superuser

rules.add_perm("challenges.view_challenge", rules.always_allow)
rules.add_perm("challenges.raise_challenge", has_person)
rules.add_perm("challenges.support_challenge", has_person)
# Responding and moving a need on: only the facilitators and admins of the challenge's own network.
rules.add_perm("challenges.respond_challenge", is_network_staff | is_superuser)
rules.add_perm("challenges.change_status", is_network_staff | is_superuser)
