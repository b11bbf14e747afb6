"""Reads of agreements and the ledger, shared by pages, the API and other apps (the national dashboard)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from innovatorium.benefits.models import (
    EARNED_KINDS,
    SAVED_KINDS,
    AccountKind,
    Agreement,
    AgreementVersion,
    PostingLine,
    VersionStatus,
)
from innovatorium.networks.models import Network

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BenefitTotals:
    """What innovations earned and saved, and how it was shared: net of reversals, in pounds (Decimal).

    ``earned``: licence income, royalties and grants; ``saved``: cash-releasing savings; ``shared``: what went to
    the parties; ``reinvested``: what went to the networks' community funds. ``shared + reinvested`` always
    equals ``earned + saved`` (double entry).
    """

    earned: Decimal
    saved: Decimal
    shared: Decimal
    reinvested: Decimal

    @property
    def total(self) -> Decimal:
        return self.earned + self.saved


def benefit_totals(*, network: Network | None = None) -> BenefitTotals:
    """Totals over every posting (one network's, or national when ``network`` is None), in one query.

    These totals are always public: an agreement chooses whether each event's details and each party's part
    are public, but what an innovation earned and saved in total is not secret.
    """
    lines = PostingLine.objects.all()
    if network is not None:
        lines = lines.filter(network=network)
    sums = lines.aggregate(
        earned=Sum("amount", filter=Q(account_kind=AccountKind.SOURCE, event_kind__in=EARNED_KINDS)),
        saved=Sum("amount", filter=Q(account_kind=AccountKind.SOURCE, event_kind__in=SAVED_KINDS)),
        shared=Sum("amount", filter=Q(account_kind=AccountKind.PARTY)),
        reinvested=Sum("amount", filter=Q(account_kind=AccountKind.FUND)),
    )

    def money(value: Decimal | None, sign: int = 1) -> Decimal:
        return (sign * Decimal(value or 0)).quantize(ZERO) + ZERO

    return BenefitTotals(
        earned=money(sums["earned"]),
        saved=money(sums["saved"]),
        shared=money(sums["shared"], -1),
        reinvested=money(sums["reinvested"], -1),
    )


def current_version(*, agreement: Agreement) -> AgreementVersion | None:
    """The adopted version (the one events post under), else the newest version."""
    versions = list(agreement.versions.all())
    adopted = [v for v in versions if v.status == VersionStatus.ADOPTED]
    if adopted:
        return adopted[0]
    return versions[-1] if versions else None


def party_balances(*, agreement: Agreement) -> dict[int, Decimal]:
    """What each party of an agreement is owed (net of reversals), by party id, in one query."""
    rows = (
        PostingLine.objects.filter(party__agreement=agreement, account_kind=AccountKind.PARTY)
        .values("party_id").annotate(total=Sum("amount"))
    )
    return {row["party_id"]: -row["total"] + ZERO for row in rows}
