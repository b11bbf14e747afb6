from __future__ import annotations

import pytest

from innovatorium.factories import member
from innovatorium.governance import services
from innovatorium.governance.models import BodyKind


@pytest.fixture
def board(network, facilitator):
    return services.body_create(network=network, actor=facilitator, name="Board", kind=BodyKind.BOARD,
                                seats={"patients-public": 2, "industry": 1, "nhs": 1})


@pytest.fixture
def patients(network):
    return [member(network, "patients-public").person for _ in range(4)]


@pytest.fixture
def industry(network):
    return [member(network, "industry").person for _ in range(2)]


@pytest.fixture
def election(board, facilitator):
    return services.election_call(body=board, actor=facilitator)


@pytest.fixture
def seated_board(board, facilitator, patients, industry):
    """A board with both patient seats and the industry seat filled (NHS seat empty)."""
    for p in [*patients[:2], industry[0]]:
        services.member_appoint(body=board, actor=facilitator, person=p)
    return board
