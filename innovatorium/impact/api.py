"""Impact in the API: measures with their SPC charts as numbers, impact reports per network, innovation and project;
weighting a measure and recording a month's value for signed-in members (session cookie + ``X-CSRFToken``).

No person appears: measures say which partner group proposed them; weights are given per group (median, mean and
number of votes), never per person; survey comments are never returned.
"""

# No `from __future__ import annotations`: ninja reads parameter types at runtime.

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from innovatorium.core import ratelimit
from innovatorium.impact import selectors, services
from innovatorium.impact.csvimport import parse_period
from innovatorium.networks.models import Network

router = Router(tags=["impact"])
MAX_LIMIT = 200


class MeasureOut(Schema):
    id: int
    network: str
    network_name: str
    slug: str
    name: str
    url: str
    subject: str = Field(description="network, innovation or project")
    subject_name: str
    unit: str
    direction: str = Field(description="higher, lower or neither: which way is better")
    target: Decimal | None
    proposed_by_constituency: str = Field(description="The partner group that proposed the measure.")
    proposed_by_constituency_kind: str
    observations: int
    latest_period: dt.date | None
    latest_value: Decimal | None
    variation: str | None = Field(description="The Making Data Count variation icon of the latest value: "
                                              "common_cause, improvement_high/low, concern_high/low, neither_high/low")
    assurance: str | None = Field(description="consistently_passing, consistently_failing, hit_and_miss, or none")
    is_active: bool


class MeasurePageOut(Schema):
    items: list[MeasureOut]
    count: int


class GroupWeightOut(Schema):
    constituency: str
    name: str
    weight: float | None = Field(description="The median of the group's members' weights (0 to 10).")
    mean: float | None
    votes: int


class PointOut(Schema):
    period: dt.date
    value: Decimal
    source: str
    survey_answers: int | None
    mean: float | None
    lower_process_limit: float | None
    upper_process_limit: float | None
    variation: str | None = Field(description="common_cause, improvement, concern or neither")
    rules: list[str] = Field(description="outside_limits, two_of_three, shift, trend")


class MeasureDetailOut(MeasureOut):
    definition: str
    data_source: str
    survey: str | None = Field(description="five (1 to 5) or eleven (0 to 10) when the measure has a survey")
    survey_question: str
    survey_open: bool
    weights: list[GroupWeightOut]
    points: list[PointOut]


class GroupViewOut(Schema):
    constituency: str
    name: str
    score: float | None = Field(description="The group's weighted view, -1 (concern) to +1 (improvement).")
    words: str


class ComparisonOut(Schema):
    measure: str
    kind: str = Field(description="agree, some, differ")
    high_group: str | None
    high: float | None
    low_group: str | None
    low: float | None


class ReportOut(Schema):
    network: str
    subject: str
    subject_name: str
    measures: list[MeasureDetailOut]
    groups: list[GroupViewOut]
    comparisons: list[ComparisonOut]


class WeightIn(Schema):
    weight: int = Field(ge=0, le=10)


class ObservationIn(Schema):
    period: str = Field(description="The month, e.g. 2025-04")
    value: Decimal
    note: str = ""


def _detail(view: selectors.MeasureView, summary: dict, constituencies: list) -> dict:
    m = view.measure
    points = view.result.points if view.result else []
    return {
        **summary, "definition": m.definition, "data_source": m.data_source, "survey": m.survey_scale or None,
        "survey_question": m.survey_question, "survey_open": m.survey_open,
        "weights": [{"constituency": c.slug, "name": c.name, "weight": view.weight_for(c.pk).weight,
                     "mean": view.weight_for(c.pk).mean, "votes": view.weight_for(c.pk).votes}
                    for c in constituencies],
        "points": [{
            "period": o.period, "value": o.value, "source": o.source, "survey_answers": o.responses,
            "mean": points[i].mean if points else None,
            "lower_process_limit": points[i].lpl if points else None,
            "upper_process_limit": points[i].upl if points else None,
            "variation": points[i].point_type if points else None,
            "rules": sorted(points[i].rules) if points else [],
        } for i, o in enumerate(view.observations)],
    }


def _summaries(views: list[selectors.MeasureView]) -> dict[int, dict]:
    return {row["id"]: row for row in selectors.summaries_of(views)}


@router.get("/measures", response=MeasurePageOut, summary="Impact measures, nationally or of one network")
def list_measures(request: HttpRequest, network: str | None = None, limit: int = 50, offset: int = 0) -> dict:
    chosen = get_object_or_404(Network, slug=network) if network else None
    rows = selectors.measures_summary(network=chosen)
    limit = max(1, min(limit, MAX_LIMIT))
    return {"items": rows[max(0, offset): max(0, offset) + limit], "count": len(rows)}


@router.get("/measures/{network}/{slug}", response=MeasureDetailOut,
            summary="One measure: definition, every month with its SPC limits and signals, each group's weight")
def get_measure(request: HttpRequest, network: str, slug: str) -> dict:
    measure = selectors.measure_get(network_slug=network, measure_slug=slug)
    view = selectors.measure_view(measure=measure)
    return _detail(view, _summaries([view])[measure.pk], selectors.constituencies_of(measure.network))


@router.get("/reports/{network}", response=ReportOut,
            summary="An impact report: the network's own measures, or an innovation's or project's")
def get_report(request: HttpRequest, network: str, innovation: str | None = None, project: str | None = None
               ) -> dict:
    net = get_object_or_404(Network, slug=network)
    kwargs = {}
    if innovation:
        kwargs["innovation"] = selectors.subject_get(network=net, kind="innovation", slug=innovation)
    elif project:
        kwargs["project"] = selectors.subject_get(network=net, kind="project", slug=project)
    rep = selectors.report(network=net, **kwargs)
    summaries = _summaries(rep.rows)
    slugs = {str(c.pk): c.slug for c in rep.constituencies}
    return {
        "network": net.slug, "subject": rep.subject_kind, "subject_name": str(rep.subject),
        "measures": [_detail(v, summaries[v.measure.pk], rep.constituencies) for v in rep.rows],
        "groups": [{"constituency": g.constituency.slug, "name": g.constituency.name, "score": g.score,
                    "words": g.words} for g in rep.groups],
        "comparisons": [{"measure": d.view.measure.slug, "kind": d.comparison.kind,
                         "high_group": slugs.get(d.comparison.high_group or ""), "high": d.comparison.high,
                         "low_group": slugs.get(d.comparison.low_group or ""), "low": d.comparison.low}
                        for d in rep.differ + rep.some + rep.agree],
    }


def _person(request: HttpRequest):  # noqa: ANN202
    person = getattr(request.user, "person", None)
    if person is None:
        raise HttpError(403, "This account has no member profile.")
    return person


@router.post("/measures/{network}/{slug}/weight", response=GroupWeightOut, auth=django_auth,
             summary="Weight a measure for your partner group (members of its network; changeable)")
def weigh_measure(request: HttpRequest, network: str, slug: str, body: WeightIn) -> dict:
    measure = selectors.measure_get(network_slug=network, measure_slug=slug)
    person = _person(request)
    try:
        ratelimit.check(request, ratelimit.VOTES, person=person)
    except ratelimit.RateLimited as exc:
        raise HttpError(429, " ".join(exc.messages)) from None
    vote = services.weight_cast(measure=measure, actor=person, weight=body.weight)
    gw = selectors.measure_view(measure=measure).weight_for(vote.constituency_id)
    return {"constituency": vote.constituency.slug, "name": vote.constituency.name, "weight": gw.weight,
            "mean": gw.mean, "votes": gw.votes}


@router.post("/measures/{network}/{slug}/observations", response=PointOut, auth=django_auth,
             summary="Record a month's value (the member who proposed the measure, or the network's facilitators)")
def record_observation(request: HttpRequest, network: str, slug: str, body: ObservationIn) -> dict:
    measure = selectors.measure_get(network_slug=network, measure_slug=slug)
    try:
        period = parse_period(body.period)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None
    obs = services.observation_record(measure=measure, actor=_person(request), period=period, value=body.value,
                                      note=body.note)
    return {"period": obs.period, "value": obs.value, "source": obs.source, "survey_answers": obs.responses,
            "mean": None, "lower_process_limit": None, "upper_process_limit": None, "variation": None, "rules": []}
