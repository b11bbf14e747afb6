"""Template tags for pages outside the governance app (the involvement report's seats section)."""

from __future__ import annotations

from typing import Any

from django import template

from innovatorium.governance import selectors
from innovatorium.networks.models import Network

register = template.Library()


@register.simple_tag
def seats_by_constituency(network: Network) -> list[dict[str, Any]]:
    """Each body of the network with its reserved, filled and empty seats per partner group."""
    return selectors.seats_by_constituency(network)
