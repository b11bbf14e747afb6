"""Impact pages: reports per network, innovation and project; measures with their SPC chart; the forms behind them;
and the phone survey, which works without an account when the measure allows."""

from __future__ import annotations

import csv
import hashlib
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovatorium.atlas.models import Innovation, PublicationStatus
from innovatorium.core import ratelimit
from innovatorium.core.forms import add_service_errors
from innovatorium.core.permissions import acting_person, public, requires
from innovatorium.impact import charts, forms, selectors, services
from innovatorium.impact.csvimport import parse_period
from innovatorium.impact.models import Measure
from innovatorium.networks.models import Network
from innovatorium.projects.models import Project
from innovatorium.spc import summary_text
from innovatorium.spc.chart import LABELS, RULE_LABELS

SURVEY_TOKEN = "impact_survey_token"  # noqa: S105 - a session key name, not a secret


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _measure(request: HttpRequest, network_slug: str, measure_slug: str, **_: object) -> Measure:
    return selectors.measure_get(network_slug=network_slug, measure_slug=measure_slug)


def _crumbs(network: Network, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(network.name, network.get_absolute_url()),
            ("Impact", reverse("impact:network", kwargs={"network_slug": network.slug})), *extra]


def _subject_crumbs(measure: Measure) -> list[tuple[str, str]]:
    n = measure.network
    if measure.innovation_id:
        return _crumbs(n, (measure.innovation.name, reverse("impact:innovation", args=[n.slug,
                                                                                        measure.innovation.slug])))
    if measure.project_id:
        return _crumbs(n, (measure.project.title, reverse("impact:project", args=[n.slug, measure.project.slug])))
    return _crumbs(n)


# --- reports -----------------------------------------------------------------------------------------------


def _report_page(request: HttpRequest, network: Network, *, innovation: Any = None, project: Any = None,
                 crumbs: list[tuple[str, str]], extra: dict[str, Any] | None = None) -> HttpResponse:
    rep = selectors.report(network=network, innovation=innovation, project=project)
    subject_param = (f"innovation:{innovation.pk}" if innovation is not None
                     else f"project:{project.pk}" if project is not None else "network")
    return render(request, "impact/report.html", {
        "network": network, "report": rep, "crumbs": crumbs, "subject_param": subject_param,
        "can_propose": request.user.has_perm("impact.propose_measure", network), **(extra or {}),
    })


@public
@require_GET
def network_report(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    return _report_page(request, network, crumbs=[(network.name, network.get_absolute_url())],
                        extra={"subjects": selectors.subjects_with_measures(network=network)})


@public
@require_GET
def innovation_report(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    innovation = selectors.subject_get(network=network, kind="innovation", slug=innovation_slug)
    return _report_page(request, network, innovation=innovation, crumbs=_crumbs(network))


@public
@require_GET
def project_report(request: HttpRequest, network_slug: str, project_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    project = selectors.subject_get(network=network, kind="project", slug=project_slug)
    return _report_page(request, network, project=project, crumbs=_crumbs(network))


# --- a measure -----------------------------------------------------------------------------------------------


@public
@require_GET
def measure_detail(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    measure = _measure(request, network_slug, measure_slug)
    person = acting_person(request)
    view = selectors.measure_view(measure=measure)
    can_weigh = measure.is_active and request.user.has_perm("impact.weigh_measure", measure.network)
    return render(request, "impact/measure.html", {
        "network": measure.network, "measure": measure, "view": view,
        "constituencies": [(c, view.weight_for(c.pk)) for c in selectors.constituencies_of(measure.network)],
        "rows": list(reversed(_table_rows(view))),
        "chart_version": _chart_version(view),
        "summary": summary_text(view.result, name=measure.name,
                                labels=[f"{o.period:%B %Y}" for o in view.observations]) if view.result else "",
        "can_weigh": can_weigh,
        "weight_form": forms.WeightForm(initial={"weight": selectors.my_weight(measure=measure, person=person)})
        if can_weigh else None,
        "my_weight": selectors.my_weight(measure=measure, person=person),
        "can_record": measure.is_active and request.user.has_perm("impact.record_observation", measure),
        "recalculate_form": forms.RecalculateForm(months=[o.period for o in view.observations[2:-1]])
        if len(view.observations) >= 4 else None,
        "recalculated": [parse_period(m) for m in measure.recalculate_from or []],
        "can_read_comments": request.user.has_perm("impact.read_survey_comments", measure),
        "crumbs": _subject_crumbs(measure),
    })


def _chart_version(view: selectors.MeasureView) -> str:
    """Changes whenever the chart would: the image URL carries it, so a browser never shows a cached old chart."""
    m = view.measure
    parts = [m.direction, str(m.target), ",".join(m.recalculate_from or []), m.unit, m.name]
    parts += [f"{o.period:%Y-%m}={o.value}" for o in view.observations]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def _table_rows(view: selectors.MeasureView) -> list[dict[str, Any]]:
    points = view.result.points if view.result else []
    rows = []
    for i, o in enumerate(view.observations):
        p = points[i] if points else None
        rows.append({"obs": o, "point": p, "label": LABELS[p.point_type] if p else "",
                     "rules": "; ".join(RULE_LABELS[r] for r in RULE_LABELS if r in p.rules) if p else ""})
    return rows


@public
@require_GET
def measure_chart(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    measure = _measure(request, network_slug, measure_slug)
    view = selectors.measure_view(measure=measure)
    if view.result is None:
        raise Http404("Too few values for a chart")
    response = HttpResponse(charts.spc_svg(measure, view.observations, view.result),
                            content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=60"
    return response


@public
@require_GET
def measure_csv(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    measure = _measure(request, network_slug, measure_slug)
    view = selectors.measure_view(measure=measure)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{measure.network.slug}-{measure.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(["period", "value", "source", "survey_answers", "mean", "lower_process_limit",
                     "upper_process_limit", "variation", "rules"])
    for row in _table_rows(view):
        o, p = row["obs"], row["point"]
        writer.writerow([f"{o.period:%Y-%m}", o.value, o.source, o.responses or "",
                         f"{p.mean:.4f}" if p else "", f"{p.lpl:.4f}" if p else "", f"{p.upl:.4f}" if p else "",
                         p.point_type if p else "", row["rules"]])
    return response


def _subjects(network: Network) -> list[Any]:
    projects = [(f"project:{p.pk}", p.title) for p in Project.objects.filter(network=network).order_by("title")]
    innovations = [(f"innovation:{i.pk}", i.name) for i in Innovation.objects.filter(
        network=network, status=PublicationStatus.PUBLISHED).order_by("name")]
    choices: list[Any] = [("network", f"{network.name} as a whole")]
    if projects:
        choices.append(("Projects", projects))
    if innovations:
        choices.append(("Innovations in the Atlas", innovations))
    return choices


def _resolve_subject(network: Network, value: str) -> dict[str, Any]:
    kind, _, pk = value.partition(":")
    if kind == "project" and pk.isdigit():
        return {"project": get_object_or_404(Project, network=network, pk=pk)}
    if kind == "innovation" and pk.isdigit():
        return {"innovation": get_object_or_404(Innovation, network=network, pk=pk)}
    return {}


@requires("impact.propose_measure", obj=_network)
@require_http_methods(["GET", "POST"])
def measure_propose(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = forms.MeasureForm(request.POST or None, subjects=_subjects(network),
                             initial={"subject": request.GET.get("for", "network"), "direction": "higher"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measure = services.measure_propose(
                network=network, actor=acting_person(request), name=data["name"], definition=data["definition"],
                unit=data["unit"], direction=data["direction"], data_source=data["data_source"],
                target=data["target"], survey_scale=data["survey_scale"] or "",
                survey_question=data["survey_question"], survey_open=data["survey_open"],
                **_resolve_subject(network, data["subject"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your measure is proposed. Members of every partner group can now weight it.")
            return redirect(measure)
    membership_group = None
    person = acting_person(request)
    if person is not None:
        membership_group = person.memberships.filter(network=network).select_related("constituency").first()
    return render(request, "impact/propose.html", {
        "network": network, "form": form, "crumbs": _crumbs(network),
        "group": membership_group.constituency if membership_group else None,
    })


@requires("impact.weigh_measure", obj=lambda request, network_slug, measure_slug: _measure(
    request, network_slug, measure_slug).network)
@require_http_methods(["GET", "POST"])
def measure_weigh(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    measure = _measure(request, network_slug, measure_slug)
    person = acting_person(request)
    form = forms.WeightForm(request.POST or None, initial={"weight": selectors.my_weight(measure=measure,
                                                                                         person=person)})
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.check(request, ratelimit.VOTES, person=person)
            vote = services.weight_cast(measure=measure, actor=person, weight=form.cleaned_data["weight"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Your weight of {vote.weight} is counted for {vote.constituency.name}.")
            return redirect(measure)
    return render(request, "impact/weigh.html", {
        "network": measure.network, "measure": measure, "form": form, "crumbs": _subject_crumbs(measure),
    })


@requires("impact.record_observation", obj=_measure)
@require_http_methods(["GET", "POST"])
def observation_add(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    measure = _measure(request, network_slug, measure_slug)
    form = forms.ObservationForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.observation_record(measure=measure, actor=acting_person(request), period=data["period"],
                                        value=data["value"], note=data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"The value for {data['period']:%B %Y} is recorded.")
            return redirect(measure)
    return render(request, "impact/form.html", {
        "network": measure.network, "measure": measure, "form": form, "heading": "Enter a month's value",
        "button": "Record the value", "crumbs": _subject_crumbs(measure),
    })


@requires("impact.record_observation", obj=_measure)
@require_http_methods(["GET", "POST"])
def observations_import(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    measure = _measure(request, network_slug, measure_slug)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            n = services.observations_import(measure=measure, actor=acting_person(request),
                                             text=form.cleaned_data["file"])
        except services.ImportRefused as exc:
            problems = exc.problems
            form.add_error("file", f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}: "
                                   "nothing was imported. Each is listed below.")
        else:
            messages.success(request, f"{n} month{'s' if n != 1 else ''} imported.")
            return redirect(measure)
    return render(request, "impact/import.html", {
        "network": measure.network, "measure": measure, "form": form, "problems": problems[:200],
        "more_problems": max(0, len(problems) - 200), "crumbs": _subject_crumbs(measure),
    })


@requires("impact.record_observation", obj=_measure)
@require_POST
def limits_recalculate(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    measure = _measure(request, network_slug, measure_slug)
    if request.POST.get("undo"):
        services.limits_recalculate(measure=measure, actor=acting_person(request), period=None)
        messages.success(request, "The chart's limits are worked out from all the values again.")
        return redirect(measure)
    try:
        period = parse_period(request.POST.get("period", ""))
        services.limits_recalculate(measure=measure, actor=acting_person(request), period=period)
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"The chart's limits are recalculated from {period:%B %Y}.")
    return redirect(measure)


@requires("impact.retire_measure", obj=_measure)
@require_POST
def measure_retire(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    measure = _measure(request, network_slug, measure_slug)
    services.measure_retire(measure=measure, actor=acting_person(request))
    messages.success(request, "The measure is retired. Its values and chart stay public.")
    return redirect(measure)


@requires("impact.read_survey_comments", obj=_measure)
@require_GET
def survey_comments(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    measure = _measure(request, network_slug, measure_slug)
    return render(request, "impact/comments.html", {
        "network": measure.network, "measure": measure, "crumbs": _subject_crumbs(measure),
        "comments": selectors.survey_comments(measure=measure), "months": selectors.survey_months(measure=measure),
    })


# --- the survey ------------------------------------------------------------------------------------------------


@public
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    """One question on a phone. Anonymous: the answer is kept without any person, address or session."""
    measure = _measure(request, network_slug, measure_slug)
    if not measure.has_survey:
        raise Http404("This measure has no survey")
    if not measure.survey_open and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not measure.survey_open and not request.user.has_perm("impact.answer_survey_signed_in"):
        raise PermissionDenied("Sign in with a member's account to answer this survey.")
    form = forms.SurveyForm(request.POST or None, measure=measure)
    status = 200
    if request.method == "POST" and measure.is_active and form.is_valid():
        token = request.session.get(SURVEY_TOKEN)
        if token is None:
            token = request.session[SURVEY_TOKEN] = secrets.token_hex(16)
        try:
            ratelimit.check(request, ratelimit.POSTS, identity=token)
            services.survey_answer(measure=measure, score=form.cleaned_data["score"],
                                   comment=form.cleaned_data["comment"], token=token)
        except ratelimit.RateLimited as exc:
            add_service_errors(form, exc)
            status = 429
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("impact:survey_thanks", network_slug=network_slug, measure_slug=measure_slug)
    return render(request, "impact/survey.html", {"network": measure.network, "measure": measure, "form": form},
                  status=status)


@public
@require_GET
def survey_thanks(request: HttpRequest, network_slug: str, measure_slug: str) -> HttpResponse:
    measure = _measure(request, network_slug, measure_slug)
    return render(request, "impact/survey_thanks.html", {"network": measure.network, "measure": measure})
