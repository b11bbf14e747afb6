"""Forms for running a project from a laptop, and for logging a contribution from a phone."""

from __future__ import annotations

from typing import Any

from django import forms

from innovatorium.atlas.models import Innovation
from innovatorium.challenges.models import Challenge
from innovatorium.core.forms import NHSFormMixin
from innovatorium.networks.models import Network
from innovatorium.people.models import COUNTED_VERIFICATION, Membership
from innovatorium.projects.models import (
    AgeBand,
    ContributionKind,
    ContributionUnit,
    DisabilityAnswer,
    EthnicGroup,
    InvolvementDepth,
    MilestoneStatus,
    Programme,
    Project,
    ProjectStatus,
)


def _date(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label, help_text=help_text or "For example, 27 3 2025: use the date picker or type it.",
        widget=forms.DateInput(attrs={"type": "date", "class": "nhsuk-input--width-10"}),
        error_messages={"required": "Enter a date.", "invalid": "Enter a real date."},
    )


def _text(label: str, *, rows: int = 3, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows, "spellcheck": "true"}))


class ProgrammeForm(NHSFormMixin, forms.Form):
    name = forms.CharField(label="Programme name", max_length=200,
                           error_messages={"required": "Give the programme a name."})
    theme = _text("What the programme is for", rows=4, required=False)


class ProjectForm(NHSFormMixin, forms.Form):
    title = forms.CharField(label="Project title", max_length=200,
                            error_messages={"required": "Give the project a title."})
    summary = _text("Summary", rows=5, help_text="What the project will do, and for whom. Everyone can read this.")
    challenge = forms.ChoiceField(label="The need it starts from", required=False)
    innovation = forms.ChoiceField(label="The innovation it starts from", required=False)
    programme = forms.ChoiceField(label="Programme (optional)", required=False)
    contribution_values_private = forms.BooleanField(
        label="Our agreement keeps the value of contributions private", required=False,
        help_text="What people gave stays public; only its agreed value in pounds is hidden.",
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        self.network = network
        super().__init__(*args, **kwargs)
        self.fields["challenge"].choices = [("", "None")] + list(
            Challenge.objects.filter(network=network).order_by("title").values_list("slug", "title")
        )
        self.fields["innovation"].choices = [("", "None")] + list(
            Innovation.objects.filter(network=network).order_by("name").values_list("slug", "name")
        )
        self.fields["programme"].choices = [("", "None")] + list(
            Programme.objects.filter(network=network).values_list("slug", "name")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("challenge") and not data.get("innovation") and not self.errors:
            self.add_error("challenge", "Start the project from a need, an innovation, or both.")
        return data

    def objects(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "challenge": Challenge.objects.filter(network=self.network, slug=data["challenge"]).first()
            if data["challenge"] else None,
            "innovation": Innovation.objects.filter(network=self.network, slug=data["innovation"]).first()
            if data["innovation"] else None,
            "programme": Programme.objects.filter(network=self.network, slug=data["programme"]).first()
            if data["programme"] else None,
        }


class TeamMemberForm(NHSFormMixin, forms.Form):
    person = forms.TypedChoiceField(label="Member", coerce=int,
                                    error_messages={"required": "Choose who is joining the team."})
    role = forms.CharField(label="Role in the project", max_length=120,
                           help_text="For example: patient partner, clinical lead, developer.",
                           error_messages={"required": "Say what their role is."})
    depth = forms.TypedChoiceField(
        label="How deeply are they involved?", coerce=int, choices=InvolvementDepth.choices,
        initial=InvolvementDepth.CO_PRODUCE,
        help_text="Inform → consult → involve → collaborate → co-produce → lead.",
    )
    paid = forms.BooleanField(label="Their involvement is paid", required=False)
    hourly_rate = forms.DecimalField(
        label="Hourly rate in pounds (if paid)", required=False, min_value=0, max_digits=8, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
        error_messages={"invalid": "Enter an amount in pounds, like 25 or 18.50."},
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on_team = project.team.values("person_id")
        memberships = (
            Membership.objects.filter(network=project.network, verification__in=COUNTED_VERIFICATION)
            .exclude(person_id__in=on_team).select_related("person", "constituency").order_by("person__display_name")
        )
        self.fields["person"].choices = [("", "Choose a member")] + [
            (m.person_id, f"{m.person.display_name or m.person.pseudonym} ({m.constituency.name})")
            for m in memberships
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("paid") and data.get("hourly_rate") is None and "hourly_rate" not in self.errors:
            self.add_error("hourly_rate", "Give the hourly rate for paid involvement, in pounds.")
        return data


class MilestoneForm(NHSFormMixin, forms.Form):
    title = forms.CharField(label="Milestone", max_length=200, error_messages={"required": "Name the milestone."})
    due_on = _date("Due date")


class MilestoneUpdateForm(NHSFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", choices=MilestoneStatus.choices)


class IterationForm(NHSFormMixin, forms.Form):
    title = forms.CharField(label="Name of this version", max_length=200,
                            error_messages={"required": "Name this version of the prototype."})
    what_changed = _text("What changed")
    why = _text("Why it changed", help_text="For example, what people said in the last user test.")
    occurred_on = _date("Date")


class UserTestForm(NHSFormMixin, forms.Form):
    what_was_tested = forms.CharField(label="What was tested", max_length=300,
                                      error_messages={"required": "Say what was tested."})
    iteration = forms.ChoiceField(label="Version tested (optional)", required=False)
    occurred_on = _date("Date of the test")
    findings = _text("What you found", rows=5)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        self.constituencies = list(project.network.constituencies.filter(is_active=True))
        super().__init__(*args, **kwargs)
        self.fields["iteration"].choices = [("", "Not a particular version")] + [
            (str(i.number), f"{i.number}: {i.title}") for i in project.iterations.all()
        ]
        for c in self.constituencies:
            self.fields[f"participants_{c.slug}"] = forms.IntegerField(
                label=c.name, required=False, min_value=0, max_value=100_000,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input nhsuk-input--width-4"}),
                error_messages={"invalid": "Enter a whole number, like 6.",
                                "min_value": "Enter 0 or more.", "max_value": "Enter 100,000 or fewer."},
            )

    def participant_fields(self) -> list[forms.BoundField]:
        return [self[f"participants_{c.slug}"] for c in self.constituencies]

    def participants(self) -> dict[str, int]:
        return {c.slug: self.cleaned_data.get(f"participants_{c.slug}") or 0 for c in self.constituencies}


class DecisionForm(NHSFormMixin, forms.Form):
    decided_by = forms.CharField(label="Who decided", max_length=200,
                                 help_text="For example: the whole team, by consensus.",
                                 error_messages={"required": "Say who decided."})
    options_considered = _text("Options considered", rows=4, help_text="One option per line.")
    decision = _text("What was decided, and why")
    decided_on = _date("Date of the decision")


class ContributionForm(NHSFormMixin, forms.Form):
    """Short and phone-friendly: what kind, how much, when, a sentence about it."""

    team_member = forms.TypedChoiceField(label="Whose contribution is this?", coerce=int, required=False)
    kind = forms.ChoiceField(
        label="What did you give?", choices=[("", "Choose one"), *ContributionKind.choices],
        error_messages={"required": "Choose what kind of contribution it was."},
    )
    quantity = forms.DecimalField(
        label="How much?", max_digits=12, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-5"}),
        error_messages={"required": "Enter how much: a number of hours, pounds or items.",
                        "invalid": "Enter a number, like 2 or 1.5.",
                        "max_decimal_places": "Use at most two decimal places."},
    )
    unit = forms.ChoiceField(label="Counted in", choices=[
        (ContributionUnit.HOURS, "Hours"), (ContributionUnit.GBP, "Pounds (£)"), (ContributionUnit.ITEMS, "Items"),
    ])
    occurred_on = _date("When?")
    description = forms.CharField(
        label="What did you do or give?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences. Everyone can read this.",
        error_messages={"required": "Say briefly what you did or gave."},
    )

    def __init__(self, *args: Any, project: Project, for_others: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if for_others:
            self.fields["team_member"].choices = [("", "Me")] + [
                (m.pk, f"{m.person.display_name or m.person.pseudonym} ({m.role})")
                for m in project.team.select_related("person")
            ]
        else:
            del self.fields["team_member"]


class ReverseForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why reverse this entry?", max_length=480,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Say why this entry is being reversed."})


def _radios(label: str, choices: type, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, help_text=help_text, widget=forms.RadioSelect,
                             choices=list(choices.choices))


class ParticipantProfileForm(NHSFormMixin, forms.Form):
    """Every question is optional; leaving all of them blank deletes what was saved before."""

    age_band = _radios("How old are you?", AgeBand)
    ethnic_group = _radios("What is your ethnic group?", EthnicGroup,
                           help_text="The groups used by the 2021 Census, so we can compare with the region.")
    disability = _radios(
        "Are your day-to-day activities limited because of a health problem or disability which has lasted, "
        "or is expected to last, at least 12 months?", DisabilityAnswer,
        help_text="Include problems related to old age.",
    )
    postcode = forms.CharField(
        label="The first part of your home postcode", required=False,
        help_text="For example, SO23 or M1. If you enter a full postcode we keep only the first part.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "autocomplete": "off"}),
    )

    def clean_postcode(self) -> str:
        from innovatorium.projects.services import postcode_district

        try:
            return postcode_district(self.cleaned_data["postcode"])
        except ValueError:
            raise forms.ValidationError(
                "Enter the first part of your postcode, like SO23 or M1, or leave it blank.") from None

    def radio_fields(self) -> list[forms.BoundField]:
        return [self["age_band"], self["ethnic_group"], self["disability"]]


class ProjectEditForm(NHSFormMixin, forms.Form):
    title = forms.CharField(label="Project title", max_length=200,
                            error_messages={"required": "Give the project a title."})
    summary = _text("Summary", rows=5, help_text="What the project will do, and for whom. Everyone can read this.")
    programme = forms.ChoiceField(label="Programme (optional)", required=False)
    status = forms.ChoiceField(label="Status", choices=ProjectStatus.choices)

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        self.network = network
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "None")] + list(
            Programme.objects.filter(network=network).values_list("slug", "name")
        )

    def chosen_programme(self) -> Programme | None:
        slug = self.cleaned_data.get("programme")
        return Programme.objects.filter(network=self.network, slug=slug).first() if slug else None
