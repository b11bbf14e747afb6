"""Who may do what in the Innovation Exchange. Matches are public; offering and brokering are not.

- `exchange.view_matches`: everyone (a need's possible innovations and an innovation's possible needs).
- `exchange.express_interest`: a signed-in person (the view then offers only the innovations they speak for;
  the service refuses anyone who is not an innovator for the innovation chosen).
- `exchange.broker` / `exchange.view_introduction`: facilitators and admins of the need's own network, never
  another network's (the target is a challenge or an introduction; both resolve to the need's network).
- `exchange.view_dashboard`: facilitators and admins of the network.
"""

from __future__ import annotations

import rules

from innovatorium.people.rules import has_person, is_network_staff, is_superuser


@rules.predicate
def is_staff_of_need_network(user, target) -> bool:
    """Staff of the network the need belongs to; `target` is a challenge or an introduction."""
    challenge = getattr(target, "challenge", target)
    return is_network_staff(user, challenge)


rules.add_perm("exchange.view_matches", rules.always_allow)
rules.add_perm("exchange.express_interest", has_person)
rules.add_perm("exchange.broker", is_staff_of_need_network | is_superuser)
rules.add_perm("exchange.view_introduction", is_staff_of_need_network | is_superuser)
rules.add_perm("exchange.view_dashboard", is_network_staff | is_superuser)
