"""The Innovation Exchange: innovators' expressions of interest in needs, and brokered introductions."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ExpressionOfInterest(models.Model):
    """An innovator says their innovation could meet a challenge."""

    challenge = models.ForeignKey("challenges.Challenge", on_delete=models.CASCADE, related_name="interests")
    innovation = models.ForeignKey("atlas.Innovation", on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "innovation"], name="interest_once_per_pair"),
        ]

    def __str__(self) -> str:
        return f"interest {self.innovation_id} → {self.challenge_id}"


class IntroductionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    INTRODUCED = "introduced", "Introduced"
    IN_DISCUSSION = "in_discussion", "In discussion"
    PILOTING = "piloting", "Piloting"
    ADOPTED = "adopted", "Adopted"
    DECLINED = "declined", "Declined"


# Where an introduction may go next. Declining is possible at any open step, and needs a reason.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    IntroductionStatus.PROPOSED: (IntroductionStatus.INTRODUCED, IntroductionStatus.DECLINED),
    IntroductionStatus.INTRODUCED: (IntroductionStatus.IN_DISCUSSION, IntroductionStatus.DECLINED),
    IntroductionStatus.IN_DISCUSSION: (IntroductionStatus.PILOTING, IntroductionStatus.DECLINED),
    IntroductionStatus.PILOTING: (IntroductionStatus.ADOPTED, IntroductionStatus.DECLINED),
    IntroductionStatus.ADOPTED: (),
    IntroductionStatus.DECLINED: (),
}


class Introduction(models.Model):
    """A facilitator brokers an introduction between a need and an innovation, and follows what came of it."""

    challenge = models.ForeignKey("challenges.Challenge", on_delete=models.CASCADE, related_name="introductions")
    innovation = models.ForeignKey("atlas.Innovation", on_delete=models.CASCADE, related_name="introductions")
    brokered_by = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=20, choices=IntroductionStatus.choices, default=IntroductionStatus.PROPOSED)
    declined_reason = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_activity_at"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "innovation"], name="introduction_once_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(declined_reason=""),
                name="introduction_declined_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "last_activity_at"])]

    def __str__(self) -> str:
        return f"introduction {self.innovation_id} → {self.challenge_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return bool(NEXT_STATUSES[self.status])
