"""Writes about people, organisations and memberships. Keyword-only, atomic, on the public record."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from innovatorium.core.privacy import erase_everywhere
from innovatorium.networks.models import Constituency, Network
from innovatorium.people.models import (
    STAFF_ROLES,
    DeclarationOfInterest,
    InterestType,
    Membership,
    Organisation,
    OrganisationType,
    Person,
    Role,
    User,
    Verification,
    validate_ods_code,
)
from innovatorium.record.services import record_append


@transaction.atomic
def person_create(*, user: User, display_name: str = "") -> Person:
    """Give a new sign-in its profile. Nothing is public until the person consents."""
    return Person.objects.create(user=user, display_name=display_name.strip()[:120])


@transaction.atomic
def person_update_profile(
    *,
    person: Person,
    display_name: str,
    show_name_publicly: bool,
    contact_consent: bool,
    access_needs: str,
) -> Person:
    display_name = display_name.strip()
    if show_name_publicly and not display_name:
        raise ValidationError({"display_name": "Enter the name to show, or untick “show my name publicly”."})
    person.display_name = display_name[:120]
    person.show_name_publicly = show_name_publicly
    person.contact_consent = contact_consent
    person.access_needs = access_needs.strip()
    person.save(update_fields=["display_name", "show_name_publicly", "contact_consent", "access_needs"])
    return person


@transaction.atomic
def organisation_create(
    *,
    actor: Person | None,
    name: str,
    type: str,  # noqa: A002 - the domain's word
    ods_code: str = "",
    network: Network | None = None,
    website: str = "",
) -> Organisation:
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the organisation's name."
    if type not in OrganisationType.values:
        errors["type"] = f"“{type}” is not a type of organisation."
    code = ods_code.strip().upper() or None
    if code:
        try:
            validate_ods_code(code)
        except ValidationError as exc:
            errors["ods_code"] = exc.messages[0]
        else:
            if Organisation.objects.filter(ods_code=code).exists():
                errors["ods_code"] = f"ODS code {code} already belongs to another organisation."
    if errors:
        raise ValidationError(errors)
    organisation = Organisation.objects.create(name=name, type=type, ods_code=code, network=network, website=website)
    record_append(
        action="people.organisation.created", actor=actor, network=network, obj=organisation,
        payload={"name": name, "type": type, "ods_code": code},
    )
    return organisation


@transaction.atomic
def membership_join(
    *,
    person: Person,
    network: Network,
    constituency: Constituency,
    organisation: Organisation | None = None,
) -> Membership:
    """Join a network with one declared constituency; some declarations wait for a facilitator's check."""
    if constituency.network_id != network.pk:
        raise ValidationError({"constituency": f"“{constituency.name}” is not a constituency of {network.name}."})
    if not constituency.is_active:
        raise ValidationError({"constituency": f"“{constituency.name}” is not taking new members."})
    if Membership.objects.filter(person=person, network=network).exists():
        raise ValidationError({"network": f"You are already a member of {network.name}."})
    verification = Verification.PENDING if constituency.requires_verification else Verification.NOT_REQUIRED
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                person=person, network=network, constituency=constituency, organisation=organisation,
                verification=verification,
            )
    except IntegrityError as exc:  # a second join racing the first
        raise ValidationError({"network": f"You are already a member of {network.name}."}) from exc
    record_append(
        action="people.membership.joined", actor=person, network=network, obj=membership,
        payload={"constituency": constituency.slug, "verification": verification},
    )
    return membership


def _require_staff(actor: Person, network: Network, *, admin: bool = False) -> None:
    """Services check authority too, so no caller (API, admin, command) can skip the rule."""
    roles = (Role.ADMIN,) if admin else STAFF_ROLES
    if actor.user is not None and actor.user.is_superuser:
        return
    if not Membership.objects.filter(person=actor, network=network, role__in=roles).exists():
        raise PermissionDenied(f"Only {'admins' if admin else 'facilitators'} of {network.name} may do this.")


@transaction.atomic
def membership_verify(*, membership: Membership, actor: Person, approve: bool, note: str = "") -> Membership:
    """A facilitator confirms (or does not confirm) a declared constituency."""
    membership = Membership.objects.select_for_update().select_related("network", "constituency").get(pk=membership.pk)
    _require_staff(actor, membership.network)
    if membership.person_id == actor.pk:
        raise PermissionDenied("You cannot verify your own membership.")
    if membership.verification not in (Verification.PENDING, Verification.REJECTED, Verification.VERIFIED):
        raise ValidationError("This membership's constituency does not need verification.")
    if not approve and not note.strip():
        raise ValidationError({"note": "Say why the declaration could not be verified."})
    membership.verification = Verification.VERIFIED if approve else Verification.REJECTED
    membership.verified_at = timezone.now()
    membership.verified_by = actor
    membership.verification_note = note.strip()[:300]
    membership.save(update_fields=["verification", "verified_at", "verified_by", "verification_note"])
    record_append(
        action="people.membership.verified" if approve else "people.membership.rejected",
        actor=actor, network=membership.network, obj=membership,
        payload={"constituency": membership.constituency.slug},
    )
    return membership


@transaction.atomic
def membership_set_role(*, membership: Membership, actor: Person, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": f"“{role}” is not a role."})
    _require_staff(actor, membership.network, admin=True)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record_append(
        action="people.membership.role_changed", actor=actor, network=membership.network, obj=membership,
        payload={"before": before, "after": role},
    )
    return membership


@transaction.atomic
def membership_leave(*, membership: Membership, actor: Person) -> None:
    if membership.person_id != actor.pk:
        raise PermissionDenied("You can only leave your own memberships.")
    network = membership.network
    record_append(
        action="people.membership.left", actor=actor, network=network, obj=membership,
        payload={"constituency": membership.constituency.slug},
    )
    membership.delete()


@transaction.atomic
def declaration_add(
    *,
    person: Person,
    network: Network,
    interest_type: str,
    description: str,
    organisation_name: str = "",
) -> DeclarationOfInterest:
    errors = {}
    if interest_type not in InterestType.values:
        errors["interest_type"] = "Choose the kind of interest."
    if not description.strip():
        errors["description"] = "Describe the interest."
    if errors:
        raise ValidationError(errors)
    declaration = DeclarationOfInterest.objects.create(
        person=person, network=network, interest_type=interest_type,
        organisation_name=organisation_name.strip()[:200], description=description.strip(),
    )
    record_append(
        action="people.declaration.made", actor=person, network=network, obj=declaration,
        payload={"interest_type": interest_type, "organisation": declaration.organisation_name},
    )
    return declaration


@transaction.atomic
def person_erase(*, person: Person) -> Person:
    """Delete an account: personal data is erased; public-record entries keep only the pseudonym.

    The person row stays (anonymised) so that anything they counted towards stays counted.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    user = person.user
    record_append(action="people.person.erased", actor=person, payload={})
    for membership in person.memberships.select_related("network", "constituency"):
        record_append(
            action="people.membership.left", actor=person, network=membership.network, obj=membership,
            payload={"constituency": membership.constituency.slug, "reason": "account deleted"},
        )
    # Every app's personal data about the person (innovatorium/<app>/privacy.py), before the profile goes.
    erase_everywhere(person=person)
    person.memberships.all().delete()
    person.declarations.all().delete()
    person.display_name = ""
    person.show_name_publicly = False
    person.contact_consent = False
    person.access_needs = ""
    person.erased_at = timezone.now()
    person.user = None
    person.save()
    # Unlink the record's display pointer: entries keep the pseudonym they were hashed with.
    person.record_entries.update(actor=None)
    if user is not None:
        user.delete()  # allauth's email addresses, sessions and authenticators go with it
    return person
