"""Forms for setting up events (facilitators, on a laptop) and registering (anyone, often on a phone)."""

from __future__ import annotations

from typing import Any

from django import forms

from innovatorium.challenges.models import Challenge
from innovatorium.core.forms import NHSFormMixin
from innovatorium.events import services
from innovatorium.events.models import EventKind
from innovatorium.networks.models import ConstituencyKind
from innovatorium.projects.models import Programme, Project

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _when(label: str, required_message: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        help_text="For example, 2026-05-14 10:00 (UK time).",
        error_messages={"required": required_message, "invalid": "Enter a date and time, like 2026-05-14 10:00."},
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "class": "nhsuk-input nhsuk-input--width-20"},
                                   format=DATETIME_FORMAT),
    )


class EventForm(NHSFormMixin, forms.Form):
    title = forms.CharField(label="Title", error_messages={"required": "Give the event a title."})
    kind = forms.ChoiceField(label="Kind of event", choices=EventKind.choices)
    description = forms.CharField(
        label="What it is for and who should come", widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what the event is for and who should come."},
    )
    starts_at = _when("Starts", "Enter when the event starts.")
    ends_at = _when("Ends", "Enter when the event ends.")
    place = forms.CharField(label="Place (if in person)", required=False,
                            help_text="The full address, including the postcode.")
    online_link = forms.URLField(label="Online joining link (if online)", required=False, assume_scheme="https",
                                 error_messages={"invalid": "Enter the joining link as a web address."})
    accessibility = forms.CharField(
        label="Accessibility", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Step-free access, toilets, hearing loop, captions, BSL, quiet room, breaks, travel costs paid.",
    )
    capacity = forms.IntegerField(
        label="Places (optional)", required=False, help_text="Leave empty for no limit.",
        error_messages={"invalid": "Enter a whole number, like 40, or leave it empty."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-5"}),
    )
    programme = forms.ChoiceField(label="Programme (optional)", required=False,
                                  help_text="The network's workstream this event is part of.")

    def __init__(self, *args: Any, network: Any, **kwargs: Any) -> None:
        self.network = network
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", "None")] + list(
            Programme.objects.filter(network=network).values_list("slug", "name"))

    def chosen_programme(self) -> Programme | None:
        slug = self.cleaned_data.get("programme")
        return Programme.objects.filter(network=self.network, slug=slug).first() if slug else None

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"title": data["title"], "kind": data["kind"], "description": data["description"],
                "starts_at": data["starts_at"], "ends_at": data["ends_at"], "place": data["place"],
                "online_link": data["online_link"], "accessibility": data["accessibility"],
                "capacity": data["capacity"], "programme": self.chosen_programme()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        errors = services.validate_event_fields(
            title=data.get("title") or "", description=data.get("description") or "", kind=data.get("kind") or "",
            starts_at=data.get("starts_at"), ends_at=data.get("ends_at"), place=data.get("place") or "",
            online_link=data.get("online_link") or "", accessibility=data.get("accessibility") or "",
            capacity=data.get("capacity"),
        )
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class RegisterForm(NHSFormMixin, forms.Form):
    access_needs = forms.CharField(
        label="Anything we should arrange so you can take part? (optional)", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: step-free access, a BSL interpreter, large print, a quiet space, dietary needs. "
                  "Only the event's organisers see this.",
    )

    def clean_access_needs(self) -> str:
        text = self.cleaned_data["access_needs"].strip()
        limit = services.LIMITS["access_needs"]
        if len(text) > limit:
            raise forms.ValidationError(f"Keep this to {limit:,} characters or fewer. It has {len(text):,}.")
        return text


class SpeakerForm(NHSFormMixin, forms.Form):
    name = forms.CharField(label="Speaker's name", error_messages={"required": "Give the speaker's name."})
    constituency_kind = forms.ChoiceField(label="Partner group they speak for", choices=ConstituencyKind.choices)
    topic = forms.CharField(label="Topic (optional)", required=False)


class CancelEventForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why is the event cancelled?", help_text="Everyone can read this.",
                             error_messages={"required": "Say why the event is cancelled."})


class MinutesForm(NHSFormMixin, forms.Form):
    text = forms.CharField(label="Minutes and outcomes", widget=forms.Textarea(attrs={"rows": 10}),
                           help_text="Public: what was discussed, what was agreed and who will do what next.",
                           error_messages={"required": "Write the minutes: what was discussed and what was agreed."})
    challenges = forms.ModelMultipleChoiceField(
        label="Needs this event advanced (optional)", required=False, queryset=Challenge.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    projects = forms.ModelMultipleChoiceField(
        label="Projects this event moved on (optional)", required=False, queryset=Project.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, network: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["challenges"].queryset = Challenge.objects.filter(network=network).order_by("title")
        self.fields["projects"].queryset = Project.objects.filter(network=network).order_by("title")

    def checkbox_fields(self) -> list[forms.BoundField]:
        return [self["challenges"], self["projects"]]
