"""Writes for benefit-sharing agreements and the ledger. Every change goes on the public record.

The arithmetic is the plain ``innovatorium.ledger`` package's: exact shares that must sum to 100%, largest-
remainder rounding so the pennies add up, balanced double-entry postings with deterministic ids, reversals. This
module stores what it computes and writes the record entry in the same transaction, so a refusal leaves nothing
half-written.

Record payloads never name a person. They name parties only when the version makes party names public (and an
individual only by their own choice to show their name); party amounts only when the version makes them public;
who paid and what for only when the version makes event details public. Every posting's payload carries the
ledger's fingerprint of its full content, so a party holding its private statement can check it against the
public record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from innovatorium import ledger
from innovatorium.atlas.models import Innovation
from innovatorium.benefits.models import (
    AccountKind,
    Agreement,
    AgreementVersion,
    Basis,
    BenefitEvent,
    ContributionRate,
    EventKind,
    Party,
    PartyKind,
    Posting,
    PostingLine,
    VersionParty,
    VersionStatus,
)
from innovatorium.people.authority import require_network_staff
from innovatorium.people.models import Organisation, Person
from innovatorium.projects.models import Contribution, ContributionKind, Project, TeamMember
from innovatorium.record.services import record_append

FUND = "fund"
MAX_AMOUNT = Decimal("1000000000.00")  # £1bn: more than any one benefit event, and within the column
FUTURE_LIMIT = dt.timedelta(days=1)
KEY_MAX = 100


def party_code(party_id: int) -> str:
    """The ledger's id for a party (account ``party:p<id>``); the community fund is ``fund``."""
    return f"p{party_id}"


# --- parsing -------------------------------------------------------------------------------------------------


def parse_money(value: object, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A money amount from a form or API: pounds to the penny, positive, at most £1bn; a clear refusal otherwise."""
    if isinstance(value, float):
        raise ValidationError({field: "Give the amount as text or a decimal, not a floating-point number."})
    text = str(value).strip().replace(",", "").removeprefix("£").strip() if value is not None else ""
    if not text:
        raise ValidationError({field: "Enter an amount in pounds, for example 1250.00."})
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError({field: f"“{value}” is not an amount in pounds. Enter it like 1250.00."}) from None
    if not amount.is_finite():
        raise ValidationError({field: "Enter an amount in pounds, for example 1250.00."})
    try:
        ledger.to_pence(amount, "the amount")
    except ValueError:
        if amount < 0:
            message = "The amount must not be negative. To correct a posting, reverse it."
            raise ValidationError({field: message}) from None
        raise ValidationError({
            field: f"£{text} has a fraction of a penny. Money is recorded to the penny: for example "
                   f"{amount.quantize(Decimal('0.01'))}."}) from None
    if amount == 0 and not allow_zero:
        raise ValidationError({field: "The amount must be more than £0.00."})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: "The amount must be at most £1,000,000,000.00."})
    return amount.quantize(Decimal("0.01"))


def parse_percent(value: object, *, field: str) -> Decimal:
    """A percentage between 0 and 100 with at most 4 decimal places."""
    text = str(value).strip().removesuffix("%").strip() if value is not None else ""
    if not text:
        raise ValidationError({field: "Enter a percentage between 0 and 100, for example 25 or 33.3333."})
    try:
        pct = Decimal(text)
    except InvalidOperation:
        raise ValidationError({field: f"“{value}” is not a percentage. Enter a number like 25 or 12.5."}) from None
    if not pct.is_finite() or pct < 0 or pct > 100:
        raise ValidationError({field: "Enter a percentage between 0 and 100."})
    if pct != pct.quantize(Decimal("0.0001")):
        raise ValidationError({field: "Use at most 4 decimal places, for example 33.3333."})
    return pct


# --- shares --------------------------------------------------------------------------------------------------


def _terms(version: AgreementVersion) -> list[VersionParty]:
    return list(version.terms.select_related("party__representative", "party__organisation").order_by("party_id"))


def party_shares(version: AgreementVersion, *, as_of: dt.date | None = None) -> dict[str, Fraction]:
    """The parties' percentage shares (of what is left after reinvestment), keyed by ledger party code.

    Fixed shares must sum to exactly 100%. Shares from contributions are recomputed from the project's log (up to
    ``as_of``, reversals netted out) at the version's agreed rates; contributions by a team member that no party
    covers are refused, so nobody's work is silently left out. Raises ValidationError with a plain message.
    """
    terms = _terms(version)
    if not terms:
        raise ValidationError("Add at least one party before the agreement can share anything.")
    if version.basis == Basis.FIXED:
        missing = [t.party.public_label for t in terms if t.share_percent is None]
        if missing:
            raise ValidationError(f"Give every party a share: {', '.join(missing)} has none.")
        try:
            return ledger.validate_shares({party_code(t.party_id): t.share_percent for t in terms})
        except ValueError as exc:
            total = sum((t.share_percent for t in terms), Decimal(0))
            raise ValidationError(
                f"The parties' shares must add up to exactly 100%, but they add up to {total.normalize():f}%."
            ) from exc
    return _contribution_shares(version, terms, as_of=as_of)


def contribution_values(
    version: AgreementVersion, terms: list[VersionParty], *, as_of: dt.date | None = None
) -> list[ledger.Contribution]:
    """The project's log as the ledger's contributions, per party and kind, reversals netted out."""
    if version.project_id is None:
        raise ValidationError("Choose the project whose contributions log decides the shares.")
    owner: dict[int, int] = {}
    for term in terms:
        for tm_id in term.team_members.values_list("pk", flat=True):
            owner[tm_id] = term.party_id
    log = Contribution.objects.filter(project_id=version.project_id)
    if as_of is not None:
        log = log.filter(occurred_on__lte=as_of)
    net: dict[tuple[int, str], Decimal] = {}
    for tm_id, kind, quantity in log.values_list("team_member_id", "kind", "quantity"):
        net[(tm_id, kind)] = net.get((tm_id, kind), Decimal(0)) + quantity
    uncovered = sorted({tm for (tm, _), q in net.items() if q > 0 and tm not in owner})
    if uncovered:
        people = TeamMember.objects.filter(pk__in=uncovered).order_by("pk")
        names = ", ".join(f"{tm.role or 'team member'} ({tm.person.public_name})" for tm in people)
        raise ValidationError(
            f"These team members logged contributions but no party covers them: {names}. "
            "Add them to a party (or add them as parties) so their work counts."
        )
    out: dict[tuple[str, str], Decimal] = {}
    for (tm, kind), quantity in net.items():
        if quantity > 0:
            key = (party_code(owner[tm]), kind)
            out[key] = out.get(key, Decimal(0)) + quantity
    return [ledger.Contribution(party=p, kind=k, quantity=q) for (p, k), q in sorted(out.items())]


def _contribution_shares(
    version: AgreementVersion, terms: list[VersionParty], *, as_of: dt.date | None
) -> dict[str, Fraction]:
    contributions = contribution_values(version, terms, as_of=as_of)
    rates = {r.kind: r.rate for r in version.rates.all()}
    try:
        shares = ledger.shares_from_contributions(contributions, rates)
    except ValueError as exc:
        message = str(exc)
        for kind, label in ContributionKind.choices:
            message = message.replace(f"'{kind}'", f"“{label.lower()}”")
        raise ValidationError(f"The shares cannot be worked out from the contributions log: {message}.") from exc
    for term in terms:  # a party with nothing logged yet shares 0%
        shares.setdefault(party_code(term.party_id), Fraction(0))
    return shares


def all_shares(version: AgreementVersion, *, as_of: dt.date | None = None) -> dict[str, Fraction]:
    """Every account's share of a payment (parties and the community fund), summing to exactly 100%."""
    return ledger.with_reinvestment(party_shares(version, as_of=as_of), version.reinvestment_percent, FUND)


# --- agreements and versions ---------------------------------------------------------------------------------


def _require_staff(actor: Person | None, agreement_or_innovation: Agreement | Innovation, what: str) -> None:
    require_network_staff(actor, agreement_or_innovation.network, what)


def _require_draft(version: AgreementVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            f"Version {version.number} is {version.get_status_display().lower()}, so it cannot be changed. "
            "Start an amendment (a new version) instead."
        )


def _version_payload(version: AgreementVersion, **extra: Any) -> dict[str, Any]:
    return {"innovation": version.agreement.innovation.slug, "version": version.number, **extra}


@transaction.atomic
def version_draft(*, actor: Person | None, innovation: Innovation, summary: str = "") -> AgreementVersion:
    """Start the innovation's agreement (version 1), or an amendment: a new draft copying the current terms.

    Only one version can be open (draft or waiting for acceptance) at a time.
    """
    _require_staff(actor, innovation, "draft benefit-sharing agreements")
    agreement, _ = Agreement.objects.get_or_create(
        innovation=innovation, defaults={"network": innovation.network, "created_by": actor}
    )
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.PROPOSED]).exists():
        raise ValidationError("This agreement already has a version being drafted or waiting for acceptance.")
    base = agreement.versions.filter(status=VersionStatus.ADOPTED).first()
    number = (agreement.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = AgreementVersion.objects.create(
        agreement=agreement, number=number, created_by=actor, summary=summary.strip()[:5000],
        basis=base.basis if base else Basis.FIXED, project_id=base.project_id if base else None,
        reinvestment_percent=base.reinvestment_percent if base else Decimal("0"),
        public_party_names=base.public_party_names if base else True,
        public_party_amounts=base.public_party_amounts if base else True,
        public_event_details=base.public_event_details if base else True,
    )
    if base:
        for term in base.terms.prefetch_related("team_members"):
            copy = VersionParty.objects.create(version=version, party=term.party, share_percent=term.share_percent)
            copy.team_members.set(term.team_members.all())
        ContributionRate.objects.bulk_create(
            ContributionRate(version=version, kind=r.kind, rate=r.rate) for r in base.rates.all()
        )
    record_append(
        action="benefits.version.drafted", actor=actor, network=agreement.network, obj=version,
        payload=_version_payload(version, amends=base.number if base else None),
    )
    return version


@transaction.atomic
def version_set_terms(
    *,
    actor: Person | None,
    version: AgreementVersion,
    basis: str,
    reinvestment_percent: object,
    project: Project | None = None,
    public_party_names: bool,
    public_party_amounts: bool,
    public_event_details: bool,
    summary: str = "",
) -> AgreementVersion:
    """Change a draft's basis, project, reinvestment share, public fields and summary."""
    agreement = version.agreement
    _require_staff(actor, agreement, "change benefit-sharing agreements")
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    if basis not in Basis.values:
        raise ValidationError({"basis": "Choose fixed shares or shares from the contributions log."})
    pct = parse_percent(reinvestment_percent, field="reinvestment_percent")
    if basis == Basis.CONTRIBUTIONS:
        if project is None:
            raise ValidationError({"project": "Choose the project whose contributions log decides the shares."})
        if project.network_id != agreement.network_id:
            raise ValidationError({"project": "Choose a project of this network."})
    version.basis = basis
    version.project = project if basis == Basis.CONTRIBUTIONS else None
    version.reinvestment_percent = pct
    version.public_party_names = bool(public_party_names)
    version.public_party_amounts = bool(public_party_amounts)
    version.public_event_details = bool(public_event_details)
    version.summary = summary.strip()[:5000]
    version.save()
    record_append(
        action="benefits.version.terms_changed", actor=actor, network=agreement.network, obj=version,
        payload=_version_payload(
            version, basis=basis, reinvestment_percent=str(pct),
            public_fields=public_fields(version),
        ),
    )
    return version


def public_fields(version: AgreementVersion) -> list[str]:
    out = ["totals", "shares_of_fund"]
    if version.public_party_names:
        out.append("party_names")
    if version.public_party_amounts:
        out.append("party_amounts")
    if version.public_event_details:
        out.append("event_details")
    return out


@transaction.atomic
def party_add(
    *,
    actor: Person | None,
    version: AgreementVersion,
    kind: str,
    representative: Person,
    label: str = "",
    organisation: Organisation | None = None,
    share_percent: object = None,
    team_members: Iterable[TeamMember] = (),
) -> VersionParty:
    """Add a party to a draft (or re-add one from an earlier version): who it is, who accepts for it, its share."""
    agreement = version.agreement
    _require_staff(actor, agreement, "change benefit-sharing agreements")
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    if kind not in PartyKind.values:
        raise ValidationError({"kind": "Choose an organisation, a patient or community group, or an individual."})
    label = label.strip()[:200]
    if kind == PartyKind.ORGANISATION and organisation is None and not label:
        raise ValidationError({"label": "Enter the organisation's name, or choose it from the list."})
    if kind == PartyKind.PATIENT_GROUP and not label and organisation is None:
        raise ValidationError({"label": "Enter the group's name."})
    if kind == PartyKind.INDIVIDUAL:
        label, organisation = "", None
    if representative is None or representative.erased_at:
        raise ValidationError({"representative": "Choose who accepts the agreement for this party."})
    share = None
    if version.basis == Basis.FIXED:
        share = parse_percent(share_percent, field="share_percent")
    team = list(team_members)
    if version.basis == Basis.CONTRIBUTIONS:
        if any(tm.project_id != version.project_id for tm in team):
            raise ValidationError({"team_members": "Choose team members of the agreement's project."})
        taken = set(
            VersionParty.team_members.through.objects.filter(
                versionparty__version=version, teammember__in=team
            ).values_list("teammember_id", flat=True)
        )
        if taken:
            raise ValidationError({"team_members": "Some of these team members already count for another party."})
    party = Party.objects.filter(
        agreement=agreement, kind=kind, representative=representative,
        organisation=organisation, label=label,
    ).first()
    if party is None:
        party = Party.objects.create(
            agreement=agreement, kind=kind, label=label, organisation=organisation, representative=representative
        )
    elif version.terms.filter(party=party).exists():
        raise ValidationError("This party is already in this version.")
    term = VersionParty.objects.create(version=version, party=party, share_percent=share)
    if team:
        term.team_members.set(team)
    record_append(
        action="benefits.version.party_added", actor=actor, network=agreement.network, obj=version,
        payload=_version_payload(
            version, party=party.pk, party_kind=kind,
            share_percent=str(share) if share is not None and version.public_party_amounts else None,
        ),
    )
    return term


@transaction.atomic
def party_remove(*, actor: Person | None, version: AgreementVersion, party: Party) -> None:
    """Take a party out of a draft (the party stays on earlier versions)."""
    _require_staff(actor, version.agreement, "change benefit-sharing agreements")
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    term = version.terms.filter(party=party).first()
    if term is None:
        raise ValidationError("This party is not in this version.")
    term.team_members.clear()
    term.delete()
    record_append(
        action="benefits.version.party_removed", actor=actor, network=version.agreement.network, obj=version,
        payload=_version_payload(version, party=party.pk),
    )


@transaction.atomic
def rate_set(*, actor: Person | None, version: AgreementVersion, kind: str, rate: object) -> ContributionRate:
    """Agree the value in pounds of one unit (an hour, an item, a pound) of a kind of contribution."""
    _require_staff(actor, version.agreement, "change benefit-sharing agreements")
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    if kind not in ContributionKind.values:
        raise ValidationError({"kind": "Choose a kind of contribution."})
    value = parse_money(rate, field="rate", allow_zero=True)
    obj, _ = ContributionRate.objects.update_or_create(version=version, kind=kind, defaults={"rate": value})
    record_append(
        action="benefits.version.rate_set", actor=actor, network=version.agreement.network, obj=version,
        payload=_version_payload(version, kind=kind, rate=str(value)),
    )
    return obj


@transaction.atomic
def version_propose(*, actor: Person | None, version: AgreementVersion) -> AgreementVersion:
    """Send a draft to the parties: from now on it never changes, and it is adopted when every party accepts.

    Refused unless the shares work out: fixed shares summing to exactly 100%, or a contributions log that the
    agreed rates can value and that every contributor is covered in.
    """
    agreement = version.agreement
    _require_staff(actor, agreement, "propose benefit-sharing agreements")
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    if version.basis == Basis.CONTRIBUTIONS:
        terms = _terms(version)
        if not terms:
            raise ValidationError("Add at least one party before the agreement can share anything.")
        contributions = contribution_values(version, terms)
        kinds = {c.kind for c in contributions} | set(version.rates.values_list("kind", flat=True))
        missing = sorted(k for k in kinds if k != ledger.allocation.MONEY and not version.rates.filter(kind=k).exists())
        if missing:
            labels = dict(ContributionKind.choices)
            raise ValidationError(f"Agree a rate for {', '.join(labels.get(k, k).lower() for k in missing)}.")
        if contributions:
            all_shares(version)
    else:
        all_shares(version)
    version.status = VersionStatus.PROPOSED
    version.proposed_at = timezone.now()
    version.save()
    record_append(
        action="benefits.version.proposed", actor=actor, network=agreement.network, obj=version,
        payload=_version_payload(
            version, basis=version.basis, parties=version.terms.count(),
            reinvestment_percent=str(version.reinvestment_percent), public_fields=public_fields(version),
        ),
    )
    return version


@transaction.atomic
def version_accept(*, actor: Person, version: AgreementVersion, party: Party) -> AgreementVersion:
    """A party's representative accepts a proposed version; the last acceptance adopts it.

    Adoption supersedes the version it amends, so from then on events post under the new terms.
    """
    version = AgreementVersion.objects.select_for_update().select_related("agreement__network").get(pk=version.pk)
    if actor is None or party.representative_id != actor.pk:
        raise PermissionDenied("Only the party's representative can accept the agreement for it.")
    if version.status != VersionStatus.PROPOSED:
        raise ValidationError(f"Version {version.number} is {version.get_status_display().lower()}: "
                              "there is nothing to accept.")
    term = version.terms.filter(party=party).first()
    if term is None:
        raise ValidationError("This party is not in this version.")
    if term.accepted_at is not None:
        raise ValidationError("This party has already accepted this version.")
    now = timezone.now()
    VersionParty.objects.filter(pk=term.pk).update(accepted_at=now, accepted_by=actor)
    agreement = version.agreement
    record_append(
        action="benefits.version.accepted", actor=actor, network=agreement.network, obj=version,
        payload=_version_payload(version, party=party.pk),
    )
    if not version.terms.filter(accepted_at__isnull=True).exists():
        previous = agreement.versions.select_for_update().filter(status=VersionStatus.ADOPTED).first()
        if previous is not None:
            previous.status = VersionStatus.SUPERSEDED
            previous.superseded_at = now
            previous.save(update_fields=["status", "superseded_at"])
        version.status = VersionStatus.ADOPTED
        version.adopted_at = now
        version.save(update_fields=["status", "adopted_at"])
        record_append(
            action="benefits.version.adopted", actor=None, network=agreement.network, obj=version,
            payload=_version_payload(version, supersedes=previous.number if previous else None),
        )
    return version


@transaction.atomic
def version_withdraw(*, actor: Person | None, version: AgreementVersion) -> AgreementVersion:
    """Withdraw a draft or a proposal nobody needs any more (it stays visible as withdrawn)."""
    _require_staff(actor, version.agreement, "withdraw benefit-sharing agreements")
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    if version.status not in (VersionStatus.DRAFT, VersionStatus.PROPOSED):
        raise ValidationError("Only a draft or a version waiting for acceptance can be withdrawn.")
    version.status = VersionStatus.WITHDRAWN
    version.save(update_fields=["status"])
    record_append(
        action="benefits.version.withdrawn", actor=actor, network=version.agreement.network, obj=version,
        payload=_version_payload(version),
    )
    return version


# --- the ledger ----------------------------------------------------------------------------------------------


def _line_kind(account: str) -> tuple[str, int | None]:
    if not account.startswith(ledger.postings.PARTY_PREFIX):
        return AccountKind.SOURCE, None
    code = account.removeprefix(ledger.postings.PARTY_PREFIX)
    if code == FUND:
        return AccountKind.FUND, None
    return AccountKind.PARTY, int(code.removeprefix("p"))


def _posting_payload(
    posting: Posting, event: BenefitEvent, version: AgreementVersion, lines: list[PostingLine]
) -> dict[str, Any]:
    """What the public record says about a posting: always the totals; parties and details as the version allows."""
    payload: dict[str, Any] = {
        "innovation": event.agreement.innovation.slug,
        "version": version.number,
        "posting_id": posting.posting_id,
        "fingerprint": posting.fingerprint,
        "event_kind": event.kind,
        "amount": str(event.amount) if not posting.is_reversal else str(-event.amount),
        "occurred_on": event.occurred_on.isoformat(),
        "community_fund": str(-sum((ln.amount for ln in lines if ln.account_kind == AccountKind.FUND), Decimal(0))),
    }
    if posting.is_reversal:
        payload["reverses"] = posting.reverses.posting_id
    if version.public_event_details:
        payload["payer"] = event.payer
        payload["description"] = event.description
    if version.public_party_amounts:
        names = {}
        if version.public_party_names:
            # The record is permanent and outlives erasure, so an individual is never named in it (a
            # statement page shows the name they choose today; the record says "party <id>").
            names = {p.pk: p.public_label for p in Party.objects.filter(
                pk__in=[ln.party_id for ln in lines if ln.party_id]).exclude(kind=PartyKind.INDIVIDUAL)
                .select_related("organisation")}
        payload["parties"] = [
            {"party": names.get(ln.party_id, f"party {ln.party_id}"), "amount": str(-ln.amount)}
            for ln in lines if ln.account_kind == AccountKind.PARTY
        ]
    return payload


def _store(posting_set: ledger.PostingSet, *, event: BenefitEvent, actor: Person | None, shares: dict[str, Any],
           reverses: Posting | None = None, reason: str = "") -> tuple[Posting, list[PostingLine]]:
    posting = Posting.objects.create(
        event=event, network_id=event.network_id, posting_id=posting_set.posting_id,
        fingerprint=posting_set.fingerprint, reverses=reverses, reason=reason,
        shares={k: f"{v.numerator}/{v.denominator}" if isinstance(v, Fraction) else str(v)
                for k, v in sorted(shares.items())},
        recorded_by=actor,
    )
    lines = []
    for line in posting_set.lines:
        kind, party_id = _line_kind(line.account)
        lines.append(PostingLine(
            posting=posting, network_id=event.network_id, account=line.account, account_kind=kind,
            party_id=party_id, event_kind=event.kind, amount=line.amount,
        ))
    PostingLine.objects.bulk_create(lines)
    return posting, lines


def _same_event(event: BenefitEvent, *, kind: str, amount: Decimal, occurred_on: dt.date) -> bool:
    return event.kind == kind and event.amount == amount and event.occurred_on == occurred_on


@transaction.atomic
def event_record(
    *,
    actor: Person | None,
    agreement: Agreement,
    kind: str,
    amount: object,
    occurred_on: dt.date,
    idempotency_key: str,
    payer: str = "",
    description: str = "",
) -> tuple[BenefitEvent, bool]:
    """Record money an innovation earned or saved and post its distribution under the adopted version.

    Returns ``(event, created)``. The same ``idempotency_key`` sent again (a double click, a retried API call, two
    requests at the same moment) posts once: the repeat returns the first event with ``created=False``. The same
    key with a different kind, amount or date is refused as a conflict.
    """
    _require_staff(actor, agreement, "record benefit events")
    if kind not in EventKind.values:
        raise ValidationError({"kind": "Choose licence income, royalties, cash-releasing savings or a grant."})
    value = parse_money(amount)
    if not isinstance(occurred_on, dt.date):
        raise ValidationError({"occurred_on": "Enter the date the money was received or saved."})
    if occurred_on > timezone.localdate() + FUTURE_LIMIT:
        raise ValidationError({"occurred_on": "The date must not be in the future."})
    key = (idempotency_key or "").strip()
    if not key or len(key) > KEY_MAX or "\x1f" in key:
        raise ValidationError({"idempotency_key": "Give the event a reference of 1 to 100 characters "
                                                  "(for example the invoice number)."})

    def repeat_of(existing: BenefitEvent) -> tuple[BenefitEvent, bool]:
        if not _same_event(existing, kind=kind, amount=value, occurred_on=occurred_on):
            raise ValidationError({"idempotency_key": f"The reference “{key}” was already used for a different "
                                                      f"event ({existing}). Use a new reference."})
        return existing, False

    existing = BenefitEvent.objects.filter(agreement=agreement, idempotency_key=key).first()
    if existing is not None:
        return repeat_of(existing)
    version = agreement.versions.filter(status=VersionStatus.ADOPTED).first()
    if version is None:
        raise ValidationError("This agreement has no adopted version yet: every party must accept it before "
                              "any money can be shared under it.")
    shares = all_shares(version, as_of=occurred_on)
    event_id = f"{agreement.pk}:{key}"
    try:
        posting_set = ledger.post_event(
            ledger.Event(event_id=event_id, kind=kind, innovation=str(agreement.innovation_id), amount=value), shares
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    try:
        with transaction.atomic():
            event = BenefitEvent.objects.create(
                agreement=agreement, version=version, network_id=agreement.network_id, kind=kind, amount=value,
                occurred_on=occurred_on, payer=payer.strip()[:200], description=description.strip()[:300],
                idempotency_key=key, recorded_by=actor,
            )
    except IntegrityError:
        # Someone posted the same event at the same moment and committed first: this is a repeat.
        return repeat_of(BenefitEvent.objects.get(agreement=agreement, idempotency_key=key))
    posting, lines = _store(posting_set, event=event, actor=actor, shares=shares)
    record_append(
        action="benefits.event.posted", actor=actor, network=agreement.network, obj=posting,
        payload=_posting_payload(posting, event, version, lines),
    )
    return event, True


def _posting_set(posting: Posting) -> ledger.PostingSet:
    lines = tuple(ledger.Line(line.account, line.amount) for line in posting.lines.order_by("pk"))
    reverses = posting.reverses.posting_id if posting.reverses_id else None
    event_id = f"{posting.event.agreement_id}:{posting.event.idempotency_key}"
    return ledger.PostingSet(posting.posting_id, event_id, lines, reverses=reverses)


@transaction.atomic
def posting_reverse(*, actor: Person | None, posting: Posting, reason: str) -> Posting:
    """Cancel a posting with its mirror image (every line negated): every balance goes back to what it was.

    Nothing is deleted; a posting can be reversed once, and a reversal cannot itself be reversed (record the
    corrected event with a new reference instead).
    """
    event = posting.event
    _require_staff(actor, event.agreement, "reverse postings")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the posting is being reversed (it goes on the public record)."})
    if posting.is_reversal:
        raise ValidationError("A reversal cannot itself be reversed: record the corrected event instead.")
    if Posting.objects.filter(reverses=posting).exists():
        raise ValidationError("This posting has already been reversed.")
    try:
        reversal_set = ledger.reverse(_posting_set(posting))
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    try:
        with transaction.atomic():
            reversal, lines = _store(reversal_set, event=event, actor=actor, shares=posting.shares,
                                     reverses=posting, reason=reason[:300])
    except IntegrityError:
        raise ValidationError("This posting has already been reversed.") from None
    payload = _posting_payload(reversal, event, event.version, lines)
    payload["reason"] = reason[:300]
    record_append(action="benefits.posting.reversed", actor=actor, network=event.network, obj=reversal,
                  payload=payload)
    return reversal
