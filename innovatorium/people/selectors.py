"""Reads about people, including everything held about one person (for "download my data")."""

from __future__ import annotations

from typing import Any

from django.core import serializers
from django.db.models import QuerySet

from innovatorium.networks.models import Network
from innovatorium.people.models import DeclarationOfInterest, Membership, Person, Verification
from innovatorium.record.models import RecordEntry


def person_memberships(*, person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("network", "constituency", "organisation").order_by("network__name")


def pending_verifications(*, network: Network) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(network=network, verification=Verification.PENDING)
        .select_related("person", "constituency", "organisation")
        .order_by("joined_at")
    )


def staff_networks(*, person: Person) -> QuerySet[Network]:
    """Networks the person facilitates or administers."""
    return Network.objects.filter(
        memberships__person=person, memberships__role__in=["facilitator", "admin"]
    ).order_by("name")


def person_export(*, person: Person) -> dict[str, Any]:
    """Everything Innovatorium holds about one person, as JSON-ready data."""
    user = person.user
    data: dict[str, Any] = {
        "account": {
            "email": user.email if user else None,
            "date_joined": user.date_joined.isoformat() if user else None,
            "last_login": user.last_login.isoformat() if user and user.last_login else None,
            "email_addresses": (
                [{"email": e.email, "verified": e.verified, "primary": e.primary} for e in user.emailaddress_set.all()]
                if user else []
            ),
            "two_factor_methods": [a.type for a in user.authenticator_set.all()] if user else [],
        },
        "profile": {
            "display_name": person.display_name,
            "show_name_publicly": person.show_name_publicly,
            "contact_consent": person.contact_consent,
            "access_needs": person.access_needs,
            "pseudonym": person.pseudonym,
            "created_at": person.created_at.isoformat(),
        },
        "memberships": [
            {
                "network": m.network.slug,
                "constituency": m.constituency.name,
                "role": m.role,
                "verification": m.verification,
                "organisation": m.organisation.name if m.organisation else None,
                "joined_at": m.joined_at.isoformat(),
                "verified_at": m.verified_at.isoformat() if m.verified_at else None,
                "verification_note": m.verification_note,
            }
            for m in person_memberships(person=person)
        ],
        "declarations_of_interest": [
            {
                "network": d.network.slug,
                "interest_type": d.interest_type,
                "organisation_name": d.organisation_name,
                "description": d.description,
                "declared_at": d.declared_at.isoformat(),
                "ended_at": d.ended_at.isoformat() if d.ended_at else None,
            }
            for d in person.declarations.select_related("network")
        ],
        "verifications_made": [
            {"membership": m.pk, "network": m.network.slug, "verified_at": m.verified_at.isoformat()}
            for m in person.verifications_made.select_related("network") if m.verified_at
        ],
        "public_record_entries": [
            {"sequence": e.sequence, "action": e.action, "network": e.network_slug,
             "recorded_at": e.recorded_at.isoformat(), "hash": e.hash}
            for e in RecordEntry.objects.filter(actor_pseudonym=person.pseudonym).order_by("sequence")
        ],
        "other_records": _linked_records(person),
    }
    return data


# Relations exported above in their own, readable shape.
_EXPORTED_RELATIONS = {"memberships", "declarations", "verifications_made", "record_entries"}


def _linked_records(person: Person) -> dict[str, list[dict[str, Any]]]:
    """Every other row that points at the person, whichever app holds it (challenges, atlas, ...).

    Found from the model relations rather than listed by hand, so a new app's data about a person is in the
    download from the day it is added.
    """
    linked: dict[str, list[dict[str, Any]]] = {}
    # include_hidden: relations declared with related_name="+" point at the person too.
    relations = [f for f in Person._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete]
    for relation in relations:
        if relation.related_name in _EXPORTED_RELATIONS:
            continue
        rows = relation.related_model._default_manager.filter(**{relation.field.name: person})
        serialised = serializers.serialize("python", rows)
        if serialised:
            linked.setdefault(relation.related_model._meta.label_lower, []).extend(
                {"id": row["pk"], **row["fields"]} for row in serialised
            )
    return linked


def network_declarations(*, network: Network) -> QuerySet[DeclarationOfInterest]:
    """Current and past declarations of interest in a network, newest first (public)."""
    return network.declarations.select_related("person").order_by("ended_at", "-declared_at")


def network_members(*, network: Network) -> QuerySet[Membership]:
    """Every member of a network with their group and role, for its facilitators."""
    return (
        Membership.objects.filter(network=network)
        .select_related("person", "constituency", "organisation")
        .order_by("constituency__position", "person__display_name", "pk")
    )
