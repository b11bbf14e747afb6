"""A network admin reads the audit log on a phone and at a desk: a failed sign-in, their own sign-in and a
facilitator's action are there, in UTC, and the filters narrow it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from innovatorium.factories import PASSWORD, member
from innovatorium.networks.models import Network
from innovatorium.people.models import Role, Verification
from tests.browser.support import DESKTOP, PHONE, TIMEOUT_MS, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = "/tmp/shots"  # noqa: S108 - screenshots to look at, not test data


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_admin_reads_and_filters_the_audit_log(open_page: Callable[..., Page], viewport) -> None:  # noqa: ANN001
    network = Network.objects.get(slug="wessex")
    admin = member(network, "nhs", role=Role.ADMIN).person
    # A facilitator confirms a member (a staff action) and a member tries a staff page (a refusal).
    facilitator = member(network, "nhs", role=Role.FACILITATOR).person
    waiting = member(network, "nhs", verification=Verification.PENDING)
    staff = Client()
    staff.force_login(facilitator.user)
    staff.post(f"/wessex/facilitate/verifications/{waiting.pk}/", {"decision": "approve", "note": ""})
    outsider = Client()
    outsider.force_login(member(network, "patients-public").person.user)
    outsider.get("/wessex/facilitate/members/")
    page = open_page(viewport)
    page.set_default_timeout(60_000)
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(admin.user.email)
    page.locator("input[name=password]").fill("not-the-password")
    page.locator("main").get_by_role("button", name=re.compile(r"^\s*sign in\s*$", re.IGNORECASE)).click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    sign_in(page, email=admin.user.email, password=PASSWORD)
    page.set_default_timeout(TIMEOUT_MS)

    page.goto("/facilitate/")
    axe_check(page)
    page.get_by_role("link", name=re.compile("Audit log")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    axe_check(page)
    page.screenshot(path=f"{SHOTS}/audit-{viewport['width']}.png", full_page=True)

    page.get_by_text("Filter the log").click()
    page.get_by_label("Network").select_option("wessex")
    page.get_by_role("button", name="Show matching entries").click()
    axe_check(page)
    # The network admin sees their network's events only; sign-ins are for site administrators.
    expect(page.get_by_text("Sign-ins are seen only by site administrators")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Staff action")
    expect(page.locator("table")).to_contain_text("networks.facilitate_network")
    expect(page.locator("table")).not_to_contain_text("Failed sign-in")
    page.screenshot(path=f"{SHOTS}/audit-filtered-{viewport['width']}.png", full_page=True)

    page.get_by_label("From (UTC day)").fill("2026-11-20")
    page.get_by_label("To (UTC day)").fill("2026-11-01")
    page.get_by_role("button", name="Show matching entries").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The end date must be the same as or after")
    axe_check(page)
