"""Self-government of a network: bodies with seats reserved per constituency, elections, sortition and motions.

Secrecy is in the schema: an `ElectionBallot` has no foreign key that leads to a person. Who has voted is the
`ElectionVoter` row (unique per election and person, so a second ballot is refused even when two arrive at once).
Motion votes are not secret: a body's members vote in the open, as boards do, and are shown by their public name.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone


class BodyKind(models.TextChoices):
    BOARD = "board", "Board"
    COUNCIL = "council", "Members' council"
    PANEL = "panel", "Panel"


class Body(models.Model):
    """A governing body of one network: its board, members' council, or a panel chosen by lot."""

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="bodies")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=10, choices=BodyKind.choices, default=BodyKind.BOARD)
    purpose = models.TextField(blank=True, help_text="What the body decides, in a sentence or two.")
    term_months = models.PositiveSmallIntegerField(default=36, help_text="How long a seat is held.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["network_id", "kind", "name"]
        verbose_name_plural = "bodies"
        constraints = [models.UniqueConstraint(fields=["network", "slug"], name="governance_body_unique_slug")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:body", kwargs={"network_slug": self.network.slug, "body_slug": self.slug})


class ReservedSeats(models.Model):
    """How many of a body's seats are reserved for one constituency."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="reserved_seats")
    constituency = models.ForeignKey("networks.Constituency", on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["body_id", "constituency__position"]
        constraints = [
            models.UniqueConstraint(fields=["body", "constituency"], name="governance_seats_once_per_constituency")
        ]

    def __str__(self) -> str:
        return f"{self.seats} seats for {self.constituency_id}"


class SeatSource(models.TextChoices):
    ELECTED = "elected", "Elected"
    DRAWN = "drawn", "Drawn by lot"
    APPOINTED = "appointed", "Appointed"


class BodyMember(models.Model):
    """A seat held: by whom, for which constituency, how they got it and for how long."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="body_seats")
    constituency = models.ForeignKey("networks.Constituency", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=SeatSource.choices)
    election = models.ForeignKey("Election", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    draw = models.ForeignKey("Draw", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    started_on = models.DateField(default=timezone.localdate)
    term_ends_on = models.DateField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["body_id", "constituency__position", "started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person"], condition=models.Q(ended_at__isnull=True),
                name="governance_one_current_seat_per_body",
            )
        ]

    def __str__(self) -> str:
        return f"seat on body {self.body_id}"


class ElectionStatus(models.TextChoices):
    NOMINATIONS = "nominations", "Nominations open"
    VOTING = "voting", "Voting open"
    COUNTED = "counted", "Closed and counted"


class Election(models.Model):
    """An election to a body's reserved seats: each constituency's members elect its seats by STV."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="elections")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=ElectionStatus.choices, default=ElectionStatus.NOMINATIONS)
    round_id = models.CharField(max_length=160, unique=True, help_text="Seeds the published tie-break order.")
    created_at = models.DateTimeField(default=timezone.now)
    voting_opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True, help_text="After this no ballot is accepted.")
    counted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:election", kwargs={"network_slug": self.body.network.slug, "pk": self.pk})


class ElectionContest(models.Model):
    """The seats one constituency fills in an election (frozen when the election is called)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="contests")
    constituency = models.ForeignKey("networks.Constituency", on_delete=models.PROTECT, related_name="+")
    seats = models.PositiveSmallIntegerField()
    result = models.JSONField(null=True, blank=True, help_text="The full STV count, stage by stage.")
    ballot_set_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["election_id", "constituency__position"]
        constraints = [
            models.UniqueConstraint(fields=["election", "constituency"], name="governance_contest_once")
        ]

    def __str__(self) -> str:
        return f"contest for {self.constituency_id}"


class Nomination(models.Model):
    """A member standing for their constituency's seats, with a statement voters read."""

    contest = models.ForeignKey(ElectionContest, on_delete=models.CASCADE, related_name="nominations")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="nominations")
    statement = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    elected = models.BooleanField(default=False)

    class Meta:
        ordering = ["contest_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["contest", "person"], name="governance_nominate_once")]

    def __str__(self) -> str:
        return f"nomination {self.pk}"

    @property
    def option_id(self) -> str:
        return f"n{self.pk}"


class ElectionVoter(models.Model):
    """Who has voted in an election (never how). Unique per election: one person, one ballot."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="election_votes")
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="governance_vote_once")]

    def __str__(self) -> str:
        return f"voter in election {self.election_id}"


class ElectionBallot(models.Model):
    """How someone ranked the candidates, never who: no foreign key here leads to a person.

    `ranking` is the candidates' option ids best first, joined by ``>`` (``n12>n5``); `receipt` is a random code
    shown once to the voter so they can find their ballot in the published list.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contest = models.ForeignKey(ElectionContest, on_delete=models.CASCADE, related_name="ballots")
    ranking = models.CharField(max_length=1000, blank=True)
    receipt = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["contest_id", "receipt"]

    def __str__(self) -> str:
        return f"ballot {self.receipt[:10]}"


class Draw(models.Model):
    """A sortition for a panel: the candidate list, the public seed and who was drawn - enough to re-run it."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="draws")
    seed = models.CharField(max_length=200, help_text="Public: anyone can re-run the draw with it.")
    candidates = models.JSONField(help_text="[[pseudonym, constituency slug], ...] as drawn from.")
    candidates_hash = models.CharField(max_length=64)
    quotas = models.JSONField()
    selected = models.JSONField(help_text="{constituency slug: [pseudonym, ...]} in draw order.")
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"draw {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("governance:draw", kwargs={"network_slug": self.body.network.slug, "pk": self.pk})


class MotionKind(models.TextChoices):
    PROPOSAL = "proposal", "Proposal: agree, abstain, disagree or block"
    CONSENT = "consent", "Consent: consent or object"


class Threshold(models.TextChoices):
    MAJORITY = "majority", "More than half"
    TWO_THIRDS = "two_thirds", "At least two thirds"
    THREE_QUARTERS = "three_quarters", "At least three quarters"


class MotionStatus(models.TextChoices):
    OPEN = "open", "Open for votes"
    DECIDED = "decided", "Decided"


class Outcome(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Not passed"
    INQUORATE = "inquorate", "No decision (not quorate)"


class Motion(models.Model):
    """A proposal put to a body. Decided by the pure `ledger.motions.decide` when it closes."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="motions")
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="What the body is asked to agree.")
    interests = models.CharField(
        max_length=500, blank=True,
        help_text="Organisations this motion concerns, separated by commas. Members who declared an interest in "
        "one of them must recuse.",
    )
    kind = models.CharField(max_length=10, choices=MotionKind.choices, default=MotionKind.PROPOSAL)
    quorum = models.PositiveSmallIntegerField(help_text="Votes needed (abstentions count) for a decision.")
    threshold = models.CharField(max_length=20, choices=Threshold.choices, default=Threshold.MAJORITY)
    double_majority = models.BooleanField(
        default=False, help_text="Also needs the threshold within every constituency on the body."
    )
    hide_results = models.BooleanField(default=False, help_text="Hide the votes until the motion closes.")
    status = models.CharField(max_length=10, choices=MotionStatus.choices, default=MotionStatus.OPEN)
    proposed_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    constituencies = models.JSONField(default=list, help_text="The body's constituencies when it opened.")
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    counts = models.JSONField(default=dict)
    by_constituency = models.JSONField(default=dict)
    explanation = models.JSONField(default=list)
    decision = models.TextField(blank=True, help_text="The decision as published.")
    minutes = models.TextField(blank=True, help_text="Minutes of the discussion.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:motion", kwargs={"network_slug": self.body.network.slug, "pk": self.pk})

    @property
    def interest_names(self) -> list[str]:
        return [p.strip() for p in self.interests.split(",") if p.strip()]


class MotionVote(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="votes")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="motion_votes")
    constituency = models.ForeignKey("networks.Constituency", on_delete=models.PROTECT, related_name="+")
    option = models.CharField(max_length=10)
    reason = models.TextField(blank=True)
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["motion_id", "voted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["motion", "person"], name="governance_motion_vote_once")]

    def __str__(self) -> str:
        return f"{self.option} on motion {self.motion_id}"


class Recusal(models.Model):
    """A member standing aside from a motion: because of a declared interest, or of their own accord."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="recusals")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="recusals")
    declaration = models.ForeignKey(
        "people.DeclarationOfInterest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["motion_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["motion", "person"], name="governance_recuse_once")]

    def __str__(self) -> str:
        return f"recusal on motion {self.motion_id}"
