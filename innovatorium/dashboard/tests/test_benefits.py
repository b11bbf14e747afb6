"""The dashboard's money figures are the benefits ledger's own totals (``benefits.selectors.benefit_totals``),
read for every network in one query: this checks the two never drift apart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from innovatorium.atlas import services as atlas_services
from innovatorium.benefits import services as benefits
from innovatorium.benefits.models import PartyKind
from innovatorium.benefits.selectors import benefit_totals
from innovatorium.dashboard import selectors


def _adopted_agreement(network, facilitator, patient, industry_member):
    innovation = atlas_services.innovation_create(network=network, actor=facilitator, name="Falls sensor",
                                                  summary="Spots falls at home.", innovation_type="digital")
    atlas_services.innovation_publish(innovation=innovation, actor=facilitator)
    version = benefits.version_draft(actor=facilitator, innovation=innovation)
    benefits.version_set_terms(actor=facilitator, version=version, basis="fixed", reinvestment_percent="10",
                               public_party_names=True, public_party_amounts=True, public_event_details=True)
    benefits.party_add(actor=facilitator, version=version, kind=PartyKind.INDIVIDUAL, representative=patient,
                       share_percent="50")
    benefits.party_add(actor=facilitator, version=version, kind=PartyKind.ORGANISATION, label="Sensorco Ltd",
                       representative=industry_member, share_percent="50")
    benefits.version_propose(actor=facilitator, version=version)
    for term in version.terms.select_related("party__representative"):
        benefits.version_accept(actor=term.party.representative, version=version, party=term.party)
    version.refresh_from_db()
    return version.agreement


def test_money_figures_match_the_benefits_ledger_for_england_and_each_network(network, facilitator, patient,
                                                                             industry_member):
    agreement = _adopted_agreement(network, facilitator, patient, industry_member)
    day = dt.date(2026, 1, 15)
    benefits.event_record(actor=facilitator, agreement=agreement, kind="licence_income", amount="1000.00",
                          occurred_on=day, idempotency_key="a")
    benefits.event_record(actor=facilitator, agreement=agreement, kind="cash_releasing_savings", amount="333.33",
                          occurred_on=day, idempotency_key="b")
    board = selectors.dashboard()
    for scope in [board.england, *board.networks]:
        totals = benefit_totals(network=scope.network)
        for key in ("earned", "saved", "shared", "reinvested"):
            assert scope.figures[key].value == getattr(totals, key), (scope.name, key)
    assert board.england.figures["earned"].value == Decimal("1000.00")
    assert board.england.figures["shared"].value + board.england.figures["reinvested"].value == Decimal("1333.33")


def test_a_networks_money_figures_link_to_its_benefits_page(network):
    from django.urls import reverse

    scope = selectors.network_dashboard(network=network)
    assert scope.figures["earned"].url == reverse("benefits:network", args=[network.slug])
