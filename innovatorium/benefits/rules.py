"""Who may do what with benefit-sharing agreements and the ledger.

Reading an agreement, its versions and the public statement is public (each version decides which fields are
public). Drafting and proposing versions, recording benefit events and reversing postings is for the facilitators
and admins of the innovation's network. Accepting a proposed version is for the party's representative. A party's
own statement is for its representative and the network's facilitators, unless the version makes party amounts
public.
"""

from __future__ import annotations

import rules

from innovatorium.people.rules import is_network_staff, is_superuser


@rules.predicate
def represents_party(user, party) -> bool:
    if party is None or not user.is_authenticated:
        return False
    person = getattr(user, "person", None)
    return person is not None and party.representative_id == person.pk


@rules.predicate
def represents_a_party_of(user, version) -> bool:
    if version is None or not user.is_authenticated:
        return False
    person = getattr(user, "person", None)
    if person is None:
        return False
    return version.terms.filter(party__representative=person).exists()


@rules.predicate
def party_amounts_public(user, party) -> bool:
    if party is None:
        return False
    from innovatorium.benefits.selectors import current_version

    version = current_version(agreement=party.agreement)
    return version is not None and version.public_party_amounts and version.public_party_names


staff = is_network_staff | is_superuser

rules.add_perm("benefits.view_agreement", rules.always_allow)
rules.add_perm("benefits.manage_agreement", staff)
rules.add_perm("benefits.accept_version", represents_a_party_of)
rules.add_perm("benefits.record_event", staff)
rules.add_perm("benefits.reverse_posting", staff)
rules.add_perm("benefits.view_party_statement", represents_party | staff | party_amounts_public)
