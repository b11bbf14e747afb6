from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from innovatorium.networks.models import RESERVED_SLUGS


def _first_segments(patterns, prefix: str = "") -> set[str]:  # noqa: ANN001
    found: set[str] = set()
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found |= _first_segments(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            first = route.lstrip("^").split("/", 1)[0]
            if first and "<" not in first and "(" not in first:
                found.add(first)
    return found


def test_no_network_slug_can_shadow_a_site_wide_address():
    """Network pages live at /<slug>/: every fixed first path segment must be a reserved slug."""
    segments = _first_segments(get_resolver().url_patterns)
    assert "record" in segments  # the walk is real
    assert sorted(segments - RESERVED_SLUGS) == []
