"""Hypothesis strategies for ballots: small profiles, truncated rankings, a few constituencies."""

from __future__ import annotations

from hypothesis import strategies as st

from innovatorium.voting import Ballot, Election, Method

CONSTITUENCIES = ("patients", "clinicians", "industry", "")


@st.composite
def ranked_ballot(draw: st.DrawFn, options: tuple[str, ...], *, complete: bool = False) -> Ballot:
    order = draw(st.permutations(options))
    length = len(options) if complete else draw(st.integers(0, len(options)))
    return Ballot(tuple(order[:length]), draw(st.sampled_from(CONSTITUENCIES)))


@st.composite
def approval_ballot(draw: st.DrawFn, options: tuple[str, ...]) -> Ballot:
    return Ballot(tuple(draw(st.sets(st.sampled_from(options)))), draw(st.sampled_from(CONSTITUENCIES)))


@st.composite
def score_ballot(draw: st.DrawFn, options: tuple[str, ...]) -> Ballot:
    scored = draw(st.dictionaries(st.sampled_from(options), st.integers(0, 5)))
    return Ballot(scored, draw(st.sampled_from(CONSTITUENCIES)))


def ballot_for(election: Election, *, complete: bool = False) -> st.SearchStrategy[Ballot]:
    if election.method is Method.APPROVAL:
        return approval_ballot(election.options)
    if election.method is Method.SCORE:
        return score_ballot(election.options)
    return ranked_ballot(election.options, complete=complete)


@st.composite
def elections(draw: st.DrawFn, methods: tuple[Method, ...] = tuple(Method), max_options: int = 6) -> Election:
    method = draw(st.sampled_from(methods))
    k = draw(st.integers(2, max_options))
    seats = 1 if method is Method.IRV else draw(st.integers(1, k))
    return Election(
        draw(st.text("abcdef0123", min_size=1, max_size=6)), method, tuple(f"o{i}" for i in range(k)), seats
    )


@st.composite
def profiles(
    draw: st.DrawFn, methods: tuple[Method, ...] = tuple(Method), max_ballots: int = 40, complete: bool = False
) -> tuple[Election, list[Ballot]]:
    election = draw(elections(methods))
    ballots = draw(st.lists(ballot_for(election, complete=complete), max_size=max_ballots))
    return election, ballots
