"""Priority-setting rounds in the James Lind Alliance shape: longlist -> interim -> shortlist -> final -> top 10.

Secrecy is in the schema: a `Ballot` has no foreign key that leads to a person. Who may vote is the frozen
`Elector` list; who has voted is the `VoterRoll`. While a round is open the roll keeps a random secret per voter,
from which the ballot's opaque `key` (so a changed ballot replaces the old one) and the voter's receipt are
derived. When a secret round closes the secrets and keys are erased, and nothing in the database links a ballot
to a voter any more. (Non-secret rounds keep them, so members can look up their receipt later.)
"""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone


class Stage(models.TextChoices):
    LONGLIST = "longlist", "Longlist"
    INTERIM = "interim", "Interim priority setting"
    SHORTLIST = "shortlist", "Shortlist"
    FINAL = "final", "Final priority setting"
    PUBLISHED = "published", "Published top 10"


STAGE_ORDER = [s.value for s in Stage]


class VotingMethod(models.TextChoices):
    APPROVAL = "approval", "Approval: tick every option you support"
    SCORE = "score", "Score: give each option 0 to 5"
    BORDA = "borda", "Borda count: rank the options"
    IRV = "irv", "Instant-runoff: rank the options, one winner"
    STV = "stv", "Single transferable vote: rank the options, several winners"


RANKED = frozenset({VotingMethod.BORDA, VotingMethod.IRV, VotingMethod.STV})


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for voting"
    CLOSED = "closed", "Closed and counted"


class Round(models.Model):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="priority_rounds")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.INTERIM)
    method = models.CharField(max_length=20, choices=VotingMethod.choices, default=VotingMethod.APPROVAL)
    seats = models.PositiveSmallIntegerField(default=10, help_text="How many priorities come out of the round.")
    top_n = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The most options a voter may pick or rank (empty: no limit)."
    )
    secret = models.BooleanField(default=True, help_text="Secret ballot: nobody can see how a member voted.")
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_rounds",
        help_text="The round whose top results this one's options came from.",
    )
    election_id = models.CharField(
        max_length=160, unique=True, help_text="Fixed at creation; seeds the published tie-break order."
    )
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["network", "slug"], name="priority_round_unique_slug")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("priorities:detail", kwargs={"network_slug": self.network.slug, "round_slug": self.slug})

    @property
    def is_ranked(self) -> bool:
        return self.method in RANKED


class RoundOption(models.Model):
    """One thing to vote on: a challenge (need) of the network, or free text."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.SET_NULL, null=True, blank=True, related_name="priority_options"
    )
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["round_id", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "position"], name="priority_option_position")]

    def __str__(self) -> str:
        return self.text

    @property
    def option_id(self) -> str:
        """The id the count, the export and the tie-break order use."""
        return f"option-{self.position}"


class Elector(models.Model):
    """The frozen electorate: who could vote, and in which kind of constituency, when the round opened."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="electors")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="priority_electorates")
    constituency_kind = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="priority_elector_once")]

    def __str__(self) -> str:
        return f"elector in round {self.round_id}"


class VoterRoll(models.Model):
    """Who has voted (never how). `secret` exists only to derive the ballot key and the receipt."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="roll")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="priority_roll")
    has_voted = models.BooleanField(default=False)
    secret = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="priority_roll_once")]

    def __str__(self) -> str:
        return f"roll entry in round {self.round_id}"


class Ballot(models.Model):
    """How someone voted, never who: no foreign key here leads to a person (a test checks the schema).

    `marks` is the canonical text (``a>b>c``, ``a|b``, ``a=5|b=2``); `packed` holds the same marks as one byte
    per option (ranked: option indices best first, 255 after the last; approval: 0/1; score: 0-5) so a big
    count can build its array straight from the table.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ballots")
    key = models.CharField(max_length=64, null=True, blank=True)
    receipt = models.CharField(max_length=64)
    constituency_kind = models.CharField(max_length=20)
    marks = models.TextField(blank=True)
    packed = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="priority_ballot_one_per_key"),
            models.UniqueConstraint(fields=["round", "receipt"], name="priority_ballot_unique_receipt"),
        ]

    def __str__(self) -> str:
        return f"ballot {self.receipt[:12]}"


class Result(models.Model):
    """The full count of a closed round: raw, balanced, per constituency, with every step."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="result")
    data = models.JSONField()
    ballots = models.PositiveIntegerField()
    ballot_set_hash = models.CharField(max_length=64)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"result of round {self.round_id}"
