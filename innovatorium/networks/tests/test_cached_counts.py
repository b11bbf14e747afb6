"""Member counts are cached (they read every membership), yet a join, a verification or a leave shows at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innovatorium.factories import PersonFactory, member
from innovatorium.networks import selectors
from innovatorium.people import services as people_services
from innovatorium.people.models import Membership, Verification

pytestmark = pytest.mark.django_db


def counted(network) -> tuple[int, int]:
    summary = selectors.network_summary(network=network)
    return summary.members, summary.pending


def test_the_home_page_counts_a_new_member_at_once_though_its_counts_are_cached(client, network, patient):
    assert "1 member in" in client.get(reverse("core:home")).content.decode()
    person = PersonFactory()
    people_services.membership_join(person=person, network=network,
                                    constituency=network.constituencies.get(slug="patients-public"))
    assert "2 members in" in client.get(reverse("core:home")).content.decode()


def test_a_second_view_of_the_home_page_reads_the_counts_from_the_cache(
    client, network, other_network, patient, django_assert_max_num_queries
):
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(0):
        selectors.network_summaries()
    member(other_network)
    assert sum(s.members for s in selectors.network_summaries()) == 2


def test_verifying_or_leaving_changes_the_cached_counts_at_once(network, facilitator):
    person = PersonFactory()
    declared = people_services.membership_join(person=person, network=network,
                                               constituency=network.constituencies.get(slug="industry"))
    assert declared.verification == Verification.PENDING
    before = counted(network)
    people_services.membership_verify(membership=declared, actor=facilitator, approve=True)
    assert counted(network) == (before[0] + 1, before[1] - 1)
    people_services.membership_leave(membership=Membership.objects.get(pk=declared.pk), actor=person)
    assert counted(network) == (before[0], before[1] - 1)


def test_a_renamed_network_shows_its_new_name_on_the_home_page(client, network):
    client.get(reverse("core:home"))
    network.name = "Renamed Region"
    network.save()
    assert "Renamed Region" in client.get(reverse("core:home")).content.decode()
