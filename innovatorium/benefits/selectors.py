"""Reads of agreements and the ledger, shared by pages, the API and other apps (the national dashboard)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from innovatorium.benefits.models import (
    EARNED_KINDS,
    SAVED_KINDS,
    AccountKind,
    Agreement,
    AgreementVersion,
    BenefitEvent,
    EventKind,
    Party,
    Posting,
    PostingLine,
    VersionParty,
    VersionStatus,
)
from innovatorium.core.money import MoneySum
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
        earned=MoneySum("amount", filter=Q(account_kind=AccountKind.SOURCE, event_kind__in=EARNED_KINDS)),
        saved=MoneySum("amount", filter=Q(account_kind=AccountKind.SOURCE, event_kind__in=SAVED_KINDS)),
        shared=MoneySum("amount", filter=Q(account_kind=AccountKind.PARTY)),
        reinvested=MoneySum("amount", filter=Q(account_kind=AccountKind.FUND)),
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
        .values("party_id").annotate(total=MoneySum("amount"))
    )
    return {row["party_id"]: -row["total"] + ZERO for row in rows}


# --- lookups ---------------------------------------------------------------------------------------------------


def agreement_get(*, network_slug: str, innovation_slug: str) -> Agreement:
    agreement = (
        Agreement.objects.select_related("innovation", "network")
        .filter(network__slug=network_slug, innovation__slug=innovation_slug)
        .first()
    )
    if agreement is None:
        raise Http404("There is no benefit-sharing agreement for this innovation.")
    return agreement


def version_get(*, network_slug: str, innovation_slug: str, number: int) -> AgreementVersion:
    version = (
        AgreementVersion.objects.select_related("agreement__innovation", "agreement__network", "project")
        .filter(agreement__network__slug=network_slug, agreement__innovation__slug=innovation_slug, number=number)
        .first()
    )
    if version is None:
        raise Http404("There is no such version of this agreement.")
    return version


def posting_get(*, agreement: Agreement, posting_id: str) -> Posting:
    posting = (
        Posting.objects.select_related("event__version", "reverses", "reversed_by")
        .filter(event__agreement=agreement, posting_id=posting_id)
        .first()
    )
    if posting is None:
        raise Http404("There is no such posting under this agreement.")
    return posting


def party_get(*, agreement: Agreement, party_id: int) -> Party:
    party = Party.objects.select_related("representative", "organisation", "agreement__network").filter(
        agreement=agreement, pk=party_id).first()
    if party is None:
        raise Http404("There is no such party to this agreement.")
    return party


# --- display helpers -------------------------------------------------------------------------------------------


def percent_display(share: Fraction | Decimal | None) -> str:
    """A share as a percentage for people: exact when it has at most 4 places, else rounded with “about”."""
    if share is None:
        return "—"
    value = Fraction(share)
    shown = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
    text = f"{shown.normalize():f}%"
    return text if Fraction(shown) == value else f"about {text}"


def pounds_exact_display(value: Fraction) -> str:
    """An exact entitlement in pounds: to the penny when it is whole pence, else to 4 places with “about”."""
    shown = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"))
    exact = Fraction(shown) == value
    if shown == shown.quantize(Decimal("0.01")):
        shown = shown.quantize(Decimal("0.01"))
    elif exact:
        shown = shown.normalize()
    sign = "−" if shown < 0 else ""
    return f"{'' if exact else 'about '}{sign}£{abs(shown):,}"


def _fraction(text: str) -> Fraction:
    return Fraction(text)


def party_names(version: AgreementVersion | None, parties: list[Party], *, show_private: bool) -> dict[int, str]:
    """What each party is called on public pages: its name if the version makes names public, else Party A, B..."""
    names = {}
    for index, party in enumerate(sorted(parties, key=lambda p: p.pk)):
        if show_private or (version is not None and version.public_party_names):
            names[party.pk] = party.public_label
        else:
            names[party.pk] = f"Party {chr(ord('A') + index % 26)}{index // 26 or ''}"
    return names


# --- the statement ---------------------------------------------------------------------------------------------


@dataclass
class LineRow:
    name: str
    kind: str  # party / fund
    amount: Decimal
    share: str = ""
    exact: str = ""
    extra_penny: bool = False
    party_id: int | None = None


@dataclass
class PostingRow:
    posting: Posting
    event: BenefitEvent
    amount: Decimal  # signed: a reversal is negative
    lines: list[LineRow] = field(default_factory=list)
    show_details: bool = False
    show_parties: bool = False

    @property
    def date(self) -> dt.date:
        """When it happened: the event's date, or for a reversal the day it was reversed."""
        if self.posting.reverses_id:
            return timezone.localdate(self.posting.created_at)
        return self.event.occurred_on

    @property
    def lines_total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


@dataclass
class PartyRow:
    party: Party
    name: str
    share: str
    received: Decimal | None
    accepted: bool | None = None


@dataclass
class Statement:
    agreement: Agreement
    version: AgreementVersion | None
    totals: BenefitTotals
    by_kind: list[tuple[str, Decimal]]
    parties: list[PartyRow]
    postings: list[PostingRow]
    show_party_amounts: bool
    show_private: bool
    total_postings: int = 0


def _posting_rows(postings: list[Posting], names: dict[int, str], *, show_private: bool) -> list[PostingRow]:
    rows = []
    for posting in postings:
        event = posting.event
        version = event.version
        sign = -1 if posting.reverses_id else 1
        show_parties = show_private or version.public_party_amounts
        row = PostingRow(posting=posting, event=event, amount=sign * event.amount,
                         show_details=show_private or version.public_event_details, show_parties=show_parties)
        for line in posting.lines.all():
            if line.account_kind == AccountKind.SOURCE:
                continue
            if line.account_kind == AccountKind.FUND:
                code, name, kind = "fund", f"{posting.network.name} community fund", "fund"
            else:
                if not show_parties:
                    continue
                code, name, kind = f"p{line.party_id}", names.get(line.party_id, "A party"), "party"
            share = _fraction(posting.shares[code]) if code in posting.shares else None
            exact = Fraction(event.amount) * share / 100 * sign if share is not None else None
            row.lines.append(LineRow(
                name=name, kind=kind, amount=-line.amount, party_id=line.party_id,
                share=percent_display(share), exact=pounds_exact_display(exact) if exact is not None else "",
                extra_penny=exact is not None and abs(Fraction(-line.amount)) > abs(exact),
            ))
        rows.append(row)
    return rows


def statement(*, agreement: Agreement, show_private: bool = False, limit: int | None = None) -> Statement:
    """An innovation's statement: totals, each party's share and what it received, and the postings.

    ``show_private`` (facilitators of the network) shows everything; otherwise only what the versions make
    public: party names, party amounts and event details each by the version's choice. Totals always show.
    ``limit`` keeps only the latest postings (pages); totals always count every posting, in SQL.
    """
    versions = list(agreement.versions.all())
    version = next((v for v in versions if v.status == VersionStatus.ADOPTED), None)
    parties = list(Party.objects.filter(agreement=agreement).select_related("representative", "organisation"))
    names = party_names(version, parties, show_private=show_private)
    all_postings = Posting.objects.filter(event__agreement=agreement)
    query = (all_postings.select_related("event__version", "network", "reverses")
             .prefetch_related("lines").order_by("-created_at", "-pk"))
    postings = list(query[:limit] if limit is not None else query)
    total_postings = len(postings) if limit is None or len(postings) < limit else all_postings.count()
    totals = agreement_totals(agreement=agreement)
    by_kind = {
        row["event_kind"]: row["total"]
        for row in PostingLine.objects.filter(posting__event__agreement=agreement, account_kind=AccountKind.SOURCE)
        .values("event_kind").annotate(total=MoneySum("amount")).order_by("event_kind")
    }
    labels = dict(EventKind.choices)
    show_party_amounts = show_private or (version is not None and version.public_party_amounts)
    received = party_balances(agreement=agreement)
    terms = {t.party_id: t for t in version.terms.all()} if version else {}
    party_rows = []
    for party in sorted(parties, key=lambda p: p.pk):
        if party.pk not in terms and party.pk not in received:
            continue
        term = terms.get(party.pk)
        share = percent_display(term.share_percent) if term and term.share_percent is not None else (
            "from contributions" if term else "not in the current version")
        party_rows.append(PartyRow(
            party=party, name=names[party.pk], share=share,
            received=received.get(party.pk, Decimal("0.00")) if show_party_amounts else None,
        ))
    rows = _posting_rows(postings, names, show_private=show_private)
    rows.sort(key=lambda r: (r.date, r.posting.pk), reverse=True)
    return Statement(
        agreement=agreement, version=version, totals=totals,
        by_kind=[(labels[k], v) for k, v in sorted(by_kind.items()) if v],
        parties=party_rows, postings=rows, total_postings=total_postings,
        show_party_amounts=show_party_amounts, show_private=show_private,
    )


def posting_row(*, posting: Posting, show_private: bool) -> PostingRow:
    """One posting with its distribution (party lines only as its version allows)."""
    agreement = posting.event.agreement
    parties = list(Party.objects.filter(agreement=agreement).select_related("representative", "organisation"))
    names = party_names(posting.event.version, parties, show_private=show_private)
    posting = (Posting.objects.select_related("event__version", "network", "reverses")
               .prefetch_related("lines").get(pk=posting.pk))
    return _posting_rows([posting], names, show_private=show_private)[0]


@dataclass
class StatementEntry:
    posting: Posting
    event: BenefitEvent
    amount: Decimal
    balance: Decimal

    @property
    def date(self) -> dt.date:
        if self.posting.reverses_id:
            return timezone.localdate(self.posting.created_at)
        return self.event.occurred_on


def party_statement(*, party: Party) -> list[StatementEntry]:
    """A party's own statement: every posting that credited it (or reversed a credit), with a running balance."""
    lines = (
        party.lines.select_related("posting__event", "posting__reverses")
        .order_by("posting__created_at", "posting__pk")
    )
    running = Decimal("0.00")
    out = []
    for line in lines:
        running += -line.amount
        out.append(StatementEntry(posting=line.posting, event=line.posting.event, amount=-line.amount,
                                  balance=running))
    return out


def version_terms(*, version: AgreementVersion, show_private: bool) -> list[PartyRow]:
    terms = list(
        version.terms.select_related("party__representative", "party__organisation")
        .prefetch_related(Prefetch("team_members", to_attr="members"))
        .order_by("party_id")
    )
    names = party_names(version, [t.party for t in terms], show_private=show_private)
    return [
        PartyRow(
            party=t.party, name=names[t.party_id], accepted=t.accepted_at is not None,
            share=percent_display(t.share_percent) if t.share_percent is not None else "from contributions",
            received=None,
        )
        for t in terms
    ]


def agreements_for_network(*, network: Network) -> list[tuple[Agreement, AgreementVersion | None, BenefitTotals]]:
    """Every agreement of a network with its current version and totals, in three queries."""
    agreements = list(
        Agreement.objects.filter(network=network).select_related("innovation")
        .prefetch_related("versions").order_by("innovation__name")
    )
    sums: dict[int, dict[str, Decimal]] = {}
    rows = (
        PostingLine.objects.filter(network=network)
        .values("posting__event__agreement_id", "account_kind", "event_kind")
        .annotate(total=MoneySum("amount"))
    )
    for row in rows:
        bucket = sums.setdefault(row["posting__event__agreement_id"], {
            "earned": ZERO, "saved": ZERO, "shared": ZERO, "reinvested": ZERO})
        if row["account_kind"] == AccountKind.SOURCE:
            bucket["saved" if row["event_kind"] in SAVED_KINDS else "earned"] += row["total"]
        elif row["account_kind"] == AccountKind.PARTY:
            bucket["shared"] -= row["total"]
        else:
            bucket["reinvested"] -= row["total"]
    out = []
    for agreement in agreements:
        bucket = sums.get(agreement.pk, {"earned": ZERO, "saved": ZERO, "shared": ZERO, "reinvested": ZERO})
        out.append((agreement, current_version(agreement=agreement), BenefitTotals(**bucket)))
    return out


def community_fund_balance(*, network: Network) -> Decimal:
    return benefit_totals(network=network).reinvested


def pending_acceptances(*, person) -> list[VersionParty]:  # noqa: ANN001
    """Proposed versions waiting for this person to accept for a party they represent."""
    if person is None:
        return []
    return list(
        VersionParty.objects.filter(party__representative=person, accepted_at__isnull=True,
                                    version__status=VersionStatus.PROPOSED)
        .select_related("version__agreement__innovation", "version__agreement__network", "party")
    )


def agreement_totals(*, agreement: Agreement) -> BenefitTotals:
    """One agreement's totals (always public), in one query."""
    sums = PostingLine.objects.filter(posting__event__agreement=agreement).aggregate(
        earned=MoneySum("amount", filter=Q(account_kind=AccountKind.SOURCE, event_kind__in=EARNED_KINDS)),
        saved=MoneySum("amount", filter=Q(account_kind=AccountKind.SOURCE, event_kind__in=SAVED_KINDS)),
        shared=MoneySum("amount", filter=Q(account_kind=AccountKind.PARTY)),
        reinvested=MoneySum("amount", filter=Q(account_kind=AccountKind.FUND)),
    )
    return BenefitTotals(earned=(sums["earned"] or ZERO) + ZERO, saved=(sums["saved"] or ZERO) + ZERO,
                         shared=-(sums["shared"] or ZERO) + ZERO, reinvested=-(sums["reinvested"] or ZERO) + ZERO)
