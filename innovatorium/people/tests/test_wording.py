"""allauth's pages speak in the NHS.UK content style, through our en-GB message catalogue."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import allauth
import pytest
from django.urls import reverse

import innovatorium.people

CATALOGUE = Path(innovatorium.people.__file__).parent / "locale" / "en_GB" / "LC_MESSAGES"
ALLAUTH_CATALOGUE = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _messages(po: Path) -> dict[str, str]:
    """msgid → msgstr from a .po file (single-form entries; enough for these catalogues)."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    field = None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
        if match:
            field = match.group(1)
            if field in {"msgid", "msgctxt"} and "msgid" in current:
                entries.setdefault(current["msgid"], current.get("msgstr", ""))
                current = {}
            current[field] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
    if "msgid" in current:
        entries.setdefault(current["msgid"], current.get("msgstr", ""))
    entries.pop("", None)
    return entries


def test_every_reworded_message_is_still_one_allauth_uses():
    ours = _messages(CATALOGUE / "django.po")
    theirs = _messages(ALLAUTH_CATALOGUE)
    assert len(ours) > 40
    assert set(ours) - set(theirs) == set(), "allauth renamed these: update django.po"


def test_the_compiled_catalogue_matches_its_source():
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    compiled = {k: v for k, v in compiled.items() if k}
    assert compiled == _messages(CATALOGUE / "django.po"), "run msgfmt -o django.mo django.po"


@pytest.mark.parametrize(
    ("url_name", "heading", "button"),
    [
        ("account_login", "Sign in", "Sign in"),
        ("account_signup", "Create an account", "Create an account"),
        ("account_reset_password", "Reset your password", "Send me the link"),
    ],
)
def test_entrance_pages_use_sentence_case(client, db, url_name, heading, button):
    html = client.get(reverse(url_name)).content.decode()
    assert re.search(rf"<h1[^>]*>\s*{heading}\s*</h1>", html)
    assert re.search(rf'<button class="nhsuk-button"[^>]*>\s*{button}\s*</button>', html)
    assert f"<title>{heading} – Innovatorium</title>" in html


def test_the_reset_page_does_not_promise_an_account_exists(client, db):
    html = client.get(reverse("account_reset_password_done")).content.decode()
    assert "If that email address belongs to an account" in html
