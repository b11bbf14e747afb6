"""Figures the platform cannot count for itself, as reported, each with its source: investment leveraged and jobs
created. Everything else on the dashboard is counted from the other apps' records."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class FigureKind(models.TextChoices):
    INVESTMENT = "investment", "Investment leveraged"
    JOBS = "jobs", "Jobs created"


UNITS = {FigureKind.INVESTMENT: "£", FigureKind.JOBS: "full-time equivalent jobs"}
MAX_AMOUNT = Decimal("999999999999.99")


class ReportedFigure(models.Model):
    """One reported figure: how much investment an innovation (or the network's work) drew in, or how many jobs it
    created, over a period, and where the figure comes from. Withdrawn figures stay visible but are not counted."""

    network = models.ForeignKey("networks.Network", on_delete=models.PROTECT, related_name="reported_figures")
    innovation = models.ForeignKey(
        "atlas.Innovation", on_delete=models.SET_NULL, null=True, blank=True, related_name="reported_figures",
        help_text="Leave empty for a figure about the network's work as a whole.",
    )
    kind = models.CharField(max_length=20, choices=FigureKind.choices)
    amount = models.DecimalField(
        max_digits=14, decimal_places=2,
        help_text="Pounds for investment; full-time equivalent jobs (e.g. 2.5) for jobs.",
    )
    period_start = models.DateField()
    period_end = models.DateField()
    source = models.CharField(
        max_length=300, help_text="Where the figure comes from, e.g. 'Annual report 2024/25, p. 12'.",
    )
    source_url = models.URLField("Link to the source", max_length=500, blank=True)
    note = models.TextField(blank=True, max_length=1000)
    reported_by = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="reported_figures",
    )
    reported_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="reported_figure_amount_not_negative"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="reported_figure_period_in_order"),
        ]
        indexes = [models.Index(fields=["network", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount} ({self.period_start} to {self.period_end})"

    def get_absolute_url(self) -> str:
        return reverse("dashboard:reported", args=[self.network.slug]) + f"#figure-{self.pk}"

    @property
    def counted(self) -> bool:
        return self.withdrawn_at is None
