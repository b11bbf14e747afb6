"""Reads for networks: lists and member counts by constituency, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from innovatorium.core import figures
from innovatorium.networks.models import Constituency, ConstituencyKind, Network
from innovatorium.people.models import COUNTED_VERIFICATION, STAFF_ROLES, Membership, Verification


@dataclass
class ConstituencyCount:
    constituency: Constituency
    members: int = 0
    pending: int = 0


@dataclass
class NetworkSummary:
    network: Network
    constituencies: list[ConstituencyCount] = field(default_factory=list)

    @property
    def members(self) -> int:
        return sum(c.members for c in self.constituencies)

    @property
    def pending(self) -> int:
        return sum(c.pending for c in self.constituencies)

    @property
    def patients_public(self) -> int:
        return sum(c.members for c in self.constituencies if c.constituency.kind == ConstituencyKind.PATIENTS_PUBLIC)


def network_list() -> QuerySet[Network]:
    return Network.objects.order_by("name")


def network_get(*, slug: str) -> Network:
    return Network.objects.get(slug=slug)


def _summaries(networks: list[Network]) -> list[NetworkSummary]:
    """Member counts per constituency for the given networks: two queries however many there are."""
    by_network = {n.pk: NetworkSummary(network=n) for n in networks}
    counts: dict[int, ConstituencyCount] = {}
    for constituency in Constituency.objects.filter(network__in=by_network).order_by("network_id", "position"):
        entry = ConstituencyCount(constituency=constituency)
        counts[constituency.pk] = entry
        by_network[constituency.network_id].constituencies.append(entry)
    rows = (
        Membership.objects.filter(network__in=by_network)
        .values("constituency_id")
        .annotate(
            members=Count("id", filter=Q(verification__in=COUNTED_VERIFICATION)),
            pending=Count("id", filter=Q(verification=Verification.PENDING)),
        )
    )
    for row in rows:
        entry = counts.get(row["constituency_id"])
        if entry is not None:
            entry.members = row["members"]
            entry.pending = row["pending"]
    return list(by_network.values())


# The counts read every membership (200,000 at national scale), so they are kept in the cache under the
# "memberships" version, renewed whenever a write to memberships, constituencies or networks commits
# (NetworksConfig.ready).
FIGURES = "memberships"


def network_summaries() -> list[NetworkSummary]:
    return figures.cached(FIGURES, "summaries", lambda: _summaries(list(network_list())))


def network_summary(*, network: Network) -> NetworkSummary:
    counted = figures.cached(FIGURES, f"summary:{network.pk}", lambda: _summaries([network])[0])
    return NetworkSummary(network=network, constituencies=counted.constituencies)


@dataclass
class NationalTotal:
    kind: str
    label: str
    members: int


def national_totals(summaries: list[NetworkSummary]) -> list[NationalTotal]:
    """Members across all networks by kind of constituency (computed from summaries: no extra query)."""
    totals: dict[str, int] = defaultdict(int)
    for summary in summaries:
        for count in summary.constituencies:
            totals[count.constituency.kind] += count.members
    return [NationalTotal(kind=k, label=label, members=totals.get(k, 0)) for k, label in ConstituencyKind.choices
            if k != ConstituencyKind.OTHER or totals.get(k)]


def network_named_staff(*, network: Network) -> list[Membership]:
    """Board members, facilitators and admins who consented to be named publicly."""
    return list(
        Membership.objects.filter(
            network=network,
            role__in=[*STAFF_ROLES, "board_member"],
            person__show_name_publicly=True,
            person__erased_at__isnull=True,
        )
        .exclude(person__display_name="")
        .select_related("person", "constituency")
        .order_by("role", "person__display_name")
    )


def network_active_constituencies(*, network: Network) -> QuerySet[Constituency]:
    return network.constituencies.filter(is_active=True).order_by("position")
