"""Who may do what with impact measures. Reading (measures, charts, reports, the survey page) is public.

Any counted member of a network proposes measures and weights them for their partner group. The member who
proposed a measure and the network's facilitators record its values (by hand or from a file) and may retire it.
Survey comments are read only by the network's facilitators: they are never public.
"""

from __future__ import annotations

import rules

from innovatorium.people.rules import has_person, is_member_of, is_network_staff, is_superuser


@rules.predicate
def is_proposer(user, measure) -> bool:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return measure is not None and person is not None and measure.proposed_by_id == person.pk


staff = is_network_staff | is_superuser

rules.add_perm("impact.view_measure", rules.always_allow)
rules.add_perm("impact.propose_measure", is_member_of)
rules.add_perm("impact.weigh_measure", is_member_of)
rules.add_perm("impact.record_observation", is_proposer | staff)
rules.add_perm("impact.retire_measure", is_proposer | staff)
rules.add_perm("impact.read_survey_comments", staff)
rules.add_perm("impact.answer_survey_signed_in", has_person)
