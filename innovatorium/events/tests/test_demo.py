from __future__ import annotations

import random

from innovatorium.events.demo import create_demo_events
from innovatorium.events.models import Event, Registration, RegistrationStatus, Speaker
from innovatorium.factories import member
from innovatorium.people.models import Role


def test_the_demo_makes_past_and_upcoming_events_with_speakers_and_wait_lists(network, facilitator):
    for kind in ("patients-public", "nhs", "industry", "academia") * 10:
        member(network, kind)
    member(network, "nhs", role=Role.ADMIN)
    assert create_demo_events(random.Random(1), count=20) == 20
    assert Event.objects.count() == 20
    assert Speaker.objects.values("constituency_kind").distinct().count() >= 3
    assert Registration.objects.filter(status=RegistrationStatus.WAITLISTED).exists()
    from django.utils import timezone
    assert Event.objects.filter(ends_at__lt=timezone.now()).exists()
    assert Event.objects.filter(starts_at__gt=timezone.now()).exists()
