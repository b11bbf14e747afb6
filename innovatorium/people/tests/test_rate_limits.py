"""Sign-in and password reset: at most 10 failures in 5 minutes per account and per address, and the same
answer whether or not an email address is registered."""

from __future__ import annotations

import re
import time
from unittest import mock

from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from innovatorium.factories import PASSWORD, UserFactory

TOO_MANY = b"Too many failed attempts to sign in"



def _sign_in(client, email: str, password: str, ip: str):  # noqa: ANN001, ANN202
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def _signed_in(client) -> bool:  # noqa: ANN001
    return "_auth_user_id" in client.session


def test_the_configured_limits_use_allauths_own_action_names():
    from allauth.account import app_settings

    limits = app_settings.RATE_LIMITS
    assert limits["login_failed"] == "10/5m/ip,10/5m/key"
    assert limits["reset_password"] == "10/5m/ip,10/5m/key"
    # Every key we set is one allauth reads (a typo would silently leave allauth's default in force).
    assert set(settings.ACCOUNT_RATE_LIMITS) <= set(app_settings.RATE_LIMITS)
    defaults = {"change_password", "manage_email", "reset_password", "reauthenticate", "reset_password_from_key",
                "signup", "login", "login_failed", "request_login_code", "confirm_email"}
    assert set(settings.ACCOUNT_RATE_LIMITS) <= defaults


def test_the_tenth_attempt_on_an_account_still_counts(client, db):
    user = UserFactory()
    for i in range(9):
        assert TOO_MANY not in _sign_in(client, user.email, "wrong-password", ip=f"10.0.0.{i}").content
    _sign_in(client, user.email, PASSWORD, ip="10.0.1.1")
    assert _signed_in(client)


def test_the_eleventh_sign_in_after_ten_failures_on_an_account_is_refused(client, db):
    user = UserFactory()
    # Ten failures, each from a different address, so only the per-account limit can apply.
    for i in range(10):
        response = _sign_in(client, user.email, "wrong-password", ip=f"10.0.0.{i}")
        assert response.status_code == 200 and TOO_MANY not in response.content
    response = _sign_in(client, user.email, PASSWORD, ip="10.0.1.1")
    assert response.status_code == 200
    assert TOO_MANY in response.content, "refused even with the right password"
    assert b"nhsuk-error-summary" in response.content
    assert not _signed_in(client)


def test_the_account_limit_lifts_after_five_minutes(client, db):
    user = UserFactory()
    for i in range(10):
        _sign_in(client, user.email, "wrong-password", ip=f"10.0.0.{i}")
    assert TOO_MANY in _sign_in(client, user.email, PASSWORD, ip="10.0.1.1").content
    later = time.time() + 5 * 60 + 1
    with mock.patch("allauth.core.internal.ratelimit.time.time", return_value=later):
        _sign_in(client, user.email, PASSWORD, ip="10.0.1.2")
    assert _signed_in(client)


def test_the_eleventh_sign_in_after_ten_failures_from_one_address_is_refused(client, db):
    user = UserFactory()
    # Ten failures from one address, each against a different account: only the per-address limit applies.
    for i in range(10):
        response = _sign_in(client, f"guess{i}@example.org", "wrong-password", ip="192.0.2.7")
        assert TOO_MANY not in response.content
    response = _sign_in(client, user.email, PASSWORD, ip="192.0.2.7")
    assert TOO_MANY in response.content
    assert not _signed_in(client)
    # Someone else, elsewhere, is not locked out by it.
    _sign_in(client, user.email, PASSWORD, ip="192.0.2.8")
    assert _signed_in(client)


def test_a_successful_sign_in_does_not_wipe_earlier_failures(client, db):
    user = UserFactory()
    for i in range(9):
        _sign_in(client, user.email, "wrong-password", ip=f"10.0.0.{i}")
    _sign_in(client, user.email, PASSWORD, ip="10.0.1.1")
    client.logout()
    # The success is not counted, but the nine failures still are: one more failure, then refusal.
    _sign_in(client, user.email, "wrong-password", ip="10.0.1.2")
    assert TOO_MANY in _sign_in(client, user.email, PASSWORD, ip="10.0.1.3").content


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, db):
    user = UserFactory()
    known = _sign_in(client, user.email, "wrong-password", ip="10.0.0.1")
    unknown = _sign_in(client, "nobody@example.org", "wrong-password", ip="10.0.0.2")
    error = re.compile(rb'<ul class="nhsuk-list nhsuk-error-summary__list">(.*?)</ul>', re.S)
    assert error.search(known.content).group(1) == error.search(unknown.content).group(1)


# --- password reset ------------------------------------------------------------------------------------

def _main(html: bytes) -> str:
    text = html.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return text[text.index("<main"):text.index("</main>")]


def test_password_reset_answers_the_same_for_an_unknown_email(client, db):
    user = UserFactory()
    known = client.post(reverse("account_reset_password"), {"email": user.email}, follow=True)
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("account_reset_password_done"), 302)]
    assert known.status_code == unknown.status_code == 200
    assert _main(known.content) == _main(unknown.content)
    # Both addresses get an email (the unknown one is told no account exists), so timing and mail give
    # nothing away either.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([user.email, "nobody@example.org"])
    [reset] = [m for m in mail.outbox if m.to == [user.email]]
    assert "/accounts/password/reset/key/" in reset.body


def test_the_eleventh_reset_request_for_one_email_is_refused(client, db):
    user = UserFactory()
    for i in range(10):
        response = client.post(reverse("account_reset_password"), {"email": user.email}, REMOTE_ADDR=f"10.0.0.{i}")
        assert response.status_code == 302
    response = client.post(reverse("account_reset_password"), {"email": user.email}, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429
    assert len(mail.outbox) == 10


def test_reset_limits_answer_the_same_for_an_unknown_email(client, db):
    for i in range(10):
        client.post(reverse("account_reset_password"), {"email": "nobody@example.org"}, REMOTE_ADDR=f"10.0.0.{i}")
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"}, REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 429


def test_the_eleventh_reset_request_from_one_address_is_refused(client, db):
    url = reverse("account_reset_password")
    for i in range(10):
        response = client.post(url, {"email": f"p{i}@example.org"}, REMOTE_ADDR="192.0.2.9")
        assert response.status_code == 302
    response = client.post(url, {"email": "p99@example.org"}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_client_address_is_counted_on_its_own(client, db):
    user = UserFactory()
    # Everyone reaches the app from the proxy (10.9.9.9); the proxy names the client in X-Forwarded-For.
    for i in range(10):
        client.post(reverse("account_login"), {"login": f"guess{i}@example.org", "password": "wrong-password"},
                    REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    attacker = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD},
                           REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert TOO_MANY in attacker.content
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD},
                REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _signed_in(client), "another client behind the same proxy is not locked out"
