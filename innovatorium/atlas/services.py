"""Writes for the Atlas. Every publication and stage change goes on the public record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from innovatorium.atlas import taxonomy
from innovatorium.atlas.models import (
    CaseStudy,
    Collection,
    CollectionItem,
    CoProducer,
    EvidenceItem,
    Innovation,
    PublicationStatus,
    TaxonomyTerm,
)
from innovatorium.networks.models import Network
from innovatorium.people.authority import is_network_staff as _is_network_staff
from innovatorium.people.models import Organisation, Person
from innovatorium.record.services import record_append

MAX_LENGTHS = {"name": 200, "summary": 500, "indicative_cost": 200, "nice_guidance": 40}
# Path segments the Atlas's own pages use under /<network>/atlas/: no innovation may take them as its slug.
RESERVED_SLUGS = frozenset({"case-studies", "collections", "export", "results", "review", "feed"})


def _unique_slug(model: type, network: Network, text: str) -> str:
    base = slugify(text)[:100] or "untitled"
    slug, n = base, 2
    if slug in RESERVED_SLUGS:
        slug = f"{base}-{n}"
        n += 1
    while model.objects.filter(network=network, slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _terms(vocabulary: str, slugs: Iterable[str], field: str) -> list[TaxonomyTerm]:
    slugs = list(dict.fromkeys(slugs))
    terms = list(TaxonomyTerm.objects.filter(vocabulary=vocabulary, slug__in=slugs))
    unknown = sorted(set(slugs) - {t.slug for t in terms})
    if unknown:
        raise ValidationError({field: f"Unknown term(s): {', '.join(unknown)}."})
    return terms




def validate_innovation_fields(data: dict[str, Any]) -> dict[str, str]:
    """Field errors for innovation data, in the words a form or an importer shows."""
    errors: dict[str, str] = {}
    for field in ("name", "summary"):
        if not str(data.get(field, "")).strip():
            errors[field] = f"Enter the innovation's {field}."
    for field, limit in MAX_LENGTHS.items():
        value = str(data.get(field, "") or "")
        if len(value) > limit:
            errors[field] = f"Keep this to {limit} characters or fewer (it has {len(value)})."
    if data.get("innovation_type") not in taxonomy.INNOVATION_TYPES:
        errors["innovation_type"] = f"“{data.get('innovation_type')}” is not a type of innovation."
    if data.get("stage", "idea") not in taxonomy.STAGES:
        errors["stage"] = f"“{data.get('stage')}” is not a stage."
    if data.get("device_class", "not-a-device") not in taxonomy.DEVICE_CLASSES:
        errors["device_class"] = f"“{data.get('device_class')}” is not a UKCA/CE class."
    if data.get("dtac_status", "not-applicable") not in taxonomy.DTAC_STATUSES:
        errors["dtac_status"] = f"“{data.get('dtac_status')}” is not a DTAC status."
    return errors


@transaction.atomic
def innovation_create(
    *,
    network: Network,
    actor: Person | None,
    name: str,
    summary: str,
    innovation_type: str,
    stage: str = "idea",
    problem: str = "",
    how_it_works: str = "",
    value_proposition: str = "",
    care_settings: Iterable[str] = (),
    clinical_areas: Iterable[str] = (),
    device_class: str = "not-a-device",
    dtac_status: str = "not-applicable",
    nice_guidance: str = "",
    cqc_registered: bool = False,
    indicative_cost: str = "",
    owner_organisation: Organisation | None = None,
) -> Innovation:
    """A new innovation starts as a draft: nothing is public until a facilitator publishes it."""
    data = {
        "name": name.strip(), "summary": summary.strip(), "innovation_type": innovation_type, "stage": stage,
        "device_class": device_class, "dtac_status": dtac_status, "nice_guidance": nice_guidance.strip(),
        "indicative_cost": indicative_cost.strip(),
    }
    errors = validate_innovation_fields(data)
    if errors:
        raise ValidationError(errors)
    settings_terms = _terms(TaxonomyTerm.Vocabulary.CARE_SETTING, care_settings, "care_settings")
    area_terms = _terms(TaxonomyTerm.Vocabulary.CLINICAL_AREA, clinical_areas, "clinical_areas")
    innovation = Innovation.objects.create(
        network=network, slug=_unique_slug(Innovation, network, data["name"]),
        problem=problem.strip(), how_it_works=how_it_works.strip(), value_proposition=value_proposition.strip(),
        cqc_registered=cqc_registered, owner_organisation=owner_organisation, created_by=actor, **data,
    )
    innovation.care_settings.set(settings_terms)
    innovation.clinical_areas.set(area_terms)
    _reindex(innovation)
    return innovation


def _reindex(innovation: Innovation) -> None:
    """Keep the search index in step, in the same transaction (no-op until the search app is installed)."""
    try:
        from innovatorium.search.services import index_innovation
    except ImportError:
        return
    index_innovation(innovation=innovation)


@transaction.atomic
def innovation_submit(*, innovation: Innovation, actor: Person) -> Innovation:
    if innovation.status != PublicationStatus.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    innovation.status = PublicationStatus.SUBMITTED
    innovation.updated_at = timezone.now()
    innovation.save(update_fields=["status", "updated_at"])
    record_append(action="atlas.innovation.submitted", actor=actor, network=innovation.network, obj=innovation,
                  payload={"name": innovation.name})
    return innovation


@transaction.atomic
def innovation_publish(*, innovation: Innovation, actor: Person | None) -> Innovation:
    """A facilitator's review makes an innovation public. `actor=None` is a system import."""
    if actor is not None and not _is_network_staff(actor, innovation.network):
        raise PermissionDenied(f"Only facilitators of {innovation.network.name} may publish to its Atlas.")
    if innovation.status == PublicationStatus.PUBLISHED:
        raise ValidationError("This innovation is already published.")
    innovation.status = PublicationStatus.PUBLISHED
    innovation.published_at = innovation.updated_at = timezone.now()
    innovation.save(update_fields=["status", "published_at", "updated_at"])
    record_append(
        action="atlas.innovation.published", actor=actor, network=innovation.network, obj=innovation,
        payload={"name": innovation.name, "slug": innovation.slug, "stage": innovation.stage},
    )
    _reindex(innovation)
    return innovation


@transaction.atomic
def innovation_set_stage(*, innovation: Innovation, actor: Person | None, stage: str, reason: str = "") -> Innovation:
    if stage not in taxonomy.STAGES:
        raise ValidationError({"stage": f"“{stage}” is not a stage."})
    if actor is not None and not _is_network_staff(actor, innovation.network):
        raise PermissionDenied(f"Only facilitators of {innovation.network.name} may change an innovation's stage.")
    before = innovation.stage
    if before == stage:
        return innovation
    innovation.stage = stage
    innovation.updated_at = timezone.now()
    innovation.save(update_fields=["stage", "updated_at"])
    record_append(
        action="atlas.innovation.stage_changed", actor=actor, network=innovation.network, obj=innovation,
        payload={"before": before, "after": stage, "reason": reason.strip()[:300]},
    )
    _reindex(innovation)
    return innovation


@transaction.atomic
def evidence_add(
    *,
    innovation: Innovation,
    actor: Person | None,
    evidence_type: str,
    citation: str,
    url: str = "",
    summary: str = "",
    independent: bool = False,
) -> EvidenceItem:
    if evidence_type not in taxonomy.EVIDENCE_TYPES:
        raise ValidationError({"evidence_type": f"“{evidence_type}” is not a type of evidence."})
    if not citation.strip():
        raise ValidationError({"citation": "Give a citation or title for the evidence."})
    item = EvidenceItem.objects.create(
        innovation=innovation, evidence_type=evidence_type, citation=citation.strip()[:500], url=url,
        summary=summary.strip(), independent=independent,
    )
    if innovation.is_published:
        record_append(action="atlas.evidence.added", actor=actor, network=innovation.network, obj=item,
                      payload={"innovation": innovation.slug, "evidence_type": evidence_type,
                               "independent": independent})
    _reindex(innovation)
    return item


@transaction.atomic
def co_producer_add(
    *,
    innovation: Innovation,
    actor: Person | None,
    role: str,
    constituency_kind: str,
    organisation: Organisation | None = None,
    person: Person | None = None,
) -> CoProducer:
    if organisation is None and person is None:
        raise ValidationError("A co-producer is an organisation or a person.")
    if not role.strip():
        raise ValidationError({"role": "Say what part they played."})
    return CoProducer.objects.create(
        innovation=innovation, organisation=organisation, person=person,
        constituency_kind=constituency_kind, role=role.strip()[:120],
    )


@transaction.atomic
def case_study_create(
    *,
    network: Network,
    actor: Person | None,
    title: str,
    what_was_done: str,
    challenge_text: str = "",
    impact: str = "",
    contact: str = "",
    innovation: Innovation | None = None,
    publish: bool = False,
) -> CaseStudy:
    errors = {}
    if not title.strip():
        errors["title"] = "Give the case study a title."
    elif len(title.strip()) > 200:
        errors["title"] = "Keep the title to 200 characters or fewer."
    if not what_was_done.strip():
        errors["what_was_done"] = "Say what was done."
    if errors:
        raise ValidationError(errors)
    case_study = CaseStudy.objects.create(
        network=network, innovation=innovation, slug=_unique_slug(CaseStudy, network, title), title=title.strip(),
        challenge_text=challenge_text.strip(), what_was_done=what_was_done.strip(), impact=impact.strip(),
        contact=contact.strip()[:200],
    )
    if publish:
        case_study_publish(case_study=case_study, actor=actor)
    return case_study


@transaction.atomic
def case_study_publish(*, case_study: CaseStudy, actor: Person | None) -> CaseStudy:
    if actor is not None and not _is_network_staff(actor, case_study.network):
        raise PermissionDenied(f"Only facilitators of {case_study.network.name} may publish case studies.")
    if case_study.status == PublicationStatus.PUBLISHED:
        raise ValidationError("This case study is already published.")
    case_study.status = PublicationStatus.PUBLISHED
    case_study.published_at = timezone.now()
    case_study.save(update_fields=["status", "published_at"])
    record_append(action="atlas.case_study.published", actor=actor, network=case_study.network, obj=case_study,
                  payload={"title": case_study.title, "slug": case_study.slug})
    _reindex_case_study(case_study)
    return case_study


def _reindex_case_study(case_study: CaseStudy) -> None:
    try:
        from innovatorium.search.services import index_case_study
    except ImportError:
        return
    index_case_study(case_study=case_study)


@transaction.atomic
def case_study_submit(*, case_study: CaseStudy, actor: Person | None) -> CaseStudy:
    if case_study.status != PublicationStatus.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    case_study.status = PublicationStatus.SUBMITTED
    case_study.save(update_fields=["status"])
    record_append(action="atlas.case_study.submitted", actor=actor, network=case_study.network, obj=case_study,
                  payload={"title": case_study.title})
    return case_study


@transaction.atomic
def collection_create(
    *, actor: Person | None, title: str, introduction: str = "", network: Network | None = None, slug: str = ""
) -> Collection:
    """A curated list. National collections (network=None) are made by site administrators."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the collection a title."})
    if len(title) > 200:
        raise ValidationError({"title": "Keep the title to 200 characters or fewer."})
    if actor is not None and not (
        _is_network_staff(actor, network) if network is not None
        else bool(actor.user and actor.user.is_superuser)
    ):
        raise PermissionDenied("Only a network's facilitators (or, nationally, site administrators) make collections.")
    base = slugify(slug or title)[:100] or "collection"
    candidate, n = base, 2
    while Collection.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    collection = Collection.objects.create(
        network=network, slug=candidate, title=title, introduction=introduction.strip()
    )
    record_append(action="atlas.collection.created", actor=actor, network=network, obj=collection,
                  payload={"title": title, "slug": candidate})
    return collection


@transaction.atomic
def collection_add(
    *, collection: Collection, actor: Person | None, innovation: Innovation, note: str = ""
) -> CollectionItem:
    """Add a published innovation at the end of the collection."""
    if not innovation.is_published:
        raise ValidationError({"innovation": "Only published innovations can go in a collection."})
    if collection.items.filter(innovation=innovation).exists():
        raise ValidationError({"innovation": f"“{innovation.name}” is already in this collection."})
    last = collection.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = CollectionItem.objects.create(
        collection=collection, innovation=innovation, position=last + 1, note=note.strip()
    )
    collection.updated_at = timezone.now()
    collection.save(update_fields=["updated_at"])
    record_append(action="atlas.collection.item_added", actor=actor, network=collection.network, obj=collection,
                  payload={"innovation": innovation.slug, "network": innovation.network.slug,
                           "position": item.position})
    return item
