"""Events: connection events, workshops, webinars and panels, with speakers, registrations and minutes.

Registrations carry access needs that only the event's organisers see; everything else about an event is public.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from innovatorium.networks.models import ConstituencyKind


class EventKind(models.TextChoices):
    CONNECTION = "connection", "Connection event"
    WORKSHOP = "workshop", "Workshop"
    WEBINAR = "webinar", "Webinar"
    PANEL = "panel", "Panel"


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"


class Event(models.Model):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="events")
    programme = models.ForeignKey(
        "projects.Programme", on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
        help_text="The network's programme (workstream) the event belongs to, if any.",
    )
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EventKind.choices, default=EventKind.CONNECTION)
    description = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True, help_text="The address, for an event in person.")
    online_link = models.URLField(blank=True, help_text="The joining link, for an event online.")
    accessibility = models.TextField(blank=True, help_text="Step-free access, hearing loops, captions, BSL, breaks.")
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty for no limit.")
    status = models.CharField(max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    organisers = models.ManyToManyField("people.Person", blank=True, related_name="events_organised")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="event_unique_slug_per_network"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1), name="event_capacity_positive"
            ),
        ]
        indexes = [models.Index(fields=["network", "status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"network_slug": self.network.slug, "event_slug": self.slug})

    @property
    def is_past(self) -> bool:
        """True once the event has ended."""
        return self.ends_at <= timezone.now()


class Speaker(models.Model):
    """A member of the network, or a named speaker from outside it, with the partner group they speak for."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="talks"
    )
    name = models.CharField(max_length=120, blank=True, help_text="For a speaker who is not a member.")
    constituency_kind = models.CharField(max_length=20, choices=ConstituencyKind.choices)
    topic = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(name=""), name="speaker_is_named"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """An external speaker's name, or a member's public name (a pseudonym unless they consented)."""
        if self.name:
            return self.name
        return self.person.public_name if self.person else "A speaker"

    @property
    def is_patient_or_public(self) -> bool:
        return self.constituency_kind == ConstituencyKind.PATIENTS_PUBLIC


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "On the wait list"
    CANCELLED = "cancelled", "Cancelled"


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="event_registrations")
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    access_needs = models.TextField(blank=True, help_text="Seen only by the event's organisers.")
    created_at = models.DateTimeField(default=timezone.now, help_text="When they joined the queue.")
    attended = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="registration_once_per_person"),
            models.CheckConstraint(
                condition=~models.Q(attended=True) | models.Q(status="confirmed"),
                name="registration_attended_confirmed",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"registration {self.pk} for event {self.event_id}"


class Minutes(models.Model):
    """What happened and what came of it: public once published."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField()
    challenges_advanced = models.ManyToManyField("challenges.Challenge", blank=True, related_name="events_advanced")
    projects_advanced = models.ManyToManyField("projects.Project", blank=True, related_name="events_advanced")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"minutes of event {self.event_id}"
