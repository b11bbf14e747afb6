"""A licence payment shared under an adopted benefit-sharing agreement, to the penny, on the public record."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from innovatorium.atlas import services as atlas
from innovatorium.benefits import services as benefits
from innovatorium.benefits.models import PartyKind, Posting
from innovatorium.factories import PASSWORD, OrganisationFactory, member
from tests.browser.support import DESKTOP, axe_check, sign_in

pytestmark = pytest.mark.browser


def test_a_facilitator_shares_a_licence_payment_to_the_penny_and_the_record_verifies(
    phone_page: Page, open_page: Any, network: Any, patient: Any, industry_member: Any, facilitator: Any,
) -> None:
    innovation = atlas.innovation_create(network=network, actor=facilitator, name="Falls sensor",
                                         summary="Spots falls at home.", innovation_type="digital")
    atlas.innovation_publish(innovation=innovation, actor=facilitator)
    trust_rep = member(network, "nhs").person
    version = benefits.version_draft(actor=facilitator, innovation=innovation, summary="Equal thirds.")
    benefits.version_set_terms(actor=facilitator, version=version, basis="fixed", reinvestment_percent="0",
                               public_party_names=True, public_party_amounts=True, public_event_details=True,
                               summary="Equal thirds.")
    trust = OrganisationFactory(name="Test Hospitals NHS Trust")
    benefits.party_add(actor=facilitator, version=version, kind=PartyKind.ORGANISATION, organisation=trust,
                       label=trust.name, representative=trust_rep, share_percent="33.3334")
    benefits.party_add(actor=facilitator, version=version, kind=PartyKind.PATIENT_GROUP, label="Carers' Circle",
                       representative=patient, share_percent="33.3333")
    benefits.party_add(actor=facilitator, version=version, kind=PartyKind.ORGANISATION, label="Sensorco Ltd",
                       representative=industry_member, share_percent="33.3333")
    benefits.version_propose(actor=facilitator, version=version)
    for rep in (trust_rep, industry_member):
        party = version.terms.get(party__representative=rep).party
        benefits.version_accept(actor=rep, version=version, party=party)

    # The patient group's representative accepts last, on a phone: the agreement is adopted.
    sign_in(phone_page, email=patient.user.email, password=PASSWORD)
    phone_page.goto(f"/{network.slug}/benefits/")
    axe_check(phone_page)
    phone_page.get_by_role("link", name=re.compile("Falls sensor, version 1")).click()
    axe_check(phone_page)
    phone_page.get_by_role("button", name="Accept for Carers' Circle").click()
    axe_check(phone_page)
    expect(phone_page.get_by_text("version 1 is adopted")).to_be_visible()

    # The facilitator records a licence payment that does not split evenly.
    desk = open_page(DESKTOP)
    sign_in(desk, email=facilitator.user.email, password=PASSWORD)
    desk.goto(innovation.get_absolute_url())
    axe_check(desk)
    desk.get_by_role("link", name="See the benefit-sharing statement").click()
    axe_check(desk)
    desk.get_by_role("link", name="Record a payment or saving").click()
    axe_check(desk)
    desk.get_by_label("Licence income").check()
    desk.get_by_label("Amount (£)").fill("100.005")
    desk.get_by_label("Date received or saved").fill("2026-03-01")
    desk.get_by_label("Who paid (or whose budget was saved)").fill("Acme Health")
    desk.get_by_role("button", name="Post and share it out").click()
    axe_check(desk)
    expect(desk.locator(".nhsuk-error-summary")).to_contain_text("fraction of a penny")
    assert not Posting.objects.exists()
    desk.get_by_label("Amount (£)").fill("100.00")
    desk.get_by_label("Reference (optional)").fill("INV-2026-031")
    desk.get_by_role("button", name="Post and share it out").click()
    axe_check(desk)
    distribution = desk.locator("#distribution")
    expect(distribution).to_contain_text("Test Hospitals NHS Trust")
    expect(distribution.locator("tr", has_text="Test Hospitals NHS Trust")).to_contain_text("£33.34")
    expect(distribution.locator("tr", has_text="Carers' Circle")).to_contain_text("£33.33")
    expect(distribution.locator("tr", has_text="Sensorco Ltd")).to_contain_text("£33.33")
    expect(desk.locator("#distribution-total")).to_contain_text("£100.00")
    expect(desk.locator("#adds-up")).to_contain_text("add up to the whole payment, to the penny")

    # Sending the same reference again posts nothing new.
    desk.goto(f"/{network.slug}/benefits/{innovation.slug}/record/")
    axe_check(desk)
    desk.get_by_label("Licence income").check()
    desk.get_by_label("Amount (£)").fill("100.00")
    desk.get_by_label("Date received or saved").fill("2026-03-01")
    desk.get_by_label("Reference (optional)").fill("INV-2026-031")
    desk.get_by_role("button", name="Post and share it out").click()
    axe_check(desk)
    expect(desk.get_by_text("already posted")).to_be_visible()
    assert Posting.objects.count() == 1

    # Anyone sees it on the public statement, and the public record verifies.
    public = open_page(DESKTOP)
    public.goto(f"/{network.slug}/benefits/{innovation.slug}/")
    axe_check(public)
    expect(public.locator("[data-total=earned]")).to_contain_text("£100.00")
    expect(public.locator("#parties")).to_contain_text("£33.34")
    public.goto("/record/verify/")
    axe_check(public)
    expect(public.get_by_text("The record is intact")).to_be_visible()
    public.goto(f"/{network.slug}/record/?action=benefits.event.posted")
    axe_check(public)
