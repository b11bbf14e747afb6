"""Sign-in, sign-up, password and two-factor pages: django-allauth rendered in our NHS.UK layout."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.urls import reverse

from innovatorium.factories import PASSWORD, PersonFactory, UserFactory
from innovatorium.people.models import Person, User
from innovatorium.people.tests.html import assert_nhs_page


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def signed_in_with_password(client, user: User):  # noqa: ANN201
    """Sign in through the real form, so allauth records how (some pages ask to confirm a recent sign-in)."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def reauthenticated(client, user: User):  # noqa: ANN201
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    return client


# --- every page is ours --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "url_name",
    ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"],
)
def test_entrance_pages_use_the_nhs_layout_for_visitors(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert_nhs_page(response.content)
    assert b'class="nhsuk-breadcrumb"' in response.content


@pytest.mark.parametrize(
    "url_name",
    ["account_change_password", "account_email", "account_logout", "mfa_index", "account_reauthenticate"],
)
def test_account_management_pages_use_the_nhs_layout(client_for, patient, url_name):
    response = client_for(patient).get(reverse(url_name))
    assert response.status_code == 200
    page = assert_nhs_page(response.content)
    assert b'href="/me/">My account</a>' in response.content, "breadcrumb back to My account"
    assert page.h1_count == 1


def test_the_sign_in_page_labels_its_fields_without_placeholders(client, db):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert '<label class="nhsuk-label" for="id_login">Email address</label>' in html
    assert '<label class="nhsuk-label" for="id_password">Password</label>' in html
    assert 'class="nhsuk-input"' in html
    assert 'data-module="nhsuk-password-input"' in html, "a show/hide password toggle when JavaScript runs"
    assert "placeholder" not in html
    assert 'novalidate' in html, "errors come from the server, the same with or without JavaScript"


def test_a_failed_sign_in_shows_an_nhs_error_summary_first(client, db):
    response = client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong-password"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="nhsuk-error-summary" data-module="nhsuk-error-summary">' in html
    assert "The email address or password is not right." in html
    assert html.index("nhsuk-error-summary") < html.index("<h1"), "the summary comes before the heading"
    assert "<title>Error: " in html


def test_a_field_error_is_linked_from_the_summary_and_shown_at_the_field(client, db):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    html = response.content.decode()
    assert '<a href="#id_login">' in html
    assert 'nhsuk-form-group nhsuk-form-group--error' in html
    assert '<span class="nhsuk-error-message" id="id_login-error">' in html
    assert re.search(r'<input[^>]*aria-describedby="id_login-error"[^>]*id="id_login"', html)
    assert re.search(r'<input[^>]*class="nhsuk-input nhsuk-input--error"[^>]*id="id_login"', html)
    assert '<a href="#id_login">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html


@pytest.mark.parametrize(
    ("url_name", "messages"),
    [
        ("account_signup", ["Enter your email address", "Create a password", "Type the password again"]),
        ("account_reset_password", ["Enter your email address"]),
        ("account_change_password",
         ["Enter your current password", "Enter a new password", "Type the new password again"]),
        ("account_reauthenticate", ["Enter your password"]),
    ],
)
def test_empty_fields_say_what_to_enter(client, db, url_name, messages):
    if url_name in {"account_change_password", "account_reauthenticate"}:
        client.force_login(UserFactory())
    html = client.post(reverse(url_name), {}).content.decode()
    for message in messages:
        assert f"{message}</a>" in html, message
    assert "This field is required" not in html


def test_signing_in_with_the_right_password_works(client, db):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_account_made_outside_sign_up_gets_its_profile_on_first_sign_in(client, db):
    admin = User.objects.create_superuser("admin@example.org", PASSWORD)  # as `manage.py createsuperuser` does
    assert not Person.objects.filter(user=admin).exists()
    client.post(reverse("account_login"), {"login": admin.email, "password": PASSWORD})
    assert Person.objects.filter(user=admin).count() == 1
    assert client.get(reverse("people:profile")).status_code == 200


def test_signing_out_needs_a_post_and_works_without_javascript(client_for, patient):
    client = client_for(patient)
    page = client.get(reverse("account_logout"))
    assert b'<button class="nhsuk-button"' in page.content
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- creating an account ---------------------------------------------------------------------------------

def _signup(client, *, email="new.person@example.org", display_name="", next_url=None):  # noqa: ANN001, ANN202
    data = {"email": email, "password1": "a-long-new-password-9", "password2": "a-long-new-password-9",
            "display_name": display_name}
    url = reverse("account_signup") + (f"?next={next_url}" if next_url else "")
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


def test_the_sign_up_page_asks_for_an_optional_name(client, db):
    html = client.get(reverse("account_signup")).content.decode()
    assert '<label class="nhsuk-label" for="id_display_name">Your name (optional)</label>' in html
    assert html.index("id_display_name") < html.index("id_email"), "name first, as people expect"


def test_signing_up_creates_a_private_profile_with_the_name_given(client, db):
    response = _signup(client, display_name="  Asha Patel ")
    assert response.status_code == 302
    person = Person.objects.get(user__email="new.person@example.org")
    assert person.display_name == "Asha Patel"
    assert person.show_name_publicly is False, "nothing is public until the person consents"
    assert person.public_name == person.pseudonym


def test_signing_up_without_a_name_is_fine(client, db):
    _signup(client)
    assert Person.objects.get(user__email="new.person@example.org").display_name == ""


def test_after_signing_up_a_person_lands_on_the_home_page(client, db):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_signing_up_from_a_networks_join_link_returns_to_the_join_page(client, network):
    join_url = reverse("networks:join", kwargs={"network_slug": network.slug})
    # The Join link sends a visitor to sign in, carrying where they were going...
    to_login = client.get(join_url)
    assert to_login.status_code == 302
    login_page = client.get(to_login["Location"])
    signup_link = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', login_page.content.decode()).group(1)
    # ...the sign-in page's "sign up" link keeps it, and so does the sign-up form.
    signup_page = client.get(signup_link.replace("&amp;", "&"))
    assert f'name="next" value="{join_url}"'.encode() in signup_page.content
    response = _signup(client, next_url=join_url)
    assert response["Location"] == join_url
    assert client.get(join_url).status_code == 200


def test_a_signup_with_a_weak_password_is_refused_with_a_clear_message(client, db):
    response = client.post(reverse("account_signup"), {
        "email": "weak@example.org", "password1": "12345", "password2": "12345", "display_name": "",
    })
    assert response.status_code == 200
    assert b'<a href="#id_password1">' in response.content
    assert not User.objects.filter(email="weak@example.org").exists()
    assert not Person.objects.exists() or not Person.objects.filter(user__email="weak@example.org").exists()


# --- passwords -------------------------------------------------------------------------------------------

def test_a_person_can_reset_a_forgotten_password_from_the_emailed_link(client, db):
    user = PersonFactory().user
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response["Location"] == reverse("account_reset_password_done")
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert_nhs_page(form_page.content)
    assert b'for="id_password1">New password</label>' in form_page.content
    done = client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else link, {
        "password1": "another-long-password-4", "password2": "another-long-password-4",
    })
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-long-password-4")
    assert_nhs_page(client.get(done["Location"]).content)


def test_a_bad_reset_link_explains_itself(client, db):
    response = client.get("/accounts/password/reset/key/1-bad-key/", follow=True)
    assert response.status_code == 200
    assert_nhs_page(response.content)
    assert b"Ask for a new link" in response.content


def test_a_person_can_change_their_password(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "a-changed-password-77", "password2": "a-changed-password-77",
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-changed-password-77")


def test_the_email_page_lists_addresses_as_a_labelled_radio_group(client, db):
    user = UserFactory()
    signed_in_with_password(client, user)
    client.post(reverse("account_email"), {"action_add": "", "email": "second@example.org"})
    html = client.get(reverse("account_email")).content.decode()
    assert_nhs_page(html)
    assert '<fieldset class="nhsuk-fieldset">' in html
    assert 'class="nhsuk-radios__input"' in html
    assert "second@example.org" in html


# --- two-factor authentication --------------------------------------------------------------------------

def test_the_profile_page_links_to_two_factor_authentication(client_for, patient):
    response = client_for(patient).get(reverse("people:profile"))
    assert reverse("mfa_index").encode() in response.content


def test_the_authenticator_set_up_page_shows_a_qr_code_allowed_by_the_csp(client, db):
    user = UserFactory()
    response = reauthenticated(client, user).get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    page = assert_nhs_page(response.content)
    [qr] = page.images
    assert qr["src"].startswith("data:image/svg+xml;base64,")
    csp = response["Content-Security-Policy"]
    img_src = re.search(r"img-src ([^;]+)", csp).group(1).split()
    assert "data:" in img_src, "the QR code is a data: URI"
    assert 'readonly' in response.content.decode(), "the secret can be copied by hand"


def test_a_person_can_turn_on_an_authenticator_app(client, db):
    user = UserFactory()
    client = reauthenticated(client, user)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    empty = client.post(reverse("mfa_activate_totp"), {"code": ""})
    assert b"Enter the 6-digit code from your authenticator app</a>" in empty.content
    bad = client.post(reverse("mfa_activate_totp"), {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert bad.status_code == 200 and b"nhsuk-error-summary" in bad.content
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    codes = client.get(response["Location"], follow=True)
    assert codes.status_code == 200
    assert_nhs_page(codes.content)


def test_signing_in_with_an_authenticator_asks_for_a_code_on_an_nhs_page(client, db):
    user = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate"))
    assert_nhs_page(page.content)
    assert b'inputmode="numeric"' in page.content and b'autocomplete="one-time-code"' in page.content
    assert "_auth_user_id" not in client.session, "not signed in before the code"
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_two_factor_and_recovery_code_pages_render_in_our_layout(client, db):
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    client = reauthenticated(client, user)
    index = client.get(reverse("mfa_index"))
    assert b'class="nhsuk-card"' in index.content
    assert_nhs_page(index.content)
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert_nhs_page(codes.content)
    assert b'<textarea class="nhsuk-textarea' in codes.content
    for name in ("mfa_generate_recovery_codes", "mfa_deactivate_totp"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_nhs_page(response.content)
        assert b"Two-factor authentication</a>" in response.content, "breadcrumb back to the 2FA page"
