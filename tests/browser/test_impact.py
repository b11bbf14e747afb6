"""Impact by whose measure: a patient proposes a measure, the patients' partner group weights it, values arrive
(a facilitator's CSV file and anonymous answers to the phone survey), and the report and its SPC chart show the
signal.

Set IMPACT_SHOTS=/some/dir to also save phone and desktop screenshots of each main page (to look at them)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from innovatorium.factories import PASSWORD, member
from innovatorium.impact import services
from innovatorium.impact.models import Measure, Observation, ObservationSource, SurveyResponse
from innovatorium.impact.tests.conftest import SHIFT, series_csv
from tests.browser.support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("IMPACT_SHOTS")


def _shot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    total = page.evaluate("() => document.documentElement.scrollHeight")
    for number, top in enumerate(range(0, min(total, 4 * height), height), start=1):
        clip = {"x": 0, "y": top, "width": width, "height": min(height, total - top)}
        page.screenshot(path=f"{SHOTS}/{name}-{width}-part{number}.png", full_page=True, clip=clip)


def test_a_patients_measure_is_weighted_fed_by_a_phone_survey_and_its_chart_shows_the_signal(
    phone_page: Page, open_page: Any, network: Any, patient: Any, facilitator: Any, tmp_path: Path,
) -> None:
    # A patient, on a phone, proposes what success means to them.
    # The live server's first pages (static files, template compilation) can take over 10 s on a busy machine.
    phone_page.context.set_default_timeout(30_000)
    sign_in(phone_page, email=patient.user.email, password=PASSWORD)
    phone_page.goto(f"/{network.slug}/impact/")
    axe_check(phone_page)
    expect(phone_page.get_by_text("No measures have been proposed")).to_be_visible()
    phone_page.get_by_role("link", name="Propose a measure").click()
    axe_check(phone_page)
    phone_page.get_by_label("Name of the measure").fill("I felt listened to")
    phone_page.get_by_label("What is counted, and how").fill("The average answer each month, 1 to 5.")
    phone_page.get_by_label("Unit").fill("score out of 5")
    phone_page.get_by_label("Higher is better").check()
    phone_page.get_by_label("Where the numbers come from").fill("Our own one-question survey")
    phone_page.get_by_label("Target (optional)").fill("4")
    phone_page.get_by_label("A 1 to 5 scale").check()
    phone_page.get_by_label("The survey question (if there is a survey)").fill("How well did the staff listen to you?")
    phone_page.get_by_label("Anyone may answer the survey without an account").check()
    _shot(phone_page, "propose")
    phone_page.get_by_role("button", name="Propose the measure").click()
    measure = Measure.objects.get()
    expect(phone_page).to_have_url(re.compile(re.escape(measure.get_absolute_url()) + "$"))
    axe_check(phone_page)
    assert measure.proposed_by_constituency.slug == "patients-public" and measure.survey_open

    # The patients' partner group weights it: this patient on the page, two more members by their own votes.
    phone_page.locator("#weigh-form").get_by_label("9", exact=True).check()
    phone_page.get_by_role("button", name="Save my weight").click()
    axe_check(phone_page)
    expect(phone_page.get_by_text("Your weight is 9")).to_be_visible()
    for weight in (8, 10):
        services.weight_cast(measure=measure, actor=member(network, "patients-public").person, weight=weight)
    services.weight_cast(measure=measure, actor=facilitator, weight=3)  # the NHS sees it differently

    # Values arrive: twenty months from the survey team's spreadsheet, imported by a facilitator on a laptop...
    desk = open_page(DESKTOP)
    sign_in(desk, email=facilitator.user.email, password=PASSWORD)
    desk.goto(measure.get_absolute_url())
    axe_check(desk)
    desk.get_by_role("link", name="Import values from a CSV file").click()
    axe_check(desk)
    bad = tmp_path / "bad.csv"
    bad.write_text("period,value\n2024-01,four\n")
    desk.get_by_label("CSV file").set_input_files(str(bad))
    desk.get_by_role("button", name="Import the file").click()
    axe_check(desk)
    expect(desk.locator("#problems")).to_contain_text("is not a number")
    good = tmp_path / "values.csv"
    good.write_text(series_csv(SHIFT))
    desk.get_by_label("CSV file").set_input_files(str(good))
    desk.get_by_role("button", name="Import the file").click()
    axe_check(desk)
    expect(desk.get_by_text("20 months imported")).to_be_visible()

    # ...and this month's answers from people's phones, without an account.
    for score in ("5", "4"):
        visitor = open_page(PHONE)
        visitor.goto(f"{measure.get_absolute_url()}survey/")
        axe_check(visitor)
        expect(visitor.get_by_role("heading", name="How well did the staff listen to you?")).to_be_visible()
        visitor.get_by_label(re.compile(rf"^{score}")).check()
        visitor.get_by_label("Anything you would like to add?").fill("Kind and unhurried.")
        _shot(visitor, "survey")
        visitor.get_by_role("button", name="Send my answer").click()
        axe_check(visitor)
        expect(visitor.get_by_role("heading", name="Thank you")).to_be_visible()
    this_month = Observation.objects.get(measure=measure, source=ObservationSource.SURVEY)
    assert this_month.responses == 2 and SurveyResponse.objects.count() == 2

    # The report shows the signal, in words and on the chart, and where the partner groups differ.
    desk.goto(f"/{network.slug}/impact/")
    axe_check(desk)
    row = desk.locator('[data-measure="i-felt-listened-to"]')
    expect(row).to_contain_text("Improving (higher)")
    expect(desk.locator("#differ")).to_contain_text("matters more to Patients and public (weight 9) than to NHS")
    expect(desk.locator("#group-views")).to_contain_text("Patients and public sees clear improvement")
    _shot(desk, "report")
    row.get_by_role("link", name="I felt listened to").click()
    axe_check(desk)
    chart = desk.locator("#spc-chart")
    expect(chart).to_be_visible()
    assert desk.evaluate("() => document.getElementById('spc-chart').naturalWidth") > 0
    desk.get_by_text(re.compile(r"Show all \d+ months")).click()
    expect(desk.locator("#values [data-special='improvement']").first).to_be_visible()
    expect(desk.locator("#chart-caption")).to_contain_text("run on one side of the mean")
    assert "Kind and unhurried" not in desk.content()  # survey comments are never public
    _shot(desk, "measure")
    svg = desk.request.get(f"{measure.get_absolute_url()}chart.svg").text()
    assert "Special cause: improvement" in svg

    # The patient sees the same on the phone, chart and table.
    phone_page.goto(f"/{network.slug}/impact/")
    axe_check(phone_page)
    _shot(phone_page, "report")
    phone_page.goto(measure.get_absolute_url())
    axe_check(phone_page)
    _shot(phone_page, "measure")
