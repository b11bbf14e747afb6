"""A network elects its board with seats for each partner group, then passes a motion by double majority, and the
public record verifies. Members vote on phones; the facilitator runs it on a laptop."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from innovatorium.factories import PASSWORD, member
from innovatorium.governance.models import Body, Election, Motion
from tests.browser.support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = pytest.mark.browser


def _as(open_page: Any, person: Any, viewport: dict[str, int] = PHONE) -> Page:
    page = open_page(viewport)
    sign_in(page, email=person.user.email, password=PASSWORD)
    return page


def test_a_network_elects_its_board_and_passes_a_motion_by_double_majority(
    open_page: Any, network: Any, facilitator: Any,
) -> None:
    patients = [member(network, "patients-public").person for _ in range(3)]
    industry = [member(network, "industry").person for _ in range(2)]

    # The first request loads the whole site, which can take longer than a click on a busy test machine.
    visitor = open_page(PHONE)
    visitor.goto(f"/{network.slug}/governance/", timeout=120_000)
    axe_check(visitor)
    expect(visitor.locator("main")).to_contain_text("has not set up any governing bodies yet")

    # The facilitator sets up a board: one seat for patients and public, one for industry.
    desk = _as(open_page, facilitator, DESKTOP)
    desk.goto(f"/{network.slug}/governance/")
    axe_check(desk)
    expect(desk.locator("main")).to_contain_text("has not set up any governing bodies yet")
    desk.get_by_role("link", name="Set up a body").click()
    axe_check(desk)
    desk.get_by_label("Name").fill("Board")
    desk.get_by_label("Seats for Patients and public").fill("1")
    desk.get_by_label("Seats for Industry").fill("1")
    desk.get_by_role("button", name="Set up the body").click()
    board = Body.objects.get()
    expect(desk).to_have_url(re.compile(re.escape(board.get_absolute_url()) + "$"))
    axe_check(desk)
    expect(desk.locator("#empty-seats")).to_contain_text("2 empty seats")
    desk.get_by_role("link", name="Call an election").click()
    axe_check(desk)
    desk.get_by_role("button", name="Open nominations").click()
    election = Election.objects.get()
    axe_check(desk)

    # Two patients and an industry member stand, on their phones.
    for person, statement in [(patients[0], "I will make sure patients are heard."),
                              (patients[1], "I care for my dad and know the system."),
                              (industry[0], "I build diagnostics and want them adopted fairly.")]:
        phone = _as(open_page, person)
        phone.goto(election.get_absolute_url())
        axe_check(phone)
        phone.get_by_role("link", name=re.compile("^Stand for a")).click()
        axe_check(phone)
        phone.get_by_label("Your statement").fill(statement)
        phone.get_by_role("button", name="Stand for election").click()
        axe_check(phone)
        expect(phone.locator("main")).to_contain_text(statement)

    desk.goto(election.get_absolute_url())
    axe_check(desk)
    desk.get_by_role("link", name="Run this election").click()
    axe_check(desk)
    desk.get_by_role("button", name="Close nominations and open voting").click()
    axe_check(desk)

    # Members rank candidates on their phones, without JavaScript widgets: numbered choices.
    patient_names = [p.public_name for p in patients[:2]]
    for voter, first in [(patients[0], 0), (patients[1], 1), (patients[2], 0)]:
        phone = _as(open_page, voter)
        phone.goto(election.get_absolute_url())
        axe_check(phone)
        phone.get_by_role("link", name="Vote for Patients and public seats").click()
        axe_check(phone)
        phone.get_by_label(patient_names[first]).select_option("1")
        phone.get_by_label(patient_names[1 - first]).select_option("2")
        phone.get_by_role("button", name="Cast your ballot").click()
        axe_check(phone)
        expect(phone.locator("#receipt")).to_be_visible()
        # a second ballot is refused plainly
        phone.goto(f"/{network.slug}/governance/elections/{election.pk}/vote/")
        axe_check(phone)
        expect(phone.locator("#refused")).to_contain_text("already voted")
    phone = _as(open_page, industry[1])
    phone.goto(f"/{network.slug}/governance/elections/{election.pk}/vote/")
    axe_check(phone)
    phone.get_by_label(industry[0].public_name).select_option("1")
    phone.get_by_role("button", name="Cast your ballot").click()
    axe_check(phone)

    desk.goto(f"/{network.slug}/governance/elections/{election.pk}/manage/")
    axe_check(desk)
    desk.get_by_role("button", name="Close voting and count").click()
    axe_check(desk)
    expect(desk.locator("h1")).to_contain_text("The count")
    patients_count = desk.locator('section[data-contest="patients-public"]')
    expect(patients_count.locator("[data-elected]")).to_have_text(patients[0].public_name)
    patients_count.get_by_text(re.compile("count stage by stage")).click()
    expect(patients_count.locator("table[data-stage='1']")).to_be_visible()
    axe_check(desk)
    desk.goto(board.get_absolute_url())
    axe_check(desk)
    expect(desk.locator("#empty-seats")).to_have_count(0)

    # A motion needing a double majority: a majority overall and within both partner groups on the board.
    desk.get_by_role("link", name="Propose a motion").click()
    axe_check(desk)
    desk.get_by_label("Title", exact=True).fill("Pay patient partners for their time")
    desk.get_by_label("The motion", exact=True).fill("That patient partners are paid for their time.")
    desk.get_by_label("Quorum", exact=True).fill("2")
    desk.get_by_label("Double majority").check()
    desk.get_by_role("button", name="Open the motion for votes").click()
    motion = Motion.objects.get()
    axe_check(desk)
    for voter in (patients[0], industry[0]):
        phone = _as(open_page, voter)
        phone.goto(motion.get_absolute_url())
        axe_check(phone)
        phone.get_by_label("Agree", exact=True).check()
        phone.get_by_role("button", name="Cast your vote").click()
        axe_check(phone)
        expect(phone.locator("main")).to_contain_text("You voted: Agree")
    desk.goto(motion.get_absolute_url())
    axe_check(desk)
    desk.get_by_role("button", name="Close the motion and decide").click()
    axe_check(desk)
    expect(desk.locator("#explanation")).to_contain_text("Double majority: reached overall and in every constituency")
    expect(desk.locator("main")).to_contain_text("Passed")

    # Anyone can check that all of it is on the public record, unaltered.
    visitor.goto(f"/{network.slug}/record/")
    axe_check(visitor)
    expect(visitor.locator("main")).to_contain_text("Motion decided")
    visitor.goto("/record/verify/")
    axe_check(visitor)
    expect(visitor.locator("main")).to_contain_text("The record is intact")
