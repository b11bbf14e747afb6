"""Every write to impact: proposing measures, weighting them, recording observations, importing, survey answers.

Each service re-checks who may act (so the API, the pages and the commands share one rule), writes in one
transaction and appends to the public record. Record payloads hold no personal data: no weights tied to a
person, no survey comments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.text import slugify

from innovatorium.impact import csvimport
from innovatorium.impact.models import (
    WEIGHT_MAX,
    WEIGHT_MIN,
    Direction,
    Measure,
    Observation,
    ObservationSource,
    SurveyResponse,
    SurveyScale,
    WeightVote,
)
from innovatorium.networks.models import Constituency, Network
from innovatorium.people.authority import is_network_staff
from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Person
from innovatorium.record.services import record_append

FOUR_PLACES = Decimal("0.0001")


class ImportRefused(ValidationError):
    """A CSV file with problems: nothing was written. ``problems`` names each by line and column."""

    def __init__(self, problems: list[csvimport.Problem]) -> None:
        super().__init__([str(p) for p in problems], code="import_refused")
        self.problems = problems


def _membership(person: Person, network: Network) -> Membership | None:
    return (
        Membership.objects.select_related("constituency")
        .filter(person=person, network=network, verification__in=COUNTED_VERIFICATION)
        .first()
    )


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def can_record(person: Person | None, measure: Measure) -> bool:
    """Facilitators and admins of the measure's network, and the member who proposed it."""
    if person is None:
        return False
    return person.pk == measure.proposed_by_id or is_network_staff(person, measure.network)


def _require_recorder(actor: Person | None, measure: Measure) -> None:
    if actor is not None and not can_record(actor, measure):
        raise PermissionDenied(
            f"Only the member who proposed “{measure.name}” and facilitators of {measure.network.name} may record "
            "its values."
        )


def _unique_slug(network: Network, name: str) -> str:
    base = slugify(name)[:100].strip("-") or "measure"
    slug, n = base, 2
    taken = set(Measure.objects.filter(network=network, slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def measure_propose(
    *,
    network: Network,
    actor: Person | None,
    name: str,
    definition: str,
    unit: str,
    direction: str,
    data_source: str,
    target: Decimal | None = None,
    innovation=None,  # noqa: ANN001 - atlas.Innovation
    project=None,  # noqa: ANN001 - projects.Project
    survey_scale: str = "",
    survey_question: str = "",
    survey_open: bool = False,
    constituency: Constituency | None = None,
) -> Measure:
    """Any counted member proposes a measure for their network, an innovation or a project in it.

    The measure is filed under the proposer's partner group. ``actor=None`` (demo data, imports) must name the
    ``constituency`` instead.
    """
    if actor is not None:
        membership = _membership(actor, network)
        if membership is None:
            raise PermissionDenied(f"Only members of {network.name} may propose its measures.")
        constituency = membership.constituency
    if constituency is None or constituency.network_id != network.pk:
        raise ValidationError("A measure needs the partner group proposing it, from this network.")
    errors: dict[str, str] = {}
    name, definition, unit = name.strip(), definition.strip(), unit.strip()
    data_source, survey_question = data_source.strip(), survey_question.strip()
    if not name:
        errors["name"] = "Enter the measure's name"
    if not definition:
        errors["definition"] = "Say what is counted, and how"
    if not unit:
        errors["unit"] = "Enter the unit, for example “% of patients” or “bed days”"
    if direction not in Direction.values:
        errors["direction"] = "Choose which way is better"
    if not data_source:
        errors["data_source"] = "Say where the numbers come from"
    if innovation is not None and project is not None:
        errors["project"] = "A measure is for an innovation or a project, not both"
    if innovation is not None and innovation.network_id != network.pk:
        errors["innovation"] = f"Choose an innovation in {network.name}'s Atlas"
    if project is not None and project.network_id != network.pk:
        errors["project"] = f"Choose a project in {network.name}"
    if survey_scale not in SurveyScale.values:
        errors["survey_scale"] = "Choose a survey scale, or no survey"
    elif survey_scale and not survey_question:
        errors["survey_question"] = "Enter the question the survey asks"
    if survey_open and not survey_scale:
        errors["survey_open"] = "Only a measure with a survey can open it to people without an account"
    if target is not None and not isinstance(target, Decimal):
        target = Decimal(str(target))
    if errors:
        raise ValidationError(errors)
    measure = Measure.objects.create(
        network=network, innovation=innovation, project=project, slug=_unique_slug(network, name), name=name,
        definition=definition, unit=unit, direction=direction, data_source=data_source, target=target,
        survey_scale=survey_scale, survey_question=survey_question if survey_scale else "",
        survey_open=survey_open, proposed_by=actor, proposed_by_constituency=constituency,
    )
    record_append(
        action="impact.measure.proposed", actor=actor, network=network, obj=measure,
        payload={
            "name": name, "unit": unit, "direction": direction, "target": target, "subject": measure.subject_kind,
            "innovation": innovation.pk if innovation else None, "project": project.pk if project else None,
            "constituency": constituency.slug, "survey": survey_scale or None, "survey_open": survey_open,
        },
    )
    return measure


@transaction.atomic
def weight_cast(*, measure: Measure, actor: Person, weight: int) -> WeightVote:
    """A member weights a measure for their partner group: one weight per person per measure, changeable.

    The weight itself stays off the public record (only the partner group's median is shown).
    """
    membership = _membership(actor, measure.network)
    if membership is None:
        raise PermissionDenied(f"Only members of {measure.network.name} may weight its measures.")
    if not measure.is_active:
        raise ValidationError({"weight": "This measure is retired: it no longer takes weights"})
    if not isinstance(weight, int) or not WEIGHT_MIN <= weight <= WEIGHT_MAX:
        raise ValidationError({"weight": f"Choose a weight from {WEIGHT_MIN} to {WEIGHT_MAX}"})
    vote, created = WeightVote.objects.update_or_create(
        measure=measure, person=actor,
        defaults={"weight": weight, "constituency": membership.constituency, "updated_at": timezone.now()},
    )
    record_append(
        action="impact.weight.cast" if created else "impact.weight.changed", actor=actor, network=measure.network,
        obj=measure, payload={"measure": measure.slug, "constituency": membership.constituency.slug},
    )
    return vote


def _check_period(period: dt.date, today: dt.date) -> dt.date:
    period = month_start(period)
    if period > today:
        raise ValidationError({"period": f"{period:%B %Y} has not started yet"})
    return period


@transaction.atomic
def observation_record(
    *, measure: Measure, actor: Person | None, period: dt.date, value: Decimal, note: str = ""
) -> Observation:
    """Enter (or correct) one month's value. A correction replaces the value and says so on the record."""
    _require_recorder(actor, measure)
    period = _check_period(period, timezone.localdate())
    value = Decimal(value)
    if not value.is_finite() or abs(value) >= csvimport.MAX_ABS:
        raise ValidationError({"value": "Enter a usable number"})
    if value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValidationError({"value": "Use at most 4 decimal places"})
    previous = Observation.objects.filter(measure=measure, period=period).first()
    obs, _ = Observation.objects.update_or_create(
        measure=measure, period=period,
        defaults={"value": value, "source": ObservationSource.ENTERED, "note": note.strip()[:300],
                  "responses": None, "entered_by": actor, "updated_at": timezone.now()},
    )
    record_append(
        action="impact.observation.recorded", actor=actor, network=measure.network, obj=measure,
        payload={"measure": measure.slug, "period": f"{period:%Y-%m}", "value": value,
                 "replaced": previous.value if previous else None},
    )
    return obs


@transaction.atomic
def observations_import(
    *,
    measure: Measure,
    actor: Person | None,
    text: str,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> int:
    """Import a CSV file of monthly values, all or nothing. Months already there are replaced (and counted)."""
    _require_recorder(actor, measure)
    rows, problems = csvimport.read_observations(text, today=timezone.localdate(), progress=progress)
    if problems:
        raise ImportRefused(problems)
    existing = {o.period: o for o in Observation.objects.filter(measure=measure, period__in=[r.period for r in rows])}
    now = timezone.now()
    new, changed = [], []
    for r in rows:
        obs = existing.get(r.period)
        if obs is None:
            new.append(Observation(measure=measure, period=r.period, value=r.value, note=r.note,
                                   source=ObservationSource.IMPORTED, entered_by=actor, updated_at=now))
        else:
            obs.value, obs.note, obs.source, obs.responses = r.value, r.note, ObservationSource.IMPORTED, None
            obs.entered_by, obs.updated_at = actor, now
            changed.append(obs)
    Observation.objects.bulk_create(new, batch_size=500)
    Observation.objects.bulk_update(
        changed, ["value", "note", "source", "responses", "entered_by", "updated_at"], batch_size=500
    )
    periods = sorted(r.period for r in rows)
    record_append(
        action="impact.observations.imported", actor=actor, network=measure.network, obj=measure,
        payload={"measure": measure.slug, "rows": len(rows), "new": len(new), "replaced": len(changed),
                 "first": f"{periods[0]:%Y-%m}", "last": f"{periods[-1]:%Y-%m}"},
    )
    return len(rows)


def respondent_hash(*, measure: Measure, token: str, period: dt.date) -> str:
    """A keyed hash of the browser's survey token, the measure and the month: it says "answered already" and
    nothing about who answered."""
    return salted_hmac("innovatorium.impact.survey", f"{token}:{measure.pk}:{period:%Y-%m}").hexdigest()


@transaction.atomic
def survey_answer(
    *, measure: Measure, score: int, comment: str = "", token: str, today: dt.date | None = None
) -> SurveyResponse:
    """Take one anonymous answer and fold it into this month's observation (the mean of the month's answers).

    ``token`` is the browser's random survey token: one answer per browser per measure per month.
    """
    if not measure.has_survey or not measure.is_active:
        raise ValidationError("This measure has no survey open.")
    low, high = measure.scale_range  # type: ignore[misc]
    if not isinstance(score, int) or not low <= score <= high:
        raise ValidationError({"score": f"Choose a number from {low} to {high}"})
    comment = comment.strip()
    if len(comment) > 1000:
        raise ValidationError({"comment": "Keep the comment under 1,000 characters"})
    period = month_start(today or timezone.localdate())
    digest = respondent_hash(measure=measure, token=token, period=period)
    if SurveyResponse.objects.filter(measure=measure, period=period, respondent_hash=digest).exists():
        raise ValidationError(f"You have already answered this month. Thank you: you can answer again from "
                              f"{(period + dt.timedelta(days=32)).replace(day=1):%-d %B}.", code="answered")
    response = SurveyResponse.objects.create(
        measure=measure, period=period, score=score, comment=comment, respondent_hash=digest
    )
    month = SurveyResponse.objects.filter(measure=measure, period=period).aggregate(mean=Avg("score"), n=Count("id"))
    mean = Decimal(str(month["mean"])).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    obs = Observation.objects.filter(measure=measure, period=period).first()
    if obs is None or obs.source == ObservationSource.SURVEY:
        Observation.objects.update_or_create(
            measure=measure, period=period,
            defaults={"value": mean, "source": ObservationSource.SURVEY, "responses": month["n"],
                      "note": "", "entered_by": None, "updated_at": timezone.now()},
        )
    record_append(
        action="impact.survey.answered", actor=None, network=measure.network, obj=measure,
        payload={"measure": measure.slug, "period": f"{period:%Y-%m}", "score": score, "month_mean": mean,
                 "month_answers": month["n"]},
    )
    return response


@transaction.atomic
def limits_recalculate(*, measure: Measure, actor: Person | None, period: dt.date | None) -> Measure:
    """Accept a lasting change: the chart's limits are worked out afresh from ``period`` (Making Data Count's
    "recalculation" after a sustained shift). ``period=None`` undoes every recalculation."""
    _require_recorder(actor, measure)
    if period is None:
        months: list[str] = []
    else:
        month = f"{month_start(period):%Y-%m}"
        periods = list(Observation.objects.filter(measure=measure).order_by("period").values_list("period", flat=True))
        if month_start(period) not in periods:
            raise ValidationError({"period": "Choose a month that has a value"})
        if periods.index(month_start(period)) < 2 or len(periods) - periods.index(month_start(period)) < 2:
            raise ValidationError({"period": "Each part of the chart needs at least two months"})
        months = sorted({*(measure.recalculate_from or []), month})
    measure.recalculate_from = months
    measure.save(update_fields=["recalculate_from"])
    record_append(action="impact.limits.recalculated", actor=actor, network=measure.network, obj=measure,
                  payload={"measure": measure.slug, "from": months})
    return measure


@transaction.atomic
def measure_retire(*, measure: Measure, actor: Person | None) -> Measure:
    """Stop a measure taking weights, values and survey answers; its history stays public."""
    _require_recorder(actor, measure)
    measure.is_active = False
    measure.save(update_fields=["is_active"])
    record_append(action="impact.measure.retired", actor=actor, network=measure.network, obj=measure,
                  payload={"measure": measure.slug})
    return measure
