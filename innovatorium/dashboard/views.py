"""Dashboard pages: England and each network, their downloads (CSV, JSON), the reported figures behind investment
and jobs, and the facilitators' forms to report, import and withdraw them."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from innovatorium.atlas.models import Innovation, PublicationStatus
from innovatorium.core.forms import NHSFormMixin, add_service_errors
from innovatorium.core.permissions import acting_person, public, requires
from innovatorium.dashboard import selectors, services
from innovatorium.dashboard.models import FigureKind, ReportedFigure
from innovatorium.networks.models import Network

PAGE_SIZE = 50
MAX_UPLOAD = 2 * 1024 * 1024


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _figure(request: HttpRequest, network_slug: str, pk: int) -> ReportedFigure:
    return get_object_or_404(ReportedFigure.objects.select_related("network"), network__slug=network_slug, pk=pk)


def _home() -> tuple[str, str]:
    return ("Home", reverse("core:home"))


# --- the dashboard -----------------------------------------------------------------------------------------


@public
@require_GET
def national(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard()
    return render(request, "dashboard/national.html", {
        "board": board, "scope": board.england,
        "tables": [
            {"caption": caption, "id": f"league-{i}", "labels": [selectors.FIGURES[k][0] for k in keys],
             "rows": [(s, s.row(keys)) for s in board.networks], "total": board.england.row(keys)}
            for i, (caption, keys) in enumerate(selectors.LEAGUE_TABLES, start=1)
        ],
        "crumbs": [_home()],
    })


@public
@require_GET
def network_page(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    scope = selectors.network_dashboard(network=network)
    recent = list(selectors.reported_figures(network=network)[:5])
    return render(request, "dashboard/network.html", {
        "network": network, "scope": scope, "recent": recent,
        "can_report": request.user.has_perm("dashboard.report_figure", network),
        "crumbs": [_home(), (network.name, network.get_absolute_url()), ("National dashboard",
                                                                         reverse("dashboard:national"))],
    })


def _export_rows(board: selectors.Dashboard) -> list[dict[str, Any]]:
    out = []
    for scope in [board.england, *board.networks]:
        row: dict[str, Any] = {"scope": scope.slug, "name": scope.name}
        row.update({key: figure.value for key, figure in scope.figures.items()})
        out.append(row)
    return out


@public
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """One row for England, then one per network; one column per figure (money in pounds, exact)."""
    rows = _export_rows(selectors.dashboard())
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["scope", "name", *selectors.FIGURES])
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="innovatorium-dashboard.csv"'
    return response


def dashboard_json(board: selectors.Dashboard, request: HttpRequest) -> dict[str, Any]:
    """The dashboard as plain data: every figure with its label, unit, counting method and links (absolute)."""

    def scope_data(scope: selectors.Scope) -> dict[str, Any]:
        return {
            "scope": scope.slug, "name": scope.name,
            "figures": [
                {"key": f.key, "label": f.label, "unit": f.unit, "group": f.group,
                 "value": None if f.value is None else (str(f.value) if isinstance(f.value, Decimal) else f.value),
                 "records_url": request.build_absolute_uri(f.url) if f.url else None,
                 "rows_url": request.build_absolute_uri(f.rows_url) if f.rows_url else None}
                for f in scope.figures.values()
            ],
        }

    return {
        "generated_at": timezone.now().isoformat(),
        "methods": {key: {"label": label, "unit": unit, "group": group, "method": method}
                    for key, (label, unit, group, method) in selectors.FIGURES.items()},
        "england": scope_data(board.england),
        "networks": [scope_data(s) for s in board.networks],
    }


@public
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    data = dashboard_json(selectors.dashboard(), request)
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, indent=1), content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="innovatorium-dashboard.json"'
    return response


# --- reported figures (the records behind investment and jobs) ----------------------------------------------


def _kind(request: HttpRequest) -> str | None:
    kind = request.GET.get("kind", "")
    return kind if kind in FigureKind.values else None


def _reported_page(request: HttpRequest, network: Network | None) -> HttpResponse:
    kind = _kind(request)
    qs = selectors.reported_figures(network=network, kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    crumbs = [_home(), ("National dashboard", reverse("dashboard:national"))]
    if network is not None:
        crumbs = [_home(), (network.name, network.get_absolute_url()),
                  ("Dashboard", reverse("dashboard:network", args=[network.slug]))]
    return render(request, "dashboard/reported.html", {
        "network": network, "kind": kind, "kinds": FigureKind.choices, "page": page,
        "summary": selectors.reported_summary(qs),
        "kind_label": dict(FigureKind.choices).get(kind, "Investment leveraged and jobs created"),
        "csv_url": reverse("dashboard:reported_csv") + "?" + "&".join(
            p for p in (f"network={network.slug}" if network else "", f"kind={kind}" if kind else "") if p),
        "can_report": network is not None and request.user.has_perm("dashboard.report_figure", network),
        "crumbs": crumbs,
    })


@public
@require_GET
def reported_national(request: HttpRequest) -> HttpResponse:
    return _reported_page(request, None)


@public
@require_GET
def reported_network(request: HttpRequest, network_slug: str) -> HttpResponse:
    return _reported_page(request, _network(request, network_slug))


REPORTED_COLUMNS = ["id", "network", "kind", "amount", "period_start", "period_end", "innovation", "source",
                    "source_url", "note", "reported_at", "counted", "withdrawn_at", "withdrawn_reason"]


@public
@require_GET
def reported_csv(request: HttpRequest) -> HttpResponse:
    """Every reported figure (withdrawn ones too, marked), filtered by ?network= and ?kind=. No names."""
    network = None
    if request.GET.get("network"):
        network = get_object_or_404(Network, slug=request.GET["network"][:60])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORTED_COLUMNS)
    for f in selectors.reported_figures(network=network, kind=_kind(request)).iterator(chunk_size=1000):
        innovation = f"{f.innovation.network.slug}/{f.innovation.slug}" if f.innovation else ""
        writer.writerow([f.pk, f.network.slug, f.kind, f.amount, f.period_start, f.period_end, innovation,
                         f.source, f.source_url, f.note, f.reported_at.isoformat(), f.counted,
                         f.withdrawn_at.isoformat() if f.withdrawn_at else "", f.withdrawn_reason])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reported-figures.csv"'
    return response


# --- facilitators: report, import, withdraw ------------------------------------------------------------------


class ReportForm(NHSFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What the figure is", choices=FigureKind.choices)
    amount = forms.CharField(
        label="Amount", max_length=30,
        help_text="Investment in pounds, e.g. 250000 or £250,000. Jobs as full-time equivalents, e.g. 3 or 2.5.",
    )
    period_start = forms.DateField(label="Period from", help_text="For example, 2025-04-01.",
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="Period to", help_text="For example, 2026-03-31. The period must have ended.",
                                 widget=forms.DateInput(attrs={"type": "date"}))
    innovation = forms.ChoiceField(label="Innovation (optional)", required=False,
                                   help_text="Leave as 'The network's work as a whole' for a figure about everything.")
    source = forms.CharField(label="Source", max_length=300,
                             help_text="Where the figure comes from, e.g. 'Company accounts 2024/25, note 7'.")
    source_url = forms.URLField(label="Link to the source (optional)", required=False, max_length=500,
                                assume_scheme="https")
    note = forms.CharField(label="Note (optional)", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        innovations = (Innovation.objects.filter(network=network, status=PublicationStatus.PUBLISHED)
                       .order_by("name").values_list("pk", "name"))
        self.fields["innovation"].choices = [("", "The network's work as a whole"),
                                             *((str(pk), name) for pk, name in innovations)]


@requires("dashboard.report_figure", obj=_network)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = ReportForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        innovation = Innovation.objects.filter(pk=int(data["innovation"])).first() if data["innovation"] else None
        try:
            figure = services.reported_figure_add(
                network=network, actor=acting_person(request), kind=data["kind"], amount=data["amount"],
                period_start=data["period_start"], period_end=data["period_end"], source=data["source"],
                source_url=data["source_url"], innovation=innovation, note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{figure.get_kind_display()} recorded. It is on the dashboard and the "
                                      "public record.")
            return redirect(reverse("dashboard:reported", args=[network.slug]) + f"#figure-{figure.pk}")
    return render(request, "dashboard/report_form.html", {
        "network": network, "form": form,
        "crumbs": [_home(), (network.name, network.get_absolute_url()),
                   ("Dashboard", reverse("dashboard:network", args=[network.slug]))],
    })


class ImportForm(NHSFormMixin, forms.Form):
    file = forms.FileField(label="CSV file", help_text="Nothing is imported unless every row is right.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError("The file is larger than 2 MB: split it into smaller files.")
        return upload


@requires("dashboard.report_figure", obj=_network)
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[services.RowError] = []
    total = 0
    if request.method == "POST" and form.is_valid():
        try:
            created = services.reported_figures_import(network=network, actor=acting_person(request),
                                                       data=form.cleaned_data["file"].read())
        except services.ImportRejected as exc:
            errors, total = exc.errors, exc.total
        else:
            messages.success(request, f"Imported {len(created):,} figure{'s' if len(created) != 1 else ''}.")
            return redirect("dashboard:reported", network_slug=network.slug)
    return render(request, "dashboard/import.html", {
        "network": network, "form": form, "errors": errors, "total": total,
        "required": services.REQUIRED_COLUMNS, "optional": services.OPTIONAL_COLUMNS,
        "crumbs": [_home(), (network.name, network.get_absolute_url()),
                   ("Dashboard", reverse("dashboard:network", args=[network.slug]))],
    })


class WithdrawForm(NHSFormMixin, forms.Form):
    reason = forms.CharField(label="Why is this figure withdrawn?", max_length=300,
                             help_text="For example, 'Replaced by the audited figure' or 'Entered twice'.")


@requires("dashboard.report_figure", obj=_figure)
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, network_slug: str, pk: int) -> HttpResponse:
    figure = _figure(request, network_slug, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reported_figure_withdraw(figure=figure, actor=acting_person(request),
                                              reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The figure is withdrawn: it stays listed but is no longer counted.")
            return redirect(reverse("dashboard:reported", args=[figure.network.slug]) + f"#figure-{figure.pk}")
    return render(request, "dashboard/withdraw.html", {
        "network": figure.network, "figure": figure, "form": form,
        "crumbs": [_home(), (figure.network.name, figure.network.get_absolute_url()),
                   ("Reported figures", reverse("dashboard:reported", args=[figure.network.slug]))],
    })
