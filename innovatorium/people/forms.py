from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms

from innovatorium.core.forms import NHSFormMixin
from innovatorium.people.models import InterestType, Role


class ProfileForm(NHSFormMixin, forms.Form):
    display_name = forms.CharField(
        max_length=120, required=False, label="Your name",
        help_text="How you would like to be named. Shown publicly only if you tick the box below.",
    )
    show_name_publicly = forms.BooleanField(
        required=False, label="Show my name publicly",
        help_text="If you leave this unticked, public pages show your pseudonym instead.",
    )
    contact_consent = forms.BooleanField(
        required=False, label="Facilitators may contact me about taking part",
    )
    access_needs = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        label="Access needs (optional)",
        help_text=(
            "For example: step-free access, a hearing loop, large print. "
            "Only organisers of what you sign up for see this."
        ),
    )


class DeleteAccountForm(NHSFormMixin, forms.Form):
    confirm = forms.CharField(
        max_length=20, label="Type DELETE to confirm",
        help_text="This cannot be undone.",
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip()
        if value.upper() != "DELETE":
            raise forms.ValidationError("Type the word DELETE to confirm that you want to delete your account.")
        return value


class VerificationForm(NHSFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Confirm"), ("reject", "Cannot confirm")])
    note = forms.CharField(required=False, max_length=300, label="Reason (needed if you cannot confirm)")


class DeclarationForm(NHSFormMixin, forms.Form):
    interest_type = forms.ChoiceField(choices=InterestType.choices, label="Kind of interest")
    organisation_name = forms.CharField(max_length=200, required=False, label="Organisation (if any)")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, label="Describe the interest"
    )


# --- django-allauth forms (chosen in settings.ACCOUNT_FORMS and MFA_FORMS) ---------------------------
# allauth's own forms, with plain-English labels, hints and error messages in NHS.UK style ("Enter your
# email address", never "This field is required."). Widget classes are added when they are rendered (see
# people/templatetags/nhsuk_allauth.py), so these forms only change wording and fields.

# Advice shown to people choosing a password (it matches AUTH_PASSWORD_VALIDATORS).
NEW_PASSWORD_RULES = "Use at least 10 characters. Do not use a common password, your email address, or only numbers."  # noqa: E501, S105
CODE_REQUIRED = "Enter the 6-digit code from your authenticator app"


def _word(form: forms.Form, fields: dict[str, tuple[str | None, str]]) -> None:
    """Set each field's label (unless None) and the message shown when it is left empty."""
    for name, (label, required) in fields.items():
        if name in form.fields:
            if label is not None:
                form.fields[name].label = label
            form.fields[name].error_messages["required"] = required


class SignupForm(allauth_forms.SignupForm):
    """Create an account: an email address, a password and, if the person wants, their name."""

    display_name = forms.CharField(
        max_length=120, required=False, label="Your name (optional)",
        help_text="How you would like to be named. It is shown publicly only if you later agree to that.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word(self, {
            "email": ("Email address", "Enter your email address"),
            "password1": ("Create a password", "Create a password"),
            "password2": ("Type the password again", "Type the password again"),
        })
        self.fields["email"].help_text = "We use it to sign you in. It is never shown to anyone."
        if "password1" in self.fields:
            self.fields["password1"].help_text = NEW_PASSWORD_RULES

    def clean_display_name(self) -> str:
        return self.cleaned_data["display_name"].strip()


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word(self, {
            "login": ("Email address", "Enter your email address"),
            "password": (None, "Enter your password"),
        })
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"


class ReauthenticateForm(allauth_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word(self, {"password": (None, "Enter your password")})


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word(self, {"email": ("Email address", "Enter your email address")})
        self.fields["email"].help_text = "The address you use to sign in."


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word(self, {
            "password1": ("New password", "Enter a new password"),
            "password2": ("Type the new password again", "Type the new password again"),
        })
        self.fields["password1"].help_text = NEW_PASSWORD_RULES


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word(self, {
            "oldpassword": ("Current password", "Enter your current password"),
            "password1": ("New password", "Enter a new password"),
            "password2": ("Type the new password again", "Type the new password again"),
        })
        self.fields["password1"].help_text = NEW_PASSWORD_RULES


class AddEmailForm(allauth_forms.AddEmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word(self, {"email": ("Email address", "Enter the email address to add")})


class MFAAuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word(self, {"code": (None, "Enter the code from your authenticator app, or a recovery code")})


class MFAReauthenticateForm(mfa_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word(self, {"code": (None, "Enter the code from your authenticator app, or a recovery code")})


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word(self, {"code": (None, CODE_REQUIRED)})


class RoleForm(NHSFormMixin, forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label="Role")
