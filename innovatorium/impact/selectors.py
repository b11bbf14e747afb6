"""Every read of impact, shared by the pages, the API and other apps (the national dashboard reads
``measures_summary``). Each function runs a fixed number of queries, however many measures or observations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from innovatorium.impact import weighing
from innovatorium.impact.models import Measure, Observation, SurveyResponse, WeightVote
from innovatorium.networks.models import Constituency, Network
from innovatorium.spc import XmrResult, xmr
from innovatorium.spc.icons import Icon, assurance_icon, variation_icon

MIN_SPC_POINTS = 2
"""Below this there is no moving range, so no chart: the page says so. MDC advises 12 or more before trusting
limits; the chart says when its limits rest on fewer."""


@dataclass
class GroupWeight:
    constituency_id: int
    weight: float | None  # the median
    mean: float | None
    votes: int


@dataclass
class MeasureView:
    """One measure with its series, its SPC result and each partner group's weight."""

    measure: Measure
    observations: list[Observation]
    weights: dict[int, GroupWeight] = field(default_factory=dict)
    result: XmrResult | None = None
    cells: list[tuple[Constituency, GroupWeight]] = field(default_factory=list)  # a report's row, group by group

    @property
    def latest(self) -> Observation | None:
        return self.observations[-1] if self.observations else None

    @property
    def variation(self) -> Icon | None:
        return variation_icon(self.result.variation) if self.result else None

    @property
    def assurance(self) -> Icon | None:
        return assurance_icon(self.result.assurance) if self.result else None

    @property
    def signal(self) -> int:
        return weighing.signal_of(self.result.variation if self.result else None)

    def weight_for(self, constituency_id: int) -> GroupWeight:
        return self.weights.get(constituency_id) or GroupWeight(constituency_id, None, None, 0)


def spc_result(measure: Measure, observations: list[Observation]) -> XmrResult | None:
    if len(observations) < MIN_SPC_POINTS:
        return None
    months = set(measure.recalculate_from or [])
    cuts = [i for i, o in enumerate(observations) if f"{o.period:%Y-%m}" in months]
    return xmr(
        [float(o.value) for o in observations],
        direction=measure.direction,  # type: ignore[arg-type]
        target=float(measure.target) if measure.target is not None else None,
        recalculate_at=cuts,
    )


def _measures(network: Network | None = None) -> QuerySet[Measure]:
    qs = Measure.objects.select_related("network", "innovation", "project", "proposed_by_constituency")
    return qs.filter(network=network) if network is not None else qs


def measure_get(*, network_slug: str, measure_slug: str) -> Measure:
    return get_object_or_404(_measures().select_related("proposed_by"), network__slug=network_slug, slug=measure_slug)


def measures_for(
    *, network: Network, subject: str | None = None, innovation: Any = None, project: Any = None,
    active_only: bool = False,
) -> QuerySet[Measure]:
    """Measures of a network: all, or those of one subject (``"network"`` for the network's own)."""
    qs = _measures(network)
    if innovation is not None:
        qs = qs.filter(innovation=innovation)
    elif project is not None:
        qs = qs.filter(project=project)
    elif subject == "network":
        qs = qs.filter(innovation__isnull=True, project__isnull=True)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.annotate(n_observations=Count("observations", distinct=True))


def observations_for(*, measure: Measure) -> list[Observation]:
    return list(Observation.objects.filter(measure=measure).order_by("period"))


def _weights(measure_ids: list[int]) -> dict[int, dict[int, GroupWeight]]:
    raw: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for m, c, w in WeightVote.objects.filter(measure_id__in=measure_ids).values_list(
        "measure_id", "constituency_id", "weight"
    ):
        raw[m][c].append(w)
    return {
        m: {c: GroupWeight(c, weighing.group_weight(ws), weighing.group_mean(ws), len(ws)) for c, ws in by_c.items()}
        for m, by_c in raw.items()
    }


def measure_views(measures: list[Measure]) -> list[MeasureView]:
    """Series, SPC and weights for a list of measures in two queries."""
    ids = [m.pk for m in measures]
    series: dict[int, list[Observation]] = defaultdict(list)
    for o in Observation.objects.filter(measure_id__in=ids).order_by("measure_id", "period"):
        series[o.measure_id].append(o)
    weights = _weights(ids)
    views = []
    for m in measures:
        obs = series.get(m.pk, [])
        views.append(MeasureView(m, obs, weights.get(m.pk, {}), spc_result(m, obs)))
    return views


def measure_view(*, measure: Measure) -> MeasureView:
    return measure_views([measure])[0]


def my_weight(*, measure: Measure, person: Any) -> int | None:
    if person is None:
        return None
    return WeightVote.objects.filter(measure=measure, person=person).values_list("weight", flat=True).first()


def constituencies_of(network: Network) -> list[Constituency]:
    return list(Constituency.objects.filter(network=network, is_active=True).order_by("position", "name"))


@dataclass
class GroupView:
    constituency: Constituency
    score: float | None
    words: str
    voters: int
    top: list[tuple[MeasureView, float]]  # the measures it weighs most, with their weight


@dataclass
class Difference:
    view: MeasureView
    comparison: weighing.Comparison
    high_name: str | None
    low_name: str | None


@dataclass
class Report:
    network: Network
    subject: Any  # the network, an innovation or a project
    subject_kind: str
    constituencies: list[Constituency]
    rows: list[MeasureView]
    groups: list[GroupView]
    agree: list[Difference]
    differ: list[Difference]
    some: list[Difference]

    @property
    def has_weights(self) -> bool:
        return any(g.voters for g in self.groups)


def report(*, network: Network, innovation: Any = None, project: Any = None) -> Report:
    """The impact report of a subject: measures side by side per partner group, each group's weighted view, where
    they agree and where they differ. Five queries."""
    subject_kind = "innovation" if innovation is not None else "project" if project is not None else "network"
    measures = list(measures_for(network=network, subject="network", innovation=innovation, project=project))
    rows = measure_views(measures)
    constituencies = constituencies_of(network)
    names = {c.pk: c.name for c in constituencies}
    signals = {v.measure.pk: v.signal for v in rows}
    for v in rows:
        v.cells = [(c, v.weight_for(c.pk)) for c in constituencies]
    groups = []
    for c in constituencies:
        weights = {v.measure.pk: v.weight_for(c.pk).weight for v in rows}
        score = weighing.weighted_view(signals, weights)
        ranked = sorted(((v, v.weight_for(c.pk).weight) for v in rows if v.weight_for(c.pk).weight),
                        key=lambda t: (-t[1], t[0].measure.name))
        voters = max((v.weight_for(c.pk).votes for v in rows), default=0)
        groups.append(GroupView(c, score, weighing.view_words(score), voters, ranked[:3]))  # type: ignore[arg-type]
    by_pk = {v.measure.pk: v for v in rows}
    comparisons = weighing.compare(
        {v.measure.pk: {str(c.pk): v.weight_for(c.pk).weight for c in constituencies} for v in rows}
    )
    sorted_out: dict[str, list[Difference]] = defaultdict(list)
    for comp in comparisons:
        sorted_out[comp.kind].append(Difference(
            by_pk[comp.measure], comp,
            names.get(int(comp.high_group)) if comp.high_group else None,
            names.get(int(comp.low_group)) if comp.low_group else None,
        ))
    sorted_out["differ"].sort(key=lambda d: -(d.comparison.spread or 0))
    subject = innovation or project or network
    return Report(network, subject, subject_kind, constituencies, rows, groups,
                  sorted_out["agree"], sorted_out["differ"], sorted_out["some"])


def subjects_with_measures(*, network: Network) -> dict[str, list[dict[str, Any]]]:
    """The innovations and projects of a network that have measures, with how many (two queries)."""
    out: dict[str, list[dict[str, Any]]] = {"innovation": [], "project": []}
    rows = (
        Measure.objects.filter(network=network)
        .filter(Q(innovation__isnull=False) | Q(project__isnull=False))
        .values("innovation_id", "innovation__slug", "innovation__name", "project_id", "project__slug",
                "project__title")
        .annotate(n=Count("id"))
        .order_by("innovation__name", "project__title")
    )
    for r in rows:
        if r["innovation_id"]:
            out["innovation"].append({"slug": r["innovation__slug"], "name": r["innovation__name"], "n": r["n"]})
        else:
            out["project"].append({"slug": r["project__slug"], "name": r["project__title"], "n": r["n"]})
    return out


def survey_comments(*, measure: Measure, limit: int = 200) -> QuerySet[SurveyResponse]:
    """Survey comments for the network's facilitators (never public), newest first."""
    return SurveyResponse.objects.filter(measure=measure).exclude(comment="").order_by("-created_at")[:limit]


def survey_months(*, measure: Measure) -> list[dict[str, Any]]:
    return list(
        SurveyResponse.objects.filter(measure=measure).values("period").annotate(n=Count("id")).order_by("-period")
    )


def subject_get(*, network: Network, kind: str, slug: str) -> Any:
    from innovatorium.atlas.models import Innovation, PublicationStatus
    from innovatorium.projects.models import Project

    if kind == "innovation":
        # Only what the Atlas publishes: a draft's impact page would reveal the draft.
        return get_object_or_404(Innovation, network=network, slug=slug, status=PublicationStatus.PUBLISHED)
    if kind == "project":
        return get_object_or_404(Project, network=network, slug=slug)
    raise Http404


def measures_summary(*, network: Network | None = None) -> list[dict[str, Any]]:
    """One row per measure (nationally, or of one network): what it is, which partner group proposed it, its latest
    value and its SPC icons. Stable for other apps (the national dashboard) and the API; two queries."""
    return summaries_of(measure_views(list(_measures(network).order_by("network__name", "name"))))


def summaries_of(views: list[MeasureView]) -> list[dict[str, Any]]:
    out = []
    for v in views:
        m, latest = v.measure, v.latest
        out.append({
            "id": m.pk,
            "network": m.network.slug,
            "network_name": m.network.name,
            "slug": m.slug,
            "name": m.name,
            "url": m.get_absolute_url(),
            "subject": m.subject_kind,
            "subject_name": (m.innovation.name if m.innovation_id else m.project.title if m.project_id
                             else m.network.name),
            "unit": m.unit,
            "direction": m.direction,
            "target": m.target,
            "proposed_by_constituency": m.proposed_by_constituency.name,
            "proposed_by_constituency_kind": m.proposed_by_constituency.kind,
            "observations": len(v.observations),
            "latest_period": latest.period if latest else None,
            "latest_value": latest.value if latest else None,
            "variation": v.result.variation if v.result else None,
            "assurance": v.result.assurance if v.result else None,
            "is_active": m.is_active,
        })
    return out


def period_label(period: dt.date) -> str:
    return f"{period:%b %Y}"
