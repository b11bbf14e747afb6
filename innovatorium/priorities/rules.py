"""Who may do what with priority-setting rounds. Results are public; voting needs a person (the service then
checks the frozen electorate and says why not); running rounds is for the network's own facilitators."""

from __future__ import annotations

import rules

from innovatorium.people.rules import has_person, is_network_staff, is_superuser

rules.add_perm("priorities.view_round", rules.always_allow)
rules.add_perm("priorities.vote", has_person)
rules.add_perm("priorities.view_receipts", has_person)
rules.add_perm("priorities.manage_round", is_network_staff | is_superuser)
