"""Demo conversation: "What should our network tackle next in diabetes care?" with ~500 participants.

The votes are made up with a planted structure of three camps (prevention first, technology first, access and
equity first) plus statements nearly everyone agrees with, so the report shows three opinion groups and real
consensus. Participants are the network's members (so the partner-group view has people in it) and, for the
rest, pseudonymous browsers. Votes are bulk-created for speed (they are never on the record one by one); the
conversation's opening and seed statements go through the services and are on the record.
"""

from __future__ import annotations

import hashlib
import random

from django.utils import timezone

from innovatorium.deliberation import services
from innovatorium.deliberation.models import Conversation, Participant, Statement, Vote
from innovatorium.demo.constants import DEMO_NETWORK_SLUG
from innovatorium.networks.models import Network
from innovatorium.people.models import COUNTED_VERIFICATION, STAFF_ROLES, Membership

QUESTION = "What should our network tackle next in diabetes care?"
DESCRIPTION = (
    "We can take on one or two big pieces of work next year. Tell us what matters most to you: vote on each "
    "statement, and add your own if something is missing."
)
# (statement, stance of camp 0 prevention, camp 1 technology, camp 2 access and equity): +1 agree, -1 disagree
STATEMENTS: list[tuple[str, int, int, int]] = [
    ("Preventing type 2 diabetes matters more than new treatments for people who already have it.", 1, -1, 0),
    ("The NHS Diabetes Prevention Programme should be offered in every GP practice in our region.", 1, 0, 1),
    ("We should fund weight-management support before we fund new devices.", 1, -1, 0),
    ("Schools should teach children to cook healthy meals on a budget.", 1, -1, 1),
    ("Everyone over 40 should be offered a diabetes risk check at their pharmacy.", 1, 0, 0),
    ("Sugar taxes and food labelling do more good than any app.", 1, -1, 0),
    ("Workplaces should give staff time off for health checks.", 1, 0, 1),
    ("Continuous glucose monitors should be available to everyone with type 1 diabetes.", -1, 1, 0),
    ("Closed-loop 'artificial pancreas' systems are the biggest opportunity for our network.", -1, 1, -1),
    ("Remote monitoring would free up clinic time for the people who need it most.", 0, 1, -1),
    ("Diabetes apps should share readings with my care team automatically.", -1, 1, 0),
    ("AI that reads retinal photos should be used in every eye screening service.", 0, 1, -1),
    ("Online education courses work as well as face-to-face ones.", 0, 1, -1),
    ("We should test new devices with industry partners in our region first.", -1, 1, -1),
    ("Digital tools leave older people and people without smartphones behind.", 0, -1, 1),
    ("Diabetes care in deprived areas should come first.", 1, -1, 1),
    ("Information should be available in the languages people in our area speak.", 0, 0, 1),
    ("People should be able to get diabetes appointments in the evenings and at weekends.", 0, 0, 1),
    ("Community champions from local faith and cultural groups should help run education sessions.", 1, -1, 1),
    ("Foot checks should happen in the community, not only in hospital clinics.", 0, -1, 1),
    ("The cost of healthy food is the real problem, not a lack of services.", 1, -1, 1),
    ("Free prescriptions for diabetes should include test strips without a fight.", 0, 0, 1),
    ("Everyone with diabetes should have one named person to contact about their care.", 1, 1, 1),
    ("People living with diabetes should help decide what the network works on.", 1, 1, 1),
    ("Mental health support should be part of routine diabetes care.", 1, 1, 1),
    ("GP practices and hospitals should see the same diabetes record.", 1, 1, 1),
    ("Waiting times for diabetes specialist appointments are too long.", 1, 1, 1),
    ("The network should publish what difference its diabetes projects made.", 1, 1, 1),
    ("Gestational diabetes should be followed up with yearly checks after pregnancy.", 1, 0, 1),
    ("The network should spend less on diabetes and more on other conditions.", -1, -1, -1),
]
CAMP_WEIGHTS = [0.35, 0.3, 0.35]
# Partner groups lean towards a camp, so the partner-group view shows differences.
KIND_CAMP_WEIGHTS = {"patients_public": [0.3, 0.15, 0.55], "industry": [0.1, 0.8, 0.1], "nhs": [0.5, 0.3, 0.2]}


def _vote(rng: random.Random, stance: int) -> int:
    roll = rng.random()
    if stance == 0:
        return 1 if roll < 0.35 else (-1 if roll < 0.7 else 0)
    if roll < 0.8:
        return stance
    return -stance if roll < 0.92 else 0


def create_demo_conversation(rng: random.Random, count: int = 500) -> str:
    """One open conversation with about `count` participants. Returns what it made, in words."""
    network = Network.objects.filter(slug=DEMO_NETWORK_SLUG).first() or Network.objects.order_by("pk").first()
    if network is None:
        return "no network"
    members = list(
        Membership.objects.filter(network=network, verification__in=COUNTED_VERIFICATION)
        .select_related("constituency", "person").order_by("pk")
    )
    staff = [m.person for m in members if m.role in STAFF_ROLES]
    conversation = services.conversation_open(
        network=network, actor=staff[0] if staff else None, question=QUESTION, description=DESCRIPTION,
        allow_anonymous=True, seed_statements=[text for text, *_ in STATEMENTS],
    )
    statements = list(Statement.objects.filter(conversation=conversation).order_by("pk"))
    stances = {s.pk: STATEMENTS[i][1:] for i, s in enumerate(statements)}
    now = timezone.now()
    participants: list[Participant] = []
    camps: list[int] = []
    for m in members[:count]:
        participants.append(Participant(conversation=conversation, person=m.person, constituency=m.constituency,
                                        constituency_kind=m.constituency.kind, created_at=now))
        camps.append(rng.choices(range(3), KIND_CAMP_WEIGHTS.get(m.constituency.kind, CAMP_WEIGHTS))[0])
    for i in range(max(0, count - len(participants))):
        token = f"demo:{conversation.pk}:{i}:{rng.random()}"
        participants.append(Participant(conversation=conversation,
                                        anonymous_hash=hashlib.sha256(token.encode()).hexdigest(), created_at=now))
        camps.append(rng.choices(range(3), CAMP_WEIGHTS)[0])
    participants = Participant.objects.bulk_create(participants, batch_size=1000)
    votes: list[Vote] = []
    for participant, camp in zip(participants, camps, strict=True):
        answered = rng.sample(statements, rng.randint(6, len(statements)))
        for statement in answered:
            votes.append(Vote(conversation=conversation, participant=participant, statement=statement,
                              value=_vote(rng, stances[statement.pk][camp]), created_at=now, updated_at=now))
    Vote.objects.bulk_create(votes, batch_size=5000)
    Conversation.objects.filter(pk=conversation.pk).update(last_vote_at=now)
    services.analysis_refresh(conversation_id=conversation.pk, force=True)
    return f"1 conversation, {len(statements)} statements, {len(participants)} participants, {len(votes)} votes"
