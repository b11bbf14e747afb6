"""Shared by the audit tests: a site admin, who reads the whole audit log. (The root conftest empties the cache,
and with it allauth's sign-in counters, before every test.)"""

from __future__ import annotations

import pytest

from innovatorium.factories import member


@pytest.fixture
def site_admin(network):
    person = member(network, "nhs").person
    person.user.is_superuser = True
    person.user.save()
    return person
