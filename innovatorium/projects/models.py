"""Programmes and co-production projects: teams with their depth of involvement, the story, and contributions.

The contributions log is append-only: a row is never changed or deleted once written. A correction is a new
entry that reverses an old one (same quantity and value, negated), so totals net out and the history stays.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a logged contribution."""


class InvolvementDepth(models.IntegerChoices):
    """How deeply someone is involved, shallowest first (the ladder of participation)."""

    INFORM = 1, "Inform"
    CONSULT = 2, "Consult"
    INVOLVE = 3, "Involve"
    COLLABORATE = 4, "Collaborate"
    CO_PRODUCE = 5, "Co-produce"
    LEAD = 6, "Lead"


class Programme(models.Model):
    """A network's themed workstream (diabetes, dementia, a patient safety collaborative)."""

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="programmes")
    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=200)
    theme = models.TextField(blank=True, help_text="What the programme is for, in plain words.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["network", "slug"], name="programme_unique_slug_per_network")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:programme", kwargs={"network_slug": self.network.slug, "programme_slug": self.slug})


class ProgrammeRoleKind(models.TextChoices):
    LEAD = "lead", "Programme lead"
    PATIENT_PARTNER = "patient_partner", "Patient partner"


class ProgrammeRole(models.Model):
    """A lead or patient partner of a programme, with the constituency they held when they took it on."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="programme_roles")
    constituency = models.ForeignKey("networks.Constituency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=ProgrammeRoleKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "person", "role"], name="programme_role_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.programme_id}"


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    STOPPED = "stopped", "Stopped"


class Project(models.Model):
    """A co-production project, started from a need (challenge), an innovation, or both."""

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="projects")
    programme = models.ForeignKey(
        Programme, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    innovation = models.ForeignKey(
        "atlas.Innovation", on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    status = models.CharField(max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    contribution_values_private = models.BooleanField(
        default=False,
        help_text="The project's agreement keeps the agreed value of contributions private (quantities stay public).",
    )
    started_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["network", "slug"], name="project_unique_slug_per_network")]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"network_slug": self.network.slug, "project_slug": self.slug})


class TeamMember(models.Model):
    """A person on a project's team. Constituency is captured at joining, so later moves do not rewrite history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="project_places")
    constituency = models.ForeignKey("networks.Constituency", on_delete=models.PROTECT, related_name="+")
    constituency_kind = models.CharField(max_length=20, help_text="The constituency's kind when they joined.")
    role = models.CharField(max_length=120, help_text="For example: patient partner, clinical lead, developer.")
    depth = models.PositiveSmallIntegerField(choices=InvolvementDepth.choices, default=InvolvementDepth.INVOLVE)
    paid = models.BooleanField(default=False)
    hourly_rate = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, help_text="Pounds per hour, for paid involvement."
    )
    joined_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-depth", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="team_member_once_per_project"),
            models.CheckConstraint(
                condition=models.Q(paid=False, hourly_rate__isnull=True)
                | models.Q(paid=True, hourly_rate__isnull=False, hourly_rate__gte=0),
                name="team_member_rate_only_when_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} on {self.project_id}"

    @property
    def is_patient_public(self) -> bool:
        return self.constituency_kind == "patients_public"


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"
    DROPPED = "dropped", "Dropped"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED)
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class PrototypeIteration(models.Model):
    """One turn of the prototype: what changed and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="iterations")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    what_changed = models.TextField()
    why = models.TextField()
    occurred_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="iteration_number_once")]

    def __str__(self) -> str:
        return f"Iteration {self.number}: {self.title}"


class UserTest(models.Model):
    """A test of the prototype with people: what was tested, with whom (counted by constituency), findings."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="user_tests")
    iteration = models.ForeignKey(
        PrototypeIteration, on_delete=models.SET_NULL, null=True, blank=True, related_name="user_tests"
    )
    what_was_tested = models.CharField(max_length=300)
    findings = models.TextField()
    occurred_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return self.what_was_tested

    @property
    def participant_total(self) -> int:
        return sum(p.count for p in self.participants.all())


class UserTestParticipants(models.Model):
    user_test = models.ForeignKey(UserTest, on_delete=models.CASCADE, related_name="participants")
    constituency = models.ForeignKey("networks.Constituency", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["constituency__position"]
        constraints = [
            models.UniqueConstraint(fields=["user_test", "constituency"], name="user_test_participants_once"),
        ]

    def __str__(self) -> str:
        return f"{self.count} from {self.constituency_id}"


class Decision(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    decided_on = models.DateField()
    decided_by = models.CharField(max_length=200, help_text="Who decided: for example, the whole team by consensus.")
    options_considered = models.TextField(help_text="One option per line.")
    decision = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_on", "pk"]

    def __str__(self) -> str:
        return self.decision[:60]

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.options_considered.splitlines() if line.strip()]


class ContributionKind(models.TextChoices):
    TIME = "time", "Time"
    LIVED_EXPERIENCE = "lived_experience", "Lived experience"
    EXPERTISE = "expertise", "Expertise"
    DATA = "data", "Data"
    IP = "ip", "Intellectual property"
    MONEY = "money", "Money"


class ContributionUnit(models.TextChoices):
    HOURS = "hours", "hours"
    GBP = "gbp", "£"
    ITEMS = "items", "items"


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Logged contributions cannot be changed. Reverse the entry and log a new one.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Logged contributions cannot be deleted. Reverse the entry instead.")


class Contribution(models.Model):
    """One append-only entry in a project's contributions log."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="contributions")
    team_member = models.ForeignKey(TeamMember, on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(max_length=20, choices=ContributionKind.choices)
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=10, choices=ContributionUnit.choices)
    agreed_value = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="Agreed value in pounds, if any."
    )
    occurred_on = models.DateField()
    description = models.CharField(max_length=500)
    is_value_private = models.BooleanField(default=False)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        help_text="The entry this one cancels (each entry can be reversed once).",
    )
    logged_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="contributions_logged"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0) | models.Q(reverses__isnull=False),
                name="contribution_positive_unless_reversal",
            ),
        ]
        indexes = [models.Index(fields=["project", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} of {self.kind}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Logged contributions cannot be changed. Reverse the entry and log a new one.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Logged contributions cannot be deleted. Reverse the entry instead.")

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def quantity_display(self) -> str:
        q = self.quantity.quantize(Decimal(1)) if self.quantity == self.quantity.to_integral() else self.quantity
        if self.unit == ContributionUnit.GBP:
            return f"£{q:,}" if q >= 0 else f"−£{-q:,}"
        return f"{q:,} {self.get_unit_display()}"



# --- who takes part --------------------------------------------------------------------------------


class AgeBand(models.TextChoices):
    A16_24 = "16-24", "16 to 24"
    A25_34 = "25-34", "25 to 34"
    A35_49 = "35-49", "35 to 49"
    A50_64 = "50-64", "50 to 64"
    A65_74 = "65-74", "65 to 74"
    A75 = "75+", "75 or over"
    PREFER_NOT = "prefer_not", "I prefer not to say"


class EthnicGroup(models.TextChoices):
    """The five high-level ethnic groups of the 2021 Census (ONS)."""

    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Another ethnic group"
    PREFER_NOT = "prefer_not", "I prefer not to say"


class DisabilityAnswer(models.TextChoices):
    """The 2021 Census question: are your day-to-day activities limited by a long-term condition or illness?"""

    YES_A_LOT = "yes_a_lot", "Yes, limited a lot"
    YES_A_LITTLE = "yes_a_little", "Yes, limited a little"
    NO = "no", "No"
    PREFER_NOT = "prefer_not", "I prefer not to say"


class ParticipantProfile(models.Model):
    """What a person chose to tell us about themselves, so the network can see who takes part and who is missing.

    Every answer is optional and private: it is shown only in aggregate (groups under 5 suppressed), is in the
    person's "download my data", and is deleted when they delete it or their account.
    """

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="participant_profile")
    age_band = models.CharField(max_length=12, choices=AgeBand.choices, blank=True)
    ethnic_group = models.CharField(max_length=12, choices=EthnicGroup.choices, blank=True)
    disability = models.CharField(max_length=12, choices=DisabilityAnswer.choices, blank=True)
    postcode_district = models.CharField(
        max_length=4, blank=True, help_text="The first part of a home postcode, like SO23. Never shown on its own.",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"participant profile of person {self.person_id}"

    @property
    def is_empty(self) -> bool:
        return not (self.age_band or self.ethnic_group or self.disability or self.postcode_district)


class DigestSent(models.Model):
    """One network's monthly digest, sent once: a second run for the same month finds this row and stops."""

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month the digest describes.")
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "network_id"]
        constraints = [models.UniqueConstraint(fields=["network", "month"], name="digest_once_per_network_month")]

    def __str__(self) -> str:
        return f"digest for network {self.network_id}, {self.month:%B %Y}"
