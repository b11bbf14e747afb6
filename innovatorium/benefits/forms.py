"""Forms for drafting agreements, accepting them and recording what innovations earn and save.

The forms only collect text; the services parse money and percentages (so the API gets the same refusals).
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils import timezone

from innovatorium.atlas.models import Innovation
from innovatorium.benefits.models import AgreementVersion, Basis, EventKind, PartyKind
from innovatorium.core.forms import NHSFormMixin
from innovatorium.networks.models import Network
from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Organisation
from innovatorium.projects.models import ContributionKind, Project, TeamMember


class StartForm(NHSFormMixin, forms.Form):
    innovation = forms.ChoiceField(label="Innovation", error_messages={"required": "Choose an innovation."},
                                   help_text="Innovations of this network that have no agreement yet.")

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.innovations = {
            str(i.pk): i for i in Innovation.objects.filter(network=network, benefit_agreement__isnull=True)
            .order_by("name").only("pk", "name", "slug", "network_id")
        }
        self.fields["innovation"].choices = [("", "Choose an innovation")] + [
            (pk, i.name) for pk, i in self.innovations.items()]

    def clean_innovation(self) -> Innovation:
        return self.innovations[self.cleaned_data["innovation"]]


class TermsForm(NHSFormMixin, forms.Form):
    basis = forms.ChoiceField(label="How are the shares decided?", choices=Basis.choices,
                              widget=forms.RadioSelect)
    project = forms.ChoiceField(label="Project (for shares from contributions)", required=False,
                                help_text="Its contributions log, valued at the rates you agree, decides the shares.")
    reinvestment_percent = forms.CharField(
        label="Reinvestment in the community fund (%)", max_length=12,
        help_text="Taken from every payment first, for the network's community fund. For example 10.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "decimal"}))
    public_party_names = forms.BooleanField(
        label="Show the parties' names publicly", required=False,
        help_text="Individuals are only ever named if they chose to show their name; otherwise a pseudonym.")
    public_party_amounts = forms.BooleanField(label="Show each party's share and amounts publicly", required=False)
    public_event_details = forms.BooleanField(
        label="Show who paid and what for publicly", required=False,
        help_text="What the innovation earned and saved in total is always public.")
    summary = forms.CharField(label="What this version says or changes", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.projects = {str(p.pk): p for p in Project.objects.filter(network=network).order_by("title")}
        self.fields["project"].choices = [("", "No project")] + [(k, p.title) for k, p in self.projects.items()]

    def clean_project(self) -> Project | None:
        return self.projects.get(self.cleaned_data.get("project") or "")


def _member_choices(network: Network) -> list[tuple[str, str]]:
    members = (
        Membership.objects.filter(network=network, verification__in=COUNTED_VERIFICATION)
        .select_related("person", "constituency").order_by("person__display_name", "person__pseudonym")
    )
    return [(str(m.person_id), f"{m.person.display_name or m.person.pseudonym} ({m.constituency.name})")
            for m in members]


class PartyForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of party", choices=PartyKind.choices, widget=forms.RadioSelect)
    label = forms.CharField(label="Name of the organisation or group", required=False, max_length=200,
                            help_text="Leave empty for an individual: they appear as they chose to.")
    organisation = forms.ChoiceField(label="Or choose a known organisation", required=False)
    representative = forms.ChoiceField(
        label="Who accepts the agreement for this party", help_text="A member of this network. For an individual, "
        "the person themself.", error_messages={"required": "Choose who accepts for this party."})
    share_percent = forms.CharField(
        label="Share (%)", required=False, max_length=12,
        help_text="Fixed shares only: of what is left after reinvestment. All shares must add up to exactly 100.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "decimal"}))
    team_members = forms.MultipleChoiceField(
        label="Whose logged contributions count for this party", required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Shares from contributions only.")

    def __init__(self, *args: Any, version: AgreementVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        network = version.agreement.network
        self.fields["representative"].choices = [("", "Choose a member")] + _member_choices(network)
        self.organisations = {str(o.pk): o for o in Organisation.objects.filter(network=network).order_by("name")}
        self.fields["organisation"].choices = [("", "None")] + [(k, o.name) for k, o in self.organisations.items()]
        self.team = {}
        if version.project_id:
            self.team = {str(t.pk): t for t in TeamMember.objects.filter(project_id=version.project_id)
                         .select_related("person").order_by("pk")}
        self.fields["team_members"].choices = [
            (k, f"{t.person.display_name or t.person.pseudonym}, {t.role}") for k, t in self.team.items()]

    def clean_organisation(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data.get("organisation") or "")

    def clean_team_members(self) -> list[TeamMember]:
        return [self.team[k] for k in self.cleaned_data.get("team_members") or []]


class RateForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of contribution", choices=ContributionKind.choices)
    rate = forms.CharField(label="Agreed value of one unit (£)", max_length=14,
                           help_text="Per hour for time, lived experience and expertise; per item for data and IP; "
                                     "money counts at face value unless you set a rate.",
                           widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "inputmode": "decimal"}))


class EventForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What is it?", choices=EventKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose what kind of money this is."})
    amount = forms.CharField(label="Amount (£)", max_length=20, help_text="In pounds and pence, for example 1250.00.",
                             error_messages={"required": "Enter the amount in pounds."},
                             widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "inputmode": "decimal"}))
    occurred_on = forms.DateField(
        label="Date received or saved",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "nhsuk-input--width-10"}),
        error_messages={"required": "Enter the date.", "invalid": "Enter a real date."})
    payer = forms.CharField(label="Who paid (or whose budget was saved)", required=False, max_length=200)
    description = forms.CharField(label="What for", required=False, max_length=300)
    reference = forms.CharField(
        label="Reference (optional)", required=False, max_length=100,
        help_text="The invoice or remittance number. The same reference is only ever posted once.")
    token = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("token", "form-" + secrets.token_urlsafe(16))
        kwargs["initial"].setdefault("occurred_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    @property
    def idempotency_key(self) -> str:
        """The reference if given, else the form's one-time token (so a double click posts once)."""
        return (self.cleaned_data.get("reference") or "").strip() or self.cleaned_data["token"]


class ReverseForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why is this posting being reversed?", max_length=300,
                             help_text="This goes on the public record.",
                             error_messages={"required": "Say why the posting is being reversed."})
