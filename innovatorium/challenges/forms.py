"""Forms for raising a need (written for a patient on a phone) and for facilitators moving one on."""

from __future__ import annotations

from typing import Any

from django import forms

from innovatorium.atlas.models import TaxonomyTerm
from innovatorium.challenges import selectors, services
from innovatorium.challenges.models import ChallengeStatus
from innovatorium.core.forms import NHSFormMixin


class _ChoicesFirst:
    """Fills choices before NHSFormMixin looks at `errors` in its `__init__` (which validates a bound form)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.set_choices()

    def set_choices(self) -> None:
        raise NotImplementedError


class RaiseChallengeForm(NHSFormMixin, _ChoicesFirst, forms.Form):
    # No `maxlength` attributes on the inputs: the character count tells people when they are over, and the
    # server's message says by how much (a browser that silently cuts text off loses what they wrote).
    title = forms.CharField(
        label="What is the problem, in a few words?",
        help_text="For example: “I have to tell my mum’s story again at every appointment”.",
        error_messages={"required": "Give your need a short title."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "true"}),
    )
    description = forms.CharField(
        label="Tell us more",
        help_text="What happens now, and what would make it better? Do not include anyone’s name, address or "
                  "health details that could identify them: everyone can read this.",
        error_messages={"required": "Describe the need: what happens now, and what would help."},
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "true"}),
    )
    who_is_affected = forms.CharField(
        label="Who does this affect? (optional)",
        help_text="For example: “carers of people with dementia” or “teenagers at secondary school”.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "true"}),
    )
    people_affected = forms.IntegerField(
        label="Roughly how many people? (optional)",
        help_text="A guess is fine. Leave it empty if you do not know.",
        required=False,
        error_messages={"invalid": "Enter a whole number, like 500, or leave it empty."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-10"}),
    )
    care_setting = forms.ChoiceField(
        label="Where does it happen? (optional)", required=False,
        error_messages={"invalid_choice": "Choose a place from the list, or leave it as “Not sure”."},
    )
    clinical_area = forms.ChoiceField(
        label="What is it about? (optional)", required=False,
        error_messages={"invalid_choice": "Choose a topic from the list, or leave it as “Not sure”."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people_affected"].widget.attrs["class"] = "nhsuk-input nhsuk-input--width-10"

    def set_choices(self) -> None:
        self.fields["care_setting"].choices = [("", "Not sure")] + selectors.taxonomy_choices(
            TaxonomyTerm.Vocabulary.CARE_SETTING
        )
        self.fields["clinical_area"].choices = [("", "Not sure")] + selectors.taxonomy_choices(
            TaxonomyTerm.Vocabulary.CLINICAL_AREA
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        errors = services.validate_challenge_fields(
            title=data.get("title") or "", description=data.get("description") or "",
            who_is_affected=data.get("who_is_affected") or "", people_affected=data.get("people_affected"),
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class StatusForm(NHSFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="New status", choices=ChallengeStatus.choices,
        error_messages={"required": "Choose the new status.", "invalid_choice": "Choose a status from the list."},
    )
    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to everyone on the public record. Needed when you close a need.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        reason = (data.get("reason") or "").strip()
        if data.get("status") == ChallengeStatus.CLOSED and not reason:
            self.add_error("reason", "Say why this need is being closed. The reason is shown to everyone.")
        if len(reason) > services.REASON_LIMIT:
            self.add_error("reason", f"Keep the reason to {services.REASON_LIMIT} characters or fewer. "
                                     f"It has {len(reason)}.")
        return data


class ResponseForm(NHSFormMixin, forms.Form):
    text = forms.CharField(
        label="Your response", widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Public: say what the network will do next, or where this need has been taken.",
        error_messages={"required": "Write your response."},
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) > services.RESPONSE_LIMIT:
            raise forms.ValidationError(
                f"Keep the response to {services.RESPONSE_LIMIT:,} characters or fewer. It has {len(text):,}."
            )
        return text


class FilterForm(NHSFormMixin, _ChoicesFirst, forms.Form):
    """The needs list's filters: plain GET parameters, so they work without JavaScript."""

    q = forms.CharField(required=False, label="Words to look for", max_length=200)
    status = forms.ChoiceField(required=False, label="Status")
    care_setting = forms.ChoiceField(required=False, label="Where it happens")
    clinical_area = forms.ChoiceField(required=False, label="What it is about")

    def set_choices(self) -> None:
        self.fields["status"].choices = [("", "Any status"), *ChallengeStatus.choices]
        self.fields["care_setting"].choices = [("", "Anywhere")] + selectors.taxonomy_choices(
            TaxonomyTerm.Vocabulary.CARE_SETTING
        )
        self.fields["clinical_area"].choices = [("", "Any topic")] + selectors.taxonomy_choices(
            TaxonomyTerm.Vocabulary.CLINICAL_AREA
        )

    def filters(self) -> dict[str, str]:
        """The valid filters given (unknown values are ignored rather than failing the whole page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in ("q", "status", "care_setting", "clinical_area") if data.get(name)}
