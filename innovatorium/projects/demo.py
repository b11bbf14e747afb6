"""Demo programmes and co-production projects: teams by constituency, iterations, user tests and contributions.

Called by `manage.py demo_data` after the Atlas and the needs exist. Everything goes through the services, so the
public record holds each step as it would for real projects.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from innovatorium.atlas.models import Innovation
from innovatorium.challenges.models import Challenge
from innovatorium.networks.models import Network
from innovatorium.people.models import COUNTED_VERIFICATION, STAFF_ROLES, Membership
from innovatorium.projects import services
from innovatorium.projects.models import InvolvementDepth, MilestoneStatus, ParticipantProfile

PROGRAMMES = [
    ("Diabetes", "Preventing type 2 diabetes and helping people live well with it, designed with the people "
                 "who have it."),
    ("Dementia", "Diagnosis, support after diagnosis, and carers' lives, shaped by people living with dementia."),
    ("Patient Safety Collaborative", "Safer care in hospitals, care homes and at home: deterioration, medicines, "
                                     "falls and maternity."),
    ("Mental health", "Earlier help for children, young people and adults, co-designed with people who use services."),
]
ROLES = {
    "patients_public": ["Patient partner", "Carer partner", "Lived experience adviser"],
    "nhs": ["Clinical lead", "Nurse adviser", "Pharmacist"],
    "social_care": ["Care home manager", "Social worker"],
    "academia": ["Evaluator", "Researcher"],
    "industry": ["Product developer", "Innovator"],
    "vcse": ["Community link worker", "Charity partner"],
}
ITERATIONS = [
    ("Paper prototype", "Sketched the main screens and the printed version on paper.",
     "Patient partners said they wanted to see it before anything was built."),
    ("Clickable mock-up", "Turned the paper screens into a clickable mock-up with bigger buttons.",
     "In the first test, people with arthritis struggled with small tap targets."),
    ("Plain-language rewrite", "Rewrote every message at reading age 9 and added an audio option.",
     "Carers told us the wording sounded like a letter from the hospital."),
    ("Pilot version", "Connected it to one GP practice's system for a four-week pilot.",
     "The team agreed the mock-up was good enough to try with real appointments."),
]
TESTS = [
    ("Whether people can find their next appointment", "Most found it in under a minute; two asked for a "
     "reminder the day before."),
    ("The sign-up steps on a phone", "Three of the older participants gave up at the password step; we will try "
     "a one-time code instead."),
    ("Whether the wording is clear", "People understood what to do next; 'triage' was replaced with 'first check'."),
]
DECISIONS = [
    ("The whole team, by consensus", "Build an app\nUse text messages\nImprove the paper letter",
     "Use text messages first: everyone in the team has a phone that gets texts; not everyone has a smartphone."),
    ("Patient partners and the clinical lead", "Start with one GP practice\nStart with the whole primary care "
                                                "network", "Start with one practice, so problems are small."),
]
DEPTHS = [InvolvementDepth.CONSULT, InvolvementDepth.INVOLVE, InvolvementDepth.COLLABORATE,
          InvolvementDepth.CO_PRODUCE, InvolvementDepth.CO_PRODUCE, InvolvementDepth.LEAD]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def create_demo_projects(rng: random.Random, count: int = 60) -> str:
    """About `count` projects over the networks with members, most in programmes. Returns what was made."""
    memberships: dict[int, list[Membership]] = defaultdict(list)
    for m in (Membership.objects.filter(verification__in=COUNTED_VERIFICATION)
              .select_related("person", "constituency", "network").order_by("network_id", "pk")):
        memberships[m.network_id].append(m)
    networks = [n for n in Network.objects.order_by("name") if len(memberships.get(n.pk, [])) >= 3]
    if not networks:
        return "no projects (no networks with members)"
    today = timezone.localdate()
    programmes = {n.pk: [services.programme_create(network=n, actor=None, name=name, theme=theme)
                         for name, theme in PROGRAMMES] for n in networks}
    for network in networks:
        partners = [m for m in memberships[network.pk] if m.constituency.kind == "patients_public"]
        leads = [m for m in memberships[network.pk] if m.role in STAFF_ROLES]
        for programme in programmes[network.pk]:
            for m, role in ((rng.choice(leads) if leads else None, "lead"),
                            (rng.choice(partners) if partners else None, "patient_partner")):
                if m is not None:
                    services.programme_role_add(programme=programme, actor=None, person=m.person, role=role)
    needs = defaultdict(list)
    for c in Challenge.objects.filter(network__in=networks).order_by("pk"):
        needs[c.network_id].append(c)
    innovations = defaultdict(list)
    for i in Innovation.objects.filter(network__in=networks).order_by("pk"):
        innovations[i.network_id].append(i)
    made = contributions = tests = 0
    # The network with the most members (Eastern, the demo network) gets a larger share.
    busiest = max(networks, key=lambda n: (len(memberships[n.pk]), -n.pk))
    for index in range(count):
        network = busiest if index % 3 == 0 else networks[index % len(networks)]
        challenge = rng.choice(needs[network.pk]) if needs[network.pk] and rng.random() < 0.8 else None
        innovation = rng.choice(innovations[network.pk]) if innovations[network.pk] and (
            challenge is None or rng.random() < 0.5) else None
        if challenge is None and innovation is None:
            continue
        title = challenge.title if challenge else f"Co-designing {innovation.name}"
        started = today - dt.timedelta(days=rng.randint(30, 500))
        project = services.project_create(
            network=network, actor=None, title=title[:190],
            summary=(f"Patients, carers, staff and innovators working together on: {title}. "
                     "We meet monthly, test each version with people who would use it, and change it by what "
                     "they say."),
            programme=rng.choice(programmes[network.pk]) if rng.random() < 0.8 else None,
            challenge=challenge, innovation=innovation, started_on=started,
            contribution_values_private=rng.random() < 0.15,
        )
        made += 1
        pool = memberships[network.pk][:]
        rng.shuffle(pool)
        size = rng.randint(3, min(8, len(pool)))
        # About one project in ten has no patient or public partner, so the warnings have something to say.
        if rng.random() < 0.1:
            pool = [m for m in pool if m.constituency.kind != "patients_public"] or pool
        team = []
        for m in pool[:size]:
            kind = m.constituency.kind
            paid = kind == "patients_public" and rng.random() < 0.7
            team.append(services.team_member_add(
                project=project, actor=None, person=m.person, role=rng.choice(ROLES.get(kind, ["Partner"])),
                depth=rng.choice(DEPTHS), paid=paid, hourly_rate=Decimal(rng.choice([20, 25, 30])) if paid else None,
                joined_on=started,
            ))
        for i, (name, due) in enumerate((("Team formed", 14), ("First prototype tested", 90), ("Pilot", 200))):
            due_on = started + dt.timedelta(days=due)
            milestone = services.milestone_add(project=project, actor=None, title=name, due_on=due_on)
            if due_on < today:
                services.milestone_update(milestone=milestone, actor=None, completed_on=due_on,
                                          status=MilestoneStatus.DONE if rng.random() < 0.8 or i == 0
                                          else MilestoneStatus.MISSED)
        versions = []
        for title_, changed, why in ITERATIONS[: rng.randint(1, len(ITERATIONS))]:
            versions.append(services.iteration_add(project=project, actor=None, title=title_, what_changed=changed,
                                                   why=why, occurred_on=_day(rng, started, today)))
        for what, findings in rng.sample(TESTS, rng.randint(1, len(TESTS))):
            services.user_test_add(
                project=project, actor=None, what_was_tested=what, findings=findings,
                occurred_on=_day(rng, started, today), iteration=rng.choice(versions),
                participants={"patients-public": rng.randint(3, 12), "nhs": rng.randint(0, 4)},
            )
            tests += 1
        decided_by, options, decision = rng.choice(DECISIONS)
        services.decision_add(project=project, actor=None, decided_by=decided_by, options_considered=options,
                              decision=decision, decided_on=_day(rng, started, today))
        for member in team:
            for _ in range(rng.randint(1, 5)):
                kind = rng.choice(["time", "time", "time", "lived_experience", "expertise"])
                entry = services.contribution_log(
                    project=project, actor=member.person, kind=kind, unit="hours",
                    quantity=Decimal(rng.choice([1, 1.5, 2, 2.5, 3, 4])), occurred_on=_day(rng, started, today),
                    description=rng.choice(["Monthly team meeting", "Tested the prototype with my group",
                                            "Reviewed the wording", "Shared my experience of clinic letters"]),
                )
                contributions += 1
                if rng.random() < 0.03:
                    services.contribution_reverse(contribution=entry, actor=member.person, reason="Logged twice")
        if any(m.constituency_kind == "industry" for m in team) and rng.random() < 0.3:
            investor = next(m for m in team if m.constituency_kind == "industry")
            services.contribution_log(project=project, actor=investor.person, kind="money", unit="gbp",
                                      quantity=Decimal(rng.choice([500, 2000, 5000])),
                                      occurred_on=_day(rng, started, today), description="Development costs")
    described = _demo_participant_profiles(random.Random(rng.randint(0, 2**31)))
    return (f"{made} projects in {len(networks)} networks, {tests} user tests, {contributions} contributions, "
            f"{described} people who said who they are")


# Who answers "about you", and how: weighted so that, as in real networks, older, disabled and minority ethnic
# people are under-represented, and the report has someone to name as missing.
_AGE_WEIGHTS = [("16-24", 4), ("25-34", 14), ("35-49", 30), ("50-64", 32), ("65-74", 12), ("75+", 3),
                ("prefer_not", 2), ("", 3)]
_ETHNIC_WEIGHTS = [("white", 85), ("asian", 4), ("black", 4), ("mixed", 3), ("other", 1), ("prefer_not", 3)]
_DISABILITY_WEIGHTS = [("no", 82), ("yes_a_little", 8), ("yes_a_lot", 3), ("prefer_not", 4), ("", 3)]
_DISTRICTS = ["CB1", "CB4", "NR1", "NR3", "IP1", "IP4", "CM1", "CO1", "PE1", "PE7", "SG1", "LU1"]


def _pick(rng: random.Random, weights: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weights], weights=[w for _, w in weights])[0]


def _demo_participant_profiles(rng: random.Random) -> int:
    """About two in three members answer "about you" (bulk-created: private, not on the record)."""
    people = sorted(set(Membership.objects.values_list("person_id", flat=True)))
    profiles = [
        ParticipantProfile(person_id=pk, age_band=_pick(rng, _AGE_WEIGHTS), ethnic_group=_pick(rng, _ETHNIC_WEIGHTS),
                           disability=_pick(rng, _DISABILITY_WEIGHTS),
                           postcode_district=rng.choice(_DISTRICTS) if rng.random() < 0.6 else "")
        for pk in people if rng.random() < 0.67
    ]
    ParticipantProfile.objects.bulk_create(profiles, ignore_conflicts=True)
    return len(profiles)
