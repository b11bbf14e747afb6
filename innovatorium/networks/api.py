from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from innovatorium.networks import selectors
from innovatorium.networks.models import Network

router = Router(tags=["networks"])


class ConstituencyOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    requires_verification: bool
    is_active: bool
    members: int
    pending: int


class NetworkOut(Schema):
    slug: str
    name: str
    description: str
    members: int
    constituencies: list[ConstituencyOut]


def _out(summary: selectors.NetworkSummary) -> NetworkOut:
    return NetworkOut(
        slug=summary.network.slug,
        name=summary.network.name,
        description=summary.network.description,
        members=summary.members,
        constituencies=[
            ConstituencyOut(
                slug=c.constituency.slug, name=c.constituency.name, kind=c.constituency.kind,
                description=c.constituency.description, requires_verification=c.constituency.requires_verification,
                is_active=c.constituency.is_active, members=c.members, pending=c.pending,
            )
            for c in summary.constituencies
        ],
    )


@router.get("/", response=list[NetworkOut], summary="All networks with member counts by constituency")
def list_networks(request):  # noqa: ANN001, ANN201
    return [_out(s) for s in selectors.network_summaries()]


@router.get("/{slug}", response=NetworkOut, summary="One network with member counts by constituency")
def get_network(request, slug: str):  # noqa: ANN001, ANN201
    network = get_object_or_404(Network, slug=slug)
    return _out(selectors.network_summary(network=network))
