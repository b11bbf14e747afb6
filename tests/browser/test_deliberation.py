"""A conversation end to end: a facilitator opens it, a patient on a phone votes and adds a statement, the
facilitator accepts it, and the report shows the opinion map. Every page is scanned for WCAG 2.2 AA.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from innovatorium.deliberation import services
from innovatorium.deliberation.models import Statement, StatementStatus
from innovatorium.factories import PASSWORD, member
from innovatorium.networks.models import Network
from innovatorium.people.models import Role
from tests.browser.support import DESKTOP, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SEEDS = [
    "Diabetes care in deprived areas should come first.",
    "Continuous glucose monitors should be available to everyone with type 1 diabetes.",
    "Everyone with diabetes should have one named person to contact.",
    "Online education courses work as well as face-to-face ones.",
    "Foot checks should happen in the community.",
    "Schools should teach children to cook healthy meals on a budget.",
    "The network should publish what difference its projects made.",
]


def test_a_facilitator_runs_a_conversation_and_a_patient_takes_part_from_a_phone(phone_page: Page,
                                                                                  open_page: Any) -> None:
    wessex = Network.objects.get(slug="wessex")
    facilitator = member(wessex, "nhs", role=Role.FACILITATOR).person
    desk = open_page(DESKTOP)
    sign_in(desk, email=facilitator.user.email, password=PASSWORD)
    desk.goto("/wessex/take-part/conversations/")
    axe_check(desk)
    desk.get_by_role("link", name="Open a conversation").click()
    axe_check(desk)
    desk.get_by_label("Question").fill("What should our network tackle next in diabetes care?")
    desk.get_by_label("Starting statements").fill("\n".join(SEEDS))
    desk.get_by_role("button", name="Open the conversation").click()
    expect(desk).to_have_url(re.compile(r"/wessex/take-part/conversations/what-should-our-network"))
    axe_check(desk)
    conversation_url = desk.url

    # Others vote too, so the report has opinion groups to draw.
    for n in range(9):
        participant = services.participant_for(conversation=Statement.objects.first().conversation,
                                               browser_token=f"{n:043d}")
        for statement in Statement.objects.all():
            services.vote_cast(participant=participant, statement=statement,
                               value=["agree", "disagree", "pass"][(n + statement.pk) % 3])

    # A patient on a phone, not signed in, votes through every statement (htmx swaps each next one in).
    page = phone_page
    page.goto(conversation_url)
    axe_check(page)
    for number in range(1, len(SEEDS) + 1):
        expect(page.locator("#statement-heading")).to_have_text(f"Statement {number} of {len(SEEDS)}")
        page.get_by_role("button", name=["Agree", "Disagree", "Pass or unsure"][number % 3], exact=True).click()
        expect(page.locator("#vote-status")).to_contain_text("Here is the next statement")
    expect(page.locator("#statement-heading")).to_have_text("You have voted on every statement")
    axe_check(page)
    page.get_by_label("Add your own statement").fill("Insulin pumps should be offered to every child with type 1.")
    page.get_by_role("button", name="Send your statement").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text(
        "A facilitator will check your statement")
    axe_check(page)

    # The facilitator accepts it.
    desk.goto(conversation_url)
    axe_check(desk)
    desk.get_by_role("link", name="Check statements people have added").click()
    axe_check(desk)
    expect(desk.locator("[data-statement-text]")).to_have_text(
        "Insulin pumps should be offered to every child with type 1.")
    desk.get_by_role("button", name="Accept").click()
    expect(desk.locator("main")).to_contain_text("There are no statements waiting")
    axe_check(desk)
    assert Statement.objects.get(text__startswith="Insulin pumps").status == StatementStatus.ACCEPTED

    # The patient gets the new statement, and sees the report with its map.
    page.goto(conversation_url)
    expect(page.locator("#statement-text")).to_have_text("Insulin pumps should be offered to every child with type 1.")
    axe_check(page)
    page.get_by_role("link", name="See the results so far").first.click()
    expect(page.locator("h1")).to_have_text("What should our network tackle next in diabetes care?")
    image = page.locator("#opinion-map")
    expect(image).to_be_visible()
    page.wait_for_function(  # the SVG is drawn on the server on first view: wait until it has loaded
        "() => { const img = document.getElementById('opinion-map'); return img.complete && img.naturalWidth > 0; }"
    )
    expect(page.locator("#map-table tbody tr")).not_to_have_count(0)
    axe_check(page)
