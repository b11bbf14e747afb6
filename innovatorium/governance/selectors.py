"""Reads shared by governance pages and the API."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from innovatorium.governance.models import (
    Body,
    BodyMember,
    Draw,
    Election,
    ElectionContest,
    Motion,
    MotionStatus,
    MotionVote,
    Nomination,
    ReservedSeats,
)
from innovatorium.networks.models import Constituency, Network
from innovatorium.people.models import Person

OPTION_LABELS = {
    "agree": "Agree", "abstain": "Abstain", "disagree": "Disagree", "block": "Block",
    "consent": "Consent", "objection": "Object",
}


def public_name(person: Person | None) -> str:
    """A member's name only with their consent; otherwise their pseudonym."""
    return person.public_name if person is not None else "A former member"


@dataclass
class SeatRow:
    constituency: Constituency
    reserved: int
    members: list[BodyMember] = field(default_factory=list)

    @property
    def filled(self) -> int:
        return min(len(self.members), self.reserved)

    @property
    def empty(self) -> int:
        return max(self.reserved - len(self.members), 0)


def _current_members() -> Prefetch:
    return Prefetch(
        "members", queryset=BodyMember.objects.filter(ended_at__isnull=True).select_related("person", "constituency"),
        to_attr="current_members",
    )


def bodies_for_network(network: Network) -> list[Body]:
    return list(
        Body.objects.filter(network=network)
        .prefetch_related(Prefetch("reserved_seats", queryset=ReservedSeats.objects.select_related("constituency")),
                          _current_members())
        .order_by("kind", "name")
    )


def body_get(*, network_slug: str, body_slug: str) -> Body:
    return get_object_or_404(
        Body.objects.select_related("network").prefetch_related(
            Prefetch("reserved_seats", queryset=ReservedSeats.objects.select_related("constituency")),
            _current_members(),
        ),
        network__slug=network_slug, slug=body_slug,
    )


def seat_rows(body: Body) -> list[SeatRow]:
    """Each reserved constituency with its current seat holders (needs `bodies_for_network`/`body_get`)."""
    by_constituency: dict[int, list[BodyMember]] = defaultdict(list)
    for m in body.current_members:
        by_constituency[m.constituency_id].append(m)
    rows = [SeatRow(r.constituency, r.seats, by_constituency.pop(r.constituency_id, [])) for r in
            body.reserved_seats.all()]
    for members in by_constituency.values():  # seats held for a constituency no longer reserved
        rows.append(SeatRow(members[0].constituency, 0, members))
    return rows


def seats_by_constituency(network: Network) -> list[dict[str, Any]]:
    """Board and council seats by constituency: for each body, each partner group's reserved, filled and empty
    seats. Two queries whatever the number of bodies (used by the involvement report)."""
    bodies = list(Body.objects.filter(network=network).order_by("kind", "name"))
    reserved = ReservedSeats.objects.filter(body__network=network).select_related("constituency")
    held: dict[tuple[int, int], int] = defaultdict(int)
    for body_id, constituency_id in BodyMember.objects.filter(
        body__network=network, ended_at__isnull=True
    ).values_list("body_id", "constituency_id"):
        held[(body_id, constituency_id)] += 1
    seats: dict[int, list[ReservedSeats]] = defaultdict(list)
    for r in reserved:
        seats[r.body_id].append(r)
    out = []
    for body in bodies:
        rows = [
            {"constituency": r.constituency, "reserved": r.seats, "filled": min(held[(body.pk, r.constituency_id)],
                                                                                 r.seats),
             "empty": max(r.seats - held[(body.pk, r.constituency_id)], 0)}
            for r in sorted(seats[body.pk], key=lambda r: r.constituency.position)
        ]
        out.append({
            "body": body, "rows": rows, "reserved": sum(r["reserved"] for r in rows),
            "filled": sum(r["filled"] for r in rows), "empty": sum(r["empty"] for r in rows),
        })
    return out


def elections_for(*, network: Network | None = None, body: Body | None = None) -> QuerySet[Election]:
    qs = Election.objects.select_related("body__network")
    if body is not None:
        return qs.filter(body=body)
    return qs.filter(body__network=network)


def election_get(*, network_slug: str, pk: int) -> Election:
    return get_object_or_404(Election.objects.select_related("body__network"), body__network__slug=network_slug,
                             pk=pk)


def contests(election: Election) -> list[ElectionContest]:
    return list(
        election.contests.select_related("constituency").prefetch_related(
            Prefetch("nominations", queryset=Nomination.objects.select_related("person").order_by("pk"))
        )
    )


def motions_for(*, network: Network | None = None, body: Body | None = None) -> QuerySet[Motion]:
    qs = Motion.objects.select_related("body__network")
    if body is not None:
        return qs.filter(body=body)
    return qs.filter(body__network=network)


def motion_get(*, network_slug: str, pk: int) -> Motion:
    return get_object_or_404(Motion.objects.select_related("body__network", "proposed_by"),
                             body__network__slug=network_slug, pk=pk)


def with_votes(qs: QuerySet[Motion]) -> QuerySet[Motion]:
    """Motions with their votes and recusals, two queries for any number of motions."""
    from innovatorium.governance.models import Recusal

    return qs.prefetch_related(
        Prefetch("votes", queryset=MotionVote.objects.select_related("person", "constituency")),
        Prefetch("recusals", queryset=Recusal.objects.select_related("person")),
    )


def motion_votes(motion: Motion) -> list[MotionVote]:
    return list(motion.votes.all())


def results_visible(motion: Motion) -> bool:
    return motion.status == MotionStatus.DECIDED or not motion.hide_results


def live_counts(motion: Motion, votes: list[MotionVote]) -> dict[str, int]:
    from innovatorium.ledger.motions import OPTIONS

    counts = dict.fromkeys(OPTIONS[motion.kind], 0)
    for v in votes:
        counts[v.option] = counts.get(v.option, 0) + 1
    return counts


def draws_for(body: Body) -> QuerySet[Draw]:
    return Draw.objects.filter(body=body)


def draw_get(*, network_slug: str, pk: int) -> Draw:
    return get_object_or_404(Draw.objects.select_related("body__network"), body__network__slug=network_slug, pk=pk)
