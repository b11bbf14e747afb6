from __future__ import annotations

import pytest

from innovatorium.deliberation import services

SEEDS = [
    "Diabetes care in deprived areas should come first.",
    "Continuous glucose monitors should be available to everyone with type 1 diabetes.",
    "Everyone with diabetes should have one named person to contact.",
    "Online education courses work as well as face-to-face ones.",
    "Foot checks should happen in the community.",
    "Schools should teach children to cook healthy meals on a budget.",
    "The network should publish what difference its projects made.",
    "Remote monitoring would free up clinic time.",
]



@pytest.fixture
def conversation(network, facilitator):
    return services.conversation_open(
        network=network, actor=facilitator, question="What should our network tackle next in diabetes care?",
        seed_statements=SEEDS, allow_anonymous=True,
    )


@pytest.fixture
def members_only(network, facilitator):
    return services.conversation_open(
        network=network, actor=facilitator, question="Which diabetes project should members fund?",
        seed_statements=SEEDS[:3], allow_anonymous=False,
    )


@pytest.fixture
def statements(conversation):
    return list(conversation.statements.order_by("pk"))
