"""`{% exchange_matches_for_challenge challenge %}` and `{% exchange_matches_for_innovation innovation %}`: the
exchange's sections on a need's page and an innovation's page, so those pages need one line each."""

from __future__ import annotations

from typing import Any

from django import template

from innovatorium.atlas.models import Innovation
from innovatorium.challenges.models import Challenge
from innovatorium.exchange import selectors
from innovatorium.exchange.forms import ProposeForm

register = template.Library()


@register.inclusion_tag("exchange/includes/challenge_matches.html", takes_context=True)
def exchange_matches_for_challenge(context: template.Context, challenge: Challenge) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    person = getattr(user, "person", None) if signed_in else None
    can_broker = bool(signed_in and user.has_perm("exchange.broker", challenge))
    interests = selectors.interests_for_challenge(challenge=challenge)
    introductions = selectors.introductions_for_challenge(challenge=challenge)
    introduced = {i.innovation_id: i for i in introductions}
    offered = {i.innovation_id for i in interests}
    matches = selectors.matches_for_challenge(challenge=challenge)
    can_offer = (
        person is not None and challenge.status in selectors.INTEREST_OPEN
        and selectors.innovations_for_innovator(person=person).exclude(pk__in=offered).exists()
    )
    return {
        "request": request, "challenge": challenge, "network": challenge.network, "matches": matches,
        "interests": interests, "introductions": introductions, "introduced": introduced,
        "offered": offered, "can_broker": can_broker, "can_offer": can_offer, "signed_in": signed_in,
        "csrf_token": context.get("csrf_token"), "propose_form": ProposeForm() if can_broker else None,
    }


@register.inclusion_tag("exchange/includes/innovation_matches.html", takes_context=True)
def exchange_matches_for_innovation(context: template.Context, innovation: Innovation) -> dict[str, Any]:
    """Loaded after the page (htmx), with a plain link for browsers without JavaScript: matching costs more
    than the rest of the innovation page, which should stay fast."""
    return {"request": context.get("request"), "innovation": innovation, "network": innovation.network}


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key) if mapping else None
