"""Exchange fixtures: a small Atlas (school nurse texting, AF detection, a dementia record), a need, innovators."""

from __future__ import annotations

import pytest

from innovatorium.atlas import services as atlas
from innovatorium.challenges import services as challenges
from innovatorium.factories import OrganisationFactory, member
from innovatorium.people.models import Role


def publish(network, actor, name, text, *, settings=(), areas=(), stage="spread", owner=None):
    innovation = atlas.innovation_create(
        network=network, actor=actor, name=name, summary=text, innovation_type="digital", stage=stage,
        problem=text, care_settings=list(settings), clinical_areas=list(areas), owner_organisation=owner,
    )
    atlas.innovation_publish(innovation=innovation, actor=actor)
    innovation.refresh_from_db()
    return innovation


@pytest.fixture
def owner():
    return OrganisationFactory(name="School Texting Ltd")


@pytest.fixture
def innovator(network, owner):
    """A verified industry member whose membership is backed by the organisation that owns ChatHealth."""
    return member(network, "industry", organisation=owner).person


@pytest.fixture
def atlas_items(network, other_network, facilitator, owner):
    other_facilitator = member(other_network, "nhs", role=Role.FACILITATOR).person
    return {
        "text": publish(network, facilitator, "School nurse texting",
                        "Young people text their school nurse for confidential advice about worries and bullying.",
                        settings=["schools"], areas=["children", "mental-health"], owner=owner),
        "af": publish(other_network, other_facilitator, "Pulse check",
                      "Handheld ECG devices find atrial fibrillation in pharmacies before a stroke.",
                      settings=["pharmacy"], areas=["cardiovascular", "stroke"]),
        "dementia": publish(network, facilitator, "Carer-held dementia record",
                            "A record carers keep that tells hospital staff who the person with dementia is.",
                            settings=["acute"], areas=["dementia"], stage="pilot"),
    }


@pytest.fixture
def need(network, patient):
    return challenges.challenge_raise(
        network=network, actor=patient, title="Teenagers cannot reach the school nurse",
        description="Pupils are too embarrassed to queue outside the nurse's office; they would text instead.",
        care_setting="schools", clinical_area="children",
    )
