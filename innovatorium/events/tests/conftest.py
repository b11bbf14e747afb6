from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from innovatorium.events import services


def soon(days: int = 7, hours: int = 2) -> tuple[dt.datetime, dt.datetime]:
    start = (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)
    return start, start + dt.timedelta(hours=hours)


@pytest.fixture
def make_event(network, facilitator):
    def make(*, capacity: int | None = 2, publish: bool = True, days: int = 7, **kwargs):
        start, end = soon(days)
        fields = {"title": "Dementia carers meet the innovators", "description": "Bring your questions.",
                  "place": "Town library, 1 High Street", "accessibility": "Step-free access. Hearing loop.",
                  "starts_at": start, "ends_at": end, **kwargs}
        event = services.event_create(network=network, actor=facilitator, capacity=capacity, **fields)
        if publish:
            services.event_publish(event=event, actor=facilitator)
        return event

    return make


@pytest.fixture
def event(make_event):
    return make_event()
