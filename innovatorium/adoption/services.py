"""Writes to the adoption register. Each is atomic and goes on the public record (figures only, no personal data)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from innovatorium.adoption.models import STATUS_RANK, Adoption, AdoptionStatusChange, NationalProgramme, Site, Status
from innovatorium.atlas.models import Innovation
from innovatorium.people.models import Person
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
    actor: Person | None, ends_on: dt.date | None = None,
) -> NationalProgramme:
    """Choose an innovation for national spread, with the sites it aims to reach."""
    programme = NationalProgramme(name=name, slug=slug, innovation=innovation, starts_on=starts_on, ends_on=ends_on)
    programme.full_clean()
    programme.save()
    programme.target_sites.set(target_sites)
    record_append(action="adoption.programme.created", actor=actor, network=innovation.network, obj=programme,
                  payload={"name": name, "innovation": innovation.slug, "targets": len(target_sites),
                           "starts_on": starts_on})
    return programme
