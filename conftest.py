"""Shared fixtures: the personas every permission test uses.

- anonymous visitor: the `client` fixture, not signed in
- patient member: a counted member of `network` in patients & public
- industry member: a verified member of `network` in industry
- facilitator: facilitator of `network`
- other admin: admin of `other_network` (and nothing in `network`)
"""

from __future__ import annotations

import pytest

from innovatorium.factories import NetworkFactory, member
from innovatorium.people.models import Role


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached figures (core.figures), allauth's sign-in rate-limit counters
    and kept search results from one test never leak into the next. (Apps need no cache-clearing fixture of
    their own; core.ratelimit's counters are rows, rolled back with each test.)"""
    from django.core.cache import cache

    from innovatorium.search.selectors import forget_kept_results

    cache.clear()
    forget_kept_results()
    yield


@pytest.fixture
def network(db):
    return NetworkFactory(slug="test-region", name="Test Region")


@pytest.fixture
def other_network(db):
    return NetworkFactory(slug="other-region", name="Other Region")


@pytest.fixture
def patient(network):
    return member(network, "patients-public").person


@pytest.fixture
def industry_member(network):
    return member(network, "industry").person


@pytest.fixture
def facilitator(network):
    return member(network, "nhs", role=Role.FACILITATOR).person


@pytest.fixture
def other_admin(other_network):
    return member(other_network, "nhs", role=Role.ADMIN).person


@pytest.fixture
def client_for(client):
    """Sign a client in as a person: `client_for(patient)`."""

    def sign_in(person):
        client.force_login(person.user)
        return client

    return sign_in


