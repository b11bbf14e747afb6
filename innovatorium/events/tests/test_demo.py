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


def test_demo_events_belong_to_programmes_and_their_minutes_name_projects(network, facilitator):
    from innovatorium.events.models import Minutes
    from innovatorium.projects import services as projects
    from innovatorium.projects.models import Project

    for kind in ("patients-public", "nhs") * 5:
        member(network, kind)
    projects.programme_create(network=network, actor=None, name="Dementia")
    Project.objects.create(network=network, slug="p", title="P", summary="S")
    create_demo_events(random.Random(2), count=15)
    assert Event.objects.filter(programme__isnull=False).exists()
    assert Minutes.objects.filter(projects_advanced__isnull=False).exists()
