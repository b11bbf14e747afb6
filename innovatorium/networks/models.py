"""Regional networks and their constituencies (partner groups)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

# Network pages live at /<slug>/, so a slug must never shadow a site-wide path.
RESERVED_SLUGS = frozenset(
    {"accounts", "admin", "api", "me", "record", "static", "media", "facilitate", "healthz", "readyz", "about",
     "networks", "search", "feeds", "national", "atlas", "export", "what-we-do", "spread", "events",
     "projects", "take-part", "needs", "dashboard"}
)


def validate_network_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(f"“{value}” is a reserved address; choose another slug.", code="reserved")


class Network(models.Model):
    """A regional health innovation network (one innovatorium)."""

    slug = models.SlugField(max_length=60, unique=True, validators=[validate_network_slug])
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:detail", kwargs={"network_slug": self.slug})


class ConstituencyKind(models.TextChoices):
    PATIENTS_PUBLIC = "patients_public", "Patients and public"
    NHS = "nhs", "NHS"
    SOCIAL_CARE = "social_care", "Social care"
    ACADEMIA = "academia", "Academia"
    INDUSTRY = "industry", "Industry"
    VCSE = "vcse", "Voluntary, community and social enterprise"
    OTHER = "other", "Other"


class Constituency(models.Model):
    """A partner group of one network. Every count and vote can be shown per constituency."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="constituencies")
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=ConstituencyKind.choices, default=ConstituencyKind.OTHER)
    description = models.CharField(max_length=300, blank=True)
    requires_verification = models.BooleanField(
        default=False, help_text="A facilitator verifies declarations (e.g. NHS staff by their organisation)."
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Inactive constituencies accept no new members.")

    class Meta:
        ordering = ["network_id", "position", "name"]
        verbose_name_plural = "constituencies"
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="constituency_unique_slug_per_network"),
            models.UniqueConstraint(fields=["network", "name"], name="constituency_unique_name_per_network"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_patients_public(self) -> bool:
        return self.kind == ConstituencyKind.PATIENTS_PUBLIC
