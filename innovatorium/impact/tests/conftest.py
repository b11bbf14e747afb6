from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from innovatorium.impact import services


@pytest.fixture
def measure(network, patient):
    """A patients' measure of the network with an open 1-5 survey."""
    return services.measure_propose(
        network=network, actor=patient, name="I felt listened to", definition="Share of people answering 4 or 5.",
        unit="score out of 5", direction="higher", data_source="Our own survey", target=Decimal("4"),
        survey_scale="five", survey_question="How well did the staff listen to you?", survey_open=True,
    )


def months_back(n: int, today: dt.date | None = None) -> list[dt.date]:
    """The first days of the n months ending last month, oldest first."""
    day = (today or timezone.localdate()).replace(day=1)
    out = []
    for _ in range(n):
        day = (day - dt.timedelta(days=1)).replace(day=1)
        out.append(day)
    return out[::-1]


def series_csv(values: list[float]) -> str:
    periods = months_back(len(values))
    return "period,value\n" + "".join(f"{p:%Y-%m},{v}\n" for p, v in zip(periods, values, strict=True))


SHIFT = [3.0, 3.2, 2.9, 3.1, 3.0, 2.8, 3.1, 3.0, 3.2, 2.9, 3.0, 3.1] + [3.6, 3.7, 3.8, 3.6, 3.7, 3.9, 3.8, 3.7]
"""Twelve months around 3, then eight months around 3.7: a shift (and points above the limits)."""

