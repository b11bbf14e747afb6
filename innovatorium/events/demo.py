"""Demo events: past and upcoming connection events, workshops, webinars and panels, with speakers from every
partner group (some with no patient or public speaker, as real ones sometimes have), registrations, wait lists,
attendance and minutes. Everything goes through the services, so the public record holds them as it would."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from innovatorium.challenges.models import Challenge
from innovatorium.events import services
from innovatorium.events.models import Event, EventKind, Registration, RegistrationStatus
from innovatorium.networks.models import ConstituencyKind, Network
from innovatorium.people.models import COUNTED_VERIFICATION, STAFF_ROLES, Membership
from innovatorium.projects.models import Programme, Project

TITLES = [
    (EventKind.CONNECTION, "Meet the innovators: {topic}"),
    (EventKind.CONNECTION, "Patients, carers and staff together on {topic}"),
    (EventKind.WORKSHOP, "Co-design workshop: {topic}"),
    (EventKind.WORKSHOP, "Prototype testing morning: {topic}"),
    (EventKind.WEBINAR, "Webinar: what works in {topic}"),
    (EventKind.WEBINAR, "Lunchtime webinar on {topic}"),
    (EventKind.PANEL, "Panel: who benefits from innovation in {topic}?"),
    (EventKind.PANEL, "Panel: spreading what works in {topic}"),
]
TOPICS = ["diabetes care", "dementia support", "hospital discharge", "mental health for young people",
          "care homes at night", "heart failure at home", "frailty", "maternity", "stroke prevention",
          "digital inclusion", "cancer diagnosis", "long COVID", "autism assessment waits", "social prescribing"]
PLACES = ["Community hall, 12 Market Street", "The Innovation Hub, 3 Science Park", "Town library, meeting room 2",
          "Hospital education centre, Level 1", "Carers' centre, 40 High Street"]
ACCESSIBILITY = [
    "Step-free access from the car park. Accessible toilets on the same floor. Hearing loop in the room. "
    "A quiet room is available. Breaks every 45 minutes. Travel costs paid for patients and carers.",
    "Live captions and a BSL interpreter. Slides sent a week before in large print on request.",
    "Step-free entrance on the side street. No hearing loop: tell us if you need one and we will bring a portable "
    "loop. Lunch provided; tell us your dietary needs.",
]
ACCESS_NEEDS = ["Step-free access, I use a wheelchair.", "BSL interpreter please.", "Large print handouts.",
                "I may need to leave for short breaks.", "Vegetarian lunch.", "A seat near the front: I lip-read."]
EXTERNAL = [("Dr Asha Patel", ConstituencyKind.NHS), ("Prof. Tom Reid", ConstituencyKind.ACADEMIA),
            ("Jo Baker", ConstituencyKind.INDUSTRY), ("Sam Okafor", ConstituencyKind.VCSE),
            ("Lee Morgan", ConstituencyKind.SOCIAL_CARE), ("Ruth Evans", ConstituencyKind.PATIENTS_PUBLIC),
            ("Mo Hussain", ConstituencyKind.PATIENTS_PUBLIC)]
MINUTES = ("{n} people came, from {groups} partner groups. People shared what gets in the way today and what "
           "would help. We agreed to take the ideas to the next co-design session and report back here.")


# Which demo programme (projects/demo.py PROGRAMMES) an event's topic belongs to; other topics stand alone.
PROGRAMME_FOR_TOPIC = {
    "diabetes care": "Diabetes", "dementia support": "Dementia", "mental health for young people": "Mental health",
    "hospital discharge": "Patient Safety Collaborative", "care homes at night": "Patient Safety Collaborative",
    "maternity": "Patient Safety Collaborative", "frailty": "Patient Safety Collaborative",
    "autism assessment waits": "Mental health",
}


def _programme_for(topic: str, programmes: list[Programme]) -> Programme | None:
    name = PROGRAMME_FOR_TOPIC.get(topic)
    return next((p for p in programmes if p.name == name), None)


def create_demo_events(rng: random.Random, count: int = 80) -> int:
    """Make about `count` events across the networks that have members. Returns how many were made."""
    memberships: dict[int, list[Membership]] = defaultdict(list)
    for m in (Membership.objects.filter(verification__in=COUNTED_VERIFICATION)
              .select_related("person", "constituency", "network").order_by("network_id", "pk")):
        memberships[m.network_id].append(m)
    networks = [n for n in Network.objects.order_by("name") if memberships.get(n.pk)]
    if not networks:
        return 0
    # The demo network (most members) gets more events; every other network gets some.
    weights = [len(memberships[n.pk]) for n in networks]
    now = timezone.now()
    made = 0
    # Programmes and projects (made by the projects demo) the events belong to and move on; a separate stream of
    # random numbers, so the events themselves are the same with or without them.
    links = random.Random(rng.randint(0, 2**31))
    programmes: dict[int, list[Programme]] = defaultdict(list)
    for programme in Programme.objects.filter(network__in=networks).order_by("pk"):
        programmes[programme.network_id].append(programme)
    projects: dict[int, list[Project]] = defaultdict(list)
    for project in Project.objects.filter(network__in=networks).order_by("pk"):
        projects[project.network_id].append(project)
    for i in range(count):
        network = networks[i] if i < len(networks) else rng.choices(networks, weights=weights)[0]
        members = memberships[network.pk]
        staff = [m.person for m in members if m.role in STAFF_ROLES]
        actor = rng.choice(staff) if staff else None
        kind, pattern = rng.choice(TITLES)
        topic = rng.choice(TOPICS)
        past = rng.random() < 0.6
        hours = rng.choice([1, 2, 3, 6])
        online = kind == EventKind.WEBINAR or rng.random() < 0.2
        # Registrations are taken while the event is in the future; past events are moved back afterwards.
        start = (now + dt.timedelta(days=rng.randint(2, 90), hours=rng.randint(0, 8))).replace(
            minute=0, second=0, microsecond=0)
        event = services.event_create(
            network=network, actor=actor, kind=kind, title=pattern.format(topic=topic),
            description=f"An open {EventKind(kind).label.lower()} about {topic}, for patients, carers, staff and "
                        "innovators. Everyone is welcome; no experience needed.",
            starts_at=start, ends_at=start + dt.timedelta(hours=hours),
            place="" if online and kind == EventKind.WEBINAR else rng.choice(PLACES),
            online_link="https://meet.example.org/" + f"{network.slug}-{i}" if online else "",
            accessibility=rng.choice(ACCESSIBILITY) if rng.random() < 0.9 else "",
            capacity=rng.choice([None, 12, 20, 30, 40, 60]),
            programme=_programme_for(topic, programmes[network.pk]),
        )
        no_patient = rng.random() < 0.25
        pool = [m for m in members if not (no_patient and m.constituency.kind == ConstituencyKind.PATIENTS_PUBLIC)]
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.5 and pool:
                m = rng.choice(pool)
                services.speaker_add(event=event, actor=None, person=m.person, constituency_kind=m.constituency.kind,
                                     topic=f"My experience of {topic}")
            else:
                name, ckind = rng.choice([e for e in EXTERNAL
                                          if not (no_patient and e[1] == ConstituencyKind.PATIENTS_PUBLIC)])
                services.speaker_add(event=event, actor=None, name=name, constituency_kind=ckind,
                                     topic=f"What we learned about {topic}")
        if rng.random() < 0.06:
            services.event_cancel(event=event, actor=None, reason="The venue is no longer available.")
            made += 1
            continue
        services.event_publish(event=event, actor=None)
        wanted = int((event.capacity or 30) * rng.uniform(0.3, 1.3))
        people = rng.sample(members, min(len(members), wanted))
        for m in people:
            services.register(event=event, actor=m.person, notify=False,
                              access_needs=rng.choice(ACCESS_NEEDS) if rng.random() < 0.2 else "")
        registrations = list(Registration.objects.filter(event=event).select_related("person").order_by("pk"))
        for r in rng.sample(registrations, len(registrations) // 10):
            if rng.random() < 0.5:
                services.cancel_registration(registration=r, actor=r.person, notify=False)
        if past:
            shift = (start - now) + dt.timedelta(days=rng.randint(3, 400))
            Event.objects.filter(pk=event.pk).update(starts_at=start - shift, ends_at=start - shift
                                                     + dt.timedelta(hours=hours))
            event.refresh_from_db()
            confirmed = list(Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
                             .values_list("pk", flat=True))
            came = [pk for pk in confirmed if rng.random() < 0.8]
            services.mark_attendance(event=event, actor=None, attended=came)
            if rng.random() < 0.7:
                pool_c = list(Challenge.objects.filter(network=network).order_by("pk"))
                challenges = rng.sample(pool_c, min(len(pool_c), rng.randint(0, 2)))
                groups = len({m.constituency.kind for m in people}) or 1
                moved_on = links.sample(projects[network.pk], min(len(projects[network.pk]), links.randint(0, 2)))
                services.minutes_publish(event=event, actor=None, text=MINUTES.format(n=len(came), groups=groups),
                                         challenges=challenges, projects=moved_on)
        made += 1
    return made
