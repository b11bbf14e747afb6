from __future__ import annotations

from django import forms

from innovatorium.core.forms import NHSFormMixin
from innovatorium.people.models import InterestType


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
