"""Challenges: needs raised by patients, carers and staff, with supporters counted per constituency."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone


class ChallengeStatus(models.TextChoices):
    OPEN = "open", "Open"
    BEING_PRIORITISED = "being_prioritised", "Being prioritised"
    MATCHED = "matched", "Matched with an innovation"
    IN_CO_PRODUCTION = "in_co_production", "In co-production"
    ADDRESSED = "addressed", "Addressed"
    CLOSED = "closed", "Closed"


class Challenge(models.Model):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="challenges")
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=200)
    description = models.TextField()
    who_is_affected = models.CharField(max_length=300, blank=True)
    people_affected = models.PositiveIntegerField(null=True, blank=True, help_text="Roughly how many people.")
    care_setting = models.ForeignKey(
        "atlas.TaxonomyTerm", on_delete=models.PROTECT, null=True, blank=True, related_name="challenges_in_setting"
    )
    clinical_area = models.ForeignKey(
        "atlas.TaxonomyTerm", on_delete=models.PROTECT, null=True, blank=True, related_name="challenges_in_area"
    )
    raised_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="challenges_raised"
    )
    raiser_constituency = models.ForeignKey(
        "networks.Constituency", on_delete=models.PROTECT, null=True, blank=True, related_name="challenges_raised"
    )
    status = models.CharField(max_length=20, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN)
    closed_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="challenge_unique_slug_per_network"),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(closed_reason=""),
                name="challenge_closed_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", kwargs={"network_slug": self.network.slug, "challenge_slug": self.slug})


class ChallengeSupport(models.Model):
    """One supporter per member; the constituency is kept so support can be shown per partner group."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="supports")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="challenge_supports")
    constituency = models.ForeignKey("networks.Constituency", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "person"], name="challenge_support_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"support for {self.challenge_id}"


class FacilitatorResponse(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"response to {self.challenge_id}"
