"""A facilitator runs a priority-setting round end to end; members vote on their phones. Every page is scanned
with axe (WCAG 2.2 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from innovatorium.factories import PASSWORD, member
from innovatorium.networks.models import Network
from innovatorium.people.models import Role
from innovatorium.priorities.models import Ballot, Round, RoundStatus
from tests.browser.support import PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_facilitator_runs_a_round_and_members_vote_on_their_phones(page: Page, open_page) -> None:
    network = Network.objects.get(slug="wessex")
    facilitator = member(network, "nhs", role=Role.FACILITATOR).person
    patient = member(network, "patients-public").person
    nurse = member(network, "nhs").person
    carer = member(network, "patients-public").person

    # The facilitator sets up a ranked round and opens it.
    sign_in(page, email=facilitator.user.email, password=PASSWORD)
    page.goto("/wessex/take-part/priorities/")
    axe_check(page)
    page.get_by_role("link", name="Set up a round").click()
    axe_check(page)
    page.get_by_label("Title").fill("Wessex top priorities")
    page.get_by_label("Voting method").select_option("irv")
    page.get_by_label("Other options (optional)").fill(
        "Shorter waits for memory clinics\nHelp with transport to hospital\nSupport for young carers"
    )
    page.get_by_role("button", name="Set up the round").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("set up as a draft")
    axe_check(page)
    page.get_by_role("button", name="Open voting").click()
    expect(page.locator("#round-status")).to_have_text("Open for voting")
    axe_check(page)
    round_ = Round.objects.get()

    # Two members vote on their phones, numbering their choices (no JavaScript needed).
    receipts = []
    for person, ranks in ((patient, {"Shorter waits for memory clinics": "1", "Support for young carers": "2"}),
                          (nurse, {"Help with transport to hospital": "1"}),
                          (carer, {"Shorter waits for memory clinics": "1"})):
        phone = open_page(PHONE)
        sign_in(phone, email=person.user.email, password=PASSWORD)
        phone.goto(round_.get_absolute_url())
        axe_check(phone)
        phone.get_by_role("link", name="Vote in this round").click()
        axe_check(phone)
        if person == patient:  # a gap in the numbering is refused, with the choices kept
            phone.get_by_label("Shorter waits for memory clinics").select_option("1")
            phone.get_by_label("Support for young carers").select_option("3")
            phone.get_by_role("button", name="Cast your ballot").click()
            expect(phone.locator(".nhsuk-error-summary")).to_contain_text("without gaps")
            axe_check(phone)
        for label, rank in ranks.items():
            phone.get_by_label(label).select_option(rank)
        if person == patient:
            phone.get_by_label("Support for young carers").select_option("2")
        phone.get_by_role("button", name="Cast your ballot").click()
        expect(phone.get_by_role("heading", name="Your ballot has been cast")).to_be_visible()
        axe_check(phone)
        receipts.append(phone.locator("#receipt").inner_text().replace(" ", ""))
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert sorted(receipts) == sorted(Ballot.objects.values_list("receipt", flat=True))

    # The facilitator closes the round; the results page shows every stage of the count.
    page.goto(f"/wessex/take-part/priorities/{round_.slug}/manage/")
    axe_check(page)
    expect(page.locator("#manage-turnout")).to_have_text("3")
    page.get_by_role("button", name="Close voting and count").click()
    expect(page).to_have_url(re.compile(r"/results/$"))
    axe_check(page)
    expect(page.locator("#winners")).to_contain_text("Shorter waits for memory clinics")
    # The stages are folded so the result comes first; opening them shows every counting step.
    page.locator("#count-stages summary").click()
    expect(page.locator("#count-stages table[data-stage='1']").first).to_be_visible()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    page.get_by_role("link", name="What this voting promises").click()
    axe_check(page)
    expect(page.locator("main")).to_contain_text("not linked to voters")

    # On a phone, the results read without sideways scrolling.
    phone = open_page(PHONE)
    phone.goto(f"/wessex/take-part/priorities/{round_.slug}/results/")
    axe_check(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
