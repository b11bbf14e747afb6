"""Benefit-sharing pages: a network's benefits, each innovation's public statement, agreements and their versions,
acceptance by the parties, recording payments and savings, reversals, party statements and downloads."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from innovatorium.benefits import forms, selectors, services
from innovatorium.benefits.models import Agreement, AgreementVersion, Basis, Party, VersionStatus
from innovatorium.core import ratelimit
from innovatorium.core.forms import add_service_errors
from innovatorium.core.permissions import acting_person, public, requires
from innovatorium.networks.models import Network
from innovatorium.people.models import Person
from innovatorium.projects.models import ContributionKind

PAGE_POSTINGS = 60  # the statement page shows the latest five years of monthly postings; downloads hold all

# --- lookups for the permission wrappers ------------------------------------------------------------------------


def _network(request: HttpRequest, network_slug: str, **_: object) -> Network:
    return get_object_or_404(Network, slug=network_slug)


def _agreement(request: HttpRequest, network_slug: str, innovation_slug: str, **_: object) -> Agreement:
    return selectors.agreement_get(network_slug=network_slug, innovation_slug=innovation_slug)


def _version(request: HttpRequest, network_slug: str, innovation_slug: str, number: int, **_: object) -> Any:
    return selectors.version_get(network_slug=network_slug, innovation_slug=innovation_slug, number=number)


def _party(request: HttpRequest, network_slug: str, innovation_slug: str, party_id: int, **_: object) -> Party:
    agreement = _agreement(request, network_slug, innovation_slug)
    return selectors.party_get(agreement=agreement, party_id=party_id)


def _crumbs(network: Network, *extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(network.name, network.get_absolute_url()),
            ("Benefits", reverse("benefits:network", kwargs={"network_slug": network.slug})), *extra]


def _agreement_crumbs(agreement: Agreement) -> list[tuple[str, str]]:
    return _crumbs(agreement.network, (agreement.innovation.name, agreement.get_absolute_url()))


def _can_manage(request: HttpRequest, agreement_or_network: Any) -> bool:
    return request.user.has_perm("benefits.manage_agreement", agreement_or_network)


# --- public pages ----------------------------------------------------------------------------------------------


@public
@require_GET
def network_benefits(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    return render(request, "benefits/network.html", {
        "network": network, "totals": selectors.benefit_totals(network=network),
        "agreements": selectors.agreements_for_network(network=network),
        "can_manage": _can_manage(request, network),
        "pending": selectors.pending_acceptances(person=acting_person(request)),
        "crumbs": [(network.name, network.get_absolute_url())],
    })


@public
@require_GET
def agreement_detail(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    agreement = _agreement(request, network_slug, innovation_slug)
    can_manage = _can_manage(request, agreement)
    statement = selectors.statement(agreement=agreement, show_private=can_manage, limit=PAGE_POSTINGS)
    versions = list(agreement.versions.all())
    if not can_manage:
        versions = [v for v in versions if v.status != VersionStatus.DRAFT]
    person = acting_person(request)
    mine = [p for p in statement.parties if person is not None and p.party.representative_id == person.pk]
    open_version = next((v for v in versions if v.status in (VersionStatus.DRAFT, VersionStatus.PROPOSED)), None)
    return render(request, "benefits/agreement.html", {
        "network": agreement.network, "agreement": agreement, "innovation": agreement.innovation,
        "statement": statement, "versions": versions, "can_manage": can_manage, "my_parties": mine,
        "open_version": open_version, "crumbs": _crumbs(agreement.network),
    })


@public
@require_GET
def version_detail(request: HttpRequest, network_slug: str, innovation_slug: str, number: int) -> HttpResponse:
    version = _version(request, network_slug, innovation_slug, number)
    agreement = version.agreement
    can_manage = _can_manage(request, agreement)
    if version.status == VersionStatus.DRAFT and not can_manage:
        raise Http404("This version is still a draft.")
    person = acting_person(request)
    rows = selectors.version_terms(version=version, show_private=can_manage)
    if person is not None:
        for row in rows:
            if row.party.representative_id == person.pk:
                row.name = row.party.public_label  # a representative always sees their own party's name
    context: dict[str, Any] = {
        "network": agreement.network, "agreement": agreement, "version": version, "rows": rows,
        "rates": _rates(version), "can_manage": can_manage,
        "can_accept": [r for r in rows if person is not None and r.party.representative_id == person.pk
                       and not r.accepted and version.status == VersionStatus.PROPOSED],
        "public_fields": services.public_fields(version),
        "crumbs": _agreement_crumbs(agreement),
    }
    if can_manage and version.is_editable:
        context.update(_draft_forms(version))
        context["share_total"] = sum((t.share_percent or Decimal(0) for t in version.terms.all()), Decimal(0))
    return render(request, "benefits/version.html", context)


def _rates(version: AgreementVersion) -> list[tuple[str, Decimal]]:
    labels = dict(ContributionKind.choices)
    return [(labels.get(r.kind, r.kind), r.rate) for r in version.rates.all()]


def _draft_forms(version: AgreementVersion, **bound: Any) -> dict[str, Any]:
    network = version.agreement.network
    return {
        "terms_form": bound.get("terms_form") or forms.TermsForm(network=network, initial={
            "basis": version.basis, "project": version.project_id or "",
            "reinvestment_percent": f"{version.reinvestment_percent.normalize():f}",
            "public_party_names": version.public_party_names, "public_party_amounts": version.public_party_amounts,
            "public_event_details": version.public_event_details, "summary": version.summary}),
        "party_form": bound.get("party_form") or forms.PartyForm(version=version),
        "rate_form": bound.get("rate_form") or forms.RateForm(),
        "problem": bound.get("problem"),
    }


@public
@require_GET
def posting_detail(request: HttpRequest, network_slug: str, innovation_slug: str, posting_id: str) -> HttpResponse:
    agreement = _agreement(request, network_slug, innovation_slug)
    posting = selectors.posting_get(agreement=agreement, posting_id=posting_id)
    can_manage = _can_manage(request, agreement)
    row = selectors.posting_row(posting=posting, show_private=can_manage)
    return render(request, "benefits/posting.html", {
        "network": agreement.network, "agreement": agreement, "row": row, "posting": row.posting,
        "can_reverse": request.user.has_perm("benefits.reverse_posting", agreement)
        and not row.posting.is_reversal and not hasattr(row.posting, "reversed_by"),
        "crumbs": _agreement_crumbs(agreement),
    })


def _statement_rows(agreement: Agreement) -> tuple[selectors.Statement, list[dict[str, Any]]]:
    statement = selectors.statement(agreement=agreement, show_private=False)
    rows = []
    for p in reversed(statement.postings):
        base = {
            "posting_id": p.posting.posting_id, "date": p.date.isoformat(),
            "event_date": p.event.occurred_on.isoformat(), "kind": p.event.kind,
            "amount": str(p.amount), "reversal_of": p.posting.reverses.posting_id if p.posting.reverses_id else "",
            "payer": p.event.payer if p.show_details else "",
            "description": p.event.description if p.show_details else "",
        }
        for line in p.lines:
            rows.append({**base, "to": line.name, "share": line.share, "to_amount": str(line.amount)})
        if not p.lines:
            rows.append({**base, "to": "", "share": "", "to_amount": ""})
    return statement, rows


@public
@require_GET
def statement_csv(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    agreement = _agreement(request, network_slug, innovation_slug)
    _, rows = _statement_rows(agreement)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="benefits-{agreement.innovation.slug}.csv"'
    columns = ["posting_id", "date", "event_date", "kind", "amount", "reversal_of", "payer", "description", "to",
               "share",
               "to_amount"]
    writer = csv.DictWriter(response, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return response


def statement_data(agreement: Agreement) -> dict[str, Any]:
    """The public statement as plain data (the JSON download and the API share it)."""
    statement = selectors.statement(agreement=agreement, show_private=False)
    version = statement.version
    return {
        "innovation": agreement.innovation.name, "innovation_slug": agreement.innovation.slug,
        "network": agreement.network.slug,
        "version": version.number if version else None,
        "basis": version.basis if version else None,
        "reinvestment_percent": str(version.reinvestment_percent) if version else None,
        "public_fields": services.public_fields(version) if version else ["totals"],
        "totals": {"earned": str(statement.totals.earned), "saved": str(statement.totals.saved),
                   "shared": str(statement.totals.shared), "reinvested": str(statement.totals.reinvested)},
        "parties": [{"name": p.name, "kind": p.party.kind, "share": p.share,
                     "received": str(p.received) if p.received is not None else None} for p in statement.parties],
        "postings": [{
            "posting_id": p.posting.posting_id, "date": p.date.isoformat(),
            "event_date": p.event.occurred_on.isoformat(), "kind": p.event.kind,
            "amount": str(p.amount), "reverses": p.posting.reverses.posting_id if p.posting.reverses_id else None,
            "payer": p.event.payer if p.show_details else None,
            "description": p.event.description if p.show_details else None,
            "shared": [{"to": ln.name, "share": ln.share, "amount": str(ln.amount)} for ln in p.lines],
        } for p in reversed(statement.postings)],
    }


@public
@require_GET
def statement_json(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    agreement = _agreement(request, network_slug, innovation_slug)
    response = HttpResponse(json.dumps(statement_data(agreement), cls=DjangoJSONEncoder, indent=2),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="benefits-{agreement.innovation.slug}.json"'
    return response


@requires("benefits.view_party_statement", obj=_party)
@require_GET
def party_statement(request: HttpRequest, network_slug: str, innovation_slug: str, party_id: int) -> HttpResponse:
    party = _party(request, network_slug, innovation_slug, party_id)
    agreement = party.agreement
    entries = selectors.party_statement(party=party)
    return render(request, "benefits/party.html", {
        "network": agreement.network, "agreement": agreement, "party": party, "entries": entries,
        "balance": entries[-1].balance if entries else Decimal("0.00"),
        "crumbs": _agreement_crumbs(agreement),
    })


# --- facilitators: drafting --------------------------------------------------------------------------------------


@requires("benefits.manage_agreement", obj=_network)
@require_http_methods(["GET", "POST"])
def agreement_start(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = forms.StartForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_draft(actor=acting_person(request),
                                             innovation=form.cleaned_data["innovation"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Agreement started. Add its parties and terms, then send it to the parties.")
            return redirect(version.get_absolute_url())
    return render(request, "benefits/start.html", {
        "network": network, "form": form, "crumbs": _crumbs(network)})


@requires("benefits.manage_agreement", obj=_agreement)
@require_POST
def amendment_start(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    agreement = _agreement(request, network_slug, innovation_slug)
    try:
        version = services.version_draft(actor=acting_person(request), innovation=agreement.innovation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(agreement.get_absolute_url())
    messages.success(request, f"Version {version.number} started from the current terms. Change what you need, "
                              "then send it to the parties: the current version stays in force until they accept.")
    return redirect(version.get_absolute_url())


def _draft_post(request: HttpRequest, version: AgreementVersion, form_key: str, form: Any, action: Any) -> HttpResponse:
    """Run a draft form's service; on refusal show the version page again with the errors on the form."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(version.get_absolute_url())
    version.refresh_from_db()
    agreement = version.agreement
    context = {
        "network": agreement.network, "agreement": agreement, "version": version,
        "rows": selectors.version_terms(version=version, show_private=True), "rates": _rates(version),
        "can_manage": True, "can_accept": [], "public_fields": services.public_fields(version),
        "crumbs": _agreement_crumbs(agreement), "error_form": form,
        "share_total": sum((t.share_percent or Decimal(0) for t in version.terms.all()), Decimal(0)),
    }
    context.update(_draft_forms(version, **{form_key: form}))
    return render(request, "benefits/version.html", context)


@requires("benefits.manage_agreement", obj=_version)
@require_POST
def version_terms(request: HttpRequest, network_slug: str, innovation_slug: str, number: int) -> HttpResponse:
    version = _version(request, network_slug, innovation_slug, number)
    form = forms.TermsForm(request.POST, network=version.agreement.network)
    return _draft_post(request, version, "terms_form", form, lambda d: services.version_set_terms(
        actor=acting_person(request), version=version, basis=d["basis"], project=d["project"],
        reinvestment_percent=d["reinvestment_percent"], public_party_names=d["public_party_names"],
        public_party_amounts=d["public_party_amounts"], public_event_details=d["public_event_details"],
        summary=d["summary"]))


@requires("benefits.manage_agreement", obj=_version)
@require_POST
def party_add(request: HttpRequest, network_slug: str, innovation_slug: str, number: int) -> HttpResponse:
    version = _version(request, network_slug, innovation_slug, number)
    form = forms.PartyForm(request.POST, version=version)

    def add(d: dict[str, Any]) -> None:
        rep = Person.objects.filter(pk=d["representative"]).first()
        if rep is None:
            raise ValidationError({"representative": "Choose who accepts for this party."})
        services.party_add(actor=acting_person(request), version=version, kind=d["kind"], label=d["label"],
                           organisation=d["organisation"], representative=rep,
                           share_percent=d["share_percent"] if version.basis == Basis.FIXED else None,
                           team_members=d["team_members"])

    return _draft_post(request, version, "party_form", form, add)


@requires("benefits.manage_agreement", obj=_version)
@require_POST
def party_remove(request: HttpRequest, network_slug: str, innovation_slug: str, number: int,
                 party_id: int) -> HttpResponse:
    version = _version(request, network_slug, innovation_slug, number)
    party = selectors.party_get(agreement=version.agreement, party_id=party_id)
    try:
        services.party_remove(actor=acting_person(request), version=version, party=party)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(version.get_absolute_url())


@requires("benefits.manage_agreement", obj=_version)
@require_POST
def rate_set(request: HttpRequest, network_slug: str, innovation_slug: str, number: int) -> HttpResponse:
    version = _version(request, network_slug, innovation_slug, number)
    form = forms.RateForm(request.POST)
    return _draft_post(request, version, "rate_form", form, lambda d: services.rate_set(
        actor=acting_person(request), version=version, kind=d["kind"], rate=d["rate"]))


@requires("benefits.manage_agreement", obj=_version)
@require_POST
def version_propose(request: HttpRequest, network_slug: str, innovation_slug: str, number: int) -> HttpResponse:
    version = _version(request, network_slug, innovation_slug, number)
    try:
        services.version_propose(actor=acting_person(request), version=version)
    except ValidationError as exc:
        version.refresh_from_db()
        agreement = version.agreement
        context = {
            "network": agreement.network, "agreement": agreement, "version": version,
            "rows": selectors.version_terms(version=version, show_private=True), "rates": _rates(version),
            "can_manage": True, "can_accept": [], "public_fields": services.public_fields(version),
            "crumbs": _agreement_crumbs(agreement),
            "share_total": sum((t.share_percent or Decimal(0) for t in version.terms.all()), Decimal(0)),
        }
        context.update(_draft_forms(version, problem=exc.messages))
        return render(request, "benefits/version.html", context)
    messages.success(request, "Sent to the parties. It is adopted when every party's representative accepts it.")
    return redirect(version.get_absolute_url())


@requires("benefits.manage_agreement", obj=_version)
@require_POST
def version_withdraw(request: HttpRequest, network_slug: str, innovation_slug: str, number: int) -> HttpResponse:
    version = _version(request, network_slug, innovation_slug, number)
    try:
        services.version_withdraw(actor=acting_person(request), version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Version {version.number} withdrawn. It stays visible as withdrawn.")
    return redirect(version.agreement.get_absolute_url())


# --- parties: accepting ------------------------------------------------------------------------------------------


@requires("benefits.accept_version", obj=_version)
@require_POST
def version_accept(request: HttpRequest, network_slug: str, innovation_slug: str, number: int,
                   party_id: int) -> HttpResponse:
    version = _version(request, network_slug, innovation_slug, number)
    party = selectors.party_get(agreement=version.agreement, party_id=party_id)
    try:
        ratelimit.check(request, ratelimit.POSTS, person=acting_person(request))
        version = services.version_accept(actor=acting_person(request), version=version, party=party)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if version.status == VersionStatus.ADOPTED:
            messages.success(request, f"Accepted. Every party has now accepted: version {version.number} is adopted.")
        else:
            messages.success(request, "Accepted. The agreement is adopted once every party has accepted.")
    return redirect(version.get_absolute_url())


# --- facilitators: the ledger ------------------------------------------------------------------------------------


@requires("benefits.record_event", obj=_agreement)
@require_http_methods(["GET", "POST"])
def event_record(request: HttpRequest, network_slug: str, innovation_slug: str) -> HttpResponse:
    agreement = _agreement(request, network_slug, innovation_slug)
    version = agreement.versions.filter(status=VersionStatus.ADOPTED).first()
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ratelimit.check(request, ratelimit.POSTS, person=acting_person(request))
            event, created = services.event_record(
                actor=acting_person(request), agreement=agreement, kind=d["kind"], amount=d["amount"],
                occurred_on=d["occurred_on"], payer=d["payer"], description=d["description"],
                idempotency_key=form.idempotency_key)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "idempotency_key" in exc.error_dict:
                exc = ValidationError({"reference": exc.error_dict["idempotency_key"]})
            add_service_errors(form, exc)
        else:
            posting = event.postings.filter(reverses__isnull=True).first()
            if created:
                messages.success(request, f"{event.get_kind_display()} of £{event.amount:,} posted and shared out.")
            else:
                messages.info(request, "This was already posted (same reference), so it was not posted again.")
            return redirect("benefits:posting", network_slug=network_slug, innovation_slug=innovation_slug,
                            posting_id=posting.posting_id)
    return render(request, "benefits/event_form.html", {
        "network": agreement.network, "agreement": agreement, "version": version, "form": form,
        "crumbs": _agreement_crumbs(agreement),
    })


@requires("benefits.reverse_posting", obj=_agreement)
@require_http_methods(["GET", "POST"])
def posting_reverse(request: HttpRequest, network_slug: str, innovation_slug: str, posting_id: str) -> HttpResponse:
    agreement = _agreement(request, network_slug, innovation_slug)
    posting = selectors.posting_get(agreement=agreement, posting_id=posting_id)
    form = forms.ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = services.posting_reverse(actor=acting_person(request), posting=posting,
                                                reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Posting reversed. Every balance is back to what it was before it.")
            return redirect("benefits:posting", network_slug=network_slug, innovation_slug=innovation_slug,
                            posting_id=reversal.posting_id)
    return render(request, "benefits/reverse.html", {
        "network": agreement.network, "agreement": agreement, "posting": posting, "form": form,
        "crumbs": _agreement_crumbs(agreement),
    })
