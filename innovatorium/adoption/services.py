"""Writes to the adoption register. Each is atomic and goes on the public record (figures only, no personal data)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from innovatorium.adoption.models import (
    STATUS_RANK,
    Adoption,
    AdoptionReport,
    AdoptionStatusChange,
    NationalProgramme,
    ReportState,
    Site,
    Status,
)
from innovatorium.atlas.models import Innovation
from innovatorium.networks.models import Network
from innovatorium.people.authority import is_network_staff, require_network_staff
from innovatorium.people.models import COUNTED_VERIFICATION, Membership, Person
from innovatorium.record.services import record_append


def _check(*, site: Site, status: str, on: dt.date, reason: str, previous: str | None,
           population_covered: int | None, patients_reached: int | None) -> None:
    errors: dict[str, str] = {}
    if status not in Status.values:
        errors["status"] = f"“{status}” is not a status."
    if on > timezone.localdate():
        errors["on"] = "This date is in the future: record what has happened."
    if status == Status.DISCONTINUED and not reason.strip():
        errors["reason"] = "Say why it was discontinued."
    elif previous in STATUS_RANK and status in STATUS_RANK and STATUS_RANK[status] < STATUS_RANK[previous] \
            and not reason.strip():
        errors["reason"] = f"Going back from {previous} to {status} needs a reason."
    if population_covered is not None:
        if population_covered < 0:
            errors["population_covered"] = "Population covered cannot be negative."
        elif site.population is not None and population_covered > site.population:
            errors["population_covered"] = (f"{population_covered:,} is more than the {site.population:,} people "
                                            f"{site.name} serves.")
    if patients_reached is not None and patients_reached < 0:
        errors["patients_reached"] = "Patients reached cannot be negative."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def adoption_record(
    *,
    innovation: Innovation,
    site: Site,
    status: str,
    on: dt.date,
    actor: Person | None,
    reason: str = "",
    population_covered: int | None = None,
    patients_reached: int | None = None,
    source: str = "",
    verified: bool = False,
) -> Adoption:
    """Record a site's status for an innovation on a date: a new adoption or a step in an existing one's history."""
    adoption = Adoption.objects.select_for_update().filter(innovation=innovation, site=site).first()
    previous = adoption.status if adoption else None
    _check(site=site, status=status, on=on, reason=reason, previous=previous,
           population_covered=population_covered, patients_reached=patients_reached)
    if adoption is not None and on < adoption.status_on:
        raise ValidationError({"on": f"The latest change is dated {adoption.status_on:%-d %B %Y}: record changes "
                                     "in order."})
    if adoption is None:
        adoption = Adoption(innovation=innovation, site=site, started_on=on)
    adoption.status, adoption.status_on, adoption.reason = status, on, reason.strip()
    if population_covered is not None:
        adoption.population_covered, adoption.population_source = population_covered, source
    if patients_reached is not None:
        adoption.patients_reached, adoption.patients_source = patients_reached, source
    adoption.verified = verified
    adoption.updated_at = timezone.now()
    adoption.save()
    AdoptionStatusChange.objects.create(adoption=adoption, innovation=innovation, site=site, status=status,
                                        changed_on=on, reason=reason.strip(), source=source)
    record_append(
        action="adoption.status.changed", actor=actor, network=innovation.network, obj=adoption,
        payload={"innovation": innovation.slug, "site": site.ods_code, "from": previous, "to": status,
                 "on": on, "reason": reason.strip(), "population_covered": population_covered,
                 "patients_reached": patients_reached, "source": source, "verified": verified},
    )
    return adoption


@transaction.atomic
def adoption_verify(*, adoption: Adoption, actor: Person) -> Adoption:
    """A facilitator confirms the figures a site reported."""
    adoption.verified = True
    adoption.save(update_fields=["verified"])
    record_append(action="adoption.verified", actor=actor, network=adoption.innovation.network, obj=adoption,
                  payload={"innovation": adoption.innovation.slug, "site": adoption.site.ods_code})
    return adoption


@transaction.atomic
def programme_create(
    *, name: str, slug: str, innovation: Innovation, starts_on: dt.date, target_sites: list[Site],
    actor: Person | None, ends_on: dt.date | None = None, network: Network | None = None,
) -> NationalProgramme:
    """Choose an innovation for national spread, with the sites it aims to reach. ``network`` runs it (by default
    the innovation's own); only its facilitators may start one."""
    network = network or innovation.network
    require_network_staff(actor, network, "start a national adoption programme")
    if not target_sites:
        raise ValidationError({"target_sites": "Name at least one target site."})
    if NationalProgramme.objects.filter(slug=slug).exists():
        raise ValidationError({"name": "A programme with this name already exists: choose another."})
    programme = NationalProgramme(name=name, slug=slug, innovation=innovation, starts_on=starts_on, ends_on=ends_on)
    programme.full_clean()
    programme.save()
    programme.target_sites.set(target_sites)
    record_append(action="adoption.programme.created", actor=actor, network=network, obj=programme,
                  payload={"name": name, "innovation": innovation.slug, "targets": len(target_sites),
                           "starts_on": starts_on})
    return programme


# --- sites reporting their own adoption -------------------------------------------------------------------------

REPORT_DEPTH = 3  # an organisation reports for itself and the sites within it (trust → site, ICB → PCN → practice)


def reportable_sites(person: Person | None) -> list[Site]:
    """Sites ``person`` may report for: those of the organisations their counted memberships declare (matched by ODS
    code), and the sites within them."""
    if person is None:
        return []
    codes = set(Membership.objects.filter(
        person=person, verification__in=COUNTED_VERIFICATION, organisation__ods_code__isnull=False,
    ).values_list("organisation__ods_code", flat=True))
    if not codes:
        return []
    found: dict[int, Site] = {s.pk: s for s in Site.objects.filter(ods_code__in=codes)}
    frontier = list(found)
    for _ in range(REPORT_DEPTH):
        if not frontier:
            break
        children = [s for s in Site.objects.filter(parent_id__in=frontier) if s.pk not in found]
        found.update((s.pk, s) for s in children)
        frontier = [s.pk for s in children]
    return sorted(found.values(), key=lambda s: (s.name, s.ods_code))


def report_network(report: AdoptionReport | Site, innovation: Innovation | None = None) -> Network:
    """Whose facilitators check a report: the site's network, or the innovation's when the site has none."""
    site = report.site if isinstance(report, AdoptionReport) else report
    if site.network_id is not None:
        return site.network
    return (report.innovation if isinstance(report, AdoptionReport) else innovation).network  # type: ignore[union-attr]


@transaction.atomic
def report_submit(
    *, innovation: Innovation, site: Site, status: str, on: dt.date, actor: Person, reason: str = "",
    population_covered: int | None = None, patients_reached: int | None = None, source: str = "",
) -> AdoptionReport:
    """A site's own report of a status change. It waits for a facilitator and is not counted until verified."""
    if site.pk not in {s.pk for s in reportable_sites(actor)}:
        raise PermissionDenied("You can report only for the organisation your membership declares, and its sites.")
    current = Adoption.objects.filter(innovation=innovation, site=site).first()
    _check(site=site, status=status, on=on, reason=reason, previous=current.status if current else None,
           population_covered=population_covered, patients_reached=patients_reached)
    if current is not None and on < current.status_on:
        raise ValidationError({"on": f"The register already has a change dated {current.status_on:%-d %B %Y}: "
                                     "report changes after it."})
    if AdoptionReport.objects.filter(innovation=innovation, site=site, state=ReportState.PENDING).exists():
        raise ValidationError("This site already has a report for this innovation waiting to be checked.")
    report = AdoptionReport.objects.create(
        innovation=innovation, site=site, status=status, on=on, reason=reason.strip(),
        population_covered=population_covered, patients_reached=patients_reached, source=source.strip(),
        reported_by=actor,
    )
    record_append(
        action="adoption.report.submitted", actor=actor, network=report_network(report), obj=report,
        payload={"innovation": innovation.slug, "site": site.ods_code, "status": status, "on": on,
                 "population_covered": population_covered, "patients_reached": patients_reached},
    )
    return report


def _decidable(report: AdoptionReport, actor: Person) -> Network:
    network = report_network(report)
    require_network_staff(actor, network, "check sites' adoption reports")
    if report.state != ReportState.PENDING:
        raise ValidationError(f"This report was already {report.get_state_display().lower()}.")
    return network


@transaction.atomic
def report_verify(*, report: AdoptionReport, actor: Person) -> Adoption:
    """A facilitator confirms a site's report: it goes into the register, verified, and counts from now on."""
    report = AdoptionReport.objects.select_for_update(of=("self",)).select_related(
        "site__network", "innovation__network").get(
        pk=report.pk)
    network = _decidable(report, actor)
    source = report.source or f"Reported by {report.site.name}"
    adoption = adoption_record(
        innovation=report.innovation, site=report.site, status=report.status, on=report.on, actor=actor,
        reason=report.reason, population_covered=report.population_covered,
        patients_reached=report.patients_reached, source=f"{source} (verified by a facilitator)"[:200],
        verified=True,
    )
    report.state, report.decided_by, report.decided_at = ReportState.VERIFIED, actor, timezone.now()
    report.adoption = adoption
    report.save(update_fields=["state", "decided_by", "decided_at", "adoption"])
    record_append(action="adoption.report.verified", actor=actor, network=network, obj=report,
                  payload={"innovation": report.innovation.slug, "site": report.site.ods_code,
                           "status": report.status, "on": report.on})
    return adoption


@transaction.atomic
def report_reject(*, report: AdoptionReport, actor: Person, note: str) -> AdoptionReport:
    """A facilitator declines a site's report, saying why; the register is unchanged."""
    report = AdoptionReport.objects.select_for_update(of=("self",)).select_related(
        "site__network", "innovation__network").get(
        pk=report.pk)
    network = _decidable(report, actor)
    if not note.strip():
        raise ValidationError({"note": "Say why, so the site can correct it and report again."})
    report.state, report.decided_by, report.decided_at = ReportState.REJECTED, actor, timezone.now()
    report.decision_note = note.strip()[:500]
    report.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    record_append(action="adoption.report.rejected", actor=actor, network=network, obj=report,
                  payload={"innovation": report.innovation.slug, "site": report.site.ods_code,
                           "status": report.status, "on": report.on, "why": report.decision_note})
    return report


def can_check_reports(person: Person | None, network: Network) -> bool:
    return is_network_staff(person, network)
