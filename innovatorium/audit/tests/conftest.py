"""Shared by the audit tests: a fresh cache around each test (sign-in rate-limit counters never carry over),
and a site admin, who reads the whole audit log."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from innovatorium.factories import member


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_admin(network):
    person = member(network, "nhs").person
    person.user.is_superuser = True
    person.user.save()
    return person
