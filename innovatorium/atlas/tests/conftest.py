"""Atlas fixtures: a published innovation with its evidence and co-producers, and a draft."""

from __future__ import annotations

import pytest

from innovatorium.atlas import services
from innovatorium.factories import OrganisationFactory


@pytest.fixture
def published(network, facilitator):
    owner = OrganisationFactory(name="Test Health NHS Trust")
    innovation = services.innovation_create(
        network=network, actor=facilitator, name="ChatHealth school nurse texting",
        summary="Young people text their school nurse confidentially.", innovation_type="digital",
        stage="adoption", problem="Young people find it hard to see a school nurse.",
        how_it_works="A secure messaging service answered by school nurses.",
        value_proposition="More young people get help early.", care_settings=["schools"],
        clinical_areas=["children", "mental-health"], dtac_status="passed", indicative_cost="£2,000 a year",
        owner_organisation=owner,
    )
    services.innovation_publish(innovation=innovation, actor=facilitator)
    services.evidence_add(innovation=innovation, actor=facilitator, evidence_type="service-evaluation",
                          citation="Evaluation of school nurse texting, 2015", independent=True,
                          summary="Messages doubled.")
    services.co_producer_add(innovation=innovation, actor=facilitator, role="Tested the service",
                             constituency_kind="patients_public", organisation=OrganisationFactory(name="Youth Panel"))
    innovation.refresh_from_db()
    return innovation


@pytest.fixture
def draft(network, industry_member):
    return services.innovation_create(
        network=network, actor=industry_member, name="Secret draft gadget", summary="Not ready yet.",
        innovation_type="device",
    )
