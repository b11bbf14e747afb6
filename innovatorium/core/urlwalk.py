"""Walk every URL pattern the site serves, so tests can check each one (CSRF, permissions, headers).

A test that lists URLs by hand goes stale the day someone adds a view; walking the resolver does not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize

# Where the code behind a URL comes from, by the view's module.
OUR_PACKAGE = "innovatorium."
NINJA_MODULES = ("ninja.",)


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the chain of patterns that leads to it."""

    patterns: tuple[Any, ...]  # the RoutePattern/RegexPattern of each include, then of the URLPattern itself
    namespace: str | None
    name: str | None
    callback: Callable[..., Any]

    @property
    def label(self) -> str:
        """The pattern as written (`<slug:network_slug>/join/`), for test ids and messages."""
        return "/" + "".join(str(p) for p in self.patterns)

    @property
    def qualified_name(self) -> str | None:
        if self.name is None:
            return None
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    @property
    def kwarg_names(self) -> list[str]:
        names: list[str] = []
        for pattern in self.patterns:
            names.extend(pattern.regex.groupindex)
        return names

    @property
    def module(self) -> str:
        view = getattr(self.callback, "func", self.callback)  # functools.partial (ninja's docs views)
        return getattr(view, "__module__", "") or ""

    @property
    def is_ours(self) -> bool:
        return self.module.startswith(OUR_PACKAGE)

    @property
    def is_ninja(self) -> bool:
        return self.module.startswith(NINJA_MODULES) or self.namespace == "api"

    def path(self, values: Mapping[str, Any], fallback: str | None = None) -> str:
        """The concrete path with each keyword argument taken from `values`.

        Arguments missing from `values` take `fallback` ("1" fits int, slug, str and path converters), or
        raise KeyError when there is none.
        """
        pieces = []
        for pattern in self.patterns:
            regex = pattern.regex.pattern
            if fallback is not None:
                values = {**{name: fallback for name in pattern.regex.groupindex}, **values}
            for template, params in normalize(regex):
                if all(param in values for param in params):
                    pieces.append(template % {param: str(values[param]) for param in params})
                    break
            else:
                raise KeyError(f"No value for the arguments of {self.label}: need {list(pattern.regex.groupindex)}")
        return "/" + "".join(pieces)


def walk_urls(urlconf: str | None = None) -> Iterator[Route]:
    """Every URL pattern in the project's URLconf, includes expanded, in resolution order."""

    def walk(entries: list[Any], chain: tuple[Any, ...], namespace: str | None) -> Iterator[Route]:
        for entry in entries:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, (*chain, entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                yield Route(patterns=(*chain, entry.pattern), namespace=namespace, name=entry.name,
                            callback=entry.callback)

    yield from walk(get_resolver(urlconf).url_patterns, (), None)
