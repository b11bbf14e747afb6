"""Networks, their constituencies, public counts and (for facilitators) the verification queue.

Public endpoints return aggregates and consented names only. The verification endpoints need a signed-in
facilitator or admin of that very network (Django session, with the CSRF token on writes).
"""

# No `from __future__ import annotations` here: ninja reads parameter types at runtime, and through
# @paginate's wrapper string annotations would be resolved in ninja's module, not this one.

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth

from innovatorium.core.pagination import LimitOffsetPagination
from innovatorium.networks import selectors
from innovatorium.networks.models import ConstituencyKind, Network
from innovatorium.people import selectors as people_selectors
from innovatorium.people import services as people_services
from innovatorium.people.models import Membership

router = Router(tags=["networks"])
counts_router = Router(tags=["counts"])
verification_router = Router(tags=["verification"], auth=django_auth)


# --- Schemas ------------------------------------------------------------------------------------------


class ConstituencyOut(Schema):
    slug: str
    name: str
    kind: str = Field(description="One of: " + ", ".join(ConstituencyKind.values))
    description: str
    requires_verification: bool = Field(description="A facilitator checks declarations before they count.")
    is_active: bool = Field(description="Inactive constituencies take no new members.")
    members: int = Field(description="Members who count: verified, or whose declaration needs no check.")
    pending: int = Field(description="Declarations waiting for a facilitator's check.")


class NetworkOut(Schema):
    slug: str
    name: str
    description: str
    url: str = Field(description="The network's public page.")
    members: int
    pending: int
    constituencies: list[ConstituencyOut]


class NamedPersonOut(Schema):
    """Someone who holds a role and consented to be named publicly."""

    name: str
    role: str
    constituency: str


class NetworkDetailOut(NetworkOut):
    named_people: list[NamedPersonOut] = Field(
        description="Board members, facilitators and admins who consented to show their name."
    )


class KindCountOut(Schema):
    kind: str
    label: str
    members: int
    pending: int


class CountsOut(Schema):
    networks: int
    members: int = Field(description="Memberships that count (a person in two networks counts twice).")
    pending: int
    by_kind: list[KindCountOut] = Field(description="Members by kind of constituency, in the default order.")


class OrganisationOut(Schema):
    name: str
    type: str
    ods_code: str | None


class PendingOut(Schema):
    """A declaration waiting for a check. The person appears only by their public name (a pseudonym unless
    they consented to show their name): no email, no access needs, no contact details."""

    id: int
    member: str = Field(description="The member's public name: a pseudonym unless they consented to be named.")
    constituency: str
    constituency_name: str
    organisation: OrganisationOut | None
    joined_at: dt.datetime
    verification: str

    @staticmethod
    def resolve_member(obj: Membership) -> str:
        return obj.person.public_name

    @staticmethod
    def resolve_constituency(obj: Membership) -> str:
        return obj.constituency.slug

    @staticmethod
    def resolve_constituency_name(obj: Membership) -> str:
        return obj.constituency.name


class DecisionIn(Schema):
    approve: bool = Field(description="true to verify the declaration, false to record that it was not verified.")
    note: str = Field("", max_length=300, description="Required when not approving: why it was not verified.")


# --- Helpers ------------------------------------------------------------------------------------------


def _constituency_out(count: selectors.ConstituencyCount) -> ConstituencyOut:
    c = count.constituency
    return ConstituencyOut(
        slug=c.slug, name=c.name, kind=c.kind, description=c.description,
        requires_verification=c.requires_verification, is_active=c.is_active,
        members=count.members, pending=count.pending,
    )


def _network_fields(summary: selectors.NetworkSummary) -> dict[str, object]:
    network = summary.network
    return {
        "slug": network.slug,
        "name": network.name,
        "description": network.description,
        "url": network.get_absolute_url(),
        "members": summary.members,
        "pending": summary.pending,
        "constituencies": [_constituency_out(c) for c in summary.constituencies],
    }


def _network_for_staff(request: HttpRequest, slug: str) -> Network:
    """The network, if the signed-in person facilitates it: 404 for no such network, 403 for someone else's."""
    network = get_object_or_404(Network, slug=slug)
    if not request.user.has_perm("people.verify_membership", network):
        raise HttpError(403, f"Only facilitators and admins of {network.name} may see or decide its verifications.")
    return network


# --- Public endpoints ---------------------------------------------------------------------------------


@router.get("/", response=list[NetworkOut], summary="All networks with member counts by constituency")
@paginate(LimitOffsetPagination)
def list_networks(request: HttpRequest, q: str | None = None) -> list[NetworkOut]:
    """`q` keeps networks whose name or slug contains it (case-insensitive)."""
    summaries = selectors.network_summaries()
    if q:
        needle = q.strip().lower()
        summaries = [s for s in summaries if needle in s.network.name.lower() or needle in s.network.slug]
    # Fifteen networks at most: the two count queries cover all of them, and the page is cut from the list.
    return [NetworkOut(**_network_fields(s)) for s in summaries]


@router.get("/{slug}", response=NetworkDetailOut, summary="One network with member counts and named roles")
def get_network(request: HttpRequest, slug: str) -> NetworkDetailOut:
    network = get_object_or_404(Network, slug=slug)
    named = [
        # network_named_staff only returns people who consented to be named; public_name re-checks consent.
        NamedPersonOut(name=m.person.public_name, role=m.role, constituency=m.constituency.slug)
        for m in selectors.network_named_staff(network=network)
    ]
    return NetworkDetailOut(**_network_fields(selectors.network_summary(network=network)), named_people=named)


@router.get(
    "/{slug}/constituencies", response=list[ConstituencyOut], summary="A network's constituencies with member counts"
)
@paginate(LimitOffsetPagination)
def list_constituencies(
    request: HttpRequest, slug: str, kind: str | None = None, active: bool | None = None
) -> list[ConstituencyOut]:
    network = get_object_or_404(Network, slug=slug)
    counts = selectors.network_summary(network=network).constituencies
    if kind:
        counts = [c for c in counts if c.constituency.kind == kind]
    if active is not None:
        counts = [c for c in counts if c.constituency.is_active == active]
    return [_constituency_out(c) for c in counts]


@counts_router.get("/", response=CountsOut, summary="Public member counts by kind of constituency")
def public_counts(request: HttpRequest, network: str | None = None) -> CountsOut:
    """National totals, or one network's with `?network=<slug>`."""
    if network:
        summaries = [selectors.network_summary(network=get_object_or_404(Network, slug=network))]
    else:
        summaries = selectors.network_summaries()
    members: dict[str, int] = defaultdict(int)
    pending: dict[str, int] = defaultdict(int)
    for summary in summaries:
        for count in summary.constituencies:
            members[count.constituency.kind] += count.members
            pending[count.constituency.kind] += count.pending
    by_kind = [
        KindCountOut(kind=kind, label=label, members=members[kind], pending=pending[kind])
        for kind, label in ConstituencyKind.choices
        if kind != ConstituencyKind.OTHER or members[kind] or pending[kind]
    ]
    return CountsOut(
        networks=len(summaries), members=sum(members.values()), pending=sum(pending.values()), by_kind=by_kind
    )


# --- Facilitators: the verification queue --------------------------------------------------------------


@verification_router.get(
    "/{slug}/verifications",
    response=list[PendingOut],
    summary="Declarations waiting for a check (facilitators of the network only)",
)
@paginate(LimitOffsetPagination)
def list_pending_verifications(
    request: HttpRequest, slug: str, constituency: str | None = None
) -> QuerySet[Membership]:
    network = _network_for_staff(request, slug)
    pending = people_selectors.pending_verifications(network=network)
    if constituency:
        pending = pending.filter(constituency__slug=constituency)
    return pending  # paginated in the database, then each row goes through PendingOut


@verification_router.post(
    "/{slug}/verifications/{membership_id}",
    response=PendingOut,
    summary="Verify a declaration, or record that it could not be verified",
)
def decide_verification(request: HttpRequest, slug: str, membership_id: int, decision: DecisionIn) -> Membership:
    network = _network_for_staff(request, slug)
    # Looked up within the network, so another network's membership is simply not found here.
    membership = get_object_or_404(Membership.objects.select_related("person"), pk=membership_id, network=network)
    actor = getattr(request.user, "person", None)
    if actor is None:  # a superuser without a profile: the record needs someone to name as the actor
        raise HttpError(403, "Only a person with a profile can verify declarations.")
    # The service checks authority again and writes the public-record entry in the same transaction.
    membership = people_services.membership_verify(
        membership=membership, actor=actor, approve=decision.approve, note=decision.note
    )
    return Membership.objects.select_related("person", "constituency", "organisation").get(pk=membership.pk)

