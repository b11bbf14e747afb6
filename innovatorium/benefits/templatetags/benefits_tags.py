"""`{% benefits_for_innovation innovation %}`: the innovation page's short "what it earned and shared" section."""

from __future__ import annotations

from typing import Any

from django import template

from innovatorium.atlas.models import Innovation
from innovatorium.benefits import selectors
from innovatorium.benefits.models import Agreement, VersionStatus

register = template.Library()


@register.inclusion_tag("benefits/includes/innovation_benefits.html", takes_context=True)
def benefits_for_innovation(context: template.Context, innovation: Innovation) -> dict[str, Any]:
    agreement = Agreement.objects.filter(innovation=innovation).select_related("network", "innovation").first()
    request = context.get("request")
    can_manage = request is not None and request.user.has_perm("benefits.manage_agreement", innovation.network)
    if agreement is None:
        return {"agreement": None, "innovation": innovation, "can_manage": can_manage}
    totals = selectors.agreement_totals(agreement=agreement)
    adopted = agreement.versions.filter(status=VersionStatus.ADOPTED).first()
    return {"agreement": agreement, "innovation": innovation, "totals": totals, "adopted": adopted,
            "can_manage": can_manage}
