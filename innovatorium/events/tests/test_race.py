"""Two people racing for the last place on PostgreSQL: exactly one gets it (the event row is locked)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from innovatorium.events import services
from innovatorium.events.models import Registration, RegistrationStatus
from innovatorium.factories import member


@pytest.mark.django_db(transaction=True)
def test_two_people_racing_for_the_last_place_one_gets_it(make_event, network):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database; the race needs PostgreSQL's row locks")
    event = make_event(capacity=1)
    racers = [member(network).person for _ in range(6)]
    barrier = threading.Barrier(len(racers))
    errors: list[BaseException] = []

    def race(person):
        try:
            barrier.wait()
            services.register(event=event, actor=person, notify=False)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(p,)) for p in racers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == 1
    assert statuses.count(RegistrationStatus.WAITLISTED) == 5
