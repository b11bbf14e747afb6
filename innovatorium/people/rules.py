"""Permissions for networks, people and memberships, declared once with django-rules."""

from __future__ import annotations

import rules

from innovatorium.people.models import STAFF_ROLES, Membership, Role


def _memberships(user) -> dict[int, Membership]:
    """The user's memberships keyed by network id, cached on the user object for the request."""
    cached = getattr(user, "_innovatorium_memberships", None)
    if cached is None:
        person = getattr(user, "person", None)
        cached = {m.network_id: m for m in Membership.objects.filter(person=person)} if person else {}
        user._innovatorium_memberships = cached
    return cached


def _network_id(target) -> int | None:
    if target is None:
        return None
    if hasattr(target, "network_id"):
        return target.network_id
    return target.pk


@rules.predicate
def is_member_of(user, target) -> bool:
    if not user.is_authenticated:
        return False
    membership = _memberships(user).get(_network_id(target))
    return membership is not None and membership.is_counted


@rules.predicate
def is_network_staff(user, target) -> bool:
    """A facilitator or admin of the network the target belongs to (or is)."""
    if not user.is_authenticated:
        return False
    membership = _memberships(user).get(_network_id(target))
    return membership is not None and membership.role in STAFF_ROLES


@rules.predicate
def is_network_admin(user, target) -> bool:
    if not user.is_authenticated:
        return False
    membership = _memberships(user).get(_network_id(target))
    return membership is not None and membership.role == Role.ADMIN


@rules.predicate
def is_any_network_staff(user) -> bool:
    return user.is_authenticated and any(m.role in STAFF_ROLES for m in _memberships(user).values())


@rules.predicate
def has_person(user) -> bool:
    return user.is_authenticated and getattr(user, "person", None) is not None


@rules.predicate
def is_own_membership(user, membership) -> bool:
    return membership is not None and user.is_authenticated and membership.person.user_id == user.pk


is_superuser = rules.is_superuser

# Public reading
rules.add_perm("networks.view_network", rules.always_allow)
rules.add_perm("record.view_record", rules.always_allow)
# Taking part
rules.add_perm("networks.join_network", has_person)
rules.add_perm("people.manage_own_account", has_person)
rules.add_perm("people.leave_membership", is_own_membership)
rules.add_perm("people.declare_interest", is_member_of)
# Facilitating a network: only its own facilitators and admins (never another network's)
rules.add_perm("networks.facilitate_network", is_network_staff | is_superuser)
rules.add_perm("networks.configure_constituencies", is_network_staff | is_superuser)
rules.add_perm("people.verify_membership", is_network_staff | is_superuser)
rules.add_perm("people.change_role", is_network_admin | is_superuser)
rules.add_perm("people.view_facilitate_area", is_any_network_staff | is_superuser)
