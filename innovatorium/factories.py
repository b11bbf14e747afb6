"""Test factories shared by every app's tests."""

from __future__ import annotations

import factory

from innovatorium.networks.models import Constituency, Network
from innovatorium.people.models import Membership, Organisation, OrganisationType, Person, Role, User, Verification

PASSWORD = "a-long-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's convention
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Test Person {n}")


class NetworkFactory(factory.django.DjangoModelFactory):
    """A fresh network with the six default constituencies (seeded networks exist too)."""

    class Meta:
        model = Network
        skip_postgeneration_save = True  # the hook creates related rows; the network needs no second save

    slug = factory.Sequence(lambda n: f"test-network-{n}")
    name = factory.Sequence(lambda n: f"Test Network {n}")
    description = "A network made for a test."

    @factory.post_generation
    def constituencies(obj, create, extracted, **kwargs):  # noqa: N805
        if not create:
            return
        from innovatorium.networks.defaults import DEFAULT_CONSTITUENCIES

        for position, (kind, name, description, verify) in enumerate(DEFAULT_CONSTITUENCIES, start=1):
            Constituency.objects.create(
                network=obj, slug=kind.replace("_", "-"), name=name, kind=kind, description=description,
                requires_verification=verify, position=position,
            )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    type = OrganisationType.NHS_TRUST


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    network = factory.SubFactory(NetworkFactory)
    constituency = factory.LazyAttribute(lambda o: o.network.constituencies.get(slug="patients-public"))
    role = Role.MEMBER
    verification = Verification.NOT_REQUIRED


def member(network: Network, constituency_slug: str = "patients-public", **kwargs) -> Membership:  # noqa: ANN003
    """A counted member of `network` in the named constituency."""
    constituency = network.constituencies.get(slug=constituency_slug)
    verification = Verification.VERIFIED if constituency.requires_verification else Verification.NOT_REQUIRED
    kwargs.setdefault("verification", verification)
    return MembershipFactory(network=network, constituency=constituency, **kwargs)
