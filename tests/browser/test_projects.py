"""A project from a patient's need to a co-designed prototype, tested with people, with a contribution logged."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innovatorium.challenges import services as challenges
from innovatorium.factories import PASSWORD
from innovatorium.projects import services as projects
from innovatorium.projects.models import Contribution, ParticipantProfile, Project
from tests.browser.support import DESKTOP, axe_check, sign_in

pytestmark = pytest.mark.browser


def test_a_project_goes_from_a_patients_need_to_a_tested_prototype_and_a_logged_contribution(
    phone_page: Page, open_page: Any, network: Any, patient: Any, facilitator: Any,
) -> None:
    need = challenges.challenge_raise(
        network=network, actor=patient, title="Telling my husband's story at every appointment",
        description="Every new professional asks me to start again.",
    )
    today = timezone.localdate().isoformat()

    # A facilitator, on a laptop, starts a project from the need and runs it.
    desk = open_page(DESKTOP)
    sign_in(desk, email=facilitator.user.email, password=PASSWORD)
    desk.goto(f"/{network.slug}/projects/")
    axe_check(desk)
    desk.get_by_role("link", name="Start a project").click()
    axe_check(desk)
    desk.get_by_label("Project title").fill("A carer-held record")
    desk.get_by_label("Summary").fill("One record the carer holds and every professional reads.")
    desk.get_by_label("The need it starts from").select_option(need.slug)
    desk.get_by_role("button", name="Start project").click()
    project = Project.objects.get()
    expect(desk).to_have_url(re.compile(re.escape(project.get_absolute_url()) + "$"))
    axe_check(desk)

    desk.get_by_role("link", name="Add a team member").click()
    axe_check(desk)
    desk.get_by_label("Member").select_option(str(patient.pk))
    desk.get_by_label("Role in the project").fill("Carer partner")
    desk.get_by_label("How deeply are they involved?").select_option(label="Co-produce")
    desk.get_by_label("Their involvement is paid").check()
    desk.get_by_label("Hourly rate in pounds (if paid)").fill("25")
    desk.get_by_role("button", name="Add to the team").click()
    axe_check(desk)
    expect(desk.locator("#team")).to_contain_text("Co-produce")

    # The facilitator puts the project in the network's dementia programme from the edit form.
    programme = projects.programme_create(network=network, actor=facilitator, name="Dementia")
    desk.get_by_role("link", name="Edit the project").click()
    axe_check(desk)
    desk.get_by_label("Programme (optional)").select_option(programme.slug)
    desk.get_by_role("button", name="Save changes").click()
    axe_check(desk)
    expect(desk.get_by_role("link", name="Dementia")).to_be_visible()

    desk.get_by_role("link", name="Record a prototype iteration").click()
    axe_check(desk)
    desk.get_by_label("Name of this version").fill("Paper prototype")
    desk.get_by_label("What changed").fill("A one-page summary the carer keeps in a plastic wallet.")
    desk.get_by_label("Why it changed").fill("The carer partner said apps get forgotten in a crisis.")
    desk.get_by_label("Date").fill(today)
    desk.get_by_role("button", name="Record iteration").click()
    axe_check(desk)

    desk.get_by_role("link", name="Record a user test").click()
    axe_check(desk)
    desk.get_by_label("What was tested").fill("Whether a paramedic can read it in a minute")
    desk.get_by_label("Version tested (optional)").select_option("1")
    desk.get_by_label("Date of the test").fill(today)
    desk.get_by_label("Patients and public").fill("6")
    desk.get_by_label("NHS", exact=True).fill("3")
    desk.get_by_label("What you found").fill("All nine found the medicines list; two wanted a photo.")
    desk.get_by_role("button", name="Record user test").click()
    axe_check(desk)
    expect(desk.locator("#timeline")).to_contain_text("With 9 people")

    # The carer partner, on a phone, logs the time they gave; a slip is refused first.
    page = phone_page
    sign_in(page, email=patient.user.email, password=PASSWORD)
    page.goto(project.get_absolute_url())
    axe_check(page)
    page.get_by_role("link", name="Log a contribution").click()
    axe_check(page)
    page.get_by_label("What did you give?").select_option("time")
    page.get_by_label("How much?").fill("30")
    page.get_by_label("When?").fill(today)
    page.get_by_label("What did you do or give?").fill("Ran the user test with my carers' group")
    page.get_by_role("button", name="Log contribution").click()
    axe_check(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("24 hours")
    page.get_by_label("How much?").fill("3")
    page.get_by_role("button", name="Log contribution").click()
    expect(page).to_have_url(re.compile(re.escape(project.get_absolute_url()) + "$"))
    axe_check(page)
    expect(page.locator("#timeline")).to_contain_text("Ran the user test with my carers' group")
    expect(page.locator("#team [data-hours]")).to_have_text("3")
    assert Contribution.objects.get().agreed_value == 75

    # Everyone can follow the story from the need.
    page.get_by_role("link", name=need.title).click()
    axe_check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(need.title)

    # The carer tells the network about herself, privately, from her account.
    page.goto("/me/")
    axe_check(page)
    page.get_by_role("link", name="Tell us about yourself").click()
    axe_check(page)
    page.get_by_label("75 or over").check()
    page.get_by_label("White", exact=True).check()
    page.get_by_label("Yes, limited a little").check()
    page.get_by_label("The first part of your home postcode").fill("CB4 1AA")
    page.get_by_role("button", name="Save my answers").click()
    axe_check(page)
    profile = ParticipantProfile.objects.get(person=patient)
    assert (profile.age_band, profile.postcode_district) == ("75+", "CB4")

    # The project, its patient partner and her paid hours are in the network's involvement report, and the
    # programme page; her own answers are not shown (one person is fewer than 5).
    page.goto(f"/{network.slug}/what-we-do/")
    axe_check(page)
    expect(page.locator("#project-table")).to_contain_text("A carer-held record")
    expect(page.locator("#headline")).to_contain_text("1 of 1 team place (100%)")
    expect(page.locator("#paid-hours")).to_contain_text("3 hours")
    expect(page.locator("#who-summary")).to_contain_text("Fewer than 5 of them have told us")
    page.goto(programme.get_absolute_url())
    axe_check(page)
    expect(page.get_by_role("link", name="A carer-held record")).to_be_visible()
