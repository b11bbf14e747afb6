"""Demo content: a board (two seats per partner group) for every network with members, a members' council in the
demo network elected by STV from real ballots, a citizens' panel drawn by lot, and a dozen motions with every kind
of outcome (passed by double majority, blocked, not quorate, a recusal for a declared interest, some still open).

Everything goes through the services, so the record entries verify and the count is the real count.
"""

from __future__ import annotations

import random
from collections import defaultdict

from innovatorium.demo.constants import DEMO_NETWORK_SLUG
from innovatorium.governance import services
from innovatorium.governance.models import BodyKind, BodyMember, MotionKind, Threshold
from innovatorium.networks.models import Network
from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Role

BOARD_SEATS = 2
COUNCIL_SEATS = 2
PANEL_SEATS = 2

STATEMENTS = [
    "I have used local services for twenty years and want the council to hear from people who rarely get asked.",
    "I work on the front line and know where the time goes. I will push for innovations that give it back.",
    "I care for my mother and know how hard the system is to navigate. I will speak up for carers.",
    "I want every decision explained in plain words, with the evidence published alongside it.",
    "I have run small charities for a decade. I will make sure community groups are partners, not afterthoughts.",
    "I want us to spread what works faster, and to stop what doesn't sooner.",
]

# (title, text, kind, threshold, double majority, concerns, plan): plan is how the demo board votes.
MOTIONS = [
    ("Adopt the network's five-year strategy",
     "That the board adopts the strategy consulted on in the spring, with the changes the members' council asked for.",
     MotionKind.PROPOSAL, Threshold.MAJORITY, True, "", "pass"),
    ("Publish every board paper a week before the meeting",
     "That board papers are published on the website seven days before each meeting, except personal matters.",
     MotionKind.CONSENT, Threshold.MAJORITY, False, "", "consent"),
    ("Contract with Brightpath Diagnostics for the anaemia pilot",
     "That the network contracts with Brightpath Diagnostics Ltd to run the community anaemia testing pilot.",
     MotionKind.PROPOSAL, Threshold.MAJORITY, False, "Brightpath Diagnostics", "recuse"),
    ("Pay patient partners for their time at the London living wage",
     "That patient and carer partners are paid for their time at the London living wage, wherever they live.",
     MotionKind.PROPOSAL, Threshold.TWO_THIRDS, False, "", "pass"),
    ("Move board meetings to evenings",
     "That board meetings start at 6pm so that members who work can attend.",
     MotionKind.PROPOSAL, Threshold.MAJORITY, False, "", "fail"),
    ("Share adoption data with the national programme",
     "That the network shares its adoption records with the national programme under the data agreement.",
     MotionKind.PROPOSAL, Threshold.MAJORITY, True, "", "pass"),
    ("Close the pilot of the remote monitoring app early",
     "That the pilot ends three months early because uptake has been low.",
     MotionKind.PROPOSAL, Threshold.MAJORITY, False, "", "block"),
    ("Set the reinvestment share at 20%",
     "That a fifth of what innovations earn goes to the community fund for new projects.",
     MotionKind.PROPOSAL, Threshold.TWO_THIRDS, True, "", "pass"),
    ("Hold the annual members' meeting online only",
     "That the annual members' meeting is held online only this year.",
     MotionKind.PROPOSAL, Threshold.MAJORITY, False, "", "inquorate"),
    ("Create a young people's panel",
     "That the network draws a panel of members under 25 to advise on digital innovations.",
     MotionKind.CONSENT, Threshold.MAJORITY, False, "", "consent"),
    ("Require an easy-read summary for every decision",
     "That every board decision is published with an easy-read summary.",
     MotionKind.PROPOSAL, Threshold.MAJORITY, True, "", "open"),
    ("Review the declarations of interest policy",
     "That the governance panel reviews the declarations of interest policy and reports in three months.",
     MotionKind.CONSENT, Threshold.MAJORITY, False, "", "open"),
]


def _members(network_ids: list[int]) -> dict[int, dict[str, list[Membership]]]:
    out: dict[int, dict[str, list[Membership]]] = defaultdict(lambda: defaultdict(list))
    for m in (Membership.objects.filter(network_id__in=network_ids, verification__in=COUNTED_VERIFICATION)
              .select_related("person", "constituency").order_by("network_id", "pk")):
        out[m.network_id][m.constituency.slug].append(m)
    return out


def _board(network: Network, members: dict[str, list[Membership]], rng: random.Random) -> tuple[object, int]:
    constituencies = list(network.constituencies.filter(is_active=True))
    board = services.body_create(
        network=network, actor=None, name="Board", kind=BodyKind.BOARD, term_months=36,
        purpose="Sets the network's strategy, agrees its budget and holds its staff to account.",
        seats={c.slug: BOARD_SEATS for c in constituencies},
    )
    seated = 0
    for c in constituencies:
        pool = sorted(members.get(c.slug, []), key=lambda m: (m.role != Role.BOARD_MEMBER, m.pk))
        # leave a seat empty now and then, as real boards have
        take = BOARD_SEATS - (1 if rng.random() < 0.15 else 0)
        for m in pool[:take]:
            services.member_appoint(body=board, actor=None, person=m.person)
            seated += 1
    return board, seated


def _council_election(network: Network, members: dict[str, list[Membership]], rng: random.Random) -> int:
    slugs = [c.slug for c in network.constituencies.filter(is_active=True) if len(members.get(c.slug, [])) >= 2]
    council = services.body_create(
        network=network, actor=None, name="Members' council", kind=BodyKind.COUNCIL, term_months=24,
        purpose="Speaks for the members: scrutinises the board, and sets the priorities the board must answer.",
        seats=dict.fromkeys(slugs, COUNCIL_SEATS),
    )
    election = services.election_call(body=council, actor=None, title="Members' council election")
    nominations: dict[str, list] = {}
    for slug in slugs:
        pool = members[slug]
        standing = rng.sample(pool, min(len(pool), COUNCIL_SEATS + 2))
        nominations[slug] = [
            services.nominate(election=election, actor=m.person, statement=rng.choice(STATEMENTS)) for m in standing
        ]
    services.election_open_voting(election=election, actor=None)
    ballots = 0
    for slug in slugs:
        noms = nominations[slug]
        weights = [rng.uniform(0.5, 3) for _ in noms]
        for m in members[slug]:
            if rng.random() < 0.25:
                continue  # not everyone votes
            order = sorted(noms, key=lambda n: -weights[noms.index(n)] * rng.random())
            depth = rng.randint(1, len(order))
            services.ballot_cast(election=election, actor=m.person, ranking=[n.pk for n in order[:depth]])
            ballots += 1
    services.election_close(election=election, actor=None)
    return ballots


def _motions(board, count: int, rng: random.Random) -> int:
    seats = list(BodyMember.objects.filter(body=board, ended_at__isnull=True).select_related("person",
                                                                                           "constituency"))
    made = 0
    for title, text, kind, threshold, double, concerns, plan in MOTIONS[:count]:
        quorum = max(1, (len(seats) + 1) // 2)
        motion = services.motion_propose(
            body=board, actor=None, title=title, text=text, kind=kind, threshold=threshold,
            double_majority=double, interests=concerns, quorum=quorum, hide_results=plan == "open" and made % 2 == 0,
        )
        made += 1
        must = services.must_recuse(motion)
        voters = [s for s in seats if s.person_id not in must]
        if plan == "inquorate":
            voters = voters[: quorum - 1]
        for i, seat in enumerate(voters):
            if plan == "open" and i >= len(voters) // 2:
                break
            if kind == MotionKind.CONSENT:
                option, reason = "consent", ""
            elif plan == "block" and i == 0:
                option, reason = "block", "Patients in the pilot were not asked; we should hear from them first."
            elif plan == "fail":
                option, reason = ("disagree" if rng.random() < 0.7 else "agree"), ""
            else:  # a double majority needs every group's seats to agree: in the demo they do
                option, reason = ("agree" if double or rng.random() < 0.85 else "abstain"), ""
            services.motion_vote(motion=motion, actor=seat.person, option=option, reason=reason)
        if plan == "recuse":
            for person_id in must:
                seat = next((s for s in seats if s.person_id == person_id), None)
                if seat is not None:
                    services.motion_recuse(motion=motion, actor=seat.person)
        if plan != "open":
            motion = services.motion_close(motion=motion, actor=None)
            if motion.outcome == "passed":
                services.motion_publish_minutes(motion=motion, actor=None, decision=f"Agreed: {text[5:]}",
                                                minutes="The chair summarised the papers. Members discussed the "
                                                "motion and voted as shown.")
    return made


def create_demo_governance(rng: random.Random, count: int = 12) -> str:
    """Boards for every network with members, an elected council and a drawn panel in the demo network, and
    `count` motions (at most a dozen) on the demo network's board. Returns what was made."""
    networks = list(Network.objects.order_by("name"))
    members = _members([n.pk for n in networks])
    networks = [n for n in networks if sum(len(v) for v in members[n.pk].values()) >= 3]
    if not networks:
        return "no governance (no networks with members)"
    demo = next((n for n in networks if n.slug == DEMO_NETWORK_SLUG), networks[0])
    seated = 0
    boards = {}
    for network in networks:
        boards[network.pk], n = _board(network, members[network.pk], rng)
        seated += n
    ballots = _council_election(demo, members[demo.pk], rng)
    slugs = [c.slug for c in demo.constituencies.filter(is_active=True) if members[demo.pk].get(c.slug)]
    panel = services.body_create(
        network=demo, actor=None, name="Citizens' panel on digital care", kind=BodyKind.PANEL, term_months=12,
        purpose="Members drawn by lot who advise the board on digital innovations.",
        seats={s: min(PANEL_SEATS, len(members[demo.pk][s])) for s in slugs},
    )
    services.draw_panel(body=panel, actor=None, seed="demo draw: 04 11 19 23 38 51")
    motions = _motions(boards[demo.pk], min(count, len(MOTIONS)), rng)
    return (f"{len(networks)} boards with {seated} members, a members' council elected from {ballots} ballots, "
            f"a panel drawn by lot and {motions} motions")
