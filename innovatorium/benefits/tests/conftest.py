from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from innovatorium.atlas import services as atlas_services
from innovatorium.benefits import services
from innovatorium.benefits.models import PartyKind
from innovatorium.factories import OrganisationFactory, member


@pytest.fixture
def innovation(network, facilitator):
    innovation = atlas_services.innovation_create(
        network=network, actor=facilitator, name="Falls sensor", summary="Spots falls at home.",
        innovation_type="digital",
    )
    atlas_services.innovation_publish(innovation=innovation, actor=facilitator)
    return innovation


@pytest.fixture
def trust_rep(network):
    return member(network, "nhs").person


@pytest.fixture
def draft(innovation, facilitator):
    return services.version_draft(actor=facilitator, innovation=innovation)


@pytest.fixture
def three_way(draft, facilitator, trust_rep, patient, industry_member):
    """A draft splitting a third each between a trust, a patient and a company, 10% reinvested."""
    services.version_set_terms(
        actor=facilitator, version=draft, basis="fixed", reinvestment_percent="10", public_party_names=True,
        public_party_amounts=True, public_event_details=True,
    )
    trust = OrganisationFactory(name="Test Hospitals NHS Trust")
    services.party_add(actor=facilitator, version=draft, kind=PartyKind.ORGANISATION, organisation=trust,
                       label="Test Hospitals NHS Trust", representative=trust_rep, share_percent="33.3334")
    services.party_add(actor=facilitator, version=draft, kind=PartyKind.INDIVIDUAL, representative=patient,
                       share_percent="33.3333")
    services.party_add(actor=facilitator, version=draft, kind=PartyKind.ORGANISATION, label="Sensorco Ltd",
                       representative=industry_member, share_percent="33.3333")
    draft.refresh_from_db()
    return draft


def adopt(version, facilitator):
    services.version_propose(actor=facilitator, version=version)
    for term in version.terms.select_related("party__representative"):
        services.version_accept(actor=term.party.representative, version=version, party=term.party)
    version.refresh_from_db()
    return version


@pytest.fixture
def adopted(three_way, facilitator):
    return adopt(three_way, facilitator)


@pytest.fixture
def today():
    return timezone.localdate() - dt.timedelta(days=1)
