"""The home and network pages make a fixed number of SQL queries, however many networks and members there are.

Anonymous visitors: home 3 queries (networks, constituencies, counts by constituency), network page 4 (the
network, constituencies, counts, named staff). A signed-in visitor adds 4 (session, user, person, their
memberships for the permission rules) and, on the network page, 1 more for their own membership there.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innovatorium.factories import NetworkFactory, member
from innovatorium.people.models import Role, Verification

HOME_QUERIES = 3
NETWORK_QUERIES = 4
SIGNED_IN_EXTRA = 4  # session, user, person, the visitor's memberships (for the rules)
OWN_MEMBERSHIP = 1  # the network page shows the visitor's membership there


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(network, *, networks: int = 3, members_each: int = 4) -> None:
    """More networks, members in every constituency, pending declarations and named staff."""
    for target in [network, *(NetworkFactory() for _ in range(networks))]:
        for slug in ("patients-public", "nhs", "industry", "social-care", "academia", "vcse"):
            for _ in range(members_each):
                member(target, slug)
        member(target, "industry", verification=Verification.PENDING)
        named = member(target, "nhs", role=Role.FACILITATOR).person
        named.show_name_publicly = True
        named.save()
        board = member(target, "patients-public", role=Role.BOARD_MEMBER).person
        board.show_name_publicly = True
        board.save()


@pytest.fixture
def network_url(network):
    return reverse("networks:detail", kwargs={"network_slug": network.slug})


def test_the_home_page_makes_the_same_queries_however_many_networks_and_members(client, network):
    before = _count(client, reverse("core:home"))
    _grow(network)

    after = _count(client, reverse("core:home"))

    assert before == after == HOME_QUERIES


def test_the_network_page_makes_the_same_queries_however_many_members(client, network, network_url):
    before = _count(client, network_url)
    _grow(network)

    after = _count(client, network_url)

    assert before == after == NETWORK_QUERIES


def test_the_home_page_for_a_signed_in_member_makes_a_fixed_number_of_queries(client_for, patient, network):
    client = client_for(patient)
    before = _count(client, reverse("core:home"))
    _grow(network)

    after = _count(client, reverse("core:home"))

    assert before == after <= HOME_QUERIES + SIGNED_IN_EXTRA


def test_the_network_page_for_a_signed_in_member_makes_a_fixed_number_of_queries(
    client_for, patient, network, network_url
):
    client = client_for(patient)
    before = _count(client, network_url)
    _grow(network)

    after = _count(client, network_url)

    assert before == after <= NETWORK_QUERIES + SIGNED_IN_EXTRA + OWN_MEMBERSHIP


def test_the_home_page_stays_within_its_query_budget(client, django_assert_max_num_queries, network):
    _grow(network, networks=5, members_each=2)

    with django_assert_max_num_queries(HOME_QUERIES):
        client.get(reverse("core:home"))


def test_the_network_page_stays_within_its_query_budget(client, django_assert_max_num_queries, network, network_url):
    _grow(network, networks=1, members_each=5)

    with django_assert_max_num_queries(NETWORK_QUERIES):
        client.get(network_url)
