"""The adoption register: sites keyed by ODS code, which site adopted which innovation, when and for whom.

Aggregate figures only: the register never holds patient-level data (importers refuse NHS numbers).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from innovatorium.people.models import validate_ods_code


class SiteType(models.TextChoices):
    TRUST = "trust", "NHS trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    PCN = "pcn", "Primary care network"
    ICB = "icb", "Integrated care board"
    CARE_HOME = "care_home", "Care home"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    PHARMACY = "pharmacy", "Pharmacy"
    OTHER = "other", "Other"


class Site(models.Model):
    """An organisation or site that can adopt innovations, with the population it serves."""

    ods_code = models.CharField("ODS code", max_length=6, unique=True, validators=[validate_ods_code])
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=SiteType.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children",
        help_text="The organisation this site sits within: site → trust or PCN → ICB.",
    )
    region = models.CharField(max_length=60, blank=True, help_text="NHS England region (ODS national grouping).")
    network = models.ForeignKey(
        "networks.Network", on_delete=models.SET_NULL, null=True, blank=True, related_name="sites"
    )
    postcode = models.CharField(max_length=10, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    population = models.PositiveIntegerField("Population served", null=True, blank=True)
    imd_decile = models.PositiveSmallIntegerField(
        "Deprivation decile (IMD) of the population served", null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)], help_text="1 = most deprived 10%, 10 = least.",
    )
    population_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(imd_decile__isnull=True) | models.Q(imd_decile__gte=1, imd_decile__lte=10),
                name="site_imd_decile_1_to_10",
            ),
        ]
        indexes = [models.Index(fields=["network"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class Status(models.TextChoices):
    EXPLORING = "exploring", "Exploring"
    PILOTING = "piloting", "Piloting"
    ADOPTED = "adopted", "Adopted"
    EMBEDDED = "embedded", "Embedded"
    DISCONTINUED = "discontinued", "Discontinued"


# The ladder: a move to a lower rung is "going backwards" and needs a reason; discontinuing always does.
STATUS_RANK = {Status.EXPLORING: 0, Status.PILOTING: 1, Status.ADOPTED: 2, Status.EMBEDDED: 3}
ADOPTING = (Status.ADOPTED, Status.EMBEDDED)


class Adoption(models.Model):
    """One innovation at one site: its current status and the figures reported for it."""

    # no index of its own: the (innovation, site) unique constraint's index serves lookups by innovation
    innovation = models.ForeignKey("atlas.Innovation", on_delete=models.CASCADE, related_name="adoptions",
                                   db_index=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="adoptions")
    status = models.CharField(max_length=20, choices=Status.choices)
    status_on = models.DateField("Status since")
    started_on = models.DateField("First recorded")
    reason = models.CharField("Reason for the latest change", max_length=500, blank=True)
    population_covered = models.PositiveIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)
    patients_reached = models.PositiveIntegerField("Patients reached (as reported)", null=True, blank=True)
    patients_source = models.CharField(max_length=200, blank=True)
    verified = models.BooleanField(default=False, help_text="Checked by a facilitator.")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["innovation_id", "site_id"]
        constraints = [models.UniqueConstraint(fields=["innovation", "site"], name="adoption_one_per_site")]
        indexes = [models.Index(fields=["status", "innovation"])]

    def __str__(self) -> str:
        return f"{self.innovation_id} at {self.site_id}: {self.status}"

    @property
    def is_adopting(self) -> bool:
        return self.status in ADOPTING


class AdoptionStatusChange(models.Model):
    """One step of an adoption's history, as recorded (the spread curves are drawn from these)."""

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="changes")
    # no index of its own: the (innovation, changed_on) index serves lookups by innovation
    innovation = models.ForeignKey("atlas.Innovation", on_delete=models.CASCADE, related_name="+", db_index=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    changed_on = models.DateField()
    reason = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["changed_on", "id"]
        indexes = [models.Index(fields=["innovation", "changed_on"])]

    def __str__(self) -> str:
        return f"{self.status} on {self.changed_on}"


class NationalProgramme(models.Model):
    """An innovation chosen for national spread, with the sites it aims to reach."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    innovation = models.ForeignKey("atlas.Innovation", on_delete=models.PROTECT, related_name="programmes")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    target_sites = models.ManyToManyField(Site, related_name="programmes", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "A programme cannot end before it starts."})


class ReportState(models.TextChoices):
    PENDING = "pending", "Waiting for a facilitator to check"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Not verified"


class AdoptionReport(models.Model):
    """A site reporting its own adoption or change of status. It counts only once a facilitator has verified it:
    verifying writes it to the register (as an ``Adoption`` status change); until then it is a claim in a queue."""

    innovation = models.ForeignKey("atlas.Innovation", on_delete=models.CASCADE, related_name="adoption_reports")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(max_length=20, choices=Status.choices)
    on = models.DateField("Date of the change")
    reason = models.CharField("Reason", max_length=500, blank=True)
    population_covered = models.PositiveIntegerField(null=True, blank=True)
    patients_reached = models.PositiveIntegerField("Patients reached", null=True, blank=True)
    source = models.CharField("Where the figures come from", max_length=200, blank=True)
    reported_by = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="adoption_reports")
    reported_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=20, choices=ReportState.choices, default=ReportState.PENDING)
    decided_by = models.ForeignKey("people.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="adoption_reports_decided")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField("Why it was not verified", max_length=500, blank=True)
    adoption = models.ForeignKey(Adoption, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports")

    class Meta:
        ordering = ["reported_at", "id"]
        indexes = [models.Index(fields=["state", "site"])]

    def __str__(self) -> str:
        return f"{self.site_id} reports {self.status} for {self.innovation_id} ({self.state})"
