"""The adoption register through its pages: a facilitator imports an ODS file, populations and an adoption file,
and the innovation's spread, Bass forecast and equity table update; a visitor reads them on a phone."""

from __future__ import annotations

import datetime as dt
import math
import os
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from innovatorium.atlas import services as atlas
from innovatorium.factories import PASSWORD
from tests.browser.support import DESKTOP, axe_check, sign_in

pytestmark = pytest.mark.browser
PRACTICES = 30


def _ods_practices() -> bytes:
    """An epraccur-layout file as published: no header, the ICB in column 4, dates as YYYYMMDD."""
    rows = [f"A8{i:04d},Practice {i} Surgery,Y63,QHM,{i} High Street,,,,,TS1{i % 9} 1AA,19740401,,A,4,,20130401,,"
            f"01642 000{i:03d},,,,,,,,4," for i in range(PRACTICES)]
    return ("\n".join(rows) + "\n").encode()


def _populations() -> bytes:
    rows = [f"A8{i:04d},{5000 + 100 * i},{i % 10 + 1}" for i in range(PRACTICES)]
    return ("ods_code,population,imd_decile\n" + "\n".join(rows) + "\n").encode()


def _adoptions(slug: str) -> bytes:
    """Sites adopting along a Bass S-curve (p 0.03, q 0.9 a year) from six years ago (the last about a year ago)."""
    start = timezone.localdate() - dt.timedelta(days=6 * 365)
    p, q = 0.03, 0.9
    rows = []
    for i in range(PRACTICES - 6):  # six practices have not adopted
        u = (i + 0.5) / PRACTICES
        years = -math.log((1 - u) / (1 + q / p * u)) / (p + q)
        rows.append(f"A8{i:04d},{slug},adopted,{start + dt.timedelta(days=round(years * 365.25))},Bass demo")
    return ("ods_code,innovation,status,date,source\n" + "\n".join(rows) + "\n").encode()


def _shot(page: Page, name: str) -> None:
    """ADOPTION_SHOTS=DIR saves full-page screenshots, to look at the pages as people see them."""
    if out := os.environ.get("ADOPTION_SHOTS"):
        page.screenshot(path=f"{out}/{name}-{page.viewport_size['width']}.png", full_page=True)


def _upload(page: Page, network_slug: str, kind: str, name: str, data: bytes) -> None:
    page.goto(f"/{network_slug}/facilitate/spread/import/")
    axe_check(page)
    page.get_by_label("What the file holds").select_option(kind)
    page.get_by_label("CSV file").set_input_files({"name": name, "mimeType": "text/csv", "buffer": data})
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Imported")
    axe_check(page)


def test_a_facilitator_imports_sites_and_adoptions_and_the_spread_forecast_and_equity_update(
    open_page: Any, phone_page: Page, network: Any, facilitator: Any,
) -> None:
    innovation = atlas.innovation_create(network=network, actor=facilitator, name="Virtual ward kit",
                                         summary="Monitoring at home.", innovation_type="digital")
    atlas.innovation_publish(innovation=innovation, actor=facilitator)
    spread_url = f"/{network.slug}/spread/{innovation.slug}/"

    desk = open_page(DESKTOP)
    sign_in(desk, email=facilitator.user.email, password=PASSWORD)
    desk.goto(f"/{network.slug}/spread/")
    axe_check(desk)
    desk.get_by_role("link", name="Import sites, populations or adoption records").click()
    axe_check(desk)

    # a file in the wrong layout is refused with its line, and nothing is written
    desk.get_by_label("What the file holds").select_option("gp_practices")
    desk.get_by_label("CSV file").set_input_files({"name": "x.csv", "mimeType": "text/csv",
                                                   "buffer": b"code,name\nA81001,Surgery\n"})
    desk.get_by_role("button", name="Import").click()
    expect(desk.locator("#import-errors")).to_contain_text("line 1")
    axe_check(desk)

    _upload(desk, network.slug, "gp_practices", "epraccur.csv", _ods_practices())
    _upload(desk, network.slug, "populations", "populations.csv", _populations())

    desk.goto(spread_url)
    axe_check(desk)
    expect(desk.locator("#figure-sites")).to_have_text("0")
    expect(desk.locator("main")).to_contain_text("No site has adopted it yet")

    _upload(desk, network.slug, "adoptions", "adoptions.csv", _adoptions(f"{network.slug}/{innovation.slug}"))

    desk.goto(spread_url)
    axe_check(desk)
    expect(desk.locator("#figure-sites")).to_have_text(str(PRACTICES - 6))
    expect(desk.locator("#spread-table")).to_be_visible()
    expect(desk.locator("#bass-forecast")).to_contain_text("Bass forecast")
    expect(desk.locator("#equity-table")).to_contain_text("%")
    expect(desk.locator("#arrivals-table")).to_contain_text(network.name)
    assert desk.locator("#spread-chart").evaluate("img => img.naturalWidth") > 0
    _shot(desk, "innovation")
    desk.goto("/spread/")
    axe_check(desk)
    _shot(desk, "national")

    # anyone, on a phone, sees the same
    phone_page.goto(spread_url)
    axe_check(phone_page)
    expect(phone_page.locator("#bass-forecast")).to_contain_text("Bass forecast")
    expect(phone_page.locator("#equity-table")).to_be_visible()
    _shot(phone_page, "innovation")
    phone_page.goto("/spread/")
    axe_check(phone_page)
    expect(phone_page.locator("#figure-sites")).to_have_text(str(PRACTICES - 6))
    _shot(phone_page, "national")
