"""The national dashboard: a visitor on a phone follows a figure to the records behind it; a facilitator on a laptop
reports a figure (after a mistake the form explains), imports a file that is refused line by line, and withdraws a
figure."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from innovatorium.atlas import services as atlas_services
from innovatorium.dashboard import services
from innovatorium.dashboard.models import ReportedFigure
from innovatorium.factories import PASSWORD
from tests.browser.support import DESKTOP, axe_check, sign_in

pytestmark = pytest.mark.browser


def test_a_visitor_on_a_phone_follows_a_figure_to_its_sources(phone_page: Page, network: Any,
                                                              facilitator: Any) -> None:
    innovation = atlas_services.innovation_create(network=network, actor=facilitator, name="Virtual ward kit",
                                                  summary="Monitoring at home.", innovation_type="digital")
    atlas_services.innovation_publish(innovation=innovation, actor=facilitator)
    services.reported_figure_add(network=network, actor=facilitator, kind="investment", amount="1250000",
                                 period_start="2024-04-01", period_end="2025-03-31", innovation=innovation,
                                 source="Company accounts 2024/25, note 7")
    page = phone_page
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="national dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("National dashboard")
    axe_check(page)
    expect(page.locator("#figure-investment")).to_contain_text("£1,250,000")
    expect(page.locator("#figure-investment")).to_contain_text("Summed as reported, not audited")

    page.locator("#league-1").get_by_role("link", name=network.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    axe_check(page)
    page.locator("#figure-investment").get_by_role("link", name=re.compile("Records")).click()
    axe_check(page)
    expect(page.locator("#reported-figures")).to_contain_text("Company accounts 2024/25, note 7")
    expect(page.locator("#reported-figures")).to_contain_text("Virtual ward kit")
    _shot(page, "dashboard-reported-375")


def test_a_facilitator_reports_imports_and_withdraws_figures(open_page: Any, network: Any, facilitator: Any) -> None:
    page = open_page(DESKTOP)
    sign_in(page, email=facilitator.user.email, password=PASSWORD)
    page.goto(f"/{network.slug}/dashboard/")
    axe_check(page)
    page.get_by_role("link", name="report investment or jobs").click()
    axe_check(page)
    page.get_by_label("What the figure is").select_option("jobs")
    page.get_by_label("Amount").fill("three")
    page.get_by_label("Period from").fill("2024-04-01")
    page.get_by_label("Period to").fill("2025-03-31")
    page.get_by_label("Source", exact=True).fill("Company accounts 2024/25")
    page.get_by_role("button", name="Report the figure").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The amount must be a number")
    axe_check(page)
    page.get_by_label("Amount").fill("2.5")
    page.get_by_role("button", name="Report the figure").click()
    expect(page.locator("#reported-figures")).to_contain_text("2.5 jobs")
    axe_check(page)

    page.get_by_role("link", name="Import from a CSV file").click()
    axe_check(page)
    page.get_by_label("CSV file").set_input_files(files=[{
        "name": "figures.csv", "mimeType": "text/csv",
        "buffer": b"kind,amount,period_start,period_end,source\ninvestment,lots,2024-04-01,2025-03-31,Accounts\n",
    }])
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-errors")).to_contain_text("line 2, column “amount”")
    axe_check(page)
    assert ReportedFigure.objects.count() == 1

    page.goto(f"/{network.slug}/dashboard/reported/")
    axe_check(page)
    page.get_by_role("link", name="Withdraw this figure").click()
    axe_check(page)
    page.get_by_label("Why is this figure withdrawn?").fill("Replaced by the audited figure")
    page.get_by_role("button", name="Withdraw the figure").click()
    expect(page.locator("#reported-figures")).to_contain_text("Withdrawn")
    axe_check(page)
    _shot(page, "dashboard-withdrawn-1280")


def _shot(page: Page, name: str) -> None:
    """Save a full-page screenshot when SCREENSHOTS_DIR is set (to look at the pages as users see them)."""
    import os

    folder = os.environ.get("SCREENSHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
