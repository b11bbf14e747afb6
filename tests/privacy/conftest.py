"""A populated site for the privacy walk and the erasure test: the demo data (every app's demo content,
written through the services), then sentinel values planted in every personal field of every person.

Loaded once for the package (about a minute) inside a transaction that is rolled back afterwards, so no
other test sees it. People who agreed to show their name get a CONSENTED name (the positive control); nobody
else's name, email, access needs, notes or postcode may appear anywhere public.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client

from innovatorium.api import api
from innovatorium.demo.services import demo_data_load
from innovatorium.factories import UserFactory
from innovatorium.networks.models import Network
from innovatorium.people import services as people_services
from innovatorium.people.models import Membership, Person, User
from tests.privacy import sentinels
from tests.privacy.walk import Walk, crawl, walk_api

DEMO_PEOPLE = 64  # the smallest load with every network's staff; every app's content, scaled down


@dataclass
class World:
    people: int = 0
    planted: dict[str, int] = field(default_factory=dict)  # "app.Model.field" -> values planted
    consented: list[str] = field(default_factory=list)

    @property
    def sentinel_count(self) -> int:
        return sum(self.planted.values())


def declared_personal_fields() -> dict[str, tuple[str, ...]]:
    """`PERSONAL_FIELDS` from every app's privacy.py: {"app_label.Model": ("field", ...)} of private text."""
    declared: dict[str, tuple[str, ...]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("innovatorium."):
            continue
        try:
            module = import_module(f"{config.name}.privacy")
        except ModuleNotFoundError:
            continue
        for model, names in getattr(module, "PERSONAL_FIELDS", {}).items():
            label = model if "." in model else f"{config.label}.{model}"
            declared[label] = tuple(names)
    return declared


# Private text fields of the older apps, planted for every row (the newer apps declare theirs in privacy.py).
BUILT_IN_PERSONAL = {
    "people.Person": ("access_needs",),
    "people.Membership": ("verification_note",),
    "events.Registration": ("access_needs",),
}


def _plant(world: World) -> None:
    for person in Person.objects.select_related("user"):
        if person.show_name_publicly:
            person.display_name = f"{sentinels.CONSENTED} Name{person.pk}"
            world.consented.append(person.display_name)
        else:
            person.display_name = sentinels.name(person.pk)
        person.save(update_fields=["display_name"])
        world.planted["people.Person.display_name"] = world.planted.get("people.Person.display_name", 0) + 1
    for user in User.objects.select_related("person"):
        pk = user.person.pk if hasattr(user, "person") else 10_000 + user.pk
        User.objects.filter(pk=user.pk).update(email=sentinels.email(pk))
        EmailAddress.objects.filter(user=user).update(email=sentinels.email(pk))
        world.planted["people.User.email"] = world.planted.get("people.User.email", 0) + 1
    for label, names in {**BUILT_IN_PERSONAL, **declared_personal_fields()}.items():
        model = apps.get_model(label)
        for row in model._default_manager.all():
            for name in names:
                setattr(row, name, sentinels.text(f"{model.__name__}.{name}", row.pk)[: model._meta.get_field(
                    name).max_length or None])
            model._default_manager.filter(pk=row.pk).update(**{n: getattr(row, n) for n in names})
            for name in names:
                world.planted[f"{label}.{name}"] = world.planted.get(f"{label}.{name}", 0) + 1
    # Postcode districts of "who takes part" answers, for a few people in every network.
    if apps.is_installed("innovatorium.projects"):
        from innovatorium.projects.models import ParticipantProfile

        people = Person.objects.filter(memberships__isnull=False).distinct().order_by("pk")[:40]
        for person in people:
            ParticipantProfile.objects.update_or_create(
                person=person, defaults={"postcode_district": sentinels.POSTCODE, "age_band": ""},
            )
        world.planted["projects.ParticipantProfile.postcode_district"] = len(people)
    world.people = Person.objects.count()


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker) -> Any:  # noqa: ANN001
    with django_db_blocker.unblock(), transaction.atomic():
        # pytest-django makes a test database only when a collected test is marked django_db: never load the
        # demo data into a real one.
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"not a test database: {name}"
        cache.clear()
        demo_data_load(people=DEMO_PEOPLE)
        assert Membership.objects.exists()
        result = World()
        _plant(result)
        yield result
        transaction.set_rollback(True)
        cache.clear()


@pytest.fixture(scope="package")
def walked(world, django_db_blocker):  # noqa: ANN001, ANN201
    """The walk's responses: (anonymous crawl, member crawl, API walk, API paths without values)."""
    with django_db_blocker.unblock():
        slugs = list(Network.objects.order_by("slug").values_list("slug", flat=True))
        starts = ["/", "/record/", "/about/privacy/", *[f"/{s}/" for s in slugs]]
        anonymous, member_walk, api_walk = Walk(), Walk(), Walk()
        crawl(Client(), starts, anonymous)
        # A signed-in member of one network: sees member-only links, but nobody else's private data.
        user = UserFactory(email="plain-member@example.org")
        person = Person.objects.create(user=user)
        network = Network.objects.get(slug=slugs[0])
        people_services.membership_join(person=person, network=network,
                                        constituency=network.constituencies.get(slug="patients-public"))
        member = Client()
        member.force_login(user)
        crawl(member, starts, member_walk)
        unfilled = walk_api(Client(), api.get_openapi_schema(path_prefix="/api/"), slugs, api_walk)
        yield anonymous, member_walk, api_walk, unfilled
