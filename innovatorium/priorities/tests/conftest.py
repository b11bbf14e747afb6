from __future__ import annotations

import pytest

from innovatorium.factories import member
from innovatorium.priorities import services


@pytest.fixture
def make_round(network, facilitator):
    """A round over free-text options: `make_round("stv", seats=2, options=5)`; opened unless open=False."""

    def make(method="approval", *, options=4, seats=2, open=True, secret=True, top_n=None):  # noqa: A002
        round_ = services.round_create(
            network=network, actor=facilitator, title=f"{method} round", method=method, seats=seats, top_n=top_n,
            secret=secret, texts=[f"Option {i}" for i in range(1, options + 1)],
        )
        if open:
            services.round_open(round=round_, actor=facilitator)
        return round_

    return make


@pytest.fixture
def voters(network):
    """Twelve counted members: 6 patients, 4 NHS (verified), 2 industry (verified)."""
    from innovatorium.people.models import Verification

    people = [member(network, "patients-public").person for _ in range(6)]
    people += [member(network, "nhs", verification=Verification.VERIFIED).person for _ in range(4)]
    people += [member(network, "industry", verification=Verification.VERIFIED).person for _ in range(2)]
    return people
