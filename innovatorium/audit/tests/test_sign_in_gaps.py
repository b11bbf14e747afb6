"""Failed sign-ins the auth signals do not report: a wrong two-factor code, and attempts refused by the
failed-attempts limit. Each is one "Failed sign-in" event pointing at the account, never holding the code,
the password or the address typed."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from innovatorium.audit.models import AuditEvent, EventKind
from innovatorium.audit.signals import WRONG_CODE
from innovatorium.audit.tests.rows import all_audit_text

SENTINEL_PASSWORD = "Sentinel-Pa55word-MFA-9K2W-never-stored"  # noqa: S105 - a test value that must never be stored
SENTINEL_CODE = "SENTINEL-CODE-Q4Z8"
BLOCKED = "blocked: too many failed attempts"


def _events(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind).order_by("id"))


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def staff_with_totp(facilitator):
    facilitator.user.set_password(SENTINEL_PASSWORD)
    facilitator.user.save()
    secret = generate_totp_secret()
    TOTP.activate(facilitator.user, secret)
    facilitator.totp_secret = secret
    return facilitator


def _password_step(client, person, password: str = SENTINEL_PASSWORD):  # noqa: ANN001, ANN202
    response = client.post(reverse("account_login"), {"login": person.user.email, "password": password},
                           REMOTE_ADDR="198.51.100.40")
    return response


# --- Two-factor codes -------------------------------------------------------------------------------


def test_the_right_password_then_a_wrong_code_is_a_failed_sign_in_without_the_code(client, staff_with_totp):
    response = _password_step(client, staff_with_totp)
    assert response["Location"].startswith(reverse("mfa_authenticate")), "the password step asks for the code"

    response = client.post(reverse("mfa_authenticate"), {"code": SENTINEL_CODE}, REMOTE_ADDR="198.51.100.40")

    assert response.status_code == 200, "the code page is shown again with its error"
    [event] = _events(EventKind.SIGN_IN_FAILED)
    assert event.person == staff_with_totp
    assert event.detail == WRONG_CODE
    assert event.ip_address == "198.51.100.40"
    assert event.view_name == "mfa_authenticate"
    assert _events(EventKind.SIGN_IN) == [], "the password alone did not sign them in"
    text = all_audit_text()
    assert SENTINEL_CODE not in text
    assert SENTINEL_PASSWORD not in text
    assert staff_with_totp.user.email not in text


def test_a_wrong_recovery_code_is_recorded_the_same_way(client, staff_with_totp):
    RecoveryCodes.activate(staff_with_totp.user)
    _password_step(client, staff_with_totp)

    client.post(reverse("mfa_authenticate"), {"code": "deadbeef"})

    [event] = _events(EventKind.SIGN_IN_FAILED)
    assert event.person == staff_with_totp and event.detail == WRONG_CODE
    assert "deadbeef" not in all_audit_text()


def test_a_correct_code_is_one_sign_in_and_nothing_else(client, staff_with_totp):
    _password_step(client, staff_with_totp)
    code = _current_code(staff_with_totp.totp_secret)

    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302
    assert list(AuditEvent.objects.values_list("kind", flat=True)) == [EventKind.SIGN_IN]
    assert AuditEvent.objects.get().person == staff_with_totp
    assert f" {code} " not in f" {all_audit_text()} "


def test_a_wrong_code_then_the_right_one_is_one_failure_then_one_sign_in(client, staff_with_totp):
    _password_step(client, staff_with_totp)
    client.post(reverse("mfa_authenticate"), {"code": SENTINEL_CODE})

    client.post(reverse("mfa_authenticate"), {"code": _current_code(staff_with_totp.totp_secret)})

    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [EventKind.SIGN_IN_FAILED, EventKind.SIGN_IN]


def test_a_wrong_code_when_confirming_identity_is_recorded_and_is_not_a_staff_action(client, staff_with_totp):
    client.force_login(staff_with_totp.user)
    signed_in = AuditEvent.objects.get(kind=EventKind.SIGN_IN)

    client.post(reverse("mfa_reauthenticate"), {"code": SENTINEL_CODE})

    [event] = AuditEvent.objects.exclude(pk=signed_in.pk)
    assert event.kind == EventKind.SIGN_IN_FAILED
    assert event.person == staff_with_totp
    assert event.detail == f"{WRONG_CODE} when confirming it is them"
    assert SENTINEL_CODE not in all_audit_text()


# --- The failed-attempts limit -----------------------------------------------------------------------


@pytest.fixture
def tight_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/5m/ip,3/5m/key"}


def test_a_sign_in_refused_by_the_failed_attempts_limit_is_recorded_against_the_account(
    client, patient, tight_limits,
):
    patient.user.set_password(SENTINEL_PASSWORD)
    patient.user.save()
    for attempt in range(3):
        client.post(reverse("account_login"), {"login": patient.user.email, "password": f"wrong-{attempt}"})

    # Even the right password is refused now.
    response = client.post(reverse("account_login"), {"login": patient.user.email, "password": SENTINEL_PASSWORD},
                           REMOTE_ADDR="203.0.113.77")

    assert response.status_code == 200
    assert "Too many failed attempts to sign in" in response.content.decode()
    failures = _events(EventKind.SIGN_IN_FAILED)
    assert [e.detail for e in failures] == ["wrong email or password"] * 3 + [BLOCKED]
    blocked = failures[-1]
    assert blocked.person == patient
    assert blocked.ip_address == "203.0.113.77"
    assert blocked.status_code is None, "the page answered 200, which would read as success"
    assert _events(EventKind.SIGN_IN) == []
    text = all_audit_text()
    assert SENTINEL_PASSWORD not in text and "wrong-0" not in text
    assert patient.user.email not in text


def test_a_blocked_attempt_for_an_unknown_address_is_recorded_without_it(client, db, tight_limits):
    for _ in range(4):
        client.post(reverse("account_login"), {"login": "nobody-k27@example.org", "password": "wrong-password"})

    [blocked] = AuditEvent.objects.filter(detail=BLOCKED)
    assert blocked.person is None
    assert "nobody-k27" not in all_audit_text()


def test_too_many_wrong_codes_are_blocked_and_recorded(client, staff_with_totp, tight_limits):
    _password_step(client, staff_with_totp)
    for _ in range(3):
        client.post(reverse("mfa_authenticate"), {"code": SENTINEL_CODE})

    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(staff_with_totp.totp_secret)})

    assert response.status_code == 200, "even the right code is refused once the limit is reached"
    failures = _events(EventKind.SIGN_IN_FAILED)
    assert [e.detail for e in failures] == [WRONG_CODE] * 3 + [BLOCKED]
    assert failures[-1].person == staff_with_totp
    assert _events(EventKind.SIGN_IN) == []
    assert SENTINEL_CODE not in all_audit_text()


def test_a_sign_in_answered_429_by_the_page_limit_is_recorded(client, patient, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    client.post(reverse("account_login"), {"login": patient.user.email, "password": "wrong-password-1"})

    response = client.post(reverse("account_login"), {"login": patient.user.email, "password": SENTINEL_PASSWORD})

    assert response.status_code == 429
    blocked = AuditEvent.objects.get(detail=BLOCKED)
    assert blocked.kind == EventKind.SIGN_IN_FAILED
    assert blocked.person == patient
    assert blocked.status_code == 429
    assert SENTINEL_PASSWORD not in all_audit_text()


def test_an_ordinary_form_error_on_the_sign_in_page_is_not_a_blocked_attempt(client, db):
    client.post(reverse("account_login"), {"login": "", "password": ""})

    assert not AuditEvent.objects.filter(detail=BLOCKED).exists()
