"""Writes for networks and constituencies. Each takes the acting person and writes to the public record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from innovatorium.networks.models import Constituency, ConstituencyKind, Network
from innovatorium.record.services import record_append

if TYPE_CHECKING:
    from innovatorium.people.models import Person


@transaction.atomic
def constituency_create(
    *,
    network: Network,
    actor: Person | None,
    name: str,
    kind: str = ConstituencyKind.OTHER,
    description: str = "",
    requires_verification: bool = False,
) -> Constituency:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the constituency a name."})
    if kind not in ConstituencyKind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of constituency."})
    slug = slugify(name)[:60]
    if network.constituencies.filter(slug=slug).exists() or network.constituencies.filter(name=name).exists():
        raise ValidationError({"name": f"{network.name} already has a constituency called “{name}”."})
    last = network.constituencies.order_by("-position").values_list("position", flat=True).first() or 0
    constituency = Constituency.objects.create(
        network=network, name=name, slug=slug, kind=kind, description=description.strip(),
        requires_verification=requires_verification, position=last + 1,
    )
    record_append(
        action="networks.constituency.created", actor=actor, network=network, obj=constituency,
        payload={"slug": slug, "name": name, "kind": kind, "requires_verification": requires_verification},
    )
    return constituency


@transaction.atomic
def constituency_update(
    *,
    constituency: Constituency,
    actor: Person | None,
    name: str,
    description: str,
    requires_verification: bool,
    is_active: bool,
) -> Constituency:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the constituency a name."})
    clash = constituency.network.constituencies.filter(name=name).exclude(pk=constituency.pk).exists()
    if clash:
        raise ValidationError({"name": f"Another constituency is already called “{name}”."})
    before = {
        "name": constituency.name, "requires_verification": constituency.requires_verification,
        "is_active": constituency.is_active,
    }
    constituency.name = name
    constituency.description = description.strip()
    constituency.requires_verification = requires_verification
    constituency.is_active = is_active
    constituency.save()
    after = {"name": name, "requires_verification": requires_verification, "is_active": is_active}
    record_append(
        action="networks.constituency.updated", actor=actor, network=constituency.network, obj=constituency,
        payload={"slug": constituency.slug, "before": before, "after": after},
    )
    return constituency
