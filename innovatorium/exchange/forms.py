"""Forms for offering an innovation to a need, proposing an introduction, and moving one on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from innovatorium.atlas.models import Innovation
from innovatorium.core.forms import NHSFormMixin
from innovatorium.exchange import services
from innovatorium.exchange.models import NEXT_STATUSES, Introduction, IntroductionStatus


class InterestForm(NHSFormMixin, forms.Form):
    innovation = forms.ModelChoiceField(
        queryset=Innovation.objects.none(), label="Which of your innovations could meet this need?",
        empty_label=None,
        error_messages={"required": "Choose the innovation you are offering.",
                        "invalid_choice": "Choose one of your published innovations from the list."},
    )
    message = forms.CharField(
        label="How could it help? (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Facilitators read this before they broker an introduction. Do not include personal details.",
    )

    def __init__(self, *args: Any, innovations: QuerySet[Innovation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["innovation"].queryset = innovations

    def clean_message(self) -> str:
        text = self.cleaned_data["message"].strip()
        if len(text) > services.MESSAGE_LIMIT:
            raise forms.ValidationError(
                f"Keep the message to {services.MESSAGE_LIMIT:,} characters or fewer. It has {len(text):,}."
            )
        return text


class ProposeForm(forms.Form):
    """Sent by the "Propose an introduction" button beside a match or an offer."""

    innovation = forms.IntegerField(widget=forms.HiddenInput)


class AdvanceForm(NHSFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="What has happened?", widget=forms.RadioSelect,
        error_messages={"required": "Choose what has happened.", "invalid_choice": "Choose one of the options."},
    )
    reason = forms.CharField(
        label="If it was declined, why?", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to everyone on the public record. Needed when an introduction is declined.",
    )

    def __init__(self, *args: Any, introduction: Introduction, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(IntroductionStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in NEXT_STATUSES[introduction.status]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        reason = (data.get("reason") or "").strip()
        if data.get("status") == IntroductionStatus.DECLINED and not reason:
            self.add_error("reason", "Say why the introduction was declined. The reason is shown to everyone.")
        if len(reason) > services.REASON_LIMIT:
            self.add_error("reason", f"Keep the reason to {services.REASON_LIMIT} characters or fewer. "
                                     f"It has {len(reason)}.")
        return data
