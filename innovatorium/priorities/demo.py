"""Demo content: a closed, counted and published final priority-setting round in the demo network.

Ballots come from the network's demo members through the same services the site uses (so the round's record
entries verify and its export re-counts). Each partner group leans towards different needs, so the page shows
how balancing the groups changes the answer.
"""

from __future__ import annotations

import random

from innovatorium.challenges.models import Challenge, ChallengeStatus
from innovatorium.demo.constants import DEMO_NETWORK_SLUG
from innovatorium.networks.models import Network
from innovatorium.people.models import COUNTED_VERIFICATION, STAFF_ROLES, Membership
from innovatorium.priorities import services

EXTRA_OPTIONS = [
    "Help carers find respite care close to home",
    "Joined-up records between GP practices and hospitals",
    "Support for people waiting for mental health treatment",
    "Earlier diagnosis of heart failure in the community",
    "Translation and interpreting for appointments",
    "Digital skills support for older patients",
    "Transport to hospital appointments in rural areas",
    "Better pain management after surgery",
]
OPTIONS = 10


def _network() -> Network | None:
    counted = Membership.objects.filter(verification__in=COUNTED_VERIFICATION)
    preferred = Network.objects.filter(slug=DEMO_NETWORK_SLUG, memberships__in=counted).first()
    if preferred is not None:
        return preferred
    busiest = (counted.values_list("network_id", flat=True).order_by("network_id"))
    ids = list(busiest)
    if not ids:
        return None
    return Network.objects.get(pk=max(set(ids), key=ids.count))


def create_demo_round(rng: random.Random, count: int = 300) -> str:
    """Make the round; returns what was made, in words. `count`: the most ballots to cast."""
    network = _network()
    if network is None:
        return "no priority-setting round (no members)"
    members = list(Membership.objects.filter(network=network, verification__in=COUNTED_VERIFICATION)
                   .select_related("person", "constituency").order_by("pk"))
    staff = [m.person for m in members if m.role in STAFF_ROLES]
    actor = staff[0] if staff else None
    needs = list(Challenge.objects.filter(network=network).exclude(status=ChallengeStatus.CLOSED).order_by("pk"))
    rng.shuffle(needs)
    needs = needs[:OPTIONS]
    extra = EXTRA_OPTIONS[: max(0, OPTIONS - len(needs))]
    round_ = services.round_create(
        network=network, actor=actor, title=f"{network.name} top priorities", method="stv", seats=5,
        stage="final", secret=True, challenges=needs, texts=extra,
        description="The final round of this year's priority setting: rank the needs that matter most to you.",
    )
    services.round_open(round=round_, actor=actor)
    options = [o.option_id for o in round_.options.all()]
    # Each partner group has its own idea of what matters: a seeded worth per option per group.
    leanings: dict[str, list[float]] = {}
    voters = rng.sample(members, min(count, len(members)))
    cast = 0
    for m in voters:
        if rng.random() < 0.1:
            continue  # some members do not vote
        kind = m.constituency.kind
        worth = leanings.setdefault(kind, [rng.random() ** 2 for _ in options])
        keyed = sorted(options, key=lambda o, w=worth: -(w[options.index(o)] + rng.random() * 0.6))
        ranking = keyed[: rng.randint(1, len(options))]
        services.ballot_cast(round=round_, person=m.person, marks=ranking)
        cast += 1
    result = services.round_close(round=round_, actor=actor)
    services.round_publish(round=round_, actor=actor)
    return f"1 closed and published round in {network.name} ({result.ballots} ballots)"
