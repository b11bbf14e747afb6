"""People's journeys through the site in a real browser; every page on the way is scanned for WCAG 2.2 AA.

The 15 seeded networks come from a data migration. Live-server tests run in transactions that end with a
flush, so `serialized_rollback` puts the seeded networks back before each test.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from innovatorium.factories import PASSWORD, OrganisationFactory, PersonFactory, member
from innovatorium.networks.models import Network
from innovatorium.people.models import Membership, Role, Verification
from innovatorium.people.services import membership_join
from tests.browser.support import axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def members_shown(page: Page, constituency_slug: str) -> int:
    """The member count the network page's table shows for one partner group."""
    cell = page.locator(f'#constituency-counts tr[data-constituency="{constituency_slug}"] [data-members]')
    return int(cell.inner_text().replace(",", ""))


def banner(page: Page) -> Locator:
    """The notification banner a page shows after an action ("You have joined …")."""
    return page.locator(".nhsuk-notification-banner")


def test_a_patient_on_a_phone_signs_up_joins_their_network_and_is_counted(phone_page: Page) -> None:
    page = phone_page
    page.goto("/")
    axe_check(page)

    page.get_by_role("link", name="Wessex", exact=True).click()
    expect(page).to_have_url(re.compile(r"/wessex/$"))
    axe_check(page)
    before = members_shown(page, "patients-public")

    # Signed out, joining asks you to sign in; the sign-in page offers an account and remembers the way back.
    page.get_by_role("link", name="Join Wessex").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=.*wessex"))
    axe_check(page)
    page.locator("main").get_by_role("link", name=re.compile(r"sign up|create an account", re.IGNORECASE)).click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/"))
    axe_check(page)

    page.locator("input[name=email]").fill("pat.carer@example.org")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile(r"sign up|create", re.IGNORECASE)).click()

    expect(page).to_have_url(re.compile(r"/wessex/join/$"))
    axe_check(page)
    page.get_by_label("Patients and public").check()
    page.get_by_role("button", name="Join Wessex").click()

    expect(page).to_have_url(re.compile(r"/wessex/$"))
    axe_check(page)
    expect(banner(page)).to_contain_text("You have joined Wessex as Patients and public")
    assert members_shown(page, "patients-public") == before + 1
    membership = Membership.objects.get(person__user__email="pat.carer@example.org")
    assert (membership.network.slug, membership.constituency.slug) == ("wessex", "patients-public")
    assert membership.verification == Verification.NOT_REQUIRED

    # Their account page lists the network they joined.
    page.get_by_role("link", name="My account").click()
    expect(page.get_by_role("heading", name="My account")).to_be_visible()
    axe_check(page)
    expect(page.locator("#memberships ~ dl")).to_contain_text("Wessex")


def test_a_facilitator_confirms_a_pending_nhs_member_who_is_then_counted_and_on_the_record(page: Page) -> None:
    network = Network.objects.get(slug="wessex")
    facilitator = member(network, "nhs", role=Role.FACILITATOR).person
    nurse = PersonFactory(display_name="Nadia Nurse")
    trust = OrganisationFactory(name="Wessex Hospitals NHS Trust", ods_code="RHM")
    pending = membership_join(
        person=nurse, network=network, constituency=network.constituencies.get(slug="nhs"), organisation=trust
    )
    unknown = membership_join(
        person=PersonFactory(display_name="Sam Seller"),
        network=network,
        constituency=network.constituencies.get(slug="industry"),
    )
    assert pending.verification == unknown.verification == Verification.PENDING

    page.goto("/wessex/")
    axe_check(page)
    nhs_before = members_shown(page, "nhs")

    sign_in(page, email=facilitator.user.email, password=PASSWORD)
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Facilitate").click()
    axe_check(page)
    page.get_by_role("link", name="Confirm members' partner groups").click()
    expect(page).to_have_url(re.compile(r"/wessex/facilitate/verifications/$"))
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Wessex Hospitals NHS Trust")

    page.get_by_role("button", name=re.compile(r"^Confirm\s+Nadia Nurse$")).click()
    expect(banner(page)).to_contain_text("Recorded your decision for")
    axe_check(page)
    pending.refresh_from_db()
    assert (pending.verification, pending.verified_by) == (Verification.VERIFIED, facilitator)

    # Not confirming someone needs a reason, which they will see; it sits behind "I cannot confirm this".
    page.get_by_text("I cannot confirm this").click()
    page.get_by_role("button", name=re.compile(r"^Cannot confirm\s+Sam Seller$")).click()
    expect(banner(page)).to_contain_text("Say why")
    axe_check(page)
    page.get_by_text("I cannot confirm this").click()
    page.get_by_label("Why you cannot confirm it").fill("No company given; please tell us which one.")
    page.get_by_role("button", name=re.compile(r"^Cannot confirm\s+Sam Seller$")).click()
    expect(banner(page)).to_contain_text("Recorded your decision for")
    axe_check(page)
    expect(page.locator("main")).to_contain_text("No one is waiting")
    unknown.refresh_from_db()
    assert unknown.verification == Verification.REJECTED
    assert unknown.verification_note == "No company given; please tell us which one."

    page.goto("/wessex/")
    axe_check(page)
    assert members_shown(page, "nhs") == nhs_before + 1

    # The network's public record shows the join and the confirmation, newest first, and filters by kind.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Record").click()
    expect(page).to_have_url(re.compile(r"/wessex/record/$"))
    axe_check(page)
    entries = page.locator("#record-entries tbody tr")
    expect(entries).to_have_count(4)
    expect(entries.nth(0)).to_contain_text("people.membership.rejected")
    expect(entries.nth(1)).to_contain_text("people.membership.verified")
    expect(entries.nth(2)).to_contain_text("people.membership.joined")

    page.get_by_label("Show only one kind of entry").select_option("people.membership.verified")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"action=people\.membership\.verified"))
    axe_check(page)
    expect(entries).to_have_count(1)

    page.get_by_role("link", name="Check the whole record now").click()
    axe_check(page)
    expect(page.locator("main")).to_contain_text("The record is intact")


def test_the_accessibility_check_catches_real_problems(page: Page) -> None:
    # An image without alt text and a button without a name: if axe were not really running, this would pass.
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(page)
    assert "image-alt" in str(failure.value)
    assert "button-name" in str(failure.value)


def test_the_other_pages_read_well_on_a_phone(phone_page: Page) -> None:
    # Every page a patient or facilitator might open on a phone, scanned and checked for sideways scrolling.
    page = phone_page
    network = Network.objects.get(slug="wessex")
    facilitator = member(network, "nhs", role=Role.FACILITATOR).person
    membership_join(
        person=PersonFactory(display_name="Nadia Nurse"),
        network=network,
        constituency=network.constituencies.get(slug="nhs"),
        organisation=OrganisationFactory(ods_code="RHM"),
    )
    for path in ["/about/privacy/", "/record/", "/record/verify/", "/wessex/record/"]:
        page.goto(path)
        axe_check(page)

    sign_in(page, email=facilitator.user.email, password=PASSWORD)
    for path in ["/wessex/", "/facilitate/", "/wessex/facilitate/verifications/", "/me/delete/"]:
        page.goto(path)
        axe_check(page)
    page.goto("/wessex/facilitate/constituencies/")
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"^Change\s+NHS$")).click()
    axe_check(page)
    # A mistake on a form is shown on the field and summarised at the top, and is still accessible.
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    axe_check(page)
