from __future__ import annotations

from typing import Any

from django import forms

from innovatorium.core.forms import NHSFormMixin
from innovatorium.networks.models import Constituency, ConstituencyKind, Network
from innovatorium.people.models import Organisation


class JoinForm(NHSFormMixin, forms.Form):
    """Join a network: one declared constituency, and an organisation where it needs verification."""

    constituency = forms.ModelChoiceField(
        queryset=Constituency.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which group do you belong to?",
        help_text="Choose the one that fits best. Every group has an equal say.",
        error_messages={
            "required": "Choose the group you belong to.",
            "invalid_choice": "That group is not part of this network. Choose one of the groups listed.",
        },
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Your organisation (if you work for the NHS, social care or a company)",
        help_text="A facilitator uses this to confirm your group. Patients and carers can leave it empty.",
        error_messages={"invalid_choice": "Choose an organisation from the list."},
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["constituency"].queryset = network.constituencies.filter(is_active=True).order_by("position")
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")


class ConstituencyForm(NHSFormMixin, forms.Form):
    name = forms.CharField(max_length=120, label="Name")
    kind = forms.ChoiceField(choices=ConstituencyKind.choices, label="Kind of partner group")
    description = forms.CharField(max_length=300, required=False, label="Description")
    requires_verification = forms.BooleanField(
        required=False, label="A facilitator must verify declarations to this group"
    )
    is_active = forms.BooleanField(required=False, initial=True, label="Open to new members")
