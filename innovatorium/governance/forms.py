"""Governance forms. Services do the real checks; forms only shape the input."""

from __future__ import annotations

from typing import Any

from django import forms

from innovatorium.core.forms import NHSFormMixin
from innovatorium.governance.models import BodyKind, MotionKind, Threshold
from innovatorium.networks.models import Network


class SeatsMixin:
    """One number field per constituency of the network: the seats reserved for it."""

    def add_seat_fields(self, network: Network, initial: dict[str, int] | None = None) -> None:
        initial = initial or {}
        self.constituencies = list(network.constituencies.filter(is_active=True))
        for c in self.constituencies:
            self.fields[f"seats_{c.slug}"] = forms.IntegerField(  # type: ignore[attr-defined]
                label=f"Seats for {c.name}", min_value=0, max_value=50, required=False,
                initial=initial.get(c.slug, 0), widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
            )

    def seats(self) -> dict[str, int]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return {c.slug: data.get(f"seats_{c.slug}") or 0 for c in self.constituencies}


class BodyForm(SeatsMixin, NHSFormMixin, forms.Form):
    name = forms.CharField(max_length=160, help_text="For example “Board” or “Members' council”.")
    kind = forms.ChoiceField(choices=BodyKind.choices, label="What kind of body")
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              help_text="What it decides, in a sentence or two.")
    term_months = forms.IntegerField(label="Term in months", min_value=1, max_value=120, initial=36,
                                     widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}))

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_seat_fields(network)
        for name in self.fields:
            if name.startswith("seats_"):
                self.fields[name].widget.attrs["class"] = "nhsuk-input nhsuk-input--width-3"


class SeatsForm(SeatsMixin, NHSFormMixin, forms.Form):
    def __init__(self, *args: Any, network: Network, initial_seats: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_seat_fields(network, initial_seats)
        for name in self.fields:
            self.fields[name].widget.attrs["class"] = "nhsuk-input nhsuk-input--width-3"


class ElectionForm(NHSFormMixin, forms.Form):
    title = forms.CharField(max_length=200, required=False,
                            help_text="Leave blank for “Election to the …, month year”.")


class NominationForm(NHSFormMixin, forms.Form):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), max_length=3000, label="Your statement",
        help_text="Why you are standing and what you would do. Voters read this; it is public.",
    )


class OpenVotingForm(NHSFormMixin, forms.Form):
    closes_at = forms.DateTimeField(
        label="Voting closes at", required=False, help_text="Optional. For example 2026-12-01 17:00.",
        widget=forms.DateTimeInput(attrs={"class": "nhsuk-input nhsuk-input--width-20"}),
    )


class DrawForm(NHSFormMixin, forms.Form):
    seed = forms.CharField(
        max_length=200, label="Public seed",
        help_text="Something nobody could know in advance and everyone can check, e.g. the numbers drawn in a "
        "national lottery, or words read out at an open meeting.",
    )


class MotionForm(NHSFormMixin, forms.Form):
    title = forms.CharField(max_length=200)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="The motion",
                           help_text="What the body is asked to agree.")
    interests = forms.CharField(
        max_length=500, required=False, label="Organisations this concerns",
        help_text="Separate with commas. Members who have declared an interest in one of them must recuse.",
    )
    kind = forms.ChoiceField(choices=MotionKind.choices, widget=forms.RadioSelect, initial=MotionKind.PROPOSAL,
                             label="How members respond")
    quorum = forms.IntegerField(min_value=1, required=False,
                                help_text="Votes needed for a decision, abstentions included. Blank: half the "
                                "seats, rounded up.",
                                widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}))
    threshold = forms.ChoiceField(choices=Threshold.choices, initial=Threshold.MAJORITY, label="To pass")
    double_majority = forms.BooleanField(
        required=False, label="Double majority",
        help_text="Also needs the threshold within every partner group on the body.",
    )
    hide_results = forms.BooleanField(required=False, label="Hide the votes until the motion closes")


class MotionVoteForm(NHSFormMixin, forms.Form):
    option = forms.ChoiceField(widget=forms.RadioSelect, label="How do you respond?")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             help_text="Needed for a block or an objection. Public.")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = choices


class MinutesForm(NHSFormMixin, forms.Form):
    decision = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="As it will be published.")
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)


class AppointForm(NHSFormMixin, forms.Form):
    person = forms.TypedChoiceField(coerce=int, label="Member",
                                    help_text="Confirmed members of a partner group with an empty seat.")

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Choose a member"), *choices]
