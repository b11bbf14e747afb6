"""Impact "by whose measure": outcome measures proposed by any partner group, their weights, observations, surveys.

A measure belongs to one network and has one subject: an innovation, a co-production project, or the network
itself. Each partner group (constituency) weights every measure through its members' votes (one person, one
weight per measure). Observations are one value per month. A measure may collect its values through a short
survey (a patient-reported experience or outcome measure): the answers are anonymous and aggregate into the
month's observation.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

WEIGHT_MIN = 0
WEIGHT_MAX = 10


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEITHER = "neither", "Neither (we watch it, but no direction is better)"


class SurveyScale(models.TextChoices):
    NONE = "", "No survey: values are entered or imported"
    FIVE = "five", "A 1 to 5 scale (1 = not at all, 5 = completely)"
    ELEVEN = "eleven", "A 0 to 10 scale (0 = worst, 10 = best)"


SCALE_RANGE = {SurveyScale.FIVE: (1, 5), SurveyScale.ELEVEN: (0, 10)}


class Measure(models.Model):
    """One outcome measure: what success means to the partner group that proposed it."""

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="measures")
    innovation = models.ForeignKey(
        "atlas.Innovation", on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="What is counted, and how.")
    unit = models.CharField(max_length=60, help_text="For example: % of patients, bed days, score out of 5.")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    data_source = models.CharField(max_length=300, help_text="Where the numbers come from.")
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    survey_scale = models.CharField(max_length=10, choices=SurveyScale.choices, blank=True, default="")
    survey_question = models.CharField(max_length=300, blank=True)
    survey_open = models.BooleanField(
        default=False, help_text="Anyone with the link may answer the survey, without an account."
    )
    proposed_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="measures_proposed"
    )
    proposed_by_constituency = models.ForeignKey(
        "networks.Constituency", on_delete=models.PROTECT, related_name="measures_proposed"
    )
    recalculate_from = models.JSONField(
        default=list, blank=True,
        help_text="Months (YYYY-MM) from which the chart's limits are recalculated, after a lasting change.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="measure_unique_slug_per_network"),
            models.CheckConstraint(
                condition=models.Q(innovation__isnull=True) | models.Q(project__isnull=True),
                name="measure_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(survey_scale="") | ~models.Q(survey_question=""),
                name="measure_survey_has_question",
            ),
        ]
        indexes = [models.Index(fields=["network", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("impact:measure", kwargs={"network_slug": self.network.slug, "measure_slug": self.slug})

    @property
    def subject_kind(self) -> str:
        return "innovation" if self.innovation_id else "project" if self.project_id else "network"

    @property
    def has_survey(self) -> bool:
        return bool(self.survey_scale)

    @property
    def scale_range(self) -> tuple[int, int] | None:
        return SCALE_RANGE.get(self.survey_scale)


class WeightVote(models.Model):
    """One member's weight for one measure (0 = does not matter to me, 10 = matters most), kept per partner group."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="weight_votes")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="impact_weights")
    constituency = models.ForeignKey("networks.Constituency", on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "person"], name="weight_vote_one_per_person"),
            models.CheckConstraint(condition=models.Q(weight__lte=WEIGHT_MAX), name="weight_vote_in_range"),
        ]
        indexes = [models.Index(fields=["measure", "constituency"])]

    def __str__(self) -> str:
        return f"{self.weight} for {self.measure_id}"


class ObservationSource(models.TextChoices):
    ENTERED = "entered", "Entered"
    IMPORTED = "imported", "Imported from a file"
    SURVEY = "survey", "Survey answers"


class Observation(models.Model):
    """The measure's value for one month (``period`` is the first day of the month)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="observations")
    period = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    source = models.CharField(max_length=10, choices=ObservationSource.choices)
    note = models.CharField(max_length=300, blank=True, help_text="Where this value came from, if not the usual.")
    responses = models.PositiveIntegerField(null=True, blank=True, help_text="Survey answers behind the value.")
    entered_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="impact_observations"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measure_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="observation_one_per_month"),
            models.CheckConstraint(condition=models.Q(period__day=1), name="observation_period_is_month_start"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.period:%Y-%m}: {self.value}"


class SurveyResponse(models.Model):
    """One anonymous survey answer. No person, no address: only a hash that stops one browser answering twice a
    month. The comment is read by the network's facilitators and never shown publicly."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="survey_responses")
    period = models.DateField()
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=1000)
    respondent_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period", "respondent_hash"], name="survey_once_a_month"),
        ]
        indexes = [models.Index(fields=["measure", "period"])]

    def __str__(self) -> str:
        return f"{self.score} for {self.measure_id}"
