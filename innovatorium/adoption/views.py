"""Spread pages: national, per network, per innovation; charts as SVG files; CSV/JSON exports; facilitators' import."""

from __future__ import annotations

import csv
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from innovatorium import spread as spread_lib
from innovatorium.adoption import charts, importers, selectors, services
from innovatorium.adoption.models import (
    ADOPTING,
    Adoption,
    AdoptionReport,
    NationalProgramme,
    ReportState,
    Site,
    Status,
)
from innovatorium.adoption.spreadview import innovation_spread
from innovatorium.atlas.models import Innovation
from innovatorium.core import ratelimit
from innovatorium.core.forms import NHSFormMixin, add_service_errors
from innovatorium.core.permissions import acting_person, public, requires
from innovatorium.networks.models import Network

SHOWN_ROWS = 200
EXPORT_COLUMNS = ["innovation", "innovation_network", "ods_code", "site", "site_type", "site_network", "region",
                  "status", "status_on", "started_on", "reason", "population_covered", "population_source",
                  "patients_reached", "patients_source", "verified", "counted_in_population"]


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _innovation(request: HttpRequest, network_slug: str, innovation_slug: str) -> Innovation:
    return get_object_or_404(Innovation.objects.select_related("network"), network__slug=network_slug,
                             slug=innovation_slug, status="published")


def _svg(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _rows_link(**params: Any) -> str:
    from urllib.parse import urlencode

    return reverse("adoption:export_csv") + "?" + urlencode({k: v for k, v in params.items() if v is not None})


def _innovation_names(ids) -> dict[int, Innovation]:
    return {i.pk: i for i in Innovation.objects.filter(pk__in=[int(x) for x in ids]).select_related("network")}


def _innovation_table(rows, sites, limit: int = 50) -> list[dict]:
    """Innovations by adopting sites, with population covered and concentration index (3 queries at most)."""
    if len(rows) == 0:
        return []
    import numpy as np

    counted = selectors.counted_mask(rows, sites)
    si = sites.index(rows[:, 1])
    pop = np.where(rows[:, 2] >= 0, rows[:, 2], sites.population[si]) * counted
    ids, inv = np.unique(rows[:, 0], return_inverse=True)
    n_sites = np.bincount(inv)
    population = np.bincount(inv, weights=pop)
    top = np.argsort(-n_sites, kind="stable")[:limit]
    eq_ids, _, _, ci = selectors.equity(rows[np.isin(rows[:, 0], ids[top])], sites, per_innovation=True)
    ci_by = dict(zip(eq_ids.tolist(), ci.tolist(), strict=True))
    names = _innovation_names(ids[top])
    out = []
    for k in top:
        inn = names.get(int(ids[k]))
        if inn is None:
            continue
        c = ci_by.get(int(ids[k]))
        out.append({"innovation": inn, "sites": int(n_sites[k]), "population": int(population[k]),
                    "ci": None if c is None or c != c else c})
    return out


@public
@require_GET
def national(request: HttpRequest) -> HttpResponse:
    sites = selectors.site_arrays()
    rows = selectors.adopting_rows()
    figures = selectors.headline(rows, sites)
    equity = selectors.equity_table(rows, sites)
    networks = list(Network.objects.annotate(n_sites=Count("sites")).order_by("name"))
    import numpy as np

    by_network = {}
    if len(rows):
        net = sites.network[sites.index(rows[:, 1])]
        for nid in np.unique(net):
            sub = rows[net == nid]
            by_network[int(nid)] = (len(np.unique(sub[:, 1])), len(np.unique(sub[:, 0])))
    context = {
        "figures": figures, "equity": equity, "innovations": _innovation_table(rows, sites),
        "networks": [(n, by_network.get(n.pk, (0, 0))) for n in networks],
        "flows": selectors.flows(selectors.network_firsts(), networks),
        "programme_count": NationalProgramme.objects.count(),
        "rows_url": _rows_link(adopting=1), "all_rows_url": _rows_link(),
        "equity_url": reverse("adoption:national_equity_svg"), "scope": "England",
        "crumbs": [("Home", reverse("core:home"))],
    }
    return render(request, "adoption/national.html", context)


@public
@require_GET
def national_equity_svg(request: HttpRequest) -> HttpResponse:
    sites = selectors.site_arrays()
    equity = selectors.equity_table(selectors.adopting_rows(), sites)
    return _svg(charts.equity_svg(equity.rows, title="Share of each deprivation decile covered, England",
                                  description=_equity_description(equity)))


def _equity_description(equity: selectors.Equity) -> str:
    parts = [f"decile {r['decile']}: {r['share']:.0%}" for r in equity.rows if r["share"] is not None]
    ci = equity.concentration_index
    tail = "" if ci != ci else f" Concentration index {ci:+.3f} (negative favours the more deprived)."
    return "Share of people covered by decile, " + "; ".join(parts) + "." + tail


@public
@require_GET
def network_spread(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    sites = selectors.site_arrays()
    rows = selectors.adopting_rows(network_id=network.pk)
    flows = selectors.flows(selectors.network_firsts(), list(Network.objects.order_by("name")))
    context = {
        "network": network, "figures": selectors.headline(rows, sites),
        "flows_in": [(a, c) for a, b, c in flows.rows if b.pk == network.pk],
        "flows_out": [(b, c) for a, b, c in flows.rows if a.pk == network.pk],
        "originated": next((r for r in flows.originated if r[0].pk == network.pk), None),
        "can_check": request.user.has_perm("adoption.check_reports", network),
        "equity": selectors.equity_table(rows, selectors.site_arrays_in(sites, network.pk)),
        "innovations": _innovation_table(rows, sites),
        "site_count": Site.objects.filter(network=network).count(),
        "rows_url": _rows_link(network=network.slug, adopting=1), "all_rows_url": _rows_link(network=network.slug),
        "scope": network.name,
        "crumbs": [("Home", reverse("core:home")), (network.name, network.get_absolute_url())],
    }
    return render(request, "adoption/network.html", context)


@public
@require_GET
def innovation_spread_page(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    innovation = _innovation(request, network_slug, innovation_slug)
    sites = selectors.site_arrays()
    rows = selectors.adopting_rows(innovation_id=innovation.pk)
    spread = innovation_spread(innovation.pk)
    adoptions = list(Adoption.objects.filter(innovation=innovation).select_related("site", "site__network")
                     .order_by("site__network__name", "site__name")[:SHOWN_ROWS])
    total = Adoption.objects.filter(innovation=innovation).count()
    # networks with a site adopting now (from all of its rows, not only those shown)
    reached = set(sites.network[sites.index(rows[:, 1])].tolist()) if len(rows) else set()
    firsts = selectors.network_firsts(innovation_id=innovation.pk).get(innovation.pk, {})
    network_names = {n.pk: n for n in Network.objects.filter(pk__in=list(firsts))}
    arrivals = [(network_names[a.region], a) for a in spread_lib.arrivals_from_firsts(firsts)]
    not_reached = Network.objects.exclude(pk__in=[n for n in reached if n]).annotate(
        n_sites=Count("sites")).filter(n_sites__gt=0)
    context = {
        "network": innovation.network, "innovation": innovation, "figures": selectors.headline(rows, sites),
        "equity": selectors.equity_table(rows, sites), "spread": spread, "adoptions": adoptions,
        "total": total, "shown": len(adoptions), "not_reached": not_reached, "arrivals": arrivals,
        "pending_reports": AdoptionReport.objects.filter(innovation=innovation, state=ReportState.PENDING).count(),
        "rows_url": _rows_link(innovation=innovation.pk, adopting=1), "all_rows_url": _rows_link(
            innovation=innovation.pk),
        "scope": innovation.name,
        "can_record": request.user.has_perm("adoption.record_adoption", innovation.network),
        "crumbs": [("Home", reverse("core:home")), (innovation.network.name, innovation.network.get_absolute_url()),
                   ("Spread", reverse("adoption:network", args=[innovation.network.slug]))],
    }
    return render(request, "adoption/innovation.html", context)


@public
@require_GET
def innovation_curve_svg(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    innovation = _innovation(request, network_slug, innovation_slug)
    spread = innovation_spread(innovation.pk)
    last = spread.points[-1]["sites"] if spread.points else 0
    desc = f"{last} sites have adopted {innovation.name} so far."
    if spread.fit is not None:
        desc += f" The Bass forecast expects about {spread.fit.m:,.0f} sites in the end."
    return _svg(charts.curve_svg(spread.points, spread.forecast, title=f"Spread of {innovation.name}",
                                 description=desc))


@public
@require_GET
def innovation_equity_svg(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    innovation = _innovation(request, network_slug, innovation_slug)
    equity = selectors.equity_table(selectors.adopting_rows(innovation_id=innovation.pk), selectors.site_arrays())
    return _svg(charts.equity_svg(equity.rows, title=f"Equity of access to {innovation.name}",
                                  description=_equity_description(equity)))


def _export_queryset(request: HttpRequest):
    qs = Adoption.objects.select_related("innovation__network", "site__network").order_by("pk")
    if request.GET.get("innovation", "").isdigit():
        qs = qs.filter(innovation_id=int(request.GET["innovation"]))
    if request.GET.get("network"):
        slug = request.GET["network"][:60]
        qs = qs.filter(Q(site__network__slug=slug))
    if request.GET.get("adopting"):
        qs = qs.filter(status__in=ADOPTING)
    return qs


def _export_rows(request: HttpRequest):
    qs = _export_queryset(request)
    sites = selectors.site_arrays()
    rows = selectors.adopting_rows()
    counted = set()
    if len(rows):
        mask = selectors.counted_mask(rows, sites)
        counted = set(zip(rows[mask, 0].tolist(), rows[mask, 1].tolist(), strict=True))
    for a in qs.iterator(chunk_size=2000):
        yield {
            "innovation": a.innovation.slug, "innovation_network": a.innovation.network.slug,
            "ods_code": a.site.ods_code, "site": a.site.name, "site_type": a.site.type,
            "site_network": a.site.network.slug if a.site.network else "", "region": a.site.region,
            "status": a.status, "status_on": a.status_on.isoformat(), "started_on": a.started_on.isoformat(),
            "reason": a.reason, "population_covered": a.population_covered,
            "population_source": a.population_source, "patients_reached": a.patients_reached,
            "patients_source": a.patients_source, "verified": a.verified,
            "counted_in_population": (a.innovation_id, a.site_id) in counted,
        }


class _Echo:
    def write(self, value: str) -> str:
        return value


@public
@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Adoption rows behind the figures; ``counted_in_population`` says whether a row's population was added."""
    writer = csv.DictWriter(_Echo(), fieldnames=EXPORT_COLUMNS)

    def lines():
        yield writer.writeheader()
        for row in _export_rows(request):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="adoptions.csv"'
    return response


@public
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(json.dumps({"adoptions": list(_export_rows(request))}), content_type="application/json")


class ImportForm(NHSFormMixin, forms.Form):
    KINDS = [("adoptions", "Adoption records (CSV with a header row)"),
             ("populations", "Populations and deprivation deciles (CSV: ods_code, population, imd_decile)"),
             ("trusts", "ODS trusts file (etrust.csv, as published)"),
             ("gp_practices", "ODS GP practices file (epraccur.csv, as published)"),
             ("icbs", "ODS ICB file, as published")]
    kind = forms.ChoiceField(choices=KINDS, label="What the file holds")
    file = forms.FileField(label="CSV file", help_text="Nothing is imported unless every row is right.")


@requires("adoption.import_adoption", obj=_network)
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[importers.RowError] = []
    total = 0
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        kind = form.cleaned_data["kind"]
        actor = request.user.person
        try:
            if kind == "adoptions":
                result = importers.import_adoptions(data, actor=actor, network=network)
            elif kind == "populations":
                result = importers.import_populations(data, actor=actor)
            else:
                result = importers.import_ods_sites(data, layout=kind, actor=actor, network=network)
        except importers.ImportRejected as exc:
            errors, total = exc.errors, exc.total
        else:
            messages.success(request, f"Imported {result.rows:,} rows: {result.created:,} new, "
                                      f"{result.updated:,} updated.")
            return redirect("adoption:import", network_slug=network.slug)
    return render(request, "adoption/import.html", {
        "network": network, "form": form, "errors": errors, "total": total,
        "crumbs": [("Home", reverse("core:home")), (network.name, network.get_absolute_url()),
                   ("Spread", reverse("adoption:network", args=[network.slug]))],
    })


# --- sites report their own adoption; facilitators check ---------------------------------------------------------


class ReportForm(NHSFormMixin, forms.Form):
    site = forms.ChoiceField(label="Site", help_text="The sites of the organisation your membership declares.")
    status = forms.ChoiceField(label="Status now", choices=Status.choices)
    on = forms.DateField(label="Date of the change", help_text="For example, 2025-04-01.",
                         widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Reason (needed when discontinuing or going back a step)", required=False,
                             max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    population_covered = forms.IntegerField(label="Population covered (optional)", required=False, min_value=0,
                                            help_text="How many of the people the site serves can use it.")
    patients_reached = forms.IntegerField(label="Patients reached so far (optional)", required=False, min_value=0)
    source = forms.CharField(label="Where the figures come from (optional)", required=False, max_length=200,
                             help_text="For example, a board paper or the service's annual report. No patient data.")

    def __init__(self, *args: Any, sites: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sites = {str(s.pk): s for s in sites}
        self.fields["site"].choices = [(str(s.pk), f"{s.name} ({s.ods_code})") for s in sites]


@requires("adoption.report_adoption")
@require_http_methods(["GET", "POST"])
def report_adoption(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    innovation = _innovation(request, network_slug, innovation_slug)
    person = acting_person(request)
    sites = services.reportable_sites(person)
    form = ReportForm(request.POST or None, sites=sites)
    if request.method == "POST" and sites and form.is_valid():
        data = form.cleaned_data
        try:
            ratelimit.check(request, ratelimit.POSTS, person=person)
            services.report_submit(
                innovation=innovation, site=form.sites[data["site"]], status=data["status"], on=data["on"],
                actor=person, reason=data["reason"], population_covered=data["population_covered"],
                patients_reached=data["patients_reached"], source=data["source"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you. A facilitator will check your report; it counts in the figures "
                                      "once it is verified.")
            return redirect("adoption:report", network_slug=network_slug, innovation_slug=innovation_slug)
    mine = list(AdoptionReport.objects.filter(innovation=innovation, reported_by=person)
                .select_related("site").order_by("-reported_at")[:20]) if person else []
    return render(request, "adoption/report.html", {
        "network": innovation.network, "innovation": innovation, "form": form, "sites": sites, "mine": mine,
        "crumbs": [("Home", reverse("core:home")), (innovation.network.name, innovation.network.get_absolute_url()),
                   ("Spread", reverse("adoption:network", args=[innovation.network.slug])),
                   (innovation.name, reverse("adoption:innovation", args=[network_slug, innovation_slug]))],
    })


def _queue(network: Network):
    """Pending reports this network's facilitators check: its sites', or for sites without a network its
    innovations'."""
    return (AdoptionReport.objects.filter(state=ReportState.PENDING)
            .filter(Q(site__network=network) | Q(site__network__isnull=True, innovation__network=network))
            .select_related("site", "innovation__network").order_by("reported_at", "pk"))


class RejectForm(NHSFormMixin, forms.Form):
    note = forms.CharField(label="Why it cannot be verified", max_length=500,
                           help_text="The site sees this, so it can correct the report and send it again.")


@requires("adoption.check_reports", obj=_network)
@require_http_methods(["GET", "POST"])
def report_queue(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    reject_form, rejecting = RejectForm(), None
    if request.method == "POST":
        raw = request.POST.get("report", "")[:12]
        report = _queue(network).filter(pk=int(raw)).first() if raw.isdigit() else None
        if report is None:
            messages.error(request, "That report has already been checked or is not in this queue.")
            return redirect("adoption:reports", network_slug=network.slug)
        try:
            if request.POST.get("decision") == "verify":
                services.report_verify(report=report, actor=acting_person(request))
                messages.success(request, f"Verified: {report.site.name} {report.get_status_display().lower()} "
                                          f"{report.innovation.name}. It now counts in the figures.")
                return redirect("adoption:reports", network_slug=network.slug)
            reject_form = RejectForm(request.POST)
            if reject_form.is_valid():
                services.report_reject(report=report, actor=acting_person(request),
                                       note=reject_form.cleaned_data["note"])
                messages.success(request, f"Not verified: {report.site.name}'s report. The site can see why.")
                return redirect("adoption:reports", network_slug=network.slug)
            rejecting = report.pk
        except ValidationError as exc:
            add_service_errors(reject_form, exc)
            rejecting = report.pk
    pending = list(_queue(network)[:100])
    return render(request, "adoption/reports.html", {
        "network": network, "pending": pending, "reject_form": reject_form, "rejecting": rejecting,
        "crumbs": [("Home", reverse("core:home")), (network.name, network.get_absolute_url()),
                   ("Spread", reverse("adoption:network", args=[network.slug]))],
    })


# --- national adoption programmes ---------------------------------------------------------------------------------


@public
@require_GET
def programmes(request: HttpRequest) -> HttpResponse:
    items = list(NationalProgramme.objects.select_related("innovation__network")
                 .annotate(n_targets=Count("target_sites")).order_by("-starts_on", "name"))
    return render(request, "adoption/programmes.html", {
        "programmes": items,
        "crumbs": [("Home", reverse("core:home")), ("Spread", reverse("adoption:national"))],
    })


@public
@require_GET
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(NationalProgramme.objects.select_related("innovation__network"), slug=slug)
    progress = selectors.programme_progress(programme, as_of=timezone.localdate())
    return render(request, "adoption/programme.html", {
        "programme": programme, "progress": progress,
        "crumbs": [("Home", reverse("core:home")), ("Spread", reverse("adoption:national")),
                   ("National programmes", reverse("adoption:programmes"))],
    })


class ProgrammeForm(NHSFormMixin, forms.Form):
    name = forms.CharField(label="Programme name", max_length=200)
    innovation = forms.CharField(label="Innovation to spread", max_length=200,
                                 help_text="As in adoption files: network-slug/innovation-slug, for example "
                                           "health-innovation-north-east/virtual-ward-kit.")
    starts_on = forms.DateField(label="Starts on", help_text="For example, 2025-04-01.",
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Ends on (optional)", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    target_codes = forms.CharField(label="Target sites' ODS codes",
                                   help_text="Separated by commas, spaces or new lines.",
                                   widget=forms.Textarea(attrs={"rows": 5}))

    def clean_innovation(self) -> Innovation:
        value = self.cleaned_data["innovation"].strip().strip("/")
        network_slug, _, slug = value.rpartition("/")
        qs = Innovation.objects.filter(slug=slug, status="published").select_related("network")
        if network_slug:
            qs = qs.filter(network__slug=network_slug)
        found = list(qs[:2])
        if len(found) != 1:
            raise ValidationError("No published innovation is known by that name: write network-slug/slug." if not
                                  found else "Two networks use that slug: write network-slug/slug.")
        return found[0]

    def clean_target_codes(self) -> list[Site]:
        import re

        codes = list(dict.fromkeys(c.upper() for c in re.split(r"[\s,;]+", self.cleaned_data["target_codes"]) if c))
        sites = {s.ods_code: s for s in Site.objects.filter(ods_code__in=codes)}
        unknown = [c for c in codes if c not in sites]
        if unknown:
            raise ValidationError(f"No site has the ODS code{'s' if len(unknown) > 1 else ''} "
                                  f"{', '.join(unknown[:20])}{' …' if len(unknown) > 20 else ''}.")
        if not codes:
            raise ValidationError("Name at least one target site.")
        return [sites[c] for c in codes]


@requires("adoption.create_programme", obj=_network)
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest, network_slug: str) -> HttpResponse:
    from django.utils.text import slugify

    network = _network(request, network_slug)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = services.programme_create(
                name=data["name"], slug=slugify(data["name"])[:120] or "programme", innovation=data["innovation"],
                starts_on=data["starts_on"], ends_on=data["ends_on"], target_sites=data["target_codes"],
                actor=acting_person(request), network=network)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Programme started: {len(data['target_codes'])} target sites.")
            return redirect("adoption:programme", slug=programme.slug)
    return render(request, "adoption/programme_form.html", {
        "network": network, "form": form,
        "crumbs": [("Home", reverse("core:home")), (network.name, network.get_absolute_url()),
                   ("National programmes", reverse("adoption:programmes"))],
    })
