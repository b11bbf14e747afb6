"""The Atlas and the Innovation Exchange in a real browser; every page on the way is scanned for WCAG 2.2 AA.

A visitor finds innovations by words and filters (with and without JavaScript), a patient raises a need from a
phone and another member supports it, and a facilitator sees the ranked matches with their reasons and brokers an
introduction. Test data comes from the services, as the site makes it; the seeded networks and taxonomy come back
before each test through `serialized_rollback` (see test_journeys.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from innovatorium.atlas import services as atlas
from innovatorium.atlas.models import Innovation
from innovatorium.challenges import services as challenges
from innovatorium.challenges.models import Challenge, ChallengeSupport
from innovatorium.exchange.models import Introduction
from innovatorium.factories import PASSWORD, OrganisationFactory, member
from innovatorium.networks.models import Network
from innovatorium.people.models import Person, Role
from tests.browser.support import DESKTOP, TIMEOUT_MS, axe_check, forget, sign_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def publish(network: Network, actor: Person, name: str, text: str, **fields: Any) -> Innovation:
    innovation = atlas.innovation_create(network=network, actor=actor, name=name, summary=text, problem=text,
                                         **fields)
    return atlas.innovation_publish(innovation=innovation, actor=actor)


def small_atlas() -> dict[str, Innovation]:
    """Three published innovations in two networks, and a draft nobody outside should find."""
    wessex = Network.objects.get(slug="wessex")
    other = Network.objects.exclude(slug="wessex").order_by("slug").first()
    assert other is not None
    wessex_facilitator = member(wessex, "nhs", role=Role.FACILITATOR).person
    other_facilitator = member(other, "nhs", role=Role.FACILITATOR).person
    items = {
        "texting": publish(
            wessex, wessex_facilitator, "School nurse texting",
            "Young people text their school nurse for confidential advice about worries, sleep and bullying.",
            innovation_type="digital", stage="spread", care_settings=["schools"],
            clinical_areas=["children", "mental-health"], owner_organisation=OrganisationFactory(name="ChatNurse Ltd"),
        ),
        "telehealth": publish(
            other, other_facilitator, "Telehealth by text message",
            "People with long-term conditions text their readings and get advice from their practice nurse.",
            innovation_type="digital", stage="pilot", care_settings=["home"], clinical_areas=["diabetes"],
        ),
        "pulse": publish(
            other, other_facilitator, "Pulse check in pharmacies",
            "Handheld ECG devices find atrial fibrillation in community pharmacies before a stroke.",
            innovation_type="device", stage="adoption", care_settings=["pharmacy"],
            clinical_areas=["cardiovascular"],
        ),
    }
    atlas.innovation_create(network=wessex, actor=wessex_facilitator, name="Secret text draft",
                            summary="A draft about text messages that is not published.", innovation_type="digital")
    return items


def result_titles(page: Page) -> list[str]:
    return [title.strip() for title in page.locator("#atlas-hits h3").all_inner_texts()]


@pytest.fixture
def page_without_htmx(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A desktop page whose htmx never loads (as on a slow or locked-down browser): the Atlas must then work as
    plain HTML forms and links. (Switching JavaScript off altogether would also switch off the axe check.)"""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-GB",
                                  timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/htmx.min.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    page = context.new_page()
    log = watch(page)
    yield page
    unscanned = [visit.url for visit in log.visits if not visit.scanned]
    forget(page)
    context.close()
    assert not unscanned, f"pages visited but never scanned with axe_check: {unscanned}"
    assert not log.errors, log.errors


def test_a_visitor_without_htmx_finds_innovations_by_words_and_filters(page_without_htmx: Page) -> None:
    page = page_without_htmx
    items = small_atlas()
    page.goto("/atlas/")
    axe_check(page)
    assert page.evaluate("() => typeof window.htmx") == "undefined"
    expect(page.locator("main")).not_to_contain_text("{#")  # no template comment leaked onto the page
    expect(page.locator("#result-count")).to_contain_text("3 innovations")
    assert "Secret text draft" not in result_titles(page)

    page.get_by_label("Search innovations").fill("text")
    page.locator("#atlas-search").get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/atlas/\?q=text"))
    axe_check(page)
    expect(page.locator("#result-count")).to_contain_text("2 innovations match “text”")
    assert sorted(result_titles(page)) == ["School nurse texting", "Telehealth by text message"]
    expect(page.locator("#atlas-hits mark").first).to_be_visible()  # the words found are highlighted

    # A filter narrows the words' results; its count said how many there would be. Filters fold away, so a phone
    # shows results first; a ticked filter's group stays open.
    page.locator("#facet-stage summary").click()
    spreading = page.get_by_label(re.compile(r"^Spreading"))
    expect(spreading).to_have_count(1)
    spreading.check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"stage=spread"))
    axe_check(page)
    expect(page.locator("#result-count")).to_contain_text("1 innovation match “text”")
    expect(page.get_by_label(re.compile(r"^Spreading"))).to_be_checked()
    assert result_titles(page) == ["School nurse texting"]

    page.get_by_role("link", name="School nurse texting").click()
    expect(page).to_have_url(re.compile(re.escape(items["texting"].get_absolute_url()) + "$"))
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("School nurse texting")
    expect(page.locator("#innovation-facts")).to_contain_text("Spreading")
    expect(page.locator("#innovation-facts")).to_contain_text("ChatNurse Ltd")


def test_a_visitor_sees_results_change_as_they_type_and_tick_filters(page: Page) -> None:
    small_atlas()
    page.goto("/atlas/")
    axe_check(page)
    expect(page.locator("#result-count")).to_contain_text("3 innovations")

    # htmx swaps the results in place as they type, and keeps the address shareable.
    page.get_by_label("Search innovations").press_sequentially("atrial", delay=30)
    expect(page.locator("#result-count")).to_contain_text("1 innovation match “atrial”")
    expect(page).to_have_url(re.compile(r"q=atrial"))
    assert result_titles(page) == ["Pulse check in pharmacies"]
    axe_check(page)

    page.get_by_label("Search innovations").fill("")
    page.get_by_label("Search innovations").press_sequentially("text", delay=30)
    expect(page.locator("#result-count")).to_contain_text("2 innovations match “text”")
    expect(page).to_have_url(re.compile(r"q=text$"))
    axe_check(page)
    page.locator("#facet-stage summary").click()
    page.get_by_label(re.compile(r"^Being piloted")).check()
    expect(page.locator("#result-count")).to_contain_text("1 innovation match “text”")
    expect(page).to_have_url(re.compile(r"stage=pilot"))
    expect(page.get_by_label(re.compile(r"^Being piloted"))).to_be_focused()  # the swap kept their place
    axe_check(page)
    page.get_by_label(re.compile(r"^Being piloted")).uncheck()
    expect(page.locator("#result-count")).to_contain_text("2 innovations match “text”")
    expect(page.get_by_label(re.compile(r"^Being piloted"))).to_be_visible()  # unticking did not fold it away
    axe_check(page)
    page.get_by_label(re.compile(r"^Being piloted")).check()
    expect(page.locator("#result-count")).to_contain_text("1 innovation match “text”")
    assert result_titles(page) == ["Telehealth by text message"]
    axe_check(page)

    page.get_by_role("link", name="Telehealth by text message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Telehealth by text message")
    axe_check(page)


def test_a_patient_raises_a_need_from_a_phone_and_another_member_supports_it(phone_page: Page,
                                                                              open_page: Any) -> None:
    page = phone_page
    wessex = Network.objects.get(slug="wessex")
    patient = member(wessex, "patients-public").person
    nurse = member(wessex, "nhs").person

    sign_in(page, email=patient.user.email, password=PASSWORD)
    page.goto("/wessex/needs/")
    axe_check(page)
    page.get_by_role("link", name="Tell us about a need").click()
    expect(page).to_have_url(re.compile(r"/wessex/needs/raise/$"))
    axe_check(page)

    # Sending it empty explains what is missing, at the top and on the field.
    page.get_by_role("button", name="Publish this need").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Give your need a short title.")
    axe_check(page)

    page.get_by_label("What is the problem, in a few words?").fill("I tell Mum's story again at every appointment")
    page.get_by_label("Tell us more").fill(
        "Mum has dementia. Every new nurse asks the same questions and she gets upset. "
        "A record we carry that staff can read would help."
    )
    page.get_by_label("Who does this affect? (optional)").fill("Carers of people with dementia")
    page.get_by_label("Roughly how many people? (optional)").fill("800")
    page.get_by_label("What is it about? (optional)").select_option(label="Dementia")
    page.get_by_role("button", name="Publish this need").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("I tell Mum's story again at every appointment")
    axe_check(page)
    challenge = Challenge.objects.get(network=wessex)
    assert challenge.raised_by == patient
    assert challenge.raiser_constituency.slug == "patients-public"
    assert challenge.people_affected == 800
    expect(page.locator("main")).to_contain_text("A member of Patients and public")
    expect(page.locator("#support-total")).to_have_text("0")

    # Another member, a nurse on a desktop, supports it: the NHS row goes up by one, in place.
    desk = open_page(DESKTOP)
    sign_in(desk, email=nurse.user.email, password=PASSWORD)
    desk.goto(challenge.get_absolute_url())
    axe_check(desk)
    nhs_row = desk.locator('#support-counts tr[data-constituency="nhs"] [data-supporters]')
    expect(nhs_row).to_have_text("0")
    desk.get_by_role("button", name="Support this need").click()
    expect(desk.locator("#support-panel")).to_contain_text("You support this need.")
    expect(nhs_row).to_have_text("1")
    expect(desk.locator("#support-total")).to_have_text("1")
    axe_check(desk)
    assert ChallengeSupport.objects.filter(challenge=challenge, person=nurse).exists()

    # The patient sees the support counted when they look again.
    page.reload()
    axe_check(page)
    expect(page.locator("#support-total")).to_have_text("1")
    expect(page.locator('#support-counts tr[data-constituency="nhs"] [data-supporters]')).to_have_text("1")
    expect(page.locator('#support-counts tr[data-constituency="patients-public"] [data-supporters]')).to_have_text("0")


def test_a_facilitator_sees_ranked_matches_with_reasons_and_brokers_an_introduction(page: Page) -> None:
    items = small_atlas()
    wessex = Network.objects.get(slug="wessex")
    facilitator = member(wessex, "nhs", role=Role.FACILITATOR).person
    patient = member(wessex, "patients-public").person
    need = challenges.challenge_raise(
        network=wessex, actor=patient, title="Teenagers cannot reach the school nurse",
        description="Pupils are too embarrassed to queue outside the nurse's office; they would text instead.",
        care_setting="schools", clinical_area="children",
    )

    sign_in(page, email=facilitator.user.email, password=PASSWORD)
    page.goto("/wessex/facilitate/exchange/")
    axe_check(page)
    expect(page.locator("#needs-without-offers")).to_contain_text(need.title)
    page.locator("#needs-without-offers").get_by_role("link", name=need.title).click()
    axe_check(page)

    matches = page.locator("#possible-innovations > li")
    expect(matches.first).to_contain_text("School nurse texting")  # the best match comes first
    reasons = matches.first.locator("[data-matched-on]")
    expect(reasons).to_contain_text("care setting")
    expect(reasons).to_contain_text("Children and young people")

    matches.first.get_by_role("button", name=re.compile(r"Propose an introduction")).click()
    expect(page).to_have_url(re.compile(r"/wessex/exchange/introductions/\d+/$"))
    axe_check(page)
    expect(page.locator("#introduction-status")).to_have_text("Proposed")
    expect(page.locator("main")).not_to_contain_text("{%")
    introduction = Introduction.objects.get()
    assert (introduction.challenge, introduction.innovation) == (need, items["texting"])

    reason = page.get_by_label("If it was declined, why?")
    expect(reason).to_be_hidden()  # asked for only when "Declined" is chosen
    page.get_by_label("Declined", exact=True).check()
    expect(reason).to_be_visible()
    page.get_by_label("Introduced", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#introduction-status")).to_have_text("Introduced")
    axe_check(page)
    expect(page.locator("#status-history")).to_contain_text("ntroduced")
    introduction.refresh_from_db()
    assert introduction.status == "introduced"

    page.goto("/wessex/facilitate/exchange/")
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Every open need has an offer or an introduction.")
    row = page.locator("#recent-introductions tbody tr").filter(has_text="School nurse texting")
    expect(row).to_contain_text(need.title)
    expect(row).to_contain_text("Introduced")
