"""A site administrator reads server commands, a wrong two-factor code and a blocked sign-in in the audit log,
on a phone and at a desk: who ran each command, whether it worked, and nothing secret."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from innovatorium.audit.models import AuditEvent, EventKind
from innovatorium.audit.services import record_command
from innovatorium.factories import PASSWORD, member
from innovatorium.networks.models import Network
from tests.browser.support import DESKTOP, PHONE, axe_check, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = "/tmp/shots"  # noqa: S108 - screenshots to look at, not test data


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_site_admin_reads_server_commands_and_blocked_sign_ins(open_page: Callable[..., Page], viewport) -> None:  # noqa: ANN001
    cache.clear()
    network = Network.objects.get(slug="wessex")
    admin = member(network, "nhs").person
    admin.user.is_superuser = True
    admin.user.save()
    record_command(name="import_ods", options=["<file>", "--layout", "--network"], os_user="deploy",
                   succeeded=True, started_at=timezone.now(), seconds=12.31, network_slug=network.slug)
    record_command(name="import_adoptions", options=["<file>"], os_user="deploy", succeeded=False,
                   failure="CommandError", started_at=timezone.now(), seconds=0.84)
    AuditEvent.objects.create(kind=EventKind.SIGN_IN_FAILED, person=admin, detail="wrong authentication code",
                              method="POST", path="/accounts/2fa/authenticate/", ip_address="198.51.100.4")
    Client().post("/accounts/login/", {"login": "nobody@example.org", "password": "wrong"})

    page = open_page(viewport)
    sign_in(page, email=admin.user.email, password=PASSWORD)
    page.goto("/facilitate/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    axe_check(page)
    table = page.locator("table")
    expect(table).to_contain_text("Server command")
    expect(table).to_contain_text("manage.py import_ods <file> --layout --network")
    expect(table).to_contain_text("OS user deploy")
    expect(table).to_contain_text("stopped by CommandError")
    expect(table).to_contain_text("wrong authentication code")
    page.screenshot(path=f"{SHOTS}/audit-commands-{viewport['width']}.png", full_page=True)

    page.get_by_text("Filter the log").click()
    page.get_by_label("What happened").select_option("command")
    page.get_by_role("button", name="Show matching entries").click()
    axe_check(page)
    expect(page.locator("caption")).to_have_text(re.compile(r"2 entries matching the filters"))
    expect(table).to_contain_text("Succeeded")
    expect(table).to_contain_text("Failed")
    expect(table).not_to_contain_text("Signed in")
