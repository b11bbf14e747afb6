"""Who may do what in deliberation. Reading and taking part are public (the services refuse a signed-out
browser or a non-member in a members-only conversation, with a message that says what to do); opening,
moderating and closing are for the facilitators and admins of the conversation's own network.
"""

from __future__ import annotations

import rules

from innovatorium.people.rules import is_network_staff, is_superuser

rules.add_perm("deliberation.view_conversation", rules.always_allow)
rules.add_perm("deliberation.open_conversation", is_network_staff | is_superuser)
rules.add_perm("deliberation.moderate_conversation", is_network_staff | is_superuser)
