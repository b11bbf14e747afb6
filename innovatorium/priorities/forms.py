"""Forms for facilitators. Voting pages are plain HTML read by `views._submitted_marks` (no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from django import forms

from innovatorium.core.forms import NHSFormMixin
from innovatorium.priorities.models import Stage, VotingMethod

METHOD_HELP = (
    "Approval and score suit a longlist; a ranked method (Borda, instant-runoff, single transferable vote) suits "
    "a shortlist. Every method's counting rules are on the “What this promises” page."
)


class RoundForm(NHSFormMixin, forms.Form):
    title = forms.CharField(max_length=200, label="Title")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="What the round is for (optional)"
    )
    stage = forms.ChoiceField(choices=[c for c in Stage.choices if c[0] != Stage.PUBLISHED], initial=Stage.INTERIM)
    method = forms.ChoiceField(choices=VotingMethod.choices, label="Voting method", help_text=METHOD_HELP)
    seats = forms.IntegerField(
        min_value=1, max_value=100, initial=10, label="How many priorities come out of it",
        help_text="For example 10 for a James Lind Alliance top 10. Instant-runoff always picks 1.",
    )
    top_n = forms.IntegerField(
        min_value=1, max_value=100, required=False, label="Most options a voter may pick or rank (optional)",
    )
    secret = forms.BooleanField(
        required=False, initial=True, label="Secret ballot",
        help_text="Nobody, including facilitators, can see how a member voted.",
    )
    challenges = forms.MultipleChoiceField(required=False, label="Needs to vote on", choices=())
    texts = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Other options (optional)",
        help_text="One option per line, for things that are not yet a need on the site.",
    )

    def __init__(self, *args: Any, challenges: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["challenges"].choices = [(str(c.pk), c.title) for c in challenges]

    def option_texts(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("texts", "").splitlines() if line.strip()]


class NextRoundForm(NHSFormMixin, forms.Form):
    title = forms.CharField(max_length=200, label="Title of the next round")
    method = forms.ChoiceField(choices=VotingMethod.choices, label="Voting method", help_text=METHOD_HELP)
    take = forms.IntegerField(
        min_value=2, max_value=100, initial=25, label="How many of the top results to carry forward",
    )
    seats = forms.IntegerField(min_value=1, max_value=100, initial=10, label="How many priorities come out of it")
    top_n = forms.IntegerField(min_value=1, max_value=100, required=False,
                               label="Most options a voter may pick or rank (optional)")
    secret = forms.BooleanField(required=False, initial=True, label="Secret ballot")
