"""Sentinel values planted in personal fields, and a scanner that finds any of them in text.

Every planted value contains SENTINEL (case-insensitive), except the postcode district, which is too short:
it is POSTCODE, chosen with "O" and "0" so it can never appear inside a pseudonym or a hex hash.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

SENTINEL = "zqsentinel"
POSTCODE = "QO0Z"
CONSENTED = "zqconsented"  # names of people who agreed to be shown: the positive control

_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"|csrftoken=[^;\s]*')


def name(pk: int) -> str:
    return f"Zqsentinel Name{pk}"


def email(pk: int) -> str:
    return f"zqsentinel-mail{pk}@example.org"


def text(what: str, pk: int) -> str:
    return f"{SENTINEL} {what} of person {pk}: step-free access, BSL interpreter"


def response_texts(body: bytes, content_type: str) -> Iterable[str]:
    """The text to scan in a response: the body, or every file in a zip."""
    if content_type.startswith("application/zip") or body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for member in archive.namelist():
                yield archive.read(member).decode("utf-8", errors="replace")
        return
    if content_type.startswith(("image/png", "image/jpeg")):
        return
    yield body.decode("utf-8", errors="replace")


def leaks(text_: str) -> list[str]:
    """Every sentinel found, with a little context."""
    text_ = _CSRF.sub("", text_)
    found = []
    lower = text_.lower()
    for needle, haystack in ((SENTINEL, lower), (POSTCODE, text_)):
        start = 0
        while (i := haystack.find(needle, start)) != -1:
            found.append(text_[max(0, i - 60): i + 80].replace("\n", " "))
            start = i + 1
    return found
