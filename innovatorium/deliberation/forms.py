"""Forms: adding a statement (written for a phone), opening a conversation, moderating a statement."""

from __future__ import annotations

from django import forms

from innovatorium.core.forms import NHSFormMixin
from innovatorium.deliberation.models import STATEMENT_LIMIT


class StatementForm(NHSFormMixin, forms.Form):
    text = forms.CharField(
        label="Add your own statement",
        help_text=f"One short sentence others can agree or disagree with, up to {STATEMENT_LIMIT} characters. "
                  "A facilitator checks it before others see it. Do not include anyone’s name or health details.",
        error_messages={"required": "Write a statement: one short sentence others can agree or disagree with."},
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "true"}),
    )


class OpenConversationForm(NHSFormMixin, forms.Form):
    question = forms.CharField(
        label="Question",
        help_text="What people are asked, for example “What should our network tackle next in diabetes care?”.",
        error_messages={"required": "Write the question people will answer."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "true"}),
    )
    description = forms.CharField(
        label="Background (optional)", required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "true"}),
    )
    seed_statements = forms.CharField(
        label="Starting statements",
        help_text=f"One statement per line, each up to {STATEMENT_LIMIT} characters. Participants can add more.",
        error_messages={"required": "Add at least one statement to start the conversation."},
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
    )
    allow_anonymous = forms.BooleanField(
        label="Anyone may take part without an account", required=False, initial=True,
        help_text="Leave unticked to let only members of the network take part.",
    )

    def seeds(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["seed_statements"].splitlines() if line.strip()]


class ModerateForm(NHSFormMixin, forms.Form):
    DECISIONS = [("accept", "Accept"), ("reject", "Reject")]
    statement = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason, if you reject it", required=False, max_length=300)
