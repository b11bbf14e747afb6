"""Hypothesis strategies: random adoption histories over a few innovations and sites."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from innovatorium.spread import AdoptionEvent, Status

DAY0 = date(2020, 1, 1)


@st.composite
def histories(draw, max_events: int = 40) -> list[AdoptionEvent]:
    n = draw(st.integers(0, max_events))
    return [
        AdoptionEvent(
            innovation=draw(st.sampled_from(["a", "b", "c"])),
            site=draw(st.integers(0, 7)),
            date=DAY0 + timedelta(days=draw(st.integers(0, 60))),
            status=draw(st.sampled_from(list(Status))),
        )
        for _ in range(n)
    ]
