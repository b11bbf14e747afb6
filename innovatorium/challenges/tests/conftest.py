from __future__ import annotations

import pytest

from innovatorium.challenges import services


@pytest.fixture
def challenge(network, patient):
    return services.challenge_raise(
        network=network, actor=patient, title="Carers repeat the same story to every professional",
        description="Every new nurse asks me the same questions about my dad.", care_setting="community",
        clinical_area="dementia", people_affected=2000,
    )
