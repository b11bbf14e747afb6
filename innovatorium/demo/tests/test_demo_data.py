"""`manage.py demo_data` from an empty database (each test loads, or refuses to, on its own)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from innovatorium.demo.constants import DEMO_LOGINS, DEMO_PASSWORD
from innovatorium.demo.services import demo_content_planned
from innovatorium.demo.tests.helpers import load, snapshot
from innovatorium.people.models import Person
from innovatorium.record.selectors import record_verify

pytestmark = pytest.mark.django_db


def test_the_same_seed_makes_the_same_people_and_memberships():
    class Discard(Exception):
        pass

    with pytest.raises(Discard), transaction.atomic():
        load()
        first = snapshot()
        raise Discard
    assert not Person.objects.exists()

    load()

    assert snapshot() == first
    assert len(first) > 70


def test_another_seed_makes_other_people():
    class Discard(Exception):
        pass

    with pytest.raises(Discard), transaction.atomic():
        load(seed=1)
        first = snapshot()
        raise Discard

    load(seed=2)

    assert snapshot() != first


def test_list_logins_prints_every_login_and_the_password_without_loading_anything():
    out = StringIO()
    call_command("demo_data", list_logins=True, stdout=out)

    for email, _name, _what in DEMO_LOGINS:
        assert email in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    assert "not loaded yet" in out.getvalue()
    assert not Person.objects.exists()


def test_it_refuses_a_production_database(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        load()
    assert not Person.objects.exists()


def test_it_refuses_a_negative_number_of_people():
    with pytest.raises(CommandError, match="--people"):
        load(people=-1)


def test_the_whole_demo_with_every_apps_content_loads_and_the_record_verifies():
    output = load(people=0, no_content=False)

    for app, _path, _count in demo_content_planned():
        assert f"{app.rsplit('.', 1)[-1]}: " in output
    assert record_verify().ok
