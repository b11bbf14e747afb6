"""Dashboard fixtures: two networks' registers with adoptions, a published innovation, a project team."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from innovatorium.adoption.importers import import_adoptions
from innovatorium.adoption.tests.conftest import innovation, register  # noqa: F401 - re-exported fixtures


@pytest.fixture
def adopted(register, innovation, facilitator, network):  # noqa: F811 - the fixtures imported above
    """The virtual ward kit adopted at the trust and one practice of the test region."""
    on = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    rows = (f"ods_code,innovation,status,date,patients_reached\n"
            f"RTD,{network.slug}/{innovation.slug},adopted,{on},120\n"
            f"A81001,{network.slug}/{innovation.slug},embedded,{on},30\n")
    import_adoptions(rows, actor=facilitator, network=network)
    return innovation


@pytest.fixture
def last_year():
    today = timezone.localdate()
    return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
