"""Benefit-sharing agreements per innovation, and the double-entry ledger of what innovations earn and save.

An ``Agreement`` belongs to one innovation and has numbered ``AgreementVersion``s: an amendment is a new version,
and old versions are kept (and shown). A version is drafted by a facilitator (parties, shares or rates, the
reinvestment share to the network's community fund, which fields are public), then proposed; it is adopted when
every party's representative has accepted it, and the version it amends is then superseded.

Money arrives as a ``BenefitEvent`` (licence income, royalties, cash-releasing savings, grants) posted under the
adopted version. Its ``Posting`` holds balanced ``PostingLine``s (they sum to zero): the source account is debited
with the whole amount and each party (and the community fund) is credited its largest-remainder allocation. A
mistake is put right by a reversal posting, never by changing or deleting anything: postings and lines refuse
updates and deletes.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete a posting: the ledger only grows."""


class EventKind(models.TextChoices):
    # Codes match innovatorium.ledger.postings.KINDS.
    LICENCE_INCOME = "licence_income", "Licence income"
    ROYALTIES = "royalties", "Royalties"
    CASH_RELEASING_SAVINGS = "cash_releasing_savings", "Cash-releasing savings"
    GRANT = "grant", "Grant"


EARNED_KINDS = (EventKind.LICENCE_INCOME, EventKind.ROYALTIES, EventKind.GRANT)
SAVED_KINDS = (EventKind.CASH_RELEASING_SAVINGS,)


class Basis(models.TextChoices):
    FIXED = "fixed", "Fixed shares"
    CONTRIBUTIONS = "contributions", "From the project's contributions log, at agreed rates"


class PartyKind(models.TextChoices):
    ORGANISATION = "organisation", "Organisation"
    PATIENT_GROUP = "patient_group", "Patient or community group"
    INDIVIDUAL = "individual", "Individual"


class Agreement(models.Model):
    """The benefit-sharing agreement of one innovation (its terms live in its versions)."""

    innovation = models.OneToOneField("atlas.Innovation", on_delete=models.PROTECT, related_name="benefit_agreement")
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="benefit_agreements")
    created_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["innovation__name"]

    def __str__(self) -> str:
        return f"Benefit-sharing agreement for {self.innovation}"

    def get_absolute_url(self) -> str:
        return reverse("benefits:agreement", kwargs={
            "network_slug": self.network.slug, "innovation_slug": self.innovation.slug})


class Party(models.Model):
    """Someone who shares in an innovation's benefits, stable across the agreement's versions.

    ``label`` is what the agreement calls the party (an organisation's or group's name). For an individual the
    public name follows the person's own choice (``Person.public_name``), never the label.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="parties")
    kind = models.CharField(max_length=20, choices=PartyKind.choices)
    label = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    representative = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="benefit_parties",
        help_text="Who accepts the agreement for this party (the individual themself).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return self.public_label

    @property
    def network_id(self) -> int:
        return self.agreement.network_id

    @property
    def public_label(self) -> str:
        """The party's name as anyone may see it: an individual only by their own consent, else a pseudonym."""
        if self.kind == PartyKind.INDIVIDUAL:
            return self.representative.public_name
        return self.label or (self.organisation.name if self.organisation_id else "Unnamed party")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PROPOSED = "proposed", "Waiting for the parties to accept"
    ADOPTED = "adopted", "Adopted"
    SUPERSEDED = "superseded", "Replaced by a later version"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AgreementVersion(models.Model):
    """One version of an agreement's terms. Drafts change; once proposed, a version never changes again."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    basis = models.CharField(max_length=20, choices=Basis.choices, default=Basis.FIXED)
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="For shares from contributions: the project whose contributions log counts.",
    )
    reinvestment_percent = models.DecimalField(
        max_digits=7, decimal_places=4, default=Decimal("0"),
        help_text="The share of every payment that goes first to the network's community fund.",
    )
    public_party_names = models.BooleanField(default=True)
    public_party_amounts = models.BooleanField(default=True)
    public_event_details = models.BooleanField(default=True)
    summary = models.TextField(blank=True, help_text="What this version says or changes, in plain words.")
    created_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    proposed_at = models.DateTimeField(null=True, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="benefits_version_number_once"),
            models.UniqueConstraint(
                fields=["agreement"], condition=models.Q(status="adopted"), name="benefits_one_adopted_version"
            ),
            models.UniqueConstraint(
                fields=["agreement"], condition=models.Q(status__in=["draft", "proposed"]),
                name="benefits_one_open_version",
            ),
            models.CheckConstraint(
                condition=models.Q(reinvestment_percent__gte=0) & models.Q(reinvestment_percent__lte=100),
                name="benefits_reinvestment_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} (version {self.number})"

    def get_absolute_url(self) -> str:
        return reverse("benefits:version", kwargs={
            "network_slug": self.agreement.network.slug, "innovation_slug": self.agreement.innovation.slug,
            "number": self.number})

    @property
    def network_id(self) -> int:
        return self.agreement.network_id

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class VersionParty(models.Model):
    """A party's place in one version: its fixed share (or the rates decide it) and its acceptance."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="terms")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="terms")
    share_percent = models.DecimalField(
        max_digits=7, decimal_places=4, null=True, blank=True,
        help_text="Fixed shares only: this party's percentage of what is left after reinvestment.",
    )
    team_members = models.ManyToManyField(
        "projects.TeamMember", blank=True, related_name="+",
        help_text="Shares from contributions: whose logged contributions count for this party.",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["version", "party"]
        constraints = [
            models.UniqueConstraint(fields=["version", "party"], name="benefits_party_once_per_version"),
            models.CheckConstraint(
                condition=models.Q(share_percent__isnull=True)
                | (models.Q(share_percent__gte=0) & models.Q(share_percent__lte=100)),
                name="benefits_share_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party} in {self.version}"


class ContributionRate(models.Model):
    """An agreed value in pounds per unit of one kind of contribution (for shares from contributions)."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="rates")
    kind = models.CharField(max_length=20)
    rate = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["version", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="benefits_rate_once_per_kind"),
            models.CheckConstraint(condition=models.Q(rate__gte=0), name="benefits_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"£{self.rate} per unit of {self.kind}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("The ledger cannot be changed. Post a reversal instead.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The ledger cannot be deleted from. Post a reversal instead.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The ledger cannot be changed. Post a reversal instead.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("The ledger cannot be deleted from. Post a reversal instead.")


class BenefitEvent(AppendOnlyModel):
    """Money an innovation earned or saved, posted once under an adopted agreement version.

    ``idempotency_key`` is the caller's id for the event (an invoice number, or the form's one-time key): the
    unique constraint means the same event sent twice, even at the same moment, is stored and posted once.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="events")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="events")
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="benefit_events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    occurred_on = models.DateField()
    payer = models.CharField(max_length=200, blank=True, help_text="Who paid (or whose budget was saved).")
    description = models.CharField(max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=100)
    recorded_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "idempotency_key"], name="benefits_event_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="benefits_event_amount_positive"),
        ]
        indexes = [models.Index(fields=["network", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of £{self.amount:,} on {self.occurred_on}"

    @property
    def is_saving(self) -> bool:
        return self.kind in SAVED_KINDS


class Posting(AppendOnlyModel):
    """The balanced lines one event (or one reversal) posted; ``posting_id`` is the ledger's deterministic id."""

    event = models.ForeignKey(BenefitEvent, on_delete=models.PROTECT, related_name="postings")
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="+")
    posting_id = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        help_text="The posting this one cancels (a posting can be reversed once).",
    )
    reason = models.CharField(max_length=300, blank=True)
    shares = models.JSONField(default=dict, help_text="The exact shares used, as fractions of 100, per account.")
    recorded_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Posting {self.posting_id[:12]}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class AccountKind(models.TextChoices):
    SOURCE = "source", "Source"
    PARTY = "party", "Party"
    FUND = "fund", "Community fund"


class PostingLine(AppendOnlyModel):
    """One side of a posting: a signed amount (debit > 0, credit < 0) on one account."""

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="lines")
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="+")
    account = models.CharField(max_length=120)
    account_kind = models.CharField(max_length=10, choices=AccountKind.choices)
    party = models.ForeignKey(Party, on_delete=models.PROTECT, null=True, blank=True, related_name="lines")
    event_kind = models.CharField(max_length=30, choices=EventKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["posting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account_kind="party", party__isnull=False)
                | (~models.Q(account_kind="party") & models.Q(party__isnull=True)),
                name="benefits_party_line_has_party",
            ),
        ]
        indexes = [models.Index(fields=["network", "account_kind", "event_kind"])]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount}"

    def clean(self) -> None:
        if self.amount == 0:
            raise ValidationError("A posting line must move money.")
