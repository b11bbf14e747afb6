"""The Atlas: innovations, their evidence and co-producers, and case studies."""

from __future__ import annotations

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from innovatorium.atlas import taxonomy


def _choices(vocabulary: dict[str, str]) -> list[tuple[str, str]]:
    return list(vocabulary.items())


class TaxonomyTerm(models.Model):
    """A term from a controlled vocabulary (care setting or clinical area)."""

    class Vocabulary(models.TextChoices):
        CARE_SETTING = "care_setting", "Care setting"
        CLINICAL_AREA = "clinical_area", "Clinical area"

    vocabulary = models.CharField(max_length=20, choices=Vocabulary.choices)
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["vocabulary", "name"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "slug"], name="taxonomy_unique_slug")]

    def __str__(self) -> str:
        return self.name


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    PUBLISHED = "published", "Published"


class Innovation(models.Model):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="innovations")
    slug = models.SlugField(max_length=120)
    name = models.CharField(max_length=200)
    summary = models.CharField(max_length=500)
    problem = models.TextField("The problem it addresses", blank=True)
    how_it_works = models.TextField(blank=True)
    value_proposition = models.TextField(blank=True)
    innovation_type = models.CharField(max_length=20, choices=_choices(taxonomy.INNOVATION_TYPES))
    stage = models.CharField(max_length=20, choices=_choices(taxonomy.STAGES), default="idea")
    care_settings = models.ManyToManyField(
        TaxonomyTerm, related_name="innovations_in_setting", blank=True,
        limit_choices_to={"vocabulary": TaxonomyTerm.Vocabulary.CARE_SETTING},
    )
    clinical_areas = models.ManyToManyField(
        TaxonomyTerm, related_name="innovations_in_area", blank=True,
        limit_choices_to={"vocabulary": TaxonomyTerm.Vocabulary.CLINICAL_AREA},
    )
    device_class = models.CharField(
        "UKCA/CE class", max_length=20, choices=_choices(taxonomy.DEVICE_CLASSES), default="not-a-device"
    )
    dtac_status = models.CharField(
        "DTAC", max_length=20, choices=_choices(taxonomy.DTAC_STATUSES), default="not-applicable"
    )
    nice_guidance = models.CharField("NICE guidance reference", max_length=40, blank=True)
    cqc_registered = models.BooleanField("Registered with the CQC", default=False)
    indicative_cost = models.CharField(max_length=200, blank=True)
    owner_organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="innovations"
    )
    status = models.CharField(max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT)
    created_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="innovations_created"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="innovation_unique_slug_per_network"),
        ]
        indexes = [models.Index(fields=["status", "network"]), models.Index(fields=["stage"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        network_slug, slug = self.network.slug, self.slug
        if _PLAIN_SLUG.fullmatch(network_slug) and _PLAIN_SLUG.fullmatch(slug):
            # A page of results links twenty innovations; filling in the reversed shape is 30 times cheaper.
            network_part, rest = _innovation_url_shape(get_script_prefix(), get_urlconf())
            return network_part + network_slug + rest.replace(_SLUG_MARK, slug)
        return reverse("atlas:innovation", kwargs={"network_slug": network_slug, "innovation_slug": slug})

    # Django's generated get_FOO_display() rebuilds a hashable copy of the choices on every call; a result card
    # calls both, twenty cards a page.
    def get_stage_display(self) -> str:
        return taxonomy.STAGES.get(self.stage, self.stage)

    def get_innovation_type_display(self) -> str:
        return taxonomy.INNOVATION_TYPES.get(self.innovation_type, self.innovation_type)

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    def clean(self) -> None:
        if self.stage not in taxonomy.STAGES:
            raise ValidationError({"stage": f"“{self.stage}” is not a stage."})


class EvidenceItem(models.Model):
    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="evidence")
    evidence_type = models.CharField(max_length=30, choices=_choices(taxonomy.EVIDENCE_TYPES))
    citation = models.CharField(max_length=500)
    url = models.URLField(blank=True)
    summary = models.TextField(blank=True)
    independent = models.BooleanField(default=False, help_text="Carried out independently of the innovator.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.citation


class CoProducer(models.Model):
    """An organisation or person who made the innovation, with the partner group they came from."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="co_producers")
    organisation = models.ForeignKey("people.Organisation", on_delete=models.CASCADE, null=True, blank=True)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, null=True, blank=True)
    constituency_kind = models.CharField(max_length=20)
    role = models.CharField(max_length=120)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(person__isnull=False),
                name="coproducer_is_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation or self.person} ({self.role})"


class CaseStudy(models.Model):
    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="case_studies")
    innovation = models.ForeignKey(
        Innovation, on_delete=models.SET_NULL, null=True, blank=True, related_name="case_studies"
    )
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=200)
    challenge_text = models.TextField("The challenge", blank=True)
    what_was_done = models.TextField()
    impact = models.TextField(blank=True)
    contact = models.CharField(max_length=200, blank=True, help_text="A public contact (team or role, not a person).")
    status = models.CharField(max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "case studies"
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="case_study_unique_slug_per_network"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("atlas:case_study", kwargs={"network_slug": self.network.slug, "case_study_slug": self.slug})


class Collection(models.Model):
    """A curated, ordered list of innovations with an introduction (a network's showcase, a national countdown)."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.PROTECT, null=True, blank=True, related_name="atlas_collections",
        help_text="Leave empty for a national collection.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("atlas:collection", kwargs={"collection_slug": self.slug})


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="collection_items")
    position = models.PositiveIntegerField()
    note = models.TextField(blank=True, help_text="Why this innovation is in the collection.")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["collection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["collection", "innovation"], name="collection_item_once"),
            models.UniqueConstraint(fields=["collection", "position"], name="collection_item_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.innovation}"


_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # nothing reverse() would quote
_NETWORK_MARK, _SLUG_MARK = "network-0slug0-mark", "innovation-0slug0-mark"


@lru_cache(maxsize=8)
def _innovation_url_shape(script_prefix: str, urlconf: str | None) -> tuple[str, str]:
    """An innovation's URL cut at the network's slug, with a mark where the innovation's slug goes (per script
    prefix and URLconf, which reverse() depends on)."""
    url = reverse("atlas:innovation", kwargs={"network_slug": _NETWORK_MARK, "innovation_slug": _SLUG_MARK})
    before, _mark, after = url.partition(_NETWORK_MARK)
    return before, after
