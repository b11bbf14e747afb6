"""Demo impact measures: one from every partner group in every network, each with two to three years of monthly
values, some with real special-cause signals (a shift, a trend, an outlier); members weight them; the demo network
also has measures on one innovation and one project, and this month's anonymous survey answers.

Called by ``manage.py demo_data`` after the Atlas and the projects exist. Values go in through the same import
service as a facilitator's CSV file (one public record entry per measure); weights and survey answers through
their services.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from innovatorium.atlas.models import Innovation
from innovatorium.impact import services
from innovatorium.networks.models import Constituency, Network
from innovatorium.people.models import COUNTED_VERIFICATION, Membership
from innovatorium.projects.models import Project

DEMO_NETWORK = "eastern"

# kind: (name, definition, unit, direction, data source, target, survey scale, survey question, level, noise)
MEASURES = {
    "patients_public": ("I felt listened to",
                        "The average answer to “How well did the staff listen to you today?” from people using the "
                        "service that month (1 = not at all, 5 = completely).",
                        "score out of 5", "higher", "Our own one-question survey, answered on a phone",
                        Decimal("4"), "five", "How well did the staff listen to you today?", 3.6, 0.18),
    "nhs": ("Bed days saved", "Emergency bed days avoided in the month compared with the 2022 baseline for the "
                              "same population, from discharge data.", "bed days", "higher",
            "Trust bed management system (monthly extract)", None, "", "", 120, 14),
    "social_care": ("People still at home 91 days after leaving hospital",
                    "Of the people aged 65 and over discharged home with reablement, the share still at home "
                    "91 days later.", "% of people", "higher", "Council adult social care records",
                    Decimal("85"), "", "", 81, 2.2),
    "academia": ("Sites returning complete evaluation data",
                 "The share of participating sites whose monthly evaluation return has every required field.",
                 "% of sites", "higher", "The evaluation team's data log", Decimal("90"), "", "", 74, 5),
    "industry": ("Days from first contact to a pilot agreement",
                 "For pilot agreements signed in the month, the median number of days since the company first "
                 "contacted the network.", "days", "lower", "The network's innovation pipeline records",
                 Decimal("60"), "", "", 95, 9),
    "vcse": ("People referred to community groups",
             "Referrals from GP practices and link workers to voluntary and community groups in the month.",
             "referrals", "higher", "Social prescribing referral platform", None, "", "", 42, 5),
}
PROM = ("How well I manage my condition", "The average answer to “How confident are you managing your condition "
        "day to day?” (0 = not at all, 10 = completely).", "score out of 10", "higher",
        "Our own one-question survey", None, "eleven", "How confident are you managing your condition day to day?",
        6.1, 0.35)
INNOVATION_MEASURES = [
    ("patients_public", "Appointments I did not have to travel to", "The share of follow-up appointments held by "
     "video or phone that the person chose instead of travelling.", "% of appointments", "higher", "Booking system",
     None, 38, 3),
    ("nhs", "Clinic slots freed", "Outpatient slots released by remote follow-up in the month.", "slots", "higher",
     "Outpatient booking system", None, 210, 25),
]
SIGNALS = ["shift", "trend", "outlier", "none", "decline", "shift", "none", "trend", "worsening"]


def _months(n: int, today: dt.date) -> list[dt.date]:
    day, out = today.replace(day=1), []
    for _ in range(n):
        day = (day - dt.timedelta(days=1)).replace(day=1)
        out.append(day)
    return out[::-1]


def series(rng: random.Random, *, n: int, level: float, noise: float, signal: str, direction: str) -> list[float]:
    """Monthly values around ``level``; ``signal`` adds a real special cause in the good direction (an outlier goes
    the bad way: a bad month stands out)."""
    good = -1 if direction == "lower" else 1
    values = [rng.gauss(level, noise) for _ in range(n)]
    if signal == "shift":  # the last 9 to 12 months settle 1.5 sigma better
        start = n - rng.randint(9, 12)
        values = [v + (good * 1.5 * noise if i >= start else 0) for i, v in enumerate(values)]
    elif signal == "trend":  # the last 8 months improve step by step
        start = n - 8
        values[start:] = [values[start - 1] + good * noise * 0.6 * (k + 1) + rng.gauss(0, noise * 0.05)
                          for k in range(8)]
    elif signal == "outlier":  # one bad month, 4 sigma out, about a third of the way back
        values[n - rng.randint(5, 12)] -= good * 4.5 * noise
    elif signal == "decline":  # the last 9 to 12 months settle 2 sigma worse: a concern
        start = n - rng.randint(9, 12)
        values = [v - (good * 2 * noise if i >= start else 0) for i, v in enumerate(values)]
    elif signal == "worsening":  # the last 7 months get worse step by step
        start = n - 7
        values[start:] = [values[start - 1] - good * noise * 0.6 * (k + 1) + rng.gauss(0, noise * 0.05)
                          for k in range(7)]
    return values


def _csv(values: list[float], months: list[dt.date], decimals: int) -> str:
    return "period,value\n" + "".join(f"{m:%Y-%m},{round(v, decimals)}\n" for m, v in zip(months, values, strict=True))


def create_demo_impact(rng: random.Random, count: int = 90) -> str:
    """A measure from each partner group in each network (``count`` caps the total), values, weights, answers."""
    today = timezone.localdate()
    members: dict[tuple[int, str], list] = defaultdict(list)
    for m in (Membership.objects.filter(verification__in=COUNTED_VERIFICATION)
              .select_related("person", "constituency").order_by("network_id", "pk")):
        members[(m.network_id, m.constituency.kind)].append(m.person)
    groups = {(c.network_id, c.kind): c for c in Constituency.objects.filter(is_active=True).order_by("position")}
    networks = sorted(Network.objects.all(), key=lambda n: (n.slug != DEMO_NETWORK, n.name))
    made = weights = values = answers = 0
    for network in networks:
        specs = [(kind, spec) for kind, spec in MEASURES.items() if (network.pk, kind) in groups]
        if network.slug == DEMO_NETWORK and (network.pk, "patients_public") in groups:
            specs.append(("patients_public", PROM))
        for kind, spec in specs:
            if made >= count:
                break
            name, definition, unit, direction, source, target, scale, question, level, noise = spec
            measure = services.measure_propose(
                network=network, actor=None, constituency=groups[(network.pk, kind)], name=name,
                definition=definition, unit=unit, direction=direction, data_source=source, target=target,
                survey_scale=scale, survey_question=question, survey_open=bool(scale),
            )
            made += 1
            months = _months(rng.randint(24, 36), today)
            signal = SIGNALS[(made + rng.randint(0, 1)) % len(SIGNALS)]
            ys = series(rng, n=len(months), level=level, noise=noise, signal=signal, direction=direction)
            if scale:
                low, high = (1, 5) if scale == "five" else (0, 10)
                ys = [min(high, max(low, y)) for y in ys]
            values += services.observations_import(measure=measure, actor=None, text=_csv(ys, months, 2))
            weights += _weigh(rng, measure, network, members, groups, kind)
        if network.slug == DEMO_NETWORK:
            made_here, w, v = _subject_measures(rng, network, members, groups, today)
            made, weights, values = made + made_here, weights + w, values + v
            answers += _answers(rng, network)
    return f"{made} measures, {values} monthly values, {weights} weights, {answers} survey answers"


def _weigh(rng: random.Random, measure, network, members, groups, own_kind: str) -> int:  # noqa: ANN001
    """Members weight the measure: their own group's measures matter more to them, with some disagreement."""
    cast = 0
    voters_per_group = 4 if network.slug == DEMO_NETWORK else 1
    for kind in MEASURES:
        for person in members.get((network.pk, kind), [])[:voters_per_group]:
            base = 8 if kind == own_kind else rng.choice([2, 4, 5, 6, 7])
            weight = max(0, min(10, base + rng.randint(-1, 2)))
            services.weight_cast(measure=measure, actor=person, weight=weight)
            cast += 1
    return cast


def _subject_measures(rng, network, members, groups, today) -> tuple[int, int, int]:  # noqa: ANN001
    innovation = Innovation.objects.filter(network=network, status="published").order_by("pk").first()
    project = Project.objects.filter(network=network).order_by("pk").first()
    made = weights = values = 0
    for subject in (s for s in (innovation, project) if s is not None):
        for kind, name, definition, unit, direction, source, target, level, noise in INNOVATION_MEASURES:
            if (network.pk, kind) not in groups:
                continue
            key = {"innovation": subject} if isinstance(subject, Innovation) else {"project": subject}
            measure = services.measure_propose(
                network=network, actor=None, constituency=groups[(network.pk, kind)], name=name,
                definition=definition, unit=unit, direction=direction, data_source=source, target=target, **key,
            )
            made += 1
            months = _months(24, today)
            ys = series(rng, n=24, level=level, noise=noise, signal="shift" if kind == "patients_public" else "none",
                        direction=direction)
            values += services.observations_import(measure=measure, actor=None, text=_csv(ys, months, 1))
            weights += _weigh(rng, measure, network, members, groups, kind)
    return made, weights, values


def _answers(rng: random.Random, network: Network) -> int:
    """This month's anonymous answers to the demo network's surveys (each its own browser)."""
    n = 0
    for measure in network.measures.exclude(survey_scale="").order_by("pk"):
        low, high = measure.scale_range
        latest = measure.observations.order_by("-period").values_list("value", flat=True).first()
        centre = float(latest) if latest is not None else (low + high) / 2
        for i in range(rng.randint(8, 14)):
            # answers spread around last month's level, so this month's mean carries on the series
            score = max(low, min(high, round(rng.gauss(centre, (high - low) / 8))))
            services.survey_answer(measure=measure, score=score, token=f"demo-{measure.pk}-{i}",
                                   comment=rng.choice(["", "", "The nurse took time to explain.",
                                                       "I had to repeat my story twice."]))
            n += 1
    return n
