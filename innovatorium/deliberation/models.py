"""Deliberation: conversations in the Pol.is shape. Short statements, agree / disagree / pass, opinion groups.

A participant is either a signed-in person or a pseudonymous browser: for those only a hash of a random cookie
value is stored, so the database cannot tell who they are. Votes are never on the public record one by one.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

STATEMENT_LIMIT = 280


class ConversationStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Conversation(models.Model):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="conversations")
    slug = models.SlugField(max_length=120)
    question = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.OPEN)
    allow_anonymous = models.BooleanField(
        default=True, help_text="Anyone may take part without an account. Otherwise only the network's members."
    )
    created_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations_opened"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_vote_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="conversation_unique_slug_per_network"),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return self._url("conversation")

    def _url(self, name: str) -> str:
        return reverse(f"deliberation:{name}", kwargs={"network_slug": self.network.slug, "slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.status == ConversationStatus.OPEN

    @property
    def report_url(self) -> str:
        return self._url("report")


class Participant(models.Model):
    """One person or one pseudonymous browser in one conversation, with the partner group they belonged to."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="deliberation_participations"
    )
    anonymous_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the browser's random token.")
    constituency = models.ForeignKey(
        "networks.Constituency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    constituency_kind = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "person"], condition=Q(person__isnull=False),
                name="participant_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["conversation", "anonymous_hash"], condition=~Q(anonymous_hash=""),
                name="participant_once_per_browser",
            ),
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(anonymous_hash=""))
                | (Q(person__isnull=True) & ~Q(anonymous_hash="")),
                name="participant_person_or_browser",
            ),
        ]
        # Finding a browser's participant (every vote): SQLite cannot use the partial unique index above for
        # `anonymous_hash = ...`, and scanning 100,000 participants of a national conversation took 13 ms.
        indexes = [models.Index(fields=["conversation", "anonymous_hash"], name="delib_participant_browser")]

    def __str__(self) -> str:
        return f"participant {self.pk} in {self.conversation_id}"

    @property
    def rate_key(self) -> str:
        return f"person:{self.person_id}" if self.person_id else f"browser:{self.anonymous_hash}"


class StatementStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a facilitator"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Not accepted"


class Statement(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(max_length=STATEMENT_LIMIT)
    author = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    is_seed = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=StatementStatus.choices, default=StatementStatus.PENDING)
    rejection_reason = models.CharField(max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Running tallies of the current votes, kept by services.vote_cast in the vote's own transaction, so that
    # choosing the next statement never counts a million votes. services.tallies_rebuild recounts them.
    n_votes = models.PositiveIntegerField(default=0, editable=False)
    n_agree = models.PositiveIntegerField(default=0, editable=False)
    n_disagree = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["conversation", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="statement_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class VoteValue(models.IntegerChoices):
    AGREE = 1, "Agree"
    DISAGREE = -1, "Disagree"
    PASS = 0, "Pass / unsure"


VOTE_WORDS = {"agree": VoteValue.AGREE, "disagree": VoteValue.DISAGREE, "pass": VoteValue.PASS}


class Vote(models.Model):
    """One participant's current answer on one statement: a changed vote replaces the old one."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="vote_once_per_statement"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_in_range"),
        ]
        indexes = [models.Index(fields=["conversation", "statement"])]

    def __str__(self) -> str:
        return f"vote {self.value} on {self.statement_id}"


class AnalysisSnapshot(models.Model):
    """The latest opinion analysis of a conversation, as JSON (innovatorium.opinion's to_dict()).

    `statement_ids[i]` and `participant_ids[i]` say which rows the analysis's indices stand for.
    """

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="analysis")
    result = models.JSONField()
    statement_ids = models.JSONField(default=list)
    participant_ids = models.JSONField(default=list)
    vote_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)
    compute_seconds = models.FloatField(default=0, help_text="How long the run took (it paces the next one).")
    map_svg = models.TextField(blank=True, help_text="The opinion map, drawn on first view of this snapshot.")

    def __str__(self) -> str:
        return f"analysis of {self.conversation_id} at {self.computed_at:%Y-%m-%d %H:%M}"
